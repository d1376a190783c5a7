/* The public summary of a process («Dette sa dere – dette gjorde vi») and the staff's
 * merknadsbehandling: the table for the political case, as a printable page and as CSV.
 * Layer: pages. Reads through store/summary.h and groups with domain/merknad.h; the public
 * page gets no personal data from the store, so it cannot show any. */
#include "pages/summary.h"

#include <stdio.h>
#include <string.h>

#include "domain/assessment.h"
#include "domain/input.h"
#include "domain/merknad.h"
#include "domain/plan.h"
#include "export/csv.h"
#include "http/request.h"
#include "pages/pages.h"
#include "pages/staff_inputs.h"
#include "store/processes.h"
#include "store/summary.h"

static const char *str(json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

/* ---------------------------------------------------------------- labels */

static const char *channel_label(pv_req *r, const char *c)
{
    return T(r, input_channel_label(c));
}

static const char *outcome_label(pv_req *r, const char *o)
{
    return o ? T(r, assessment_outcome_label(o)) : T(r, "Ikke vurdert");
}

static const char *sender_label(pv_req *r, const char *s)
{
    return T(r, input_sender_label(s ? s : "privatperson"));
}

/* ---------------------------------------------------------------- the process */

/* The process {slug} as {id, title, url, public_url, staff_url, status}. 0, 404 or 500. */
static int load_process(pv_req *r, json_t **out)
{
    const char *id = r->params[0];
    if (!plan_id_valid(id))
        return 404;
    json_t *p;
    int rc = store_process_get(r->w->db, id, &p);
    if (rc == PV_ENOTFOUND) {
        r->error = T(r, "Vi finner ingen medvirkningsprosess med denne adressen.");
        return 404;
    }
    if (rc != 0)
        return 500;
    char url[240];
    json_t *h = json_pack("{s:s, s:O, s:O}", "id", id, "title", json_object_get(p, "title"),
                          "status", json_object_get(p, "status"));
    snprintf(url, sizeof url, "/medvirkning/%s", id);
    json_object_set_new(h, "public_url", json_string(url));
    snprintf(url, sizeof url, "/medvirkning/%s/oppsummering", id);
    json_object_set_new(h, "summary_url", json_string(url));
    snprintf(url, sizeof url, "/arbeid/prosesser/%s", id);
    json_object_set_new(h, "staff_url", json_string(url));
    snprintf(url, sizeof url, "/arbeid/prosesser/%s/innspill", id);
    json_object_set_new(h, "inputs_url", json_string(url));
    snprintf(url, sizeof url, "/arbeid/prosesser/%s/merknadsbehandling", id);
    json_object_set_new(h, "merknad_url", json_string(url));
    snprintf(url, sizeof url, "/arbeid/prosesser/%s/merknadsbehandling.csv", id);
    json_object_set_new(h, "csv_url", json_string(url));
    json_decref(p);
    *out = h;
    return 0;
}

/* ---------------------------------------------------------------- the summary */

static json_t *labelled_counts(pv_req *r, json_t *rows, const char *key,
                               const char *(*label)(pv_req *, const char *))
{
    json_t *out = json_array();
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row) {
        const char *text = label ? label(r, str(row, key)) : str(row, key);
        json_array_append_new(out, json_pack("{s:O, s:s, s:O}", "value", json_object_get(row, key),
                                             "label", text ? text : "", "count",
                                             json_object_get(row, "count")));
    }
    return out;
}

