/* What every page shares: the site context under the view-model (language switch, current
 * section) and small helpers for labels.
 * Layer: pages. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "core/date.h"
#include "domain/auth.h"
#include "domain/plan.h"
#include "pages/pages.h"

/* Marks a string for the catalogs without translating it here (xgettext keyword NC_:1c,2). */
#define NC_(context, s) s

static const struct {
    const char *code, *name;
} language_names[] = {{"nb", "Bokmål"}, {"nn", "Nynorsk"}, {"en", "English"}};

/* Which top-level section a path belongs to, for aria-current in the menu. */
static const char *section_of(const char *path)
{
    static const struct {
        const char *prefix, *section;
    } sections[] = {{"/planer", "plans"}, {"/mal", "goals"}, {"/sok", "search"},
                    {"/arbeid", "workspace"}, {"/logg-inn", "signin"},
                    {"/medvirkning", "participation"}, {"/kvittering", "participation"},
                    {"/oversikt", "overview"}, {"/tiltak", "overview"},
                    {"/indikatorer", "goals"}};
    if (!path || strcmp(path, "/") == 0)
        return "home";
    for (size_t i = 0; i < PV_ARRAY_LEN(sections); i++) {
        size_t n = strlen(sections[i].prefix);
        if (strncmp(path, sections[i].prefix, n) == 0 && (path[n] == '\0' || path[n] == '/'))
            return sections[i].section;
    }
    return "other";
}

json_t *site_context(pv_req *r)
{
    json_t *langs = json_array();
    buf here = BUF_INIT;
    buf_puts(&here, r->path ? r->path : "/");
    if (r->query_raw && *r->query_raw) {
        buf_putc(&here, '?');
        buf_puts(&here, r->query_raw);
    }
    for (size_t i = 0; i < PV_ARRAY_LEN(language_names); i++) {
        buf href = BUF_INIT;
        buf_printf(&href, "/sprak?lang=%s&til=", language_names[i].code);
        buf_append_url(&href, here.data, here.len);
        json_array_append_new(langs, json_pack("{s:s, s:s, s:s, s:b}", "code",
                                               language_names[i].code, "name",
                                               language_names[i].name, "href", buf_cstr(&href),
                                               "current",
                                               strcmp(r->lang, language_names[i].code) == 0));
        buf_finish(&href);
    }
    json_t *section = json_object();
    json_object_set_new(section, section_of(r->path), json_true());
    json_t *site = json_pack("{s:s, s:o, s:o, s:s}", "lang", r->lang, "langs", langs, "section",
                             section, "version", PV_VERSION);
    if (r->user) { /* the header shows who is signed in, and the sign-out form */
        buf roles = BUF_INIT;
        auth_roles_format(r->user->roles, &roles);
        unsigned roles_bits = r->user->roles;
        json_object_set_new(
            site, "me",
            json_pack("{s:s, s:s, s:s, s:b, s:b, s:b, s:b}", "name", r->user->name, "email",
                      r->user->email, "roles", buf_cstr(&roles), "admin",
                      (roles_bits & ROLE_ADMIN) != 0, "planner",
                      (roles_bits & ROLE_PLANLEGGER) != 0, "reads_log",
                      (roles_bits & (ROLE_ADMIN | ROLE_RADGIVER)) != 0, "session",
                      !r->user->via_token));
        if (!r->user->via_token) /* forms of a cookie session carry its CSRF token */
            json_object_set_new(site, "csrf", json_string(r->user->csrf));
        buf_finish(&roles);
    }
    buf_finish(&here);
    return site;
}

void page_format_time(int64_t t, char *out, size_t size)
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (!localtime_r(&tt, &tm) || strftime(out, size, "%Y-%m-%d %H:%M", &tm) == 0)
        snprintf(out, size, "%lld", (long long)t);
}

json_t *page_day(json_t *t)
{
    if (!json_is_integer(t))
        return json_null();
    char day[11];
    pv_date_format(pv_date_of(json_integer_value(t)), day);
    return json_string(day);
}

/* A value of the audit trail as one line of text: null as «–». */
static json_t *value_text(json_t *v)
{
    if (!v || json_is_null(v))
        return json_string("–");
    if (json_is_string(v))
        return json_incref(v);
    char *text = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
    json_t *s = json_string(text ? text : "");
    free(text);
    return s;
}

