/* The staff's editing of the portfolio: plans (/arbeid/planer), their focus areas, the goal
 * tree (/arbeid/mal) and indicators, as HTML forms and as JSON API writes (/api/v1/…).
 * Layer: pages. A form and a JSON body become the same input object and go through the same
 * checks (domain/plan.h rules, then store/plans_edit.h and store/goals_edit.h, which check
 * the references inside the write's transaction). Every change writes one audit event.
 * Who may call what is declared in web/routes_portfolio.inc; handlers never check it again. */
#ifndef PV_PAGES_PORTFOLIO_H
#define PV_PAGES_PORTFOLIO_H

#include "domain/plan.h"
#include "store/audit.h"
#include "web/router.h"

/* The object check of the routes that edit one plan ({slug} is r->params[0]): the caller
 * owns the plan. */
bool portfolio_plan_owned(pv_req *r);
/* True when the signed-in caller may edit plan_id: a planner, or its owner with an owner
 * role (the same rule as the route table's, for showing an edit link). */
bool portfolio_may_edit_plan(pv_req *r, const char *plan_id);

/* /arbeid/planer: every plan with links to edit it; /arbeid/planer/ny: a new plan. */
int page_staff_plans(pv_req *r, json_t **vm);
int page_staff_plan_new(pv_req *r, json_t **vm);
int page_staff_plan_create(pv_req *r, json_t **vm);
/* /arbeid/planer/{slug}: the form (GET) and saving or previewing it (POST). */
int page_staff_plan_edit(pv_req *r, json_t **vm);
int page_staff_plan_save(pv_req *r, json_t **vm);
/* /arbeid/planer/{slug}/satsingsomrader: add, rename, reorder and write the four texts. */
int page_staff_focus_areas(pv_req *r, json_t **vm);
int page_staff_focus_areas_save(pv_req *r, json_t **vm);

/* /arbeid/mal: the goal tree; /arbeid/mal/ny and /arbeid/mal/{id}: the goal form; retiring
 * and bringing back a goal. */
int page_staff_goals(pv_req *r, json_t **vm);
int page_staff_goal_new(pv_req *r, json_t **vm);
int page_staff_goal_create(pv_req *r, json_t **vm);
int page_staff_goal_edit(pv_req *r, json_t **vm);
int page_staff_goal_save(pv_req *r, json_t **vm);
int page_staff_goal_retire(pv_req *r, json_t **vm);
int page_staff_goal_unretire(pv_req *r, json_t **vm);
/* /arbeid/mal/{id}/indikatorer/ny and /arbeid/indikatorer/{id}: the indicator form. */
int page_staff_indicator_new(pv_req *r, json_t **vm);
int page_staff_indicator_create(pv_req *r, json_t **vm);
int page_staff_indicator_edit(pv_req *r, json_t **vm);
int page_staff_indicator_save(pv_req *r, json_t **vm);

/* The JSON API: creating (201 with Location, the handler replies itself) and changing
 * (200) plans, goals and indicators, and reading one goal or indicator. */
int page_api_plan_create(pv_req *r, json_t **vm);
int page_api_plan_update(pv_req *r, json_t **vm);
int page_api_goal(pv_req *r, json_t **vm);
int page_api_goal_create(pv_req *r, json_t **vm);
int page_api_goal_update(pv_req *r, json_t **vm);
int page_api_indicator(pv_req *r, json_t **vm);
int page_api_indicator_create(pv_req *r, json_t **vm);
int page_api_indicator_update(pv_req *r, json_t **vm);

/* For the public plan page of a signed-in staff member: {history [events with labels],
 * has_history, edit_url?, areas_url?}; NULL on a database error. */
json_t *portfolio_plan_staff_view(pv_req *r, const char *plan_id);

/* ---- shared by the portfolio pages (pages/portfolio_edit.c) */

/* How a form field is read into the input object. */
typedef enum input_kind {
    IN_TEXT,   /* as typed */
    IN_ID,     /* as typed; an empty field is left out (a new record's id is then made) */
    IN_CHOICE, /* a <select>: "" → null, else as sent */
    IN_YEAR,   /* "" → null; digits → a number; else kept as text, which the rules refuse */
    IN_NUMBER, /* as IN_YEAR, decimal comma or point */
    IN_USER,   /* as IN_YEAR: the id of a user */
    IN_LIST,   /* every value of the name, as an array */
} input_kind;

typedef struct form_field {
    const char *name;
    input_kind kind;
} form_field;

/* The input object of a submitted form (r->form), for the fields given (ending {NULL}). */
json_t *portfolio_form_input(pv_req *r, const form_field *fields);
/* The raw values of a submitted form for showing it again: {name: "text" | [values]}. */
json_t *portfolio_form_values(pv_req *r, const form_field *fields);
/* The input object of a JSON body: r->body without its "csrf" (a copy), or an empty
 * object. */
json_t *portfolio_json_input(pv_req *r);

/* The label of a field of kind ("plan", "goal", "indicator", "focus_area") in r's language. */
const char *portfolio_field_label(pv_req *r, const char *kind, const char *field);

/* Puts the errors of a form into vm: "errors" [{field, label, message, anchor}] for the
 * summary (anchor = id_prefix + field), "err" {field: message} for the fields, has_errors. */
void portfolio_form_errors(pv_req *r, json_t *vm, json_t *errors, const char *kind,
                           const char *id_prefix);
/* The problem object of refused API input (status 422): title, detail and "errors"
 * [{field, message}] in r's language. */
json_t *portfolio_problem(pv_req *r, json_t *errors);

/* Replies 201 Created with vm as JSON and a Location header; returns 0 (the route is
 * ROUTE_RAW) and takes vm over. */
int portfolio_created(pv_req *r, const char *location, json_t *vm);

/* Builds the view-model of the record id as its GET answers it: 200, or an error status. */
typedef int (*portfolio_detail_fn)(pv_req *r, const char *id, json_t **vm);
/* The answer of an API write whose store call returned rc, with the refusals in errors:
 * 422 with the problem object; the store's error as a status; or the record as detail()
 * builds it — after a create 201 with Location prefix+id (sent here: returns 0), after a
 * change 200 with the record of r->params[0]. */
int portfolio_api_created(pv_req *r, int rc, json_t *errors, const char *prefix,
                          const char *id, portfolio_detail_fn detail, json_t **vm);
int portfolio_api_changed(pv_req *r, int rc, json_t *errors, portfolio_detail_fn detail,
                          json_t **vm);

/* Who acts: the signed-in user and the client address. */
actor portfolio_actor(pv_req *r);

/* The status of a store result for a page: 0 → 0, PV_ENOTFOUND → 404, PV_EINVAL → 422, else
 * 500. */
int portfolio_status(int rc);

/* Sets a 303 to url (kept alive in *vm until the reply is sent); returns 303. */
int portfolio_redirect(pv_req *r, json_t **vm, const char *url);

/* "?key=1" was in the address (a message after a redirect). */
bool portfolio_flag(pv_req *r, const char *key);

/* Options for a <select>: [{value, label, selected}] from rows with value_key/label_key. */
json_t *portfolio_options(json_t *rows, const char *value_key, const char *label_key,
                          const char *selected);

/* A number for a form field as r's language writes it (33,5 / 33.5); "" for null. */
json_t *portfolio_number_text(pv_req *r, json_t *v);
/* A value of a record as form text: strings as they are, integers in base 10, null as "". */
json_t *portfolio_value_text(json_t *v);

#endif
