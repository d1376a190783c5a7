/* The tertial reports: /arbeid/rapportering (the periods that have opened, with how much the
 * user's units have reported), one period's form (/arbeid/rapportering/2026-t1) where a unit
 * reports all its measures in one submit, closing a period (which publishes its reports), and
 * the API (GET /api/v1/reports, POST /api/v1/measures/{id}/reports).
 * Layer: pages. Who may call what is in web/routes_followup.inc; a planner reports every
 * measure, anyone else the measures of their units (store/reports.c checks it again inside
 * the write). A form row that was left as it was is not sent to the store. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/auth.h"
#include "domain/followup.h"
#include "pages/followup.h"
#include "pages/pages.h"
#include "pages/portfolio.h"
#include "store/reports.h"
#include "web/session.h"

static const char *str(json_t *obj, const char *key)
{
    return json_string_value(json_object_get(obj, key));
}

/* A planner reports every measure. */
static bool reports_all(pv_req *r)
{
    return r->user && (r->user->roles & (MEASURE_EDIT_ROLES)) != 0;
}

static pv_date today(void)
{
    return pv_date_of(session_now());
}

/* «1. tertial 2026» */
static json_t *period_label(pv_req *r, followup_period p)
{
    char text[160];
    snprintf(text, sizeof text, "%s %d", T(r, followup_period_label(p.kind)), p.year);
    return json_string(text);
}

static json_t *status_label(pv_req *r, json_t *status)
{
    const char *label = json_is_string(status) ? followup_status_label(json_string_value(status))
                                               : NULL;
    return label ? json_string(T(r, label)) : json_null();
}

/* ---------------------------------------------------------------- /arbeid/rapportering */

int page_staff_reporting(pv_req *r, json_t **vm)
{
    json_t *periods;
    if (store_report_periods(r->w->db, today(), r->user->id, reports_all(r), &periods) != 0)
        return 500;
    followup_period current = followup_period_of(today());
    size_t i;
    json_t *e;
    json_array_foreach(periods, i, e) {
        followup_period p;
        if (followup_period_parse(str(e, "period"), &p) != 0)
            continue;
        char url[120];
        snprintf(url, sizeof url, "/arbeid/rapportering/%s", str(e, "period"));
        json_object_set_new(e, "label", period_label(r, p));
        json_object_set_new(e, "url", json_string(url));
        json_object_set_new(e, "current", json_boolean(followup_period_compare(p, current) == 0));
        json_object_set_new(e, "complete",
                            json_boolean(json_integer_value(json_object_get(e, "missing")) == 0));
    }
    *vm = json_pack("{s:o, s:b, s:b}", "periods", periods, "has_periods",
                    json_array_size(periods) > 0, "all", reports_all(r));
    return 200;
}

/* ---------------------------------------------------------------- the form */

/* What the user typed into the form, per measure id: {status, progress, comment} texts. */
typedef struct form_state {
    json_t *values; /* NULL: show the stored reports */
    json_t *errors; /* [{measure_id, field, message}] (messages are msgids) or NULL */
    const char *close_error; /* a msgid for the confirmation checkbox, or NULL */
    const char *notice;  /* a translated message shown at the top (409), or NULL */
} form_state;

static const char *unit_filter(pv_req *r, json_t *units)
{
    const char *u = url_query_get(&r->query, "enhet");
    size_t i;
    json_t *e;
    if (u && *u)
        json_array_foreach(units, i, e)
            if (strcmp(str(e, "id"), u) == 0)
                return u;
    return NULL;
}

/* The form values of a stored report (NULL: none). */
static json_t *stored_values(json_t *report)
{
    json_t *progress = json_object_get(report, "progress");
    char n[16] = "";
    if (json_is_integer(progress))
        snprintf(n, sizeof n, "%lld", (long long)json_integer_value(progress));
    const char *status = str(report, "status"), *comment = str(report, "comment");
    return json_pack("{s:s, s:s, s:s}", "status", status ? status : "", "progress", n, "comment",
                     comment ? comment : "");
}

