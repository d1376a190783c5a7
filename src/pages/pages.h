/* The page handlers: one per resource. Each validates its input, reads through store/ and
 * domain/, and builds ONE view-model; it never prints HTML (DESIGN.md §2).
 * Layer: pages. */
#ifndef PV_PAGES_H
#define PV_PAGES_H

#include "web/router.h"

int page_home(pv_req *r, json_t **vm);
int page_plans(pv_req *r, json_t **vm);
int page_plan(pv_req *r, json_t **vm);
int page_goals(pv_req *r, json_t **vm);
int page_search(pv_req *r, json_t **vm);

/* Raw handlers send their own reply and return 0, or return an error status. */
int page_static(pv_req *r, json_t **vm);
int page_language(pv_req *r, json_t **vm);
int page_openapi(pv_req *r, json_t **vm);

/* Signing in and out (pages/signin.c) and the staff start page (pages/workspace.c). */
int page_signin_form(pv_req *r, json_t **vm);
int page_signin(pv_req *r, json_t **vm);
int page_signout(pv_req *r, json_t **vm);
int page_link_form(pv_req *r, json_t **vm);
int page_link(pv_req *r, json_t **vm);
int page_workspace(pv_req *r, json_t **vm);

/* The context under every page's view-model: language, the language switch, the current
 * path. Used by web/render.c; lives here because it is page content. */
json_t *site_context(pv_req *r);

/* Helpers shared by the handlers. */
/* A label for a value that the data leave open: «ikke oppgitt» in the user's language. */
const char *page_not_given(pv_req *r);
/* The name under which plans without a theme are listed. */
const char *page_no_theme(pv_req *r);
/* A plan summary for lists: id, name, url, type/status with labels, years (the next
 * revision worked out by domain/plan.c), theme. */
json_t *page_plan_summary(pv_req *r, json_t *plan);

/* The level of a goal (visjon, hovedmål, delmål) in the user's language. */
const char *page_level_label(pv_req *r, const char *level);

/* An indicator for display: values as the user's language writes numbers, the comparator in
 * words (over, minst …), and a link to its plan. */
json_t *page_indicator_view(pv_req *r, json_t *indicator);

/* Adds to an audit event (store/audit.h) what the log shows: "when" (local time), and
 * "changes_list" [{field, before, after}] with values as text. */
void page_audit_event_labels(pv_req *r, json_t *event);
/* Formats a Unix time as "2026-11-23 14:05" in the municipality's time zone. */
void page_format_time(int64_t t, char *out, size_t size);
/* The local day of a Unix time (a JSON integer) as "YYYY-MM-DD", or null. */
json_t *page_day(json_t *t);

/* For an API write: 0 when the request carried a JSON object (the dispatcher parsed it into
 * r->body), else 415 with r->error saying what to send. */
int page_needs_json(pv_req *r);

/* The message of a refusal {message (a msgid), detail?} in r's language, with its detail
 * (ids, a ring of plans, a row) after it in parentheses. New reference. */
json_t *page_error_message(pv_req *r, json_t *error);

/* The lines of a text (the data keep a measure's paragraphs one per line) as an array of
 * strings, blank ones left out; an empty array for NULL. */
json_t *page_lines(const char *text);

#endif
