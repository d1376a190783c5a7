/* Process, ladder and venue queries.
 * Layer: store. */
#include "store/processes.h"

#include <string.h>

#define COUNTS                                                                          \
    " (SELECT count(*) FROM input i WHERE i.process_id = p.id),"                        \
    " (SELECT count(*) FROM input i WHERE i.process_id = p.id AND i.moderation = 'publisert')"

static const char SQL_LIST[] =
    "SELECT p.id, p.title, p.status, p.plan_id, pl.name, p.ladder_step_id, l.name, l.position,"
    " p.opens_at, p.deadline, p.summary, p.registered_inputs, p.demo," COUNTS
    " FROM process p LEFT JOIN plan pl ON pl.id = p.plan_id"
    " LEFT JOIN ladder_step l ON l.id = p.ladder_step_id"
    " ORDER BY p.deadline IS NULL, p.deadline DESC, p.position";

static const char SQL_LIST_FOR_USER[] =
    "SELECT p.id, p.title, p.status, p.plan_id, pl.name, p.ladder_step_id, l.name, l.position,"
    " p.opens_at, p.deadline, p.summary, p.registered_inputs, p.demo," COUNTS
    " FROM process p LEFT JOIN plan pl ON pl.id = p.plan_id"
    " LEFT JOIN ladder_step l ON l.id = p.ladder_step_id"
    " WHERE p.owner_user_id = ?1"
    "  OR EXISTS (SELECT 1 FROM process_member m WHERE m.process_id = p.id AND m.user_id = ?1)"
    " ORDER BY p.deadline IS NULL, p.deadline DESC, p.position";

static const char SQL_PLAN_NAMES[] = "SELECT id, name FROM plan ORDER BY name COLLATE nb, id";

static const char SQL_GET[] =
    "SELECT p.id, p.title, p.status, p.purpose, p.can_influence, p.cannot_influence,"
    " p.opens_at, p.deadline, p.publish_at_once, p.communication_plan, p.evaluation_plan,"
    " p.hours_spent, p.cost_spent, p.summary, p.registered_inputs, p.demo, p.owner_user_id,"
    " p.created_at," COUNTS ","
    " p.target_groups, p.methods, p.themes, p.areas,"
    " (SELECT json_object('id', pl.id, 'name', pl.name) FROM plan pl WHERE pl.id = p.plan_id),"
    " (SELECT json_object('id', l.id, 'position', l.position, 'name', l.name,"
    "   'explanation', l.explanation, 'methods', json(l.methods))"
    "   FROM ladder_step l WHERE l.id = p.ladder_step_id)"
    " FROM process p WHERE p.id = ?1";

static const char SQL_PHASES[] =
    "SELECT name, starts_on, ends_on FROM process_phase WHERE process_id = ?1 ORDER BY position";

static const char SQL_EVENTS[] =
    "SELECT e.id, e.kind, e.title, e.starts_at, e.ends_at, e.method, e.accessibility,"
    " (SELECT json_object('id', v.id, 'name', v.name, 'address', v.address,"
    "   'universal_design', v.universal_design) FROM venue v WHERE v.id = e.venue_id)"
    " FROM event e WHERE e.process_id = ?1 ORDER BY e.starts_at IS NULL, e.starts_at, e.id";

static const char SQL_STAKEHOLDERS[] =
    "SELECT id, name, interest, influence, how_reached, reached FROM stakeholder"
    " WHERE process_id = ?1 ORDER BY id";

static const char SQL_MEMBERS[] =
    "SELECT u.id, u.name, u.email FROM process_member m JOIN user u ON u.id = m.user_id"
    " WHERE m.process_id = ?1 ORDER BY u.name COLLATE nb";

static const char SQL_LADDER[] =
    "SELECT id, position, name, explanation, methods FROM ladder_step ORDER BY position";

static const char SQL_VENUES[] =
    "SELECT id, name, address, area, capacity, universal_design, equipment FROM venue"
    " ORDER BY name COLLATE nb";

static const char SQL_MEMBER[] =
    "SELECT 1 FROM process WHERE id = ?1 AND owner_user_id = ?2"
    " UNION ALL SELECT 1 FROM process_member WHERE process_id = ?1 AND user_id = ?2";

static int list_rows(store *s, sqlite3_stmt *st, json_t **out);

int store_processes_list(store *s, json_t **out)
{
    return list_rows(s, store_prepare(s, SQL_LIST), out);
}

int store_processes_for_user(store *s, int64_t user_id, json_t **out)
{
    sqlite3_stmt *st = store_prepare(s, SQL_LIST_FOR_USER);
    if (st)
        sqlite3_bind_int64(st, 1, user_id);
    return list_rows(s, st, out);
}

int store_plan_names(store *s, json_t **out)
{
    sqlite3_stmt *st = store_prepare(s, SQL_PLAN_NAMES);
    static const char *const names[] = {"id", "name"};
    return st ? store_collect_rows(s, st, names, 2, out) : PV_EDB;
}

