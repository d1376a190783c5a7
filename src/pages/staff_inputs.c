/* The staff's inputs pages: the list of a process's inputs with moderation, and the form
 * that registers inputs from letters, e-mails, calls, meetings, councils and surveys — one
 * at a time, or a meeting's notes as one input per paragraph (previewed first, saved in one
 * transaction).
 * Layer: pages. A form becomes the input object of domain/input.h; the store checks it
 * again inside its transaction. Contact data appear on these staff pages only. */
#include "pages/staff_inputs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/date.h"
#include "domain/assessment.h"
#include "domain/input.h"
#include "domain/plan.h"
#include "pages/pages.h"
#include "pages/portfolio.h"
#include "store/inputs.h"
#include "store/inputs_staff.h"
#include "store/processes.h"

/* The channels staff register from (the public form is "web"; SMS comes by its gateway). */
static const char *const staff_channels[] = {"brev",     "e-post", "telefon",
                                             "møte",     "workshop", "råd",
                                             "spørreundersøkelse", "meld-fra", NULL};

static const char *str(json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

static const char *form(pv_req *r, const char *key)
{
    return url_query_get(&r->form, key);
}

/* ---------------------------------------------------------------- labels */

static const char *channel_label(pv_req *r, const char *c)
{
    return T(r, input_channel_label(c));
}

static const char *sender_label(pv_req *r, const char *s)
{
    return T(r, input_sender_label(s));
}

static const char *moderation_label(pv_req *r, const char *m)
{
    if (m && strcmp(m, "ny") == 0)
        return T(r, "Ikke moderert");
    if (m && strcmp(m, "publisert") == 0)
        return T(r, "Publisert");
    if (m && strcmp(m, "avvist") == 0)
        return T(r, "Avvist");
    return m ? m : "";
}

static const char *input_status_label(pv_req *r, const char *s)
{
    if (s && strcmp(s, "mottatt") == 0)
        return T(r, "Mottatt");
    if (s && strcmp(s, "vurdert") == 0)
        return T(r, "Vurdert");
    if (s && strcmp(s, "tilbakemeldt") == 0)
        return T(r, "Tilbakemeldt");
    return s ? s : "";
}

static const char *field_label(pv_req *r, const char *field)
{
    static const struct {
        const char *field, *label;
    } labels[] = {
        {"channel", N_("Kanal")},
        {"received_on", N_("Dato mottatt")},
        {"sender_type", N_("Avsender")},
        {"on_behalf_of", N_("På vegne av")},
        {"text", N_("Innspillet")},
        {"notes", N_("Notatene")},
        {"themes", N_("Tema")},
        {"place_area", N_("Område")},
        {"place_text", N_("Sted")},
        {"name", N_("Navn")},
        {"email", N_("E-post")},
        {"phone", N_("Telefon")},
        {"consent", N_("Samtykke")},
        {"contact", N_("Kontaktopplysninger")},
        {"process", N_("Prosessen")},
    };
    for (size_t i = 0; i < PV_ARRAY_LEN(labels); i++)
        if (strcmp(labels[i].field, field) == 0)
            return T(r, labels[i].label);
    return field;
}

/* ---------------------------------------------------------------- the process */

int staff_inputs_process(pv_req *r, json_t **head, json_t **rec)
{
    const char *id = r->params[0];
    if (!plan_id_valid(id))
        return 404;
    json_t *p;
    int rc = store_process_get(r->w->db, id, &p);
    if (rc == PV_ENOTFOUND)
        return 404;
    if (rc != 0)
        return 500;
    char url[240];
    json_t *h = json_pack("{s:s, s:O, s:b}", "id", id, "title", json_object_get(p, "title"),
                          "publish_at_once", json_is_true(json_object_get(p, "publish_at_once")));
    snprintf(url, sizeof url, "/arbeid/prosesser/%s", id);
    json_object_set_new(h, "url", json_string(url));
    snprintf(url, sizeof url, "/arbeid/prosesser/%s/innspill", id);
    json_object_set_new(h, "inputs_url", json_string(url));
    snprintf(url, sizeof url, "/arbeid/prosesser/%s/innspill/ny", id);
    json_object_set_new(h, "new_url", json_string(url));
    snprintf(url, sizeof url, "/arbeid/prosesser/%s/innspill/ny?modus=notater", id);
    json_object_set_new(h, "notes_url", json_string(url));
    snprintf(url, sizeof url, "/medvirkning/%s", id);
    json_object_set_new(h, "public_url", json_string(url));
    snprintf(url, sizeof url, "/arbeid/prosesser/%s/vurdering", id);
    json_object_set_new(h, "group_url", json_string(url));
    snprintf(url, sizeof url, "/arbeid/prosesser/%s/merknadsbehandling", id);
    json_object_set_new(h, "merknad_url", json_string(url));
    *head = h;
    *rec = p;
    return 0;
}

/* Options for a <select> from a NULL-terminated list, with labels. */
static json_t *list_options(pv_req *r, const char *const *list,
                            const char *(*label)(pv_req *, const char *), const char *selected)
{
    json_t *out = json_array();
    for (size_t i = 0; list[i]; i++)
        json_array_append_new(out, json_pack("{s:s, s:s, s:b}", "value", list[i], "label",
                                             label(r, list[i]), "selected",
                                             selected && strcmp(selected, list[i]) == 0));
    return out;
}

/* ---------------------------------------------------------------- the list */

static const char *query_choice(pv_req *r, const char *key, const char *const *list)
{
    const char *v = url_query_get(&r->query, key);
    return v && input_in_list(list, v) ? v : NULL;
}

json_t *staff_inputs_paragraphs(const char *text)
{
    json_t *out = NULL;
    if (staff_inputs_split_notes(text ? text : "", &out) != 0)
        out = json_pack("[s]", text ? text : "");
    return out;
}

static json_t *input_view(pv_req *r, json_t *in, const char *inputs_url)
{
    json_t *v = json_deep_copy(in);
    json_int_t id = json_integer_value(json_object_get(in, "id"));
    const char *mod = str(in, "moderation");
    char text[300];
    snprintf(text, sizeof text, "innspill-%lld", (long long)id);
    json_object_set_new(v, "anchor", json_string(text));
    snprintf(text, sizeof text, "%s/%lld/moderering", inputs_url, (long long)id);
    json_object_set_new(v, "moderate_url", json_string(text));
    snprintf(text, sizeof text, "%s/%lld/vurdering", inputs_url, (long long)id);
    json_object_set_new(v, "assessment_url", json_string(text));
    snprintf(text, sizeof text, "%s/%lld/tilbakemelding", inputs_url, (long long)id);
    json_object_set_new(v, "feedback_url", json_string(text));
    const char *outcome = str(in, "outcome");
    json_object_set_new(v, "outcome_label",
                        outcome ? json_string(T(r, assessment_outcome_label(outcome))) : json_null());
    json_object_set_new(v, "paragraphs", staff_inputs_paragraphs(str(in, "text")));
    json_object_set_new(v, "channel_label", json_string(channel_label(r, str(in, "channel"))));
    json_object_set_new(v, "sender_label", json_string(sender_label(r, str(in, "sender_type"))));
    json_object_set_new(v, "moderation_label", json_string(moderation_label(r, mod)));
    json_object_set_new(v, "status_label", json_string(input_status_label(r, str(in, "status"))));
    json_object_set_new(v, "received_on", page_day(json_object_get(in, "received_at")));
    json_object_set_new(v, "has_themes", json_boolean(json_array_size(json_object_get(in, "themes")) > 0));
    json_t *actions = json_array();
    if (strcmp(mod, "publisert") != 0)
        json_array_append_new(actions, json_pack("{s:s, s:s, s:b}", "value", "publisert", "label",
                                                 T(r, "Publiser"), "primary", true));
    if (strcmp(mod, "avvist") != 0)
        json_array_append_new(actions, json_pack("{s:s, s:s, s:b}", "value", "avvist", "label",
                                                 T(r, "Avvis"), "primary", false));
    if (strcmp(mod, "ny") != 0)
        json_array_append_new(actions, json_pack("{s:s, s:s, s:b}", "value", "ny", "label",
                                                 T(r, "Sett tilbake til ikke moderert"),
                                                 "primary", false));
    json_object_set_new(v, "actions", actions);
    return v;
}

static const char *outcome_label(pv_req *r, const char *o)
{
    return T(r, assessment_outcome_label(o));
}

static const char *theme_label(pv_req *r, const char *t)
{
    (void)r;
    return t;
}

/* The inbox's filters of the follow-up: status, theme and outcome, each with «any» first:
 * {status_options, theme_options, outcome_options, has_theme_options}. */
static json_t *inbox_options(pv_req *r, json_t *rec, const staff_input_filter *f)
{
    json_t *statuses = list_options(r, input_statuses, input_status_label, f->status);
    json_array_insert_new(statuses, 0, json_pack("{s:s, s:s, s:b}", "value", "", "label",
                                                 T(r, "Alle"), "selected", !f->status));
    json_t *outcomes = list_options(r, assessment_outcomes, outcome_label, f->outcome);
    json_array_insert_new(outcomes, 0, json_pack("{s:s, s:s, s:b}", "value", "", "label",
                                                 T(r, "Alle"), "selected", !f->outcome));
    json_t *list = json_object_get(rec, "themes");
    size_t n = json_array_size(list), k = 0;
    const char **themes = pv_calloc(n + 1, sizeof *themes);
    for (size_t i = 0; i < n; i++)
        if (json_is_string(json_array_get(list, i)))
            themes[k++] = json_string_value(json_array_get(list, i));
    json_t *theme_options = list_options(r, themes, theme_label, f->theme);
    free(themes);
    json_array_insert_new(theme_options, 0, json_pack("{s:s, s:s, s:b}", "value", "", "label",
                                                      T(r, "Alle tema"), "selected", !f->theme));
    return json_pack("{s:o, s:o, s:o, s:b}", "status_options", statuses, "outcome_options",
                     outcomes, "theme_options", theme_options, "has_theme_options", k > 0);
}

int page_staff_inputs(pv_req *r, json_t **vm)
{
    json_t *head, *rec;
    int status = staff_inputs_process(r, &head, &rec);
    if (status != 0)
        return status;
    staff_input_filter f = {query_choice(r, "kanal", input_channels),
                            query_choice(r, "moderering", input_moderations),
                            query_choice(r, "status", input_statuses), NULL,
                            query_choice(r, "utfall", assessment_outcomes)};
    const char *theme = url_query_get(&r->query, "tema");
    if (theme && json_list_has(json_object_get(rec, "themes"), theme))
        f.theme = theme;
    json_t *follow_up = inbox_options(r, rec, &f);
    json_t *rows, *counts;
    int rc = store_inputs_staff_list(r->w->db, str(head, "id"), &f, &rows);
    json_decref(rec); /* f.theme points into it until here */
    if (rc != 0) {
        json_decref(head);
        json_decref(follow_up);
        return 500;
    }
    if (store_inputs_staff_counts(r->w->db, str(head, "id"), &counts) != 0) {
        json_decref(head);
        json_decref(rows);
        json_decref(follow_up);
        return 500;
    }
    json_t *inputs = json_array();
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
        json_array_append_new(inputs, input_view(r, row, str(head, "inputs_url")));
    json_decref(rows);
    json_t *channels = list_options(r, input_channels, channel_label, f.channel);
    json_array_insert_new(channels, 0, json_pack("{s:s, s:s, s:b}", "value", "", "label",
                                                 T(r, "Alle kanaler"), "selected", !f.channel));
    json_t *moderations = list_options(r, input_moderations, moderation_label, f.moderation);
    json_array_insert_new(moderations, 0, json_pack("{s:s, s:s, s:b}", "value", "", "label",
                                                    T(r, "Alle"), "selected", !f.moderation));
    const char *registered = url_query_get(&r->query, "registrert");
    long n_registered = 0;
    if (registered && pv_parse_long(registered, 1, STAFF_BATCH_MAX, &n_registered) != 0)
        n_registered = 0;
    const char *assessed = url_query_get(&r->query, "vurdert");
    long n_assessed = 0;
    if (assessed && pv_parse_long(assessed, 1, ASSESSMENT_GROUP_MAX, &n_assessed) != 0)
        n_assessed = 0;
    /* (0 would be a true value to the template: the messages are null when there is none) */
    *vm = json_pack("{s:o, s:o, s:o, s:I, s:b, s:o, s:o, s:b, s:o, s:b, s:o}", "process", head,
                    "counts", counts, "inputs", inputs, "count",
                    (json_int_t)json_array_size(inputs), "has_inputs", json_array_size(inputs) > 0,
                    "channel_options", channels, "moderation_options", moderations, "filtered",
                    f.channel || f.moderation || f.status || f.theme || f.outcome, "registered",
                    n_registered ? json_integer(n_registered) : json_null(), "moderated",
                    portfolio_flag(r, "moderert"), "assessed",
                    n_assessed ? json_integer(n_assessed) : json_null());
    json_object_update(*vm, follow_up);
    json_decref(follow_up);
    return 200;
}

int page_staff_input_moderate(pv_req *r, json_t **vm)
{
    const char *process_id = r->params[0];
    long id;
    if (!plan_id_valid(process_id) || r->n_params < 2 ||
        pv_parse_long(r->params[1], 1, 1L << 50, &id) != 0)
        return 404;
    const char *state = form(r, "moderation");
    if (!state || !input_in_list(input_moderations, state)) {
        r->error = T(r, "Velg om innspillet skal publiseres eller avvises.");
        return 400;
    }
    actor who = portfolio_actor(r);
    int rc = store_input_moderate(r->w->db, &who, time(NULL), process_id, id, state);
    if (rc != 0)
        return portfolio_status(rc);
    char url[300];
    snprintf(url, sizeof url, "/arbeid/prosesser/%s/innspill?moderert=1#innspill-%ld",
             process_id, id);
    return portfolio_redirect(r, vm, url);
}

/* ---------------------------------------------------------------- splitting notes */

static bool blank_line(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
            return false;
    return true;
}

/* Appends s[0..n) trimmed of blanks and line breaks to out, unless it is empty. */
static void add_paragraph(json_t *out, const char *s, size_t n)
{
    while (n && strchr(" \t\r\n", s[0]))
        s++, n--;
    while (n && strchr(" \t\r\n", s[n - 1]))
        n--;
    if (n == 0)
        return;
    /* "\r\n" → "\n" inside. */
    char *text = pv_malloc(n + 1);
    size_t o = 0;
    for (size_t i = 0; i < n; i++)
        if (!(s[i] == '\r' && i + 1 < n && s[i + 1] == '\n'))
            text[o++] = s[i];
    text[o] = '\0';
    json_array_append_new(out, json_string(text));
    free(text);
}

int staff_inputs_split_notes(const char *text, json_t **out)
{
    json_t *list = json_array();
    const char *start = text, *p = text;
    while (*p) {
        const char *eol = strchr(p, '\n');
        size_t len = eol ? (size_t)(eol - p) : strlen(p);
        if (blank_line(p, len)) {
            add_paragraph(list, start, (size_t)(p - start));
            start = eol ? eol + 1 : p + len;
        }
        p = eol ? eol + 1 : p + len;
        if (json_array_size(list) > STAFF_BATCH_MAX)
            break;
    }
    add_paragraph(list, start, (size_t)(p - start));
    if (json_array_size(list) > STAFF_BATCH_MAX) {
        json_decref(list);
        return PV_ELIMIT;
    }
    *out = list;
    return PV_OK;
}

/* ---------------------------------------------------------------- the form */

/* The texts of the form as typed, for showing it again; fresh: an empty form (today's
 * date, a private person). */
static json_t *form_values(pv_req *r, bool fresh)
{
    static const char *const fields[] = {"channel", "received_on", "sender_type", "on_behalf_of",
                                         "text", "notes", "place_area", "place_text", "name",
                                         "email", "phone", "consent"};
    json_t *values = json_object();
    for (size_t i = 0; i < PV_ARRAY_LEN(fields); i++) {
        const char *v = fresh ? NULL : form(r, fields[i]);
        json_object_set_new(values, fields[i], json_string(v ? v : ""));
    }
    json_t *themes = json_array();
    for (size_t i = 0; !fresh && i < r->form.n; i++)
        if (strcmp(r->form.items[i].key, "themes") == 0)
            json_array_append_new(themes, json_string(r->form.items[i].value));
    json_object_set_new(values, "themes", themes);
    if (fresh) {
        char today[11];
        pv_date_format(pv_date_of(time(NULL)), today);
        json_object_set_new(values, "received_on", json_string(today));
        json_object_set_new(values, "sender_type", json_string("privatperson"));
    }
    return values;
}


/* Choices from the process's own list (themes, areas). */
static json_t *own_options(json_t *list, json_t *chosen)
{
    json_t *out = json_array();
    size_t i;
    json_t *v;
    json_array_foreach(list, i, v) {
        if (!json_is_string(v))
            continue;
        const char *s = json_string_value(v);
        char id[32];
        snprintf(id, sizeof id, "%zu", i);
        json_array_append_new(out, json_pack("{s:s, s:s, s:b}", "value", s, "n", id, "selected",
                                             json_is_string(chosen)
                                                 ? strcmp(json_string_value(chosen), s) == 0
                                                 : json_list_has(chosen, s)));
    }
    return out;
}

/* Errors as the staff forms show them: a summary [{label, message, anchor}] and per field. */
static void form_errors(pv_req *r, json_t *vm, json_t *errors)
{
    json_t *list = json_array(), *by_field = json_object();
    size_t i;
    json_t *e;
    json_array_foreach(errors, i, e) {
        const char *field = str(e, "field"), *detail = str(e, "detail");
        const char *message = T(r, str(e, "message"));
        char label[200], anchor[64];
        if (strcmp(field, "notes") == 0 && detail)
            snprintf(label, sizeof label, "%s %s", T(r, "Innspill"), detail);
        else
            snprintf(label, sizeof label, "%s", field_label(r, field));
        const char *target = strcmp(field, "contact") == 0 ? "name"
                             : strcmp(field, "process") == 0 ? "channel"
                                                              : field;
        snprintf(anchor, sizeof anchor, "f-%s", target);
        if (!json_object_get(by_field, target)) {
            char text[600];
            if (strcmp(field, "notes") == 0 && detail)
                snprintf(text, sizeof text, "%s: %s", label, message);
            else
                snprintf(text, sizeof text, "%s", message);
            json_object_set_new(by_field, target, json_string(text));
        }
        json_array_append_new(list, json_pack("{s:s, s:s, s:s}", "label", label, "message",
                                              message, "anchor", anchor));
    }
    json_object_set_new(vm, "has_errors", json_boolean(json_array_size(list) > 0));
    json_object_set_new(vm, "errors", list);
    json_object_set_new(vm, "err", by_field);
}

/* The notes as a preview list: [{n, text, error?}]. */
static json_t *notes_preview(pv_req *r, json_t *notes, json_t *errors)
{
    json_t *out = json_array();
    size_t i, j;
    json_t *note, *e;
    json_array_foreach(notes, i, note) {
        char n[24];
        snprintf(n, sizeof n, "%zu", i + 1);
        json_t *item = json_pack("{s:s, s:O, s:o}", "n", n, "text", note, "paragraphs",
                                 json_pack("[O]", note));
        json_array_foreach(errors, j, e)
            if (str(e, "detail") && strcmp(str(e, "detail"), n) == 0 &&
                strcmp(str(e, "field"), "notes") == 0 && !json_object_get(item, "error"))
                json_object_set_new(item, "error", json_string(T(r, str(e, "message"))));
        json_array_append_new(out, item);
    }
    return out;
}

typedef struct form_state {
    bool notes_mode;
    json_t *values;   /* texts as typed */
    json_t *errors;   /* [{field, message, detail?}] */
    json_t *notes;    /* the split notes (notes mode, after a preview), or NULL */
    bool changed;     /* the notes changed since the preview that was saved */
    const char *code; /* the receipt code of a saved single input */
    json_int_t saved_id;
} form_state;

static json_t *form_vm(pv_req *r, json_t *head, json_t *rec, form_state *fs)
{
    json_t *values = fs->values;
    json_t *options = json_pack(
        "{s:o, s:o, s:o, s:o}", "channels",
        list_options(r, staff_channels, channel_label, str(values, "channel")), "sender_types",
        list_options(r, input_sender_types, sender_label, str(values, "sender_type")),
        "themes", own_options(json_object_get(rec, "themes"), json_object_get(values, "themes")),
        "areas", own_options(json_object_get(rec, "areas"), json_object_get(values, "place_area")));
    json_t *vm = json_pack("{s:o, s:O, s:o, s:b, s:b, s:b, s:b}", "process", head, "values",
                           values, "options", options, "notes_mode", fs->notes_mode,
                           "has_themes", json_array_size(json_object_get(rec, "themes")) > 0,
                           "has_areas", json_array_size(json_object_get(rec, "areas")) > 0,
                           "consent_checked", str(values, "consent") && *str(values, "consent"));
    form_errors(r, vm, fs->errors);
    if (fs->notes) {
        json_object_set_new(vm, "preview", json_true());
        json_object_set_new(vm, "notes", notes_preview(r, fs->notes, fs->errors));
        json_object_set_new(vm, "note_count", json_integer((json_int_t)json_array_size(fs->notes)));
        json_object_set_new(vm, "notes_changed", json_boolean(fs->changed));
    }
    if (fs->code)
        json_object_set_new(vm, "saved", json_pack("{s:s, s:I}", "code", fs->code, "id",
                                                   fs->saved_id));
    return vm;
}

int page_staff_input_new(pv_req *r, json_t **vm)
{
    json_t *head, *rec;
    int status = staff_inputs_process(r, &head, &rec);
    if (status != 0)
        return status;
    const char *mode = url_query_get(&r->query, "modus");
    form_state fs = {.notes_mode = mode && strcmp(mode, "notater") == 0,
                     .values = form_values(r, true), .errors = json_array()};
    *vm = form_vm(r, head, rec, &fs);
    json_decref(fs.values);
    json_decref(fs.errors);
    json_decref(rec);
    return 200;
}

/* The date received: required, a real day, not after today. Local noon of that day (a
 * moment inside the day in every time zone rule) into *at. */
static void check_received(pv_req *r, json_t *errors, int64_t *at)
{
    const char *v = form(r, "received_on");
    pv_date d;
    if (!v || !*v) {
        field_error(errors, "received_on", N_("Skriv datoen innspillet kom inn."), NULL);
    } else if (pv_parse_date(v, &d) != 0) {
        field_error(errors, "received_on",
                    N_("Skriv datoen som åååå-mm-dd, for eksempel 2025-03-14."), NULL);
    } else {
        pv_date today = pv_date_of(time(NULL));
        if (d.year * 10000 + d.month * 100 + d.day >
            today.year * 10000 + today.month * 100 + today.day)
            field_error(errors, "received_on", N_("Datoen kan ikke være senere enn i dag."), NULL);
        else
            *at = pv_date_local(d, 12, 0, 0);
    }
}

/* The fields every input of the form shares, as an input object (domain/input.h). */
static json_t *common_input(pv_req *r, json_t *errors)
{
    json_t *in = json_object();
    const char *channel = form(r, "channel");
    if (!channel || !input_in_list(staff_channels, channel))
        field_error(errors, "channel", N_("Velg kanalen innspillet kom gjennom."), NULL);
    else
        json_object_set_new(in, "channel", json_string(channel));
    static const char *const texts[] = {"sender_type", "on_behalf_of", "place_area",
                                        "place_text"};
    for (size_t i = 0; i < PV_ARRAY_LEN(texts); i++) {
        const char *v = form(r, texts[i]);
        if (v && *v)
            json_object_set_new(in, texts[i], json_string(v));
    }
    json_t *themes = json_array();
    for (size_t i = 0; i < r->form.n; i++)
        if (strcmp(r->form.items[i].key, "themes") == 0)
            json_array_append_new(themes, json_string(r->form.items[i].value));
    json_object_set_new(in, "themes", themes);
    return in;
}

/* Checks an input without storing it (for the errors of a form that is not saved). */
static void check_only(json_t *in, json_t *rec, json_t *errors)
{
    input_normalize(in);
    input_context ctx = {json_object_get(rec, "themes"), json_object_get(rec, "areas"), true};
    input_check(in, &ctx, errors);
}

static int create_single(pv_req *r, json_t *rec, form_state *fs, int64_t received,
                         char code[RECEIPT_CODE_CHARS + 1])
{
    json_t *in = common_input(r, fs->errors);
    static const char *const own[] = {"text", "name", "email", "phone", "consent"};
    for (size_t i = 0; i < PV_ARRAY_LEN(own); i++) {
        const char *v = form(r, own[i]);
        if (v && *v)
            json_object_set_new(in, own[i], json_string(v));
    }
    if (!json_object_get(in, "text"))
        json_object_set_new(in, "text", json_string(""));
    int rc = PV_EINVAL;
    if (json_array_size(fs->errors) > 0) {
        check_only(in, rec, fs->errors);
    } else {
        actor who = portfolio_actor(r);
        input_meta meta = {str(rec, "id"), received, &who, NULL};
        int64_t id = 0;
        rc = store_input_insert(r->w->db, &meta, time(NULL), in, fs->errors, code, &id);
        fs->saved_id = id;
    }
    json_decref(in);
    return rc;
}

/* The inputs of the notes: the shared fields with each paragraph's text. */
static json_t *note_inputs(pv_req *r, json_t *notes, json_t *errors)
{
    json_t *common = common_input(r, errors);
    json_t *list = json_array();
    size_t i;
    json_t *note;
    json_array_foreach(notes, i, note) {
        json_t *in = json_deep_copy(common);
        json_object_set(in, "text", note);
        json_array_append_new(list, in);
    }
    json_decref(common);
    return list;
}

static int create_notes(pv_req *r, json_t *rec, form_state *fs, int64_t received,
                        bool save, json_t **vm)
{
    const char *text = form(r, "notes");
    if (staff_inputs_split_notes(text ? text : "", &fs->notes) != 0) {
        fs->notes = NULL;
        field_error(fs->errors, "notes",
                    N_("Det blir for mange innspill på én gang. Del notatene opp og registrer høyst 100 om gangen."),
                    NULL);
        return PV_EINVAL;
    }
    if (json_array_size(fs->notes) == 0) {
        field_error(fs->errors, "notes", N_("Lim inn notatene, med en tom linje mellom hvert innspill."), NULL);
        json_decref(fs->notes);
        fs->notes = NULL;
        return PV_EINVAL;
    }
    json_t *inputs = note_inputs(r, fs->notes, fs->errors);
    long expected = 0;
    const char *count = form(r, "count");
    fs->changed = save && (!count || pv_parse_long(count, 1, STAFF_BATCH_MAX, &expected) != 0 ||
                           (size_t)expected != json_array_size(fs->notes));
    int rc = PV_EINVAL;
    if (!save || fs->changed || json_array_size(fs->errors) > 0) {
        /* A preview (or a save that cannot go ahead): every note is checked, nothing stored. */
        size_t i;
        json_t *in;
        json_array_foreach(inputs, i, in) {
            json_t *own = json_array();
            check_only(in, rec, own);
            size_t j;
            json_t *e;
            char n[24];
            snprintf(n, sizeof n, "%zu", i + 1);
            json_array_foreach(own, j, e)
                if (strcmp(str(e, "field"), "text") == 0)
                    json_array_append_new(fs->errors, json_pack("{s:s, s:O, s:s}", "field",
                                                                 "notes", "message",
                                                                 json_object_get(e, "message"),
                                                                 "detail", n));
                else
                    field_error(fs->errors, str(e, "field"), str(e, "message"), NULL);
            json_decref(own);
        }
    } else {
        actor who = portfolio_actor(r);
        char batch[STAFF_BATCH_ID_CHARS + 1];
        rc = store_inputs_register_batch(r->w->db, &who, str(rec, "id"), received, time(NULL),
                                         inputs, fs->errors, batch);
        if (rc == 0) {
            char url[300];
            snprintf(url, sizeof url, "/arbeid/prosesser/%s/innspill?registrert=%zu",
                     str(rec, "id"), json_array_size(inputs));
            json_decref(inputs);
            portfolio_redirect(r, vm, url);
            return PV_OK;
        }
    }
    json_decref(inputs);
    return rc;
}

int page_staff_input_create(pv_req *r, json_t **vm)
{
    json_t *head, *rec;
    int status = staff_inputs_process(r, &head, &rec);
    if (status != 0)
        return status;
    const char *mode = form(r, "mode"), *action = form(r, "action");
    form_state fs = {.notes_mode = mode && strcmp(mode, "notater") == 0,
                     .values = form_values(r, false), .errors = json_array()};
    int64_t received = 0;
    check_received(r, fs.errors, &received);
    char code[RECEIPT_CODE_CHARS + 1];
    int rc;
    if (fs.notes_mode) {
        bool save = action && strcmp(action, "save") == 0;
        rc = create_notes(r, rec, &fs, received, save, vm);
        /* saved: *vm is the redirect; a clean preview: 200; else the form with errors */
        status = rc == 0 ? 303
                 : rc != PV_EINVAL ? portfolio_status(rc)
                 : json_array_size(fs.errors) == 0 && !fs.changed ? 200
                                                                   : 422;
    } else {
        rc = create_single(r, rec, &fs, received, code);
        if (rc == 0) { /* saved: the form again, empty, with the receipt code */
            fs.code = code;
            json_decref(fs.values);
            fs.values = form_values(r, true);
        }
        status = rc == 0 ? 200 : rc == PV_EINVAL || rc == PV_ECONFLICT ? 422 : portfolio_status(rc);
    }
    if (status == 200 || status == 422)
        *vm = form_vm(r, head, rec, &fs);
    else
        json_decref(head);
    json_decref(rec);
    json_decref(fs.values);
    json_decref(fs.errors);
    json_decref(fs.notes);
    return status;
}

/* ---------------------------------------------------------------- shared labels */

const char *staff_input_status_label(pv_req *r, const char *status)
{
    return input_status_label(r, status);
}