static json_t *status_options(pv_req *r, const char *prefix, const char *checked)
{
    json_t *out = json_array();
    for (size_t i = 0; followup_statuses[i]; i++) {
        char id[80];
        snprintf(id, sizeof id, "%s-status-%zu", prefix, i);
        json_array_append_new(out, json_pack("{s:s, s:s, s:s, s:b}", "value", followup_statuses[i],
                                             "label", T(r, followup_status_label(followup_statuses[i])),
                                             "id", id, "checked",
                                             checked && strcmp(checked, followup_statuses[i]) == 0));
    }
    return out;
}

/* The view of one report row. */
static json_t *row_view(pv_req *r, json_t *row, size_t index, const form_state *fs,
                        json_t *summary)
{
    const char *id = str(row, "measure_id");
    char prefix[32], url[300];
    snprintf(prefix, sizeof prefix, "r%zu", index);
    snprintf(url, sizeof url, "/tiltak/%s", id);
    json_t *report = json_object_get(row, "report");
    json_t *values = fs->values ? json_object_get(fs->values, id) : NULL;
    values = values ? json_incref(values) : stored_values(json_is_object(report) ? report : NULL);
    json_t *err = json_object();
    size_t i;
    json_t *e;
    json_array_foreach(fs->errors, i, e) {
        if (strcmp(str(e, "measure_id"), id) != 0)
            continue;
        const char *field = str(e, "field");
        if (strcmp(field, "measure_id") == 0)
            field = "status";
        if (json_object_get(err, field))
            continue;
        const char *msg = T(r, str(e, "message"));
        json_object_set_new(err, field, json_string(msg));
        char anchor[64], label[600];
        snprintf(anchor, sizeof anchor, strcmp(field, "status") == 0 ? "%s-status-0" : "%s-%s",
                 prefix, field);
        snprintf(label, sizeof label, "%s – %s", str(row, "title"),
                 strcmp(field, "status") == 0     ? T(r, "Status")
                 : strcmp(field, "progress") == 0 ? T(r, "Fremdrift")
                                                  : T(r, "Kommentar"));
        json_array_append_new(summary, json_pack("{s:s, s:s, s:s}", "label", label, "message",
                                                 msg, "anchor", anchor));
    }
    json_t *rep = json_null();
    if (json_is_object(report)) {
        json_t *at = page_day(json_object_get(report, "reported_at"));
        json_t *pr = json_object_get(report, "progress");
        char progress[16] = "";
        if (json_is_integer(pr)) /* as text: a 0 per cent is shown too */
            snprintf(progress, sizeof progress, "%lld %%", (long long)json_integer_value(pr));
        rep = json_pack("{s:O, s:o, s:O, s:O, s:O, s:o}", "status", json_object_get(report, "status"),
                        "status_label", status_label(r, json_object_get(report, "status")),
                        "progress", json_object_get(report, "progress"), "comment",
                        json_object_get(report, "comment"), "author",
                        json_object_get(report, "author"), "day", at);
        json_object_set_new(rep, "progress_text", progress[0] ? json_string(progress) : json_null());
    }
    json_t *prev = json_object_get(row, "previous_status");
    json_t *v = json_pack(
        "{s:s, s:O, s:s, s:O, s:O, s:s, s:s, s:s, s:s, s:s, s:b, s:o, s:o, s:O, s:o, s:O, s:o,"
        " s:b}",
        "measure_id", id, "title", json_object_get(row, "title"), "url", url, "plan_name",
        json_object_get(row, "plan_name"), "units", json_object_get(row, "units"), "prefix", prefix,
        "status_name", "", "progress_name", "", "comment_name", "", "legend_id", "", "missing",
        !json_is_object(report), "report", rep, "previous_status_label", status_label(r, prev),
        "previous_period", json_object_get(row, "previous_period"), "statuses",
        status_options(r, prefix, str(values, "status")), "values", values, "err", err,
        "has_errors", json_object_size(err) > 0);
    char name[300];
    snprintf(name, sizeof name, "status-%s", id);
    json_object_set_new(v, "status_name", json_string(name));
    snprintf(name, sizeof name, "progress-%s", id);
    json_object_set_new(v, "progress_name", json_string(name));
    snprintf(name, sizeof name, "comment-%s", id);
    json_object_set_new(v, "comment_name", json_string(name));
    snprintf(name, sizeof name, "%s-legend", prefix);
    json_object_set_new(v, "legend_id", json_string(name));
    json_decref(values);
    return v;
}