static int list_rows(store *s, sqlite3_stmt *st, json_t **out)
{
    static const char *const names[] = {
        "id", "title", "status", "plan_id", "plan_name", "ladder_step_id", "ladder_step",
        "ladder_position", "opens_at", "deadline", "summary", "registered_inputs", "demo",
        "input_count", "published_count"};
    int rc = st ? store_collect_rows(s, st, names, PV_ARRAY_LEN(names), out) : PV_EDB;
    if (rc == 0) {
        size_t i;
        json_t *p;
        json_array_foreach(*out, i, p)
            json_object_set_new(p, "demo",
                                json_boolean(json_integer_value(json_object_get(p, "demo"))));
    }
    return rc;
}

static int by_id(store *s, const char *sql, const char *id, const char *const *names, size_t n,
                 size_t first_json, json_t **out)
{
    sqlite3_stmt *st = store_prepare(s, sql);
    if (!st)
        return PV_EDB;
    store_bind_text(st, 1, id);
    return store_collect_rows_json(s, st, names, n, first_json, out);
}

/* The JSON object column i, or null (store_column_parsed gives [] for NULL). */
static json_t *object_or_null(sqlite3_stmt *st, int i)
{
    return sqlite3_column_type(st, i) == SQLITE_NULL ? json_null() : store_column_parsed(st, i);
}

int store_process_get(store *s, const char *id, json_t **out)
{
    sqlite3_stmt *st = store_prepare(s, SQL_GET);
    if (!st)
        return PV_EDB;
    store_bind_text(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        sqlite3_reset(st);
        return rc == SQLITE_DONE ? PV_ENOTFOUND : PV_EDB;
    }
    static const char *const names[] = {
        "id", "title", "status", "purpose", "can_influence", "cannot_influence", "opens_at",
        "deadline", "publish_at_once", "communication_plan", "evaluation_plan", "hours_spent",
        "cost_spent", "summary", "registered_inputs", "demo", "owner_user_id", "created_at",
        "input_count", "published_count"};
    static const char *const lists[] = {"target_groups", "methods", "themes", "areas"};
    json_t *p = json_object();
    size_t n = PV_ARRAY_LEN(names);
    for (size_t i = 0; i < n; i++)
        json_object_set_new(p, names[i], store_column_json(st, (int)i));
    for (size_t i = 0; i < PV_ARRAY_LEN(lists); i++)
        json_object_set_new(p, lists[i], store_column_parsed(st, (int)(n + i)));
    json_object_set_new(p, "plan", object_or_null(st, (int)(n + 4)));
    json_object_set_new(p, "ladder_step", object_or_null(st, (int)(n + 5)));
    sqlite3_reset(st);
    static const char *const bools[] = {"publish_at_once", "demo"};
    for (size_t i = 0; i < 2; i++)
        json_object_set_new(p, bools[i],
                            json_boolean(json_integer_value(json_object_get(p, bools[i]))));

    static const char *const phase[] = {"name", "starts_on", "ends_on"};
    static const char *const event[] = {"id", "kind", "title", "starts_at", "ends_at",
                                        "method", "accessibility", "venue"};
    static const char *const holder[] = {"id", "name", "interest", "influence", "how_reached",
                                         "reached"};
    static const char *const member[] = {"id", "name", "email"};
    json_t *phases = NULL, *events = NULL, *holders = NULL, *members = NULL;
    rc = by_id(s, SQL_PHASES, id, phase, 3, 3, &phases);
    if (rc == 0)
        rc = by_id(s, SQL_EVENTS, id, event, 8, 7, &events);
    if (rc == 0)
        rc = by_id(s, SQL_STAKEHOLDERS, id, holder, 6, 6, &holders);
    if (rc == 0)
        rc = by_id(s, SQL_MEMBERS, id, member, 3, 3, &members);
    if (rc != 0) {
        json_decref(phases);
        json_decref(events);
        json_decref(holders);
        json_decref(p);
        return rc;
    }
    size_t i;
    json_t *e;
    json_array_foreach(events, i, e) /* a missing venue reads as [] from the JSON column */
        if (json_is_array(json_object_get(e, "venue")))
            json_object_set_new(e, "venue", json_null());
    json_array_foreach(holders, i, e)
        json_object_set_new(e, "reached",
                            json_boolean(json_integer_value(json_object_get(e, "reached"))));
    json_object_set_new(p, "phases", phases);
    json_object_set_new(p, "events", events);
    json_object_set_new(p, "stakeholders", holders);
    json_object_set_new(p, "members", members);
    *out = p;
    return PV_OK;
}

int store_ladder(store *s, json_t **out)
{
    sqlite3_stmt *st = store_prepare(s, SQL_LADDER);
    static const char *const names[] = {"id", "position", "name", "explanation", "methods"};
    return st ? store_collect_rows_json(s, st, names, 5, 4, out) : PV_EDB;
}

int store_venues(store *s, json_t **out)
{
    sqlite3_stmt *st = store_prepare(s, SQL_VENUES);
    static const char *const names[] = {"id", "name", "address", "area", "capacity",
                                         "universal_design", "equipment"};
    return st ? store_collect_rows(s, st, names, 7, out) : PV_EDB;
}

bool store_process_member(store *s, const char *id, int64_t user_id)
{
    return store_exists_pair(s, SQL_MEMBER, id, user_id);
}
