/* /arbeid/logg: the audit trail for administrators and participation advisors — every
 * change and sign-in event, newest first, filtered by action, object and actor, a page at a
 * time («eldre hendelser» continues below the last event shown).
 * Layer: pages. Reads only; the route table decides who may. */
#include <stdio.h>
#include <string.h>

#include "domain/auth.h"
#include "pages/admin.h"
#include "pages/pages.h"
#include "store/audit.h"

#define LOG_PAGE 50

typedef struct log_query {
    const char *action, *type, *id, *actor;
    long before;
} log_query;

static const char *param(pv_req *r, const char *name)
{
    const char *v = url_query_get(&r->query, name);
    return v && *v ? v : NULL;
}

/* Reads and checks the filters; returns 0 or 400 with r->error set. */
static int read_query(pv_req *r, log_query *q)
{
    *q = (log_query){param(r, "handling"), param(r, "type"), param(r, "id"), param(r, "av"), 0};
    const char *before = param(r, "eldre_enn");
    if (before && pv_parse_long(before, 1, 1L << 53, &q->before) != 0) {
        r->error = T(r, "Et filter har en verdi vi ikke kjenner. Velg blant verdiene i skjemaet.");
        return 400;
    }
    if ((q->action && strlen(q->action) > 64) || (q->type && strlen(q->type) > 64) ||
        (q->id && strlen(q->id) > 128) || (q->actor && strlen(q->actor) > 254)) {
        r->error = T(r, "Et filter er for langt.");
        return 400;
    }
    return 0;
}

/* The action filter: [{value, label, selected, group}] — for each kind of object a prefix
 * («user.» = every user.* action) followed by its actions; a requested value that no event
 * has (yet) is kept as an option so the form shows what is filtered on. */
static json_t *action_options(pv_req *r, json_t *actions, const char *selected)
{
    json_t *groups = json_array();
    json_t *group = NULL;
    char prefix[80] = "";
    bool found = false;
    size_t i;
    json_t *row;
    json_array_foreach(actions, i, row) {
        const char *action = json_string_value(json_object_get(row, "action"));
        if (!action)
            continue;
        size_t n = strcspn(action, ".");
        if (!group || strlen(prefix) != n + 1 || strncmp(prefix, action, n + 1) != 0) {
            snprintf(prefix, sizeof prefix, "%.*s.", (int)n, action);
            char label[96];
            snprintf(label, sizeof label, "%s* (%s)", prefix, T(r, "alle"));
            group = json_pack("{s:s%, s:[{s:s, s:s, s:b}]}", "name", action, n, "options",
                              "value", prefix, "label", label, "selected",
                              selected && strcmp(selected, prefix) == 0);
            found |= selected && strcmp(selected, prefix) == 0;
            json_array_append_new(groups, group);
        }
        json_array_append_new(json_object_get(group, "options"),
                              json_pack("{s:s, s:s, s:b}", "value", action, "label", action,
                                        "selected", selected && strcmp(selected, action) == 0));
        found |= selected && strcmp(selected, action) == 0;
    }
    if (selected && !found)
        json_array_append_new(groups, json_pack("{s:s, s:[{s:s, s:s, s:b}]}", "name", "?",
                                                "options", "value", selected, "label", selected,
                                                "selected", true));
    return groups;
}

/* The address of the next (older) page: the same filters, below the last event shown. */
static json_t *older_url(const log_query *q, int64_t last_id)
{
    buf b = BUF_INIT;
    buf_printf(&b, "/arbeid/logg?eldre_enn=%lld", (long long)last_id);
    const struct {
        const char *name, *value;
    } keep[] = {{"handling", q->action}, {"type", q->type}, {"id", q->id}, {"av", q->actor}};
    for (size_t i = 0; i < PV_ARRAY_LEN(keep); i++) {
        if (!keep[i].value)
            continue;
        buf_printf(&b, "&%s=", keep[i].name);
        buf_append_url(&b, keep[i].value, strlen(keep[i].value));
    }
    json_t *v = json_string(buf_cstr(&b));
    buf_finish(&b);
    return v;
}

static bool ends_with(const char *s, const char *end)
{
    size_t n = strlen(s), m = strlen(end);
    return n >= m && strcmp(s + n - m, end) == 0;
}

/* Fields that hold a time (expires_at, locked_until …) are shown as times, 0 as «–». */
static void times_as_text(json_t *e)
{
    json_t *changes = json_object_get(e, "changes");
    size_t i;
    json_t *item;
    json_array_foreach(json_object_get(e, "changes_list"), i, item) {
        const char *field = json_string_value(json_object_get(item, "field"));
        if (!field || !(ends_with(field, "_at") || ends_with(field, "_until")))
            continue;
        json_t *pair = json_object_get(changes, field);
        static const char *const sides[] = {"before", "after"};
        for (size_t k = 0; k < 2; k++) {
            json_t *v = json_array_get(pair, k);
            if (!json_is_integer(v))
                continue;
            char text[32] = "–";
            if (json_integer_value(v) > 0)
                page_format_time(json_integer_value(v), text, sizeof text);
            json_object_set_new(item, sides[k], json_string(text));
        }
    }
}

/* Adds to an event what the page shows beyond page_audit_event_labels: times as times, and
 * a link to the object where there is a page for it. */
static void event_view(pv_req *r, json_t *e)
{
    page_audit_event_labels(r, e);
    times_as_text(e);
    const char *type = json_string_value(json_object_get(e, "object_type"));
    const char *id = json_string_value(json_object_get(e, "object_id"));
    if (type && id && strcmp(type, "user") == 0 && strcmp(id, "0") != 0 &&
        (r->user->roles & ROLE_ADMIN)) {
        char url[160];
        snprintf(url, sizeof url, "/arbeid/brukere/%s", id);
        json_object_set_new(e, "object_url", json_string(url));
    }
    json_object_set_new(e, "has_object", json_boolean(type != NULL));
}

int page_audit_log(pv_req *r, json_t **vm)
{
    log_query q;
    int status = read_query(r, &q);
    if (status)
        return status;
    audit_filter f = {q.action, q.type, q.id, q.actor, q.before, LOG_PAGE + 1};
    json_t *events = NULL, *actions = NULL;
    if (store_audit_list(r->w->db, &f, &events) != 0 ||
        store_audit_actions(r->w->db, &actions) != 0) {
        json_decref(events);
        return 500;
    }
    bool more = json_array_size(events) > LOG_PAGE;
    if (more)
        json_array_remove(events, LOG_PAGE);
    size_t i;
    json_t *e;
    json_array_foreach(events, i, e)
        event_view(r, e);
    json_t *last = json_array_get(events, json_array_size(events) - 1);
    *vm = json_pack("{s:o, s:I, s:b, s:b, s:{s:s?, s:s?, s:s?, s:s?, s:I}, s:b, s:o, s:o}",
                    "events", events, "count", (json_int_t)json_array_size(events),
                    "has_events", json_array_size(events) > 0, "paged", q.before > 0, "filter",
                    "action", q.action, "type", q.type, "id", q.id, "actor", q.actor,
                    "before", (json_int_t)q.before, "filtered",
                    q.action || q.type || q.id || q.actor, "actions",
                    action_options(r, actions, q.action), "nav", admin_nav(r, "log"));
    json_decref(actions);
    if (more && last)
        json_object_set_new(*vm, "older_url",
                            older_url(&q, json_integer_value(json_object_get(last, "id"))));
    return 200;
}