static json_t *unit_options(json_t *units, const char *selected, const char *all_label)
{
    json_t *out = json_array();
    json_array_append_new(out, json_pack("{s:s, s:s, s:b}", "value", "", "label", all_label,
                                         "selected", selected == NULL));
    size_t i;
    json_t *u;
    json_array_foreach(units, i, u)
        json_array_append_new(out, json_pack("{s:O, s:O, s:b}", "value", json_object_get(u, "id"),
                                             "label", json_object_get(u, "name"), "selected",
                                             selected && strcmp(selected, str(u, "id")) == 0));
    return out;
}

/* Loads what the form shows: the units and the rows, narrowed by ?enhet=. */
static int load_rows(pv_req *r, followup_period p, json_t **units, const char **unit,
                     json_t **rows)
{
    if (store_report_units(r->w->db, r->user->id, reports_all(r), units) != 0)
        return 500;
    *unit = unit_filter(r, *units);
    if (store_report_rows(r->w->db, p, r->user->id, reports_all(r), *unit, rows) != 0) {
        json_decref(*units);
        return 500;
    }
    return 0;
}

static int build_form(pv_req *r, followup_period p, const form_state *fs, int status,
                      json_t **vm_out)
{
    bool closed;
    json_t *units, *rows;
    const char *unit;
    if (store_period_closed(r->w->db, p, &closed) != 0)
        return 500;
    int rc = load_rows(r, p, &units, &unit, &rows);
    if (rc)
        return rc;
    char text[FOLLOWUP_PERIOD_TEXT], action[200], close_action[200];
    followup_period_format(p, text);
    bool opened = followup_period_opened(p, today());
    if (unit)
        snprintf(action, sizeof action, "/arbeid/rapportering/%s?enhet=%s", text, unit);
    else
        snprintf(action, sizeof action, "/arbeid/rapportering/%s", text);
    snprintf(close_action, sizeof close_action, "/arbeid/rapportering/%s/lukk", text);
    json_t *list = json_array(), *summary = json_array();
    size_t i, missing = 0;
    json_t *row;
    json_array_foreach(rows, i, row) {
        missing += !json_is_object(json_object_get(row, "report"));
        json_array_append_new(list, row_view(r, row, i, fs, summary));
    }
    if (fs->close_error)
        json_array_append_new(summary, json_pack("{s:s, s:s, s:s}", "label",
                                                 T(r, "Lukk perioden"), "message",
                                                 T(r, fs->close_error), "anchor", "f-bekreft"));
    const char *saved = url_query_get(&r->query, "lagret");
    bool has_saved = saved && *saved && strlen(saved) < 6 &&
                     strspn(saved, "0123456789") == strlen(saved);
    json_t *vm = json_pack(
        "{s:s, s:o, s:i, s:s, s:b, s:b, s:b, s:b, s:s, s:s, s:o, s:I, s:I, s:I, s:b, s:b, s:o,"
        " s:b, s:b}",
        "period", text, "period_label", period_label(r, p), "year", p.year, "code",
        followup_period_code(p.kind), "closed", closed, "opened", opened, "read_only",
        closed || !opened, "can_close", reports_all(r) && !closed && opened, "action", action,
        "close_action", close_action, "rows", list, "total", (json_int_t)json_array_size(rows),
        "missing", (json_int_t)missing, "reported", (json_int_t)(json_array_size(rows) - missing),
        "has_rows", json_array_size(rows) > 0, "has_errors", json_array_size(summary) > 0,
        "errors", summary, "show_filter", json_array_size(units) > 1, "closed_now",
        portfolio_flag(r, "lukket"));
    json_object_set_new(vm, "units", unit_options(units, unit, T(r, "Alle enheter")));
    json_object_set_new(vm, "unit", unit ? json_string(unit) : json_null());
    json_object_set_new(vm, "has_saved", json_boolean(has_saved));
    json_object_set_new(vm, "saved", has_saved ? json_integer(strtol(saved, NULL, 10)) : json_null());
    json_object_set_new(vm, "notice", fs->notice ? json_string(fs->notice) : json_null());
    json_object_set_new(vm, "close_error",
                        fs->close_error ? json_string(T(r, fs->close_error)) : json_null());
    json_decref(units);
    json_decref(rows);
    *vm_out = vm;
    return status;
}

