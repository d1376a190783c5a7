/* The staff's work with inputs: a process's inputs, moderation, and registering inputs that
 * came by letter, e-mail, phone, meeting, workshop, council or survey.
 * Layer: pages. Who may call what is declared in web/routes_inputs.inc (the process's
 * members and the advisors); handlers never check it again. */
#ifndef PV_PAGES_STAFF_INPUTS_H
#define PV_PAGES_STAFF_INPUTS_H

#include "web/router.h"

/* GET /arbeid/prosesser/{slug}/innspill: every input of the process (contact data too),
 * newest received first, filtered by ?kanal= and ?moderering=. */
int page_staff_inputs(pv_req *r, json_t **vm);
/* POST /arbeid/prosesser/{slug}/innspill/{id}/moderering: moderation=publisert|avvist|ny;
 * 303 back to the list. */
int page_staff_input_moderate(pv_req *r, json_t **vm);
/* GET /arbeid/prosesser/{slug}/innspill/ny: the form; ?modus=notater for a meeting's or a
 * workshop's notes, one input per paragraph. */
int page_staff_input_new(pv_req *r, json_t **vm);
/* POST /arbeid/prosesser/{slug}/innspill/ny: one input (saved at once; the page shows its
 * receipt code), or notes: action=preview shows the split, action=save stores them all in
 * one transaction (303 to the list). */
int page_staff_input_create(pv_req *r, json_t **vm);

/* Labels in r's language of an input's channel, sender type and status (shared with the
 * assessment pages, pages/assessment.c). */
const char *staff_input_status_label(pv_req *r, const char *status);

/* Splits a meeting's notes into inputs: one per paragraph, paragraphs separated by one or
 * more blank lines (lines of only blanks count as blank); "\r\n" becomes "\n"; each is
 * trimmed of surrounding blanks and line breaks; empty ones are dropped. Writes a new array
 * of strings into *out. Returns PV_ELIMIT (out untouched) when there are more than
 * STAFF_BATCH_MAX (store/inputs_staff.h). */
int staff_inputs_split_notes(const char *text, json_t **out) PV_NODISCARD;
/* A text as the paragraphs the pages show (split at blank lines, as notes are; the whole text
 * as one paragraph when it has more than the notes' limit). */
json_t *staff_inputs_paragraphs(const char *text);

/* The process {slug} (params[0]) for the staff's input pages: *head {id, title,
 * publish_at_once, url, inputs_url, new_url, notes_url, public_url, group_url, merknad_url},
 * and the record (themes, areas …) in *rec. Returns 0, 404 or 500. */
int staff_inputs_process(pv_req *r, json_t **head, json_t **rec);

#endif