void page_audit_event_labels(pv_req *r, json_t *event)
{
    (void)r;
    char when[32];
    page_format_time(json_integer_value(json_object_get(event, "at")), when, sizeof when);
    json_object_set_new(event, "when", json_string(when));
    json_t *list = json_array();
    const char *field;
    json_t *pair;
    json_object_foreach(json_object_get(event, "changes"), field, pair) {
        json_array_append_new(list, json_pack("{s:s, s:o, s:o}", "field", field, "before",
                                              value_text(json_array_get(pair, 0)), "after",
                                              value_text(json_array_get(pair, 1))));
    }
    json_object_set_new(event, "changes_list", list);
    json_object_set_new(event, "has_changes", json_boolean(json_array_size(list) > 0));
}

const char *page_not_given(pv_req *r)
{
    return T(r, "ikke oppgitt");
}

const char *page_no_theme(pv_req *r)
{
    return T(r, "Uten tema i planoversikten");
}

/* The plan statuses and types of the data, marked for translation with a context. */
static const char *const known_labels[] = {
    NC_("planstatus", "vedtatt"),      NC_("planstatus", "under arbeid"),
    NC_("planstatus", "pågående"),     NC_("planstatus", "ny plan"),
    NC_("planstatus", "utgått"),       NC_("plantype", "Kommuneplan"),
    NC_("plantype", "Kommunedelplan"), NC_("plantype", "Fagplan"),
    NC_("plantype", "Temaplan"),       NC_("plantype", "Program"),
    NC_("plantype", "Prosjekt"),       NC_("plantype", "ROS-analyse"),
    NC_("plantype", "Handlingsplan"),  NC_("plantype", "Strategiplan"),
};

/* The label of a status or type: translated when it is one we know, else as written. */
static json_t *label(pv_req *r, const char *context, json_t *value)
{
    if (!json_is_string(value))
        return json_string(page_not_given(r));
    const char *v = json_string_value(value);
    for (size_t i = 0; i < PV_ARRAY_LEN(known_labels); i++)
        if (strcmp(known_labels[i], v) == 0)
            return json_string(i18n_pget(r->app->i18n, r->lang, context, v));
    return json_incref(value);
}

json_t *page_plan_summary(pv_req *r, json_t *plan)
{
    json_t *s = json_deep_copy(plan);
    buf url = BUF_INIT;
    buf_puts(&url, "/planer/");
    buf_append_url(&url, json_string_value(json_object_get(plan, "id")),
                   json_string_length(json_object_get(plan, "id")));
    json_object_set_new(s, "url", json_string(buf_cstr(&url)));
    buf_finish(&url);
    json_t *adopted = json_object_get(plan, "adopted_year");
    json_t *stated = json_object_get(plan, "next_revision");
    long next = plan_next_revision(json_is_integer(adopted) ? (long)json_integer_value(adopted) : 0,
                                   json_is_integer(stated) ? (long)json_integer_value(stated) : 0);
    json_object_set_new(s, "next_revision", next ? json_integer(next) : json_null());
    json_object_set_new(s, "next_revision_computed", json_boolean(next && !json_is_integer(stated)));
    json_object_set_new(s, "type_label", label(r, "plantype", json_object_get(plan, "type")));
    json_object_set_new(s, "status_label",
                        label(r, "planstatus", json_object_get(plan, "status")));
    json_t *owner = json_object_get(plan, "owner_unit");
    json_object_set_new(s, "owner_label", json_is_string(owner) ? json_incref(owner)
                                                                : json_string(page_not_given(r)));
    return s;
}

int page_needs_json(pv_req *r)
{
    if (json_is_object(r->body))
        return 0;
    r->error = T(r, "Send innholdet som et JSON-objekt (Content-Type: application/json).");
    return 415;
}

json_t *page_lines(const char *text)
{
    json_t *out = json_array();
    for (const char *p = text; p && *p;) {
        const char *end = strchr(p, '\n');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        size_t a = 0;
        while (a < n && (p[a] == ' ' || p[a] == '\t' || p[a] == '\r'))
            a++;
        while (n > a && (p[n - 1] == ' ' || p[n - 1] == '\t' || p[n - 1] == '\r'))
            n--;
        if (n > a)
            json_array_append_new(out, json_stringn(p + a, n - a));
        p = end ? end + 1 : p + strlen(p);
    }
    return out;
}

json_t *page_error_message(pv_req *r, json_t *error)
{
    const char *detail = json_string_value(json_object_get(error, "detail"));
    buf text = BUF_INIT;
    buf_puts(&text, T(r, json_string_value(json_object_get(error, "message"))));
    if (detail)
        buf_printf(&text, " (%s)", detail);
    json_t *v = json_string(buf_cstr(&text));
    buf_finish(&text);
    return v;
}