static int parse_period(pv_req *r, followup_period *p)
{
    return followup_period_parse(r->params[0], p) == 0 ? 0 : 404;
}

int page_staff_report_form(pv_req *r, json_t **vm)
{
    followup_period p;
    if (parse_period(r, &p))
        return 404;
    form_state fs = {0};
    return build_form(r, p, &fs, 200, vm);
}

/* ---------------------------------------------------------------- saving the form */

/* Progress as typed: "" → -1; a whole number 0..100; else -2. */
static int parse_progress(const char *s)
{
    while (s && (*s == ' ' || *s == '\t'))
        s++;
    if (!s || !*s)
        return -1;
    char *end;
    long v = strtol(s, &end, 10);
    while (*end == ' ' || *end == '\t')
        end++;
    if (*end || end == s || v < 0 || v > 100)
        return -2;
    return (int)v;
}

static void page_error(json_t *errors, const char *measure_id, const char *field,
                       const char *msgid)
{
    json_array_append_new(errors, json_pack("{s:s, s:s, s:s}", "measure_id", measure_id, "field",
                                            field, "message", msgid));
}

/* Whether the typed values say the same as the stored report (or as nothing at all). */
static bool untouched(json_t *report, const char *status, int progress, const char *comment)
{
    if (!json_is_object(report))
        return !*status && progress == -1 && !*comment;
    json_t *p = json_object_get(report, "progress");
    const char *c = str(report, "comment");
    return strcmp(status, str(report, "status")) == 0 &&
           (json_is_integer(p) ? json_integer_value(p) == progress : progress == -1) &&
           strcmp(comment, c ? c : "") == 0;
}

/* Reads the rows of the form: the values to show again, the inputs of the rows that were
 * changed (strings borrowed from values), the page's own errors. Returns how many inputs. */
static size_t read_form(pv_req *r, json_t *rows, json_t *values, report_input *in,
                        json_t *errors)
{
    size_t n = 0, i;
    json_t *row;
    json_array_foreach(rows, i, row) {
        const char *id = str(row, "measure_id");
        char name[300];
        snprintf(name, sizeof name, "status-%s", id);
        const char *status = url_query_get(&r->form, name);
        snprintf(name, sizeof name, "progress-%s", id);
        const char *progress_text = url_query_get(&r->form, name);
        snprintf(name, sizeof name, "comment-%s", id);
        const char *comment = url_query_get(&r->form, name);
        json_object_set_new(values, id, json_pack("{s:s, s:s, s:s}", "status", status ? status : "",
                                                  "progress", progress_text ? progress_text : "",
                                                  "comment", comment ? comment : ""));
        json_t *v = json_object_get(values, id);
        int progress = parse_progress(progress_text);
        if (progress == -2) {
            page_error(errors, id, "progress", N_("Skriv fremdriften som et helt tall fra 0 til 100."));
            continue;
        }
        if (untouched(json_object_get(row, "report"), str(v, "status"), progress, str(v, "comment")))
            continue;
        if (!*str(v, "status")) {
            page_error(errors, id, "status", N_("Velg en status for tiltaket."));
            continue;
        }
        in[n++] = (report_input){id, str(v, "status"), progress, str(v, "comment")};
    }
    return n;
}

