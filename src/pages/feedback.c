/* Feedback to senders: the page that writes it from the template of the input's outcome,
 * the JSON API that does the same, the page that sends it to every sender of a process
 * still waiting at once, and the page where staff edit the templates. Templates
 * are plain text with a few Mustache placeholders (pages/feedback.h), rendered by our own
 * renderer (web/mustache.h) after every tag was checked against the list.
 * Layer: pages. Contact data (the address an e-mail goes to) appear on staff pages only. */
#include "pages/feedback.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "core/date.h"
#include "domain/assessment.h"
#include "mail/sender.h"
#include "pages/pages.h"
#include "pages/portfolio.h"
#include "pages/processes.h"
#include "pages/staff_inputs.h"
#include "store/feedback.h"
#include "store/outbox.h"
#include "web/mustache.h"
#include "web/session.h"

static const char *const placeholder_names[] = {"prosess", "innspill", "mottatt", "utfall",
                                                "begrunnelse"};
static const char *const outcome_list[] = {"tatt til følge", "delvis tatt til følge",
                                           "ikke tatt til følge", "utenfor mandat",
                                           "allerede ivaretatt"};
static const char *const language_list[] = {"nb", "nn", "en"};

static const char *str(json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

/* ---------------------------------------------------------------- rendering */

static bool known_name(const char *s, size_t n)
{
    for (size_t i = 0; i < PV_ARRAY_LEN(placeholder_names); i++)
        if (strlen(placeholder_names[i]) == n && memcmp(placeholder_names[i], s, n) == 0)
            return true;
    return false;
}

/* Rewrites tpl into Mustache that does not escape: {{name}} becomes {{&name}}; sections stay;
 * anything else is refused. */
static int translate(const char *tpl, buf *out, char *err, size_t err_size)
{
    const char *p = tpl;
    for (;;) {
        const char *open = strstr(p, "{{");
        if (!open) {
            buf_puts(out, p);
            return PV_OK;
        }
        buf_append(out, p, (size_t)(open - p));
        const char *close = strstr(open + 2, "}}");
        if (!close) {
            snprintf(err, err_size, "%s", "«{{» uten «}}»");
            return PV_EINVAL;
        }
        const char *name = open + 2;
        char sigil = 0;
        if (*name == '#' || *name == '^' || *name == '/')
            sigil = *name++;
        while (*name == ' ')
            name++;
        size_t n = (size_t)(close - name);
        while (n > 0 && name[n - 1] == ' ')
            n--;
        if (!known_name(name, n)) {
            int shown = (int)(close - open + 2 > 60 ? 60 : close - open + 2);
            snprintf(err, err_size, "«%.*s»", shown, open);
            return PV_EINVAL;
        }
        buf_printf(out, "{{%c%.*s}}", sigil ? sigil : '&', (int)n, name);
        p = close + 2;
    }
}

int feedback_render(const char *tpl, json_t *values, char **out, char *err, size_t err_size)
{
    buf src = BUF_INIT;
    int rc = translate(tpl ? tpl : "", &src, err, err_size);
    if (rc != 0) {
        buf_finish(&src);
        return rc;
    }
    char cerr[200];
    const char *text = buf_cstr(&src);
    mustache_tpl *t = mustache_compile(text, strlen(text), cerr, sizeof cerr);
    buf_finish(&src);
    if (!t) {
        snprintf(err, err_size, "%s", cerr);
        return PV_EINVAL;
    }
    buf o = BUF_INIT;
    json_t *ctx[1] = {values};
    rc = mustache_render(t, ctx, 1, NULL, NULL, &o);
    mustache_destroy(t);
    if (rc != 0) {
        buf_finish(&o);
        snprintf(err, err_size, "%s", "teksten blir for lang");
        return PV_EINVAL;
    }
    buf_puts(&o, "");
    *out = buf_steal(&o);
    return PV_OK;
}

const char *feedback_outcome_label(const i18n *t, const char *lang, const char *outcome)
{
    static const char *const msgids[] = {N_("tatt til følge"), N_("delvis tatt til følge"),
                                         N_("ikke tatt til følge"), N_("utenfor mandat"),
                                         N_("allerede ivaretatt")};
    for (size_t i = 0; i < PV_ARRAY_LEN(msgids); i++)
        if (outcome && strcmp(outcome, msgids[i]) == 0)
            return i18n_get(t, lang, msgids[i]);
    return outcome ? outcome : "";
}

/* ---------------------------------------------------------------- the input's feedback */

static const char *field_label(pv_req *r, const char *field)
{
    if (strcmp(field, "subject") == 0)
        return T(r, "Emne");
    if (strcmp(field, "body") == 0)
        return T(r, "Tekst");
    return field;
}

/* Puts errors (may be NULL) into vm: "errors" [{field, label, message, anchor}] for the
 * summary (anchor = id_prefix + field), "err" {field: message}, has_errors. */
static void form_errors(pv_req *r, json_t *vm, json_t *errors, const char *id_prefix)
{
    json_t *list = json_array(), *by_field = json_object();
    size_t i;
    json_t *e;
    json_array_foreach(errors, i, e) {
        const char *field = str(e, "field");
        char anchor[160];
        snprintf(anchor, sizeof anchor, "%s%s", id_prefix, field);
        json_t *message = page_error_message(r, e);
        json_object_set(by_field, field, message);
        json_array_append_new(list, json_pack("{s:s, s:s, s:o, s:s}", "field", field, "label",
                                              field_label(r, field), "message", message,
                                              "anchor", anchor));
    }
    json_object_set_new(vm, "has_errors", json_boolean(json_array_size(list) > 0));
    json_object_set_new(vm, "errors", list);
    json_object_set_new(vm, "err", by_field);
}

static const char *language_of(json_t *input)
{
    const char *l = str(input, "language");
    for (size_t i = 0; l && i < PV_ARRAY_LEN(language_list); i++)
        if (strcmp(l, language_list[i]) == 0)
            return language_list[i];
    return "nb";
}

static json_t *day_text(json_t *t)
{
    if (!json_is_integer(t))
        return json_string("");
    pv_date d = pv_date_of(json_integer_value(t));
    char iso[11], out[16];
    pv_date_format(d, iso); /* YYYY-MM-DD → D.M.YYYY */
    snprintf(out, sizeof out, "%d.%d.%.4s", atoi(iso + 8), atoi(iso + 5), iso);
    return json_string(out);
}

/* The values a template is filled with, in the sender's language lang. */
static json_t *template_values(pv_req *r, json_t *ctx, const char *lang)
{
    json_t *input = json_object_get(ctx, "input"), *a = json_object_get(ctx, "assessment");
    const char *why = str(a, "justification");
    return json_pack("{s:O, s:O, s:o, s:s, s:s}", "prosess",
                     json_object_get(json_object_get(ctx, "process"), "title"), "innspill",
                     json_object_get(input, "text"), "mottatt",
                     day_text(json_object_get(input, "received_at")), "utfall",
                     feedback_outcome_label(r->app->i18n, lang, str(a, "outcome")),
                     "begrunnelse", why ? why : "");
}

typedef struct feedback_load {
    json_t *head, *ctx;
    int64_t input_id;
    const char *lang;
} feedback_load;

/* The process head and the input's context; 0, or 404/500. */
static int load(pv_req *r, feedback_load *l)
{
    long id;
    if (pv_parse_long(r->params[1], 1, 1L << 53, &id) != 0)
        return 404;
    int status = 0;
    l->head = process_head(r, r->params[0], &status);
    if (!l->head)
        return status;
    int rc = store_feedback_context(r->w->db, r->params[0], id, &l->ctx);
    if (rc != 0) {
        json_decref(l->head);
        return rc == PV_ENOTFOUND ? 404 : 500;
    }
    l->input_id = id;
    l->lang = language_of(json_object_get(l->ctx, "input"));
    return 0;
}

/* The template's subject and body filled in for the input; the strings are malloc'ed.
 * *fallback: no template in the sender's language, the bokmål one was used. */
static int from_template(pv_req *r, feedback_load *l, char **subject, char **body,
                         bool *fallback)
{
    json_t *tpl;
    const char *outcome = str(json_object_get(l->ctx, "assessment"), "outcome");
    int rc = store_feedback_template_get(r->w->db, outcome, l->lang, &tpl);
    if (rc != 0)
        return rc;
    *fallback = strcmp(str(tpl, "language"), l->lang) != 0;
    json_t *values = template_values(r, l->ctx, str(tpl, "language"));
    char err[120];
    rc = feedback_render(str(tpl, "subject"), values, subject, err, sizeof err);
    if (rc == 0) {
        rc = feedback_render(str(tpl, "body"), values, body, err, sizeof err);
        if (rc != 0)
            free(*subject);
    }
    json_decref(values);
    json_decref(tpl);
    return rc;
}

static const char *language_label(pv_req *r, const char *lang)
{
    if (strcmp(lang, "nn") == 0)
        return T(r, "nynorsk");
    if (strcmp(lang, "en") == 0)
        return T(r, "engelsk");
    return T(r, "bokmål");
}

static const char *mail_state_label(pv_req *r, const char *state)
{
    if (state && strcmp(state, "sendt") == 0)
        return T(r, "E-posten er sendt");
    if (state && strcmp(state, "gitt opp") == 0)
        return T(r, "E-posten kom ikke fram, og vi har sluttet å prøve");
    return T(r, "E-posten venter i utboksen");
}

/* The page's view-model; takes l->head; body: the text in the form, or NULL for the
 * template's. */
static json_t *page_vm(pv_req *r, feedback_load *l, const char *body, json_t *errors)
{
    json_t *ctx = l->ctx, *input = json_object_get(ctx, "input");
    json_t *a = json_object_get(ctx, "assessment"), *contact = json_object_get(ctx, "contact");
    char url[300];
    snprintf(url, sizeof url, "/arbeid/prosesser/%s/innspill/%lld/tilbakemelding",
             r->params[0], (long long)l->input_id);
    json_t *vm = json_pack("{s:o, s:s, s:O, s:O, s:s, s:s}", "process", l->head, "url", url,
                           "input", input, "assessment", a, "language", l->lang,
                           "language_label", language_label(r, l->lang));
    json_object_set_new(input, "received_text", day_text(json_object_get(input, "received_at")));
    bool assessed = json_is_object(a);
    json_object_set_new(vm, "assessed", json_boolean(assessed));
    if (assessed)
        json_object_set_new(a, "outcome_label", json_string(T(r, assessment_outcome_label(str(a, "outcome")))));
    const char *email = str(contact, "email");
    bool consent = json_integer_value(json_object_get(contact, "consent")) != 0;
    json_object_set_new(vm, "email_to", email && consent ? json_string(email) : json_null());
    json_object_set_new(vm, "relay", json_boolean(mail_relay_configured()));
    json_t *latest = json_object_get(ctx, "feedback");
    if (json_is_object(latest)) {
        json_object_set_new(latest, "written_text",
                            day_text(json_object_get(latest, "written_at")));
        json_object_set_new(latest, "paragraphs", staff_inputs_paragraphs(str(latest, "body")));
        json_t *mail = NULL;
        if (store_outbox_of_feedback(r->w->db, json_integer_value(json_object_get(latest, "id")),
                                     &mail) == 0 && json_is_object(mail)) {
            json_object_set_new(mail, "state_label",
                                json_string(mail_state_label(r, str(mail, "state"))));
            json_object_set_new(mail, "waiting",
                                json_boolean(strcmp(str(mail, "state"), "venter") == 0));
        }
        json_object_set_new(latest, "mail", mail ? mail : json_null());
    }
    json_object_set(vm, "latest", latest);
    if (assessed) {
        char *subject = NULL, *text = NULL;
        bool fallback = false;
        if (from_template(r, l, &subject, &text, &fallback) == 0) {
            json_object_set_new(vm, "subject", json_string(subject));
            json_object_set_new(vm, "template_fallback", json_boolean(fallback));
            free(subject);
        }
        json_object_set_new(vm, "body", json_string(body ? body : text ? text : ""));
        free(text);
    }
    form_errors(r, vm, errors, "f-");
    json_object_set_new(vm, "saved", json_boolean(portfolio_flag(r, "lagret")));
    return vm;
}

int page_staff_feedback(pv_req *r, json_t **vm)
{
    feedback_load l = {0};
    int status = load(r, &l);
    if (status != 0)
        return status;
    *vm = page_vm(r, &l, NULL, NULL);
    json_decref(l.ctx);
    return 200;
}

/* Saves body (NULL: the template's text); 0 with the ids, or a store error; a bad body gives
 * PV_EINVAL with errors filled. */
static int save(pv_req *r, feedback_load *l, const char *body, json_t *errors,
                int64_t *feedback_id, int64_t *outbox_id)
{
    if (!json_is_object(json_object_get(l->ctx, "assessment")))
        return PV_ECONFLICT;
    char *subject = NULL, *text = NULL;
    bool fallback;
    int rc = from_template(r, l, &subject, &text, &fallback);
    if (rc != 0)
        return rc == PV_EINVAL ? PV_EDB : rc;
    const char *use = body ? body : text;
    bool blank = true;
    for (const char *p = use; *p && blank; p++)
        blank = strchr(" \t\r\n", *p) != NULL;
    if (blank)
        json_array_append_new(errors, json_pack("{s:s, s:s}", "field", "body", "message",
                                                N_("Skriv tilbakemeldingen til avsenderen.")));
    else if (strlen(use) > FEEDBACK_BODY_MAX)
        json_array_append_new(errors, json_pack("{s:s, s:s}", "field", "body", "message",
                                                N_("Tilbakemeldingen er for lang.")));
    if (json_array_size(errors) == 0) {
        actor who = portfolio_actor(r);
        /* the language the text starts in: the sender's, or bokmål when it has no template */
        feedback_new f = {r->params[0], l->input_id, fallback ? "nb" : l->lang, use, subject};
        rc = store_feedback_create(r->w->db, &who, &f, time(NULL), feedback_id, outbox_id);
    } else
        rc = PV_EINVAL;
    free(subject);
    free(text);
    return rc;
}

int page_staff_feedback_save(pv_req *r, json_t **vm)
{
    feedback_load l = {0};
    int status = load(r, &l);
    if (status != 0)
        return status;
    const char *body = url_query_get(&r->form, "body");
    json_t *errors = json_array();
    int64_t fid = 0, oid = 0;
    int rc = save(r, &l, body ? body : "", errors, &fid, &oid);
    if (rc == 0) {
        char url[300];
        snprintf(url, sizeof url, "/arbeid/prosesser/%s/innspill/%lld/tilbakemelding?lagret=1",
                 r->params[0], (long long)l.input_id);
        json_decref(l.head);
        status = portfolio_redirect(r, vm, url);
    } else if (rc == PV_EINVAL || rc == PV_ECONFLICT) {
        *vm = page_vm(r, &l, body ? body : "", errors);
        status = rc == PV_ECONFLICT ? 409 : 422;
    } else {
        json_decref(l.head);
        status = portfolio_status(rc);
    }
    json_decref(errors);
    json_decref(l.ctx);
    return status;
}

int page_api_feedback_create(pv_req *r, json_t **vm)
{
    feedback_load l = {0};
    int status = load(r, &l);
    if (status != 0)
        return status;
    json_t *in = portfolio_json_input(r), *errors = json_array();
    json_t *b = json_object_get(in, "body");
    int64_t fid = 0, oid = 0;
    int rc;
    if (b && !json_is_string(b)) {
        json_array_append_new(errors, json_pack("{s:s, s:s}", "field", "body", "message",
                                                N_("Tilbakemeldingen må være tekst.")));
        rc = PV_EINVAL;
    } else
        rc = save(r, &l, json_string_value(b), errors, &fid, &oid);
    if (rc == 0) {
        char url[300];
        snprintf(url, sizeof url, "/arbeid/prosesser/%s/innspill/%lld/tilbakemelding",
                 r->params[0], (long long)l.input_id);
        json_t *out = json_pack("{s:I, s:I, s:b, s:s}", "id", (json_int_t)fid, "input_id",
                                (json_int_t)l.input_id, "email_queued", oid > 0, "url", url);
        status = portfolio_created(r, url, out);
    } else if (rc == PV_EINVAL) {
        *vm = portfolio_problem(r, errors);
        status = 422;
    } else if (rc == PV_ECONFLICT) {
        r->error = T(r, "Innspillet er ikke vurdert ennå. Vurder det før du gir tilbakemelding.");
        status = 409;
    } else
        status = portfolio_status(rc);
    json_decref(l.head);
    json_decref(l.ctx);
    json_decref(in);
    json_decref(errors);
    return status;
}

/* ---------------------------------------------------------------- to many at once */

typedef struct bulk {
    json_t *items;     /* the page's list; owns the strings fs points into */
    feedback_new *fs;  /* the feedbacks that have a text, in the order of items */
    size_t n, emails;
    size_t missing;    /* inputs whose outcome has no template */
} bulk;

static void bulk_free(bulk *b)
{
    json_decref(b->items);
    free(b->fs);
}

/* The pending inputs of process r->params[0], each with its text from the template. */
static int bulk_load(pv_req *r, bulk *b)
{
    json_t *ids;
    int rc = store_feedback_pending(r->w->db, r->params[0], &ids);
    if (rc != 0)
        return rc;
    b->items = json_array();
    b->fs = pv_calloc(json_array_size(ids) + 1, sizeof *b->fs);
    if (!b->fs) {
        json_decref(ids);
        return PV_ELIMIT;
    }
    size_t i;
    json_t *v;
    json_array_foreach(ids, i, v) {
        feedback_load l = {.input_id = json_integer_value(v)};
        rc = store_feedback_context(r->w->db, r->params[0], l.input_id, &l.ctx);
        if (rc != 0)
            break;
        json_t *input = json_object_get(l.ctx, "input"), *a = json_object_get(l.ctx, "assessment");
        json_t *contact = json_object_get(l.ctx, "contact");
        l.lang = language_of(input);
        char url[300];
        snprintf(url, sizeof url, "/arbeid/prosesser/%s/innspill/%lld/tilbakemelding",
                 r->params[0], (long long)l.input_id);
        const char *email = str(contact, "email");
        bool mail = email && *email && json_integer_value(json_object_get(contact, "consent"));
        json_t *item = json_pack("{s:I, s:O, s:s, s:s, s:s, s:b}", "id",
                                 (json_int_t)l.input_id, "text", json_object_get(input, "text"),
                                 "language_label", language_label(r, l.lang), "outcome_label",
                                 T(r, assessment_outcome_label(str(a, "outcome"))),
                                 "feedback_url", url, "email", mail);
        char *subject = NULL, *text = NULL;
        bool fallback = false;
        if (from_template(r, &l, &subject, &text, &fallback) == 0) {
            json_object_set_new(item, "subject", json_string(subject));
            json_object_set_new(item, "body", json_string(text));
            json_object_set_new(item, "paragraphs", staff_inputs_paragraphs(text));
            json_object_set_new(item, "template_fallback", json_boolean(fallback));
            b->fs[b->n++] = (feedback_new){r->params[0], l.input_id, fallback ? "nb" : l.lang,
                                           str(item, "body"), str(item, "subject")};
            b->emails += mail;
        } else {
            json_object_set_new(item, "no_template", json_true());
            b->missing++;
        }
        free(subject);
        free(text);
        json_array_append_new(b->items, item);
        json_decref(l.ctx);
    }
    json_decref(ids);
    return rc;
}

static json_t *bulk_vm(pv_req *r, json_t *head, bulk *b)
{
    char url[240];
    snprintf(url, sizeof url, "/arbeid/prosesser/%s/tilbakemelding", r->params[0]);
    json_t *vm = json_pack("{s:o, s:s, s:O, s:I, s:I, s:I, s:b, s:b}", "process", head, "url",
                           url, "items", b->items, "count", (json_int_t)b->n, "emails",
                           (json_int_t)b->emails, "missing", (json_int_t)b->missing, "one",
                           b->n == 1, "relay", mail_relay_configured());
    json_object_set_new(vm, "has_items", json_boolean(json_array_size(b->items) > 0));
    json_object_set_new(vm, "can_send", json_boolean(b->n > 0));
    if (b->missing == 0)
        json_object_set_new(vm, "missing", json_null()); /* 0 would count as true */
    json_object_set_new(vm, "full", json_boolean(json_array_size(b->items) >= FEEDBACK_BULK_MAX));
    const char *sent = url_query_get(&r->query, "sendt");
    long n_sent = 0;
    if (sent && pv_parse_long(sent, 1, FEEDBACK_BULK_MAX, &n_sent) != 0)
        n_sent = 0;
    json_object_set_new(vm, "sent", n_sent ? json_integer(n_sent) : json_null());
    return vm;
}

int page_staff_feedback_bulk(pv_req *r, json_t **vm)
{
    int status = 0;
    json_t *head = process_head(r, r->params[0], &status);
    if (!head)
        return status;
    bulk b = {0};
    int rc = bulk_load(r, &b);
    if (rc != 0) {
        json_decref(head);
        bulk_free(&b);
        return portfolio_status(rc);
    }
    *vm = bulk_vm(r, head, &b);
    bulk_free(&b);
    return 200;
}

int page_staff_feedback_bulk_save(pv_req *r, json_t **vm)
{
    int status = 0;
    json_t *head = process_head(r, r->params[0], &status);
    if (!head)
        return status;
    bulk b = {0};
    int rc = bulk_load(r, &b);
    size_t emails = 0, failed = 0;
    if (rc == 0 && b.n > 0) {
        actor who = portfolio_actor(r);
        rc = store_feedback_create_many(r->w->db, &who, b.fs, b.n, time(NULL), &emails, &failed);
    }
    if (rc == 0 && b.n > 0) {
        char url[300];
        snprintf(url, sizeof url, "/arbeid/prosesser/%s/tilbakemelding?sendt=%zu", r->params[0],
                 b.n);
        json_decref(head);
        status = portfolio_redirect(r, vm, url);
    } else if (rc == 0 || rc == PV_ECONFLICT) {
        /* nothing to send, or someone sent some meanwhile: show the list as it is now */
        bulk_free(&b);
        b = (bulk){0};
        rc = bulk_load(r, &b);
        if (rc == 0) {
            *vm = bulk_vm(r, head, &b);
            json_object_set_new(*vm, "conflict", json_true());
            status = 409;
        } else {
            json_decref(head);
            status = portfolio_status(rc);
        }
    } else {
        json_decref(head);
        status = portfolio_status(rc);
    }
    bulk_free(&b);
    return status;
}

/* ---------------------------------------------------------------- the templates */

static json_t *templates_vm(pv_req *r, json_t *failed, json_t *errors)
{
    json_t *rows, *summary = NULL; /* the template whose errors the summary lists */
    if (store_feedback_templates(r->w->db, &rows) != 0)
        return NULL;
    json_t *groups = json_array();
    for (size_t o = 0; o < PV_ARRAY_LEN(outcome_list); o++) {
        json_t *items = json_array();
        size_t i;
        json_t *t;
        json_array_foreach(rows, i, t) {
            if (strcmp(str(t, "outcome"), outcome_list[o]) != 0)
                continue;
            char anchor[32];
            snprintf(anchor, sizeof anchor, "mal-%zu-%s", o + 1, str(t, "language"));
            json_object_set_new(t, "anchor", json_string(anchor));
            json_object_set_new(t, "language_label",
                                json_string(language_label(r, str(t, "language"))));
            bool is_failed = failed && strcmp(str(failed, "outcome"), outcome_list[o]) == 0 &&
                             strcmp(str(failed, "language"), str(t, "language")) == 0;
            if (is_failed) {
                summary = t;
                json_object_set(t, "subject", json_object_get(failed, "subject"));
                json_object_set(t, "body", json_object_get(failed, "body"));
                form_errors(r, t, errors, "");
                json_t *e = json_object_get(t, "errors");
                size_t k;
                json_t *x;
                json_array_foreach(e, k, x) {
                    char a[64];
                    snprintf(a, sizeof a, "%s-%s", anchor, str(x, "field"));
                    json_object_set_new(x, "anchor", json_string(a));
                }
            }
            json_array_append(items, t);
        }
        char group[16];
        snprintf(group, sizeof group, "utfall-%zu", o + 1);
        json_array_append_new(groups, json_pack("{s:s, s:s, s:s, s:o}", "anchor", group,
                                                "outcome", outcome_list[o],
                                                "label",
                                                T(r, assessment_outcome_label(outcome_list[o])),
                                                "templates", items));
    }
    json_decref(rows);
    json_t *vm = json_pack("{s:o, s:s, s:s, s:s, s:b, s:b}", "groups", groups, "placeholders",
                           FEEDBACK_PLACEHOLDERS, "example_tag", "{{utfall}}", "example_section",
                           "{{#begrunnelse}}…{{/begrunnelse}}", "saved",
                           portfolio_flag(r, "lagret"), "has_errors", failed != NULL);
    json_object_set_new(vm, "errors", summary ? json_incref(json_object_get(summary, "errors"))
                                              : json_array());
    return vm;
}

int page_feedback_templates(pv_req *r, json_t **vm)
{
    *vm = templates_vm(r, NULL, NULL);
    return *vm ? 200 : 500;
}

static bool listed(const char *const *list, size_t n, const char *v)
{
    for (size_t i = 0; v && i < n; i++)
        if (strcmp(list[i], v) == 0)
            return true;
    return false;
}

/* The errors of a template's subject and body. */
static void check_template(const char *subject, const char *body, json_t *errors)
{
    json_t *sample = json_pack("{s:s, s:s, s:s, s:s, s:s}", "prosess", "p", "innspill", "i",
                               "mottatt", "1.1.2026", "utfall", "u", "begrunnelse", "b");
    const char *fields[2] = {"subject", "body"}, *texts[2] = {subject, body};
    for (int i = 0; i < 2; i++) {
        char err[120], *out = NULL;
        bool blank = true;
        for (const char *p = texts[i]; *p && blank; p++)
            blank = strchr(" \t\r\n", *p) != NULL;
        if (blank)
            json_array_append_new(errors, json_pack("{s:s, s:s}", "field", fields[i], "message",
                                                    N_("Fyll ut feltet.")));
        else if (strlen(texts[i]) > (i == 0 ? FEEDBACK_SUBJECT_MAX : FEEDBACK_BODY_MAX) ||
                 (i == 0 && strpbrk(texts[i], "\r\n")))
            json_array_append_new(errors, json_pack("{s:s, s:s}", "field", fields[i], "message",
                                                    i == 0 ? N_("Emnet må være én kort linje.")
                                                           : N_("Teksten er for lang.")));
        else if (feedback_render(texts[i], sample, &out, err, sizeof err) != 0)
            json_array_append_new(errors, json_pack("{s:s, s:s, s:s}", "field", fields[i],
                                                    "message",
                                                    N_("Teksten har en plassholder eller et avsnitt som ikke finnes, eller som ikke er lukket. Bruk bare plassholderne i listen over."),
                                                    "detail", err));
        free(out);
    }
    json_decref(sample);
}

int page_feedback_templates_save(pv_req *r, json_t **vm)
{
    const char *outcome = url_query_get(&r->form, "outcome");
    const char *lang = url_query_get(&r->form, "language");
    const char *subject = url_query_get(&r->form, "subject");
    const char *body = url_query_get(&r->form, "body");
    if (!listed(outcome_list, PV_ARRAY_LEN(outcome_list), outcome) ||
        !listed(language_list, PV_ARRAY_LEN(language_list), lang))
        return 400;
    json_t *errors = json_array();
    check_template(subject ? subject : "", body ? body : "", errors);
    int rc = PV_EINVAL;
    if (json_array_size(errors) == 0) {
        actor who = portfolio_actor(r);
        rc = store_feedback_template_save(r->w->db, &who, outcome, lang, subject, body,
                                          time(NULL));
    }
    int status;
    if (rc == 0) {
        size_t o = 0;
        while (strcmp(outcome_list[o], outcome) != 0)
            o++;
        char url[80];
        snprintf(url, sizeof url, "/arbeid/tilbakemeldingsmaler?lagret=1#mal-%zu-%s", o + 1,
                 lang);
        status = portfolio_redirect(r, vm, url);
    } else if (rc == PV_EINVAL) {
        json_t *failed = json_pack("{s:s, s:s, s:s, s:s}", "outcome", outcome, "language", lang,
                                   "subject", subject ? subject : "", "body", body ? body : "");
        *vm = templates_vm(r, failed, errors);
        json_decref(failed);
        status = *vm ? 422 : 500;
    } else
        status = portfolio_status(rc);
    json_decref(errors);
    return status;
}