static json_t *public_input(pv_req *r, json_t *in)
{
    json_t *v = json_pack("{s:O, s:o, s:s, s:s, s:O, s:o, s:O, s:b}", "id",
                          json_object_get(in, "id"), "paragraphs", staff_inputs_paragraphs(str(in, "text")),
                          "channel_label", channel_label(r, str(in, "channel")), "sender_label",
                          sender_label(r, str(in, "sender_type")), "on_behalf_of",
                          json_object_get(in, "on_behalf_of"), "received_on",
                          page_day(json_object_get(in, "received_at")), "themes",
                          json_object_get(in, "themes"), "has_themes",
                          json_array_size(json_object_get(in, "themes")) > 0);
    char anchor[40];
    snprintf(anchor, sizeof anchor, "innspill-%lld",
             (long long)json_integer_value(json_object_get(in, "id")));
    json_object_set_new(v, "anchor", json_string(anchor));
    json_t *a = json_object_get(in, "assessment");
    if (json_is_object(a)) {
        json_t *av = json_pack("{s:O, s:s, s:o, s:O, s:b}", "outcome", json_object_get(a, "outcome"),
                               "outcome_label", outcome_label(r, str(a, "outcome")),
                               "justification", staff_inputs_paragraphs(str(a, "justification")), "links",
                               json_object_get(a, "links"), "has_links",
                               json_array_size(json_object_get(a, "links")) > 0);
        json_object_set_new(v, "assessment", av);
    } else {
        json_object_set_new(v, "assessment", json_null());
    }
    return v;
}

int page_summary(pv_req *r, json_t **vm)
{
    json_t *head, *sum;
    int status = load_process(r, &head);
    if (status != 0)
        return status;
    json_object_del(head, "staff_url");
    json_object_del(head, "inputs_url");
    json_object_del(head, "merknad_url");
    json_object_del(head, "csv_url");
    if (store_summary_get(r->w->db, str(head, "id"), &sum) != 0) {
        json_decref(head);
        return 500;
    }
    json_t *inputs = json_array();
    size_t i;
    json_t *in;
    json_array_foreach(json_object_get(sum, "inputs"), i, in)
        json_array_append_new(inputs, public_input(r, in));
    json_t *themes = labelled_counts(r, json_object_get(sum, "themes"), "name", NULL);
    json_t *channels = labelled_counts(r, json_object_get(sum, "channels"), "channel",
                                       channel_label);
    json_t *outcomes = labelled_counts(r, json_object_get(sum, "outcomes"), "outcome",
                                       outcome_label);
    *vm = json_pack("{s:o, s:O, s:o, s:b, s:o, s:b, s:o, s:o, s:b, s:I}", "process", head,
                    "total", json_object_get(sum, "total"), "themes", themes, "has_themes",
                    json_array_size(themes) > 0, "channels", channels, "has_inputs",
                    json_array_size(inputs) > 0, "outcomes", outcomes, "inputs", inputs,
                    "has_any", json_integer_value(json_object_get(sum, "total")) > 0,
                    "published", (json_int_t)json_array_size(inputs));
    json_decref(sum);
    json_object_set_new(*vm, "section", json_pack("{s:b}", "participation", true));
    return 200;
}

/* ---------------------------------------------------------------- merknadsbehandling */

static json_t *senders_text(pv_req *r, json_t *senders)
{
    buf b = BUF_INIT;
    size_t i;
    json_t *s;
    json_array_foreach(senders, i, s) {
        if (i)
            buf_puts(&b, "; ");
        json_int_t n = json_integer_value(json_object_get(s, "count"));
        const char *name = str(s, "name");
        if (strcmp(str(s, "type"), "privatperson") == 0) {
            if (n > 1)
                buf_printf(&b, "%lld %s", (long long)n, T(r, "privatpersoner"));
            else
                buf_puts(&b, T(r, "privatperson"));
        } else {
            buf_puts(&b, name ? name : sender_label(r, str(s, "type")));
            if (n > 1)
                buf_printf(&b, " (%lld)", (long long)n);
        }
    }
    json_t *out = json_string(buf_cstr(&b));
    buf_finish(&b);
    return out;
}