static int conflict(pv_req *r, followup_period p, json_t *values, json_t **vm)
{
    form_state fs = {values, NULL, NULL,
                     T(r, "Perioden er lukket eller ikke åpnet ennå, så rapportene kan ikke endres.")};
    r->error = fs.notice;
    return build_form(r, p, &fs, 409, vm);
}

int page_staff_report_save(pv_req *r, json_t **vm)
{
    followup_period p;
    if (parse_period(r, &p))
        return 404;
    bool closed;
    if (store_period_closed(r->w->db, p, &closed) != 0)
        return 500;
    if (closed || !followup_period_opened(p, today()))
        return conflict(r, p, NULL, vm);
    json_t *units, *rows;
    const char *unit;
    int rc = load_rows(r, p, &units, &unit, &rows);
    if (rc)
        return rc;
    json_t *values = json_object(), *errors = json_array();
    report_input *in = pv_calloc(json_array_size(rows) + 1, sizeof *in);
    size_t n = read_form(r, rows, values, in, errors);
    int saved = 0, status;
    rc = json_array_size(errors) ? PV_EINVAL : PV_OK;
    if (rc == 0 && n > 0) {
        actor who = portfolio_actor(r);
        rc = store_reports_save(r->w->db, &who, session_now(), today(), p, reports_all(r), in, n,
                                errors, &saved);
    }
    if (rc == 0) {
        char url[300], text[FOLLOWUP_PERIOD_TEXT];
        followup_period_format(p, text);
        snprintf(url, sizeof url, "/arbeid/rapportering/%s?lagret=%d%s%s", text, saved,
                 unit ? "&enhet=" : "", unit ? unit : "");
        status = portfolio_redirect(r, vm, url);
    } else if (rc == PV_EINVAL) {
        form_state fs = {values, errors, NULL, NULL};
        status = build_form(r, p, &fs, 422, vm);
    } else if (rc == PV_ECONFLICT) {
        status = conflict(r, p, values, vm);
    } else {
        status = 500;
    }
    free(in);
    json_decref(values);
    json_decref(errors);
    json_decref(units);
    json_decref(rows);
    return status;
}

int page_staff_period_close(pv_req *r, json_t **vm)
{
    followup_period p;
    if (parse_period(r, &p))
        return 404;
    const char *confirm = url_query_get(&r->form, "bekreft");
    if (!confirm || strcmp(confirm, "1") != 0) {
        form_state fs = {NULL, NULL, N_("Kryss av for at du har sjekket rapportene."), NULL};
        return build_form(r, p, &fs, 422, vm);
    }
    actor who = portfolio_actor(r);
    int rc = store_period_close(r->w->db, &who, session_now(), today(), p);
    if (rc == PV_ECONFLICT)
        return conflict(r, p, NULL, vm);
    if (rc != 0)
        return 500;
    char url[200], text[FOLLOWUP_PERIOD_TEXT];
    followup_period_format(p, text);
    snprintf(url, sizeof url, "/arbeid/rapportering/%s?lukket=1", text);
    return portfolio_redirect(r, vm, url);
}

/* ---------------------------------------------------------------- the API */

static int bad_request(pv_req *r, json_t *errors, json_t **vm)
{
    *vm = portfolio_problem(r, errors);
    return 400;
}

