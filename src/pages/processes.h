/* The staff's planning of participation processes (hvorfor, hvem, når, hvordan), the ladder
 * and the venues.
 * Layer: pages. */
#ifndef PV_PAGES_PROCESSES_H
#define PV_PAGES_PROCESSES_H

#include "web/router.h"

/* Who plans and runs processes: the advisor has all of them … */
#define PROCESS_EDIT_ROLES (ROLE_RADGIVER | ROLE_ADMIN)
/* … a process owner those they own or were added to (process_member_of). */
#define PROCESS_OWNER_ROLES ROLE_PROSESSEIER

/* Object check for routes /arbeid/prosesser/{slug}/…: the signed-in user owns the process
 * params[0] or was added to it. */
bool process_member_of(pv_req *r);

/* /arbeid/prosesser: the list; /arbeid/prosesser/ny and /arbeid/prosesser/{slug}: the guided
 * form; the status buttons. */
int page_staff_processes(pv_req *r, json_t **vm);
int page_staff_process_new(pv_req *r, json_t **vm);
int page_staff_process_create(pv_req *r, json_t **vm);
int page_staff_process_edit(pv_req *r, json_t **vm);
int page_staff_process_save(pv_req *r, json_t **vm);
int page_staff_process_status(pv_req *r, json_t **vm);
/* Stakeholders, events, members of one process; the ladder and the venues. */
int page_staff_stakeholders(pv_req *r, json_t **vm);
int page_staff_stakeholders_save(pv_req *r, json_t **vm);
int page_staff_events(pv_req *r, json_t **vm);
int page_staff_events_save(pv_req *r, json_t **vm);
int page_staff_members(pv_req *r, json_t **vm);
int page_staff_members_save(pv_req *r, json_t **vm);
int page_staff_ladder(pv_req *r, json_t **vm);
int page_staff_ladder_save(pv_req *r, json_t **vm);
int page_staff_venues(pv_req *r, json_t **vm);
int page_staff_venues_save(pv_req *r, json_t **vm);

/* ---- shared by the process pages (pages/staff_processes.c) */

/* Puts the errors of a form into vm: "errors" [{field, label, message, anchor}] (anchor =
 * id_prefix + field), "err" {field: message}, has_errors. */
void process_form_errors(pv_req *r, json_t *vm, json_t *errors, const char *id_prefix);
/* The label of a process status in r's language. */
const char *process_status_label(pv_req *r, const char *status);
/* The head of a process's staff pages: {id, title, status, status_label, edit_url,
 * public_url, inputs_url, new_input_url, stakeholders_url, events_url, members_url}; NULL with
 * *status_out 404 or 500. */
json_t *process_head(pv_req *r, const char *id, int *status_out);
/* The "action" field of the submitted form, or "". */
const char *process_form_action(pv_req *r);
/* The form field name as a positive id, or 0. */
int64_t process_form_id(pv_req *r, const char *name);
/* The form field name as a string, or null when absent or empty. */
json_t *process_form_text(pv_req *r, const char *name);
/* The non-empty lines of text as an array of strings. */
json_t *process_lines(const char *text);
/* An array of strings as lines of one text. */
json_t *process_lines_text(json_t *list);
/* The form field name as an integer, null when empty. */
json_t *process_form_integer(pv_req *r, const char *name);

#endif