static json_t *merknad_view(pv_req *r, json_t *g, size_t number)
{
    const char *theme = str(g, "theme");
    json_t *v = json_pack(
        "{s:I, s:s, s:o, s:O, s:o, s:o, s:O, s:s, s:b, s:o, s:O}", "number", (json_int_t)number,
        "theme", theme ? theme : T(r, "Uten tema"), "senders", senders_text(r, json_object_get(g, "senders")),
        "summary", json_object_get(g, "summary"), "summary_paragraphs",
        staff_inputs_paragraphs(str(g, "summary")), "justification_paragraphs",
        staff_inputs_paragraphs(str(g, "justification")), "justification", json_object_get(g, "justification"),
        "outcome_label", outcome_label(r, str(g, "outcome")), "not_assessed",
        !json_is_string(json_object_get(g, "outcome")), "received_on",
        page_day(json_object_get(g, "received_at")), "input_ids", json_object_get(g, "input_ids"));
    json_object_set(v, "outcome", json_object_get(g, "outcome"));
    json_object_set(v, "assessment_id", json_object_get(g, "assessment_id"));
    return v;
}

/* The process head and its merknadsbehandling rows. 0, 404 or 500. */
static int merknad_load(pv_req *r, json_t **head, json_t **rows)
{
    int status = load_process(r, head);
    if (status != 0)
        return status;
    json_t *raw;
    if (store_merknad_rows(r->w->db, str(*head, "id"), &raw) != 0) {
        json_decref(*head);
        return 500;
    }
    json_t *groups = merknad_group(raw);
    json_decref(raw);
    *rows = json_array();
    size_t i;
    json_t *g;
    json_array_foreach(groups, i, g)
        json_array_append_new(*rows, merknad_view(r, g, i + 1));
    json_decref(groups);
    return 0;
}

int page_merknad(pv_req *r, json_t **vm)
{
    json_t *head, *rows;
    int status = merknad_load(r, &head, &rows);
    if (status != 0)
        return status;
    size_t open = 0, i;
    json_t *row;
    json_array_foreach(rows, i, row)
        open += json_is_true(json_object_get(row, "not_assessed"));
    *vm = json_pack("{s:o, s:o, s:b, s:I, s:I}", "process", head, "rows", rows, "has_rows",
                    json_array_size(rows) > 0, "count", (json_int_t)json_array_size(rows),
                    "not_assessed", (json_int_t)open);
    return 200;
}

void summary_merknad_csv(pv_req *r, json_t *rows, buf *out)
{
    buf_puts(out, CSV_BOM);
    const char *header[] = {T(r, "Nr."),      T(r, "Tema"),        T(r, "Avsender"),
                            T(r, "Mottatt"),  T(r, "Sammendrag av merknaden"),
                            T(r, "Kommunedirektørens vurdering"), T(r, "Konklusjon")};
    csv_record(out, header, PV_ARRAY_LEN(header), ',');
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row) {
        char number[24];
        snprintf(number, sizeof number, "%zu", i + 1);
        const char *fields[] = {number,
                                str(row, "theme"),
                                str(row, "senders"),
                                str(row, "received_on"),
                                str(row, "summary"),
                                str(row, "justification"),
                                str(row, "outcome_label")};
        csv_record(out, fields, PV_ARRAY_LEN(fields), ',');
    }
}

int page_merknad_csv(pv_req *r, json_t **vm)
{
    (void)vm;
    json_t *head, *rows;
    int status = merknad_load(r, &head, &rows);
    if (status != 0)
        return status;
    buf out = BUF_INIT;
    summary_merknad_csv(r, rows, &out);
    char disposition[300];
    snprintf(disposition, sizeof disposition,
             "attachment; filename=\"merknadsbehandling-%s.csv\"", str(head, "id"));
    http_set_header(r->ev, "Content-Disposition", disposition);
    http_set_header(r->ev, "Cache-Control", "no-store");
    http_set_header(r->ev, "X-Content-Type-Options", "nosniff");
    bool only_head = strcmp(r->method, "HEAD") == 0;
    http_send(r->ev, 200, "text/csv; charset=utf-8", only_head ? NULL : out.data,
              only_head ? 0 : out.len);
    buf_finish(&out);
    json_decref(head);
    json_decref(rows);
    return 0;
}