int page_api_reports(pv_req *r, json_t **vm)
{
    followup_period p;
    const char *text = url_query_get(&r->query, "period");
    if (!text || followup_period_parse(text, &p) != 0) {
        json_t *errors = json_array();
        field_error(errors, "period", N_("Oppgi perioden som år og periode, for eksempel 2026-t1."), NULL);
        int status = bad_request(r, errors, vm);
        json_decref(errors);
        return status;
    }
    bool closed;
    json_t *units, *rows;
    const char *unit;
    if (store_period_closed(r->w->db, p, &closed) != 0)
        return 500;
    int rc = load_rows(r, p, &units, &unit, &rows);
    if (rc)
        return rc;
    char code[FOLLOWUP_PERIOD_TEXT];
    followup_period_format(p, code);
    bool open = !closed && followup_period_opened(p, today());
    *vm = json_pack("{s:s, s:b, s:b, s:o, s:o}", "period", code, "closed", closed, "open", open,
                    "unit", unit ? json_string(unit) : json_null(), "reports", rows);
    json_decref(units);
    return 200;
}

/* The input of a JSON report; errors for what has the wrong type. */
static void json_report(json_t *body, report_input *in, json_t *errors)
{
    json_t *status = json_object_get(body, "status");
    json_t *progress = json_object_get(body, "progress");
    json_t *comment = json_object_get(body, "comment");
    in->status = json_string_value(status);
    if (!in->status)
        field_error(errors, "status", N_("Velg en status for tiltaket."), NULL);
    in->progress = -1;
    if (json_is_integer(progress) && json_integer_value(progress) >= 0 &&
        json_integer_value(progress) <= 100)
        in->progress = (int)json_integer_value(progress);
    else if (progress && !json_is_null(progress))
        field_error(errors, "progress", N_("Skriv fremdriften som et helt tall fra 0 til 100."), NULL);
    in->comment = json_string_value(comment);
    if (comment && !json_is_null(comment) && !in->comment)
        field_error(errors, "comment", N_("Kommentaren må være tekst."), NULL);
}

int page_api_report_create(pv_req *r, json_t **vm)
{
    int needs = page_needs_json(r);
    if (needs)
        return needs;
    json_t *errors = json_array();
    followup_period p;
    const char *text = json_string_value(json_object_get(r->body, "period"));
    if (!text || followup_period_parse(text, &p) != 0)
        field_error(errors, "period", N_("Oppgi perioden som år og periode, for eksempel 2026-t1."), NULL);
    report_input in = {r->params[0], NULL, -1, NULL};
    json_report(r->body, &in, errors);
    int status, saved = 0, rc = json_array_size(errors) ? PV_EINVAL : PV_OK;
    if (rc == 0) {
        actor who = portfolio_actor(r);
        rc = store_reports_save(r->w->db, &who, session_now(), today(), p, reports_all(r), &in, 1,
                                errors, &saved);
    }
    if (rc == PV_EINVAL) {
        const char *field = str(json_array_get(errors, 0), "field");
        if (field && strcmp(field, "measure_id") == 0) {
            /* (not the message of errors: r->error must outlive them) */
            r->error = reports_all(r) ? NULL
                                      : T(r, "Du hører ikke til en enhet som har ansvar for dette tiltaket.");
            status = reports_all(r) ? 404 : 403;
        } else {
            status = bad_request(r, errors, vm);
        }
    } else if (rc == PV_ECONFLICT) {
        r->error = T(r, "Perioden er lukket eller ikke åpnet ennå, så rapportene kan ikke endres.");
        *vm = json_pack("{s:s, s:s}", "title", T(r, "Perioden er ikke åpen for rapporter"),
                        "detail", r->error);
        status = 409;
    } else if (rc != 0) {
        status = 500;
    } else {
        json_t *report;
        if (store_report_get(r->w->db, r->params[0], p, &report) != 0) {
            status = 500;
        } else {
            char url[300];
            snprintf(url, sizeof url, "/api/v1/measures/%s", r->params[0]);
            status = portfolio_created(r, url, json_pack("{s:o, s:b}", "report", report, "changed",
                                                         saved > 0));
        }
    }
    json_decref(errors);
    return status;
}
