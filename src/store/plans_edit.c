/* Staff edits of plans and focus areas.
 * Layer: store. All SQL is literal and bound (STYLE.md habit 3). Every write function runs:
 * begin → read the record as it is → check (domain rules, then references) → write → read it
 * again → audit event with the difference → commit; any error rolls everything back. */
#include "store/plans_edit.h"

#include <stdio.h>
#include <string.h>

#include "core/log.h"
#include "core/utf8.h"
#include "domain/diff.h"
#include "domain/plan.h"
#include "store/users.h"

/* ---------------------------------------------------------------- statements */

static const char SQL_RECORD[] =
    "SELECT id, name, type, status, adopted_year, next_revision, theme_id, owner_unit,"
    " owner_user_id, purpose FROM plan WHERE id = ?1";
static const char *const record_names[] = {"id", "name", "type", "status", "adopted_year",
                                           "next_revision", "theme_id", "owner_unit",
                                           "owner_user_id", "purpose"};
static const char SQL_RECORD_PARENTS[] =
    "SELECT parent_id FROM plan_parent WHERE plan_id = ?1 ORDER BY parent_id";
static const char SQL_RECORD_GOALS[] =
    "SELECT goal_id FROM plan_goal WHERE plan_id = ?1 AND basis = 'oppgitt' ORDER BY goal_id";
static const char SQL_OWNER[] = "SELECT owner_user_id FROM plan WHERE id = ?1";

static const char SQL_STAFF_LIST[] =
    "SELECT p.id, p.name, p.type, p.status, p.adopted_year, p.next_revision, p.owner_unit,"
    " p.owner_user_id, u.name FROM plan p LEFT JOIN user u ON u.id = p.owner_user_id"
    " ORDER BY p.name COLLATE nb, p.id";

static const char SQL_CHOICE_PLANS[] = "SELECT id, name FROM plan ORDER BY name COLLATE nb, id";
static const char SQL_CHOICE_THEMES[] = "SELECT id, name FROM theme ORDER BY position";
static const char SQL_CHOICE_TYPES[] =
    "SELECT DISTINCT type FROM plan WHERE type IS NOT NULL ORDER BY type COLLATE nb";
static const char SQL_CHOICE_STATUSES[] =
    "SELECT DISTINCT status FROM plan WHERE status IS NOT NULL ORDER BY status COLLATE nb";
static const char SQL_CHOICE_GOALS[] =
    "SELECT id, text, level, lead_in, retired FROM goal ORDER BY position";
static const char SQL_CHOICE_LINKS[] =
    "SELECT goal_id, basis FROM plan_goal WHERE plan_id = ?1 ORDER BY goal_id";

static const char SQL_PLAN_EXISTS[] = "SELECT 1 FROM plan WHERE id = ?1";
static const char SQL_THEME_EXISTS[] = "SELECT 1 FROM theme WHERE id = ?1";
static const char SQL_GOAL_EXISTS[] = "SELECT 1 FROM goal WHERE id = ?1";
static const char SQL_STATUS_IN_USE[] = "SELECT 1 FROM plan WHERE status = ?1 LIMIT 1";
static const char SQL_PARENT_EDGES[] =
    "SELECT p.id, (SELECT json_group_array(pp.parent_id) FROM plan_parent pp"
    " WHERE pp.plan_id = p.id) FROM plan p";
static const char SQL_ABBREVIATION[] = "SELECT abbreviation FROM plan WHERE id = ?1";

static const char SQL_INSERT[] =
    "INSERT INTO plan (id, name, type, status, adopted_year, next_revision, theme_id,"
    " owner_unit, owner_user_id, purpose, search_text, position)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11,"
    " (SELECT coalesce(max(position), 0) + 1 FROM plan))";
static const char SQL_UPDATE[] =
    "UPDATE plan SET name = ?2, type = ?3, status = ?4, adopted_year = ?5, next_revision = ?6,"
    " theme_id = ?7, owner_unit = ?8, owner_user_id = ?9, purpose = ?10, search_text = ?11"
    " WHERE id = ?1";
static const char SQL_PARENT_REMOVE[] =
    "DELETE FROM plan_parent WHERE plan_id = ?1 AND parent_id = ?2";
/* A parent that stays keeps its evidence (the quote from the import). */
static const char SQL_PARENT_ADD[] =
    "INSERT INTO plan_parent (plan_id, parent_id) VALUES (?1, ?2) ON CONFLICT DO NOTHING";
static const char SQL_STATED_CLEAR[] =
    "DELETE FROM plan_goal WHERE plan_id = ?1 AND basis = 'oppgitt'";
static const char SQL_STATED_ADD[] =
    "INSERT OR REPLACE INTO plan_goal (plan_id, goal_id, basis) VALUES (?1, ?2, 'oppgitt')";

/* The derived links of one plan, as the import derives them for all (src/store/import.c). */
static const char SQL_DERIVED_CLEAR[] =
    "DELETE FROM plan_goal WHERE plan_id = ?1 AND basis <> 'oppgitt'";
static const char SQL_DERIVE_OWNER[] =
    "INSERT OR IGNORE INTO plan_goal SELECT plan_id, id, 'eier' FROM goal WHERE plan_id = ?1";
static const char SQL_DERIVE_STRATEGY[] =
    "INSERT OR IGNORE INTO plan_goal SELECT DISTINCT plan_id, goal_id, 'strategi' FROM measure"
    " WHERE goal_id IS NOT NULL AND plan_id = ?1";
static const char SQL_DERIVE_AREA[] =
    "INSERT OR IGNORE INTO plan_goal SELECT DISTINCT fa.plan_id, g.id, 'satsingsområde'"
    " FROM goal g, json_each(g.focus_areas) f JOIN focus_area fa ON fa.name = f.value"
    " WHERE g.plan_id IS NULL AND fa.plan_id = ?1";
static const char SQL_DERIVE_THEME[] =
    "INSERT OR IGNORE INTO plan_goal SELECT DISTINCT p.id, g.id, 'tema'"
    " FROM goal g, json_each(g.themes) t JOIN theme th ON th.name = t.value"
    " JOIN plan p ON p.theme_id = th.id WHERE p.id = ?1";

static const char SQL_HISTORY[] =
    "SELECT a.id, a.at, a.actor, a.action, a.object_type, a.object_id, fa.name, a.changes"
    " FROM audit_event a LEFT JOIN focus_area fa"
    "  ON a.object_type = 'focus_area' AND fa.id = CAST(a.object_id AS INTEGER)"
    " WHERE (a.object_type = 'plan' AND a.object_id = ?1)"
    "  OR (a.object_type = 'focus_area' AND a.object_id IN"
    "      (SELECT CAST(id AS TEXT) FROM focus_area WHERE plan_id = ?1))"
    " ORDER BY a.id DESC LIMIT ?2";

static const char SQL_AREAS[] =
    "SELECT id, name, her_er_vi, slik_vil_vi_ha_det, slik_kommer_vi_dit, slik_gjor_vi_det"
    " FROM focus_area WHERE plan_id = ?1 ORDER BY position, id";
static const char *const area_names[] = {"id", "name", "her_er_vi", "slik_vil_vi_ha_det",
                                         "slik_kommer_vi_dit", "slik_gjor_vi_det"};
static const char SQL_AREA_NAME_TAKEN[] =
    "SELECT 1 FROM focus_area WHERE plan_id = ?1 AND name = ?2 AND id <> ?3";
static const char SQL_AREA_INSERT[] =
    "INSERT INTO focus_area (plan_id, name, her_er_vi, slik_vil_vi_ha_det, slik_kommer_vi_dit,"
    " slik_gjor_vi_det, position) VALUES (?1, ?2, ?3, ?4, ?5, ?6,"
    " (SELECT coalesce(max(position), -1) + 1 FROM focus_area WHERE plan_id = ?1))";
static const char SQL_AREA_UPDATE[] =
    "UPDATE focus_area SET name = ?3, her_er_vi = ?4, slik_vil_vi_ha_det = ?5,"
    " slik_kommer_vi_dit = ?6, slik_gjor_vi_det = ?7 WHERE id = ?1 AND plan_id = ?2";
static const char SQL_AREA_POSITION[] =
    "UPDATE focus_area SET position = ?2 WHERE id = ?1";

/* ---------------------------------------------------------------- shared helpers */

int store_edit_column(store *s, const char *sql, const char *id, json_t **out)
{
    sqlite3_stmt *st = store_prepare(s, sql);
    if (!st)
        return PV_EDB;
    store_bind_text(st, 1, id);
    json_t *list = json_array();
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        json_array_append_new(list, store_column_json(st, 0));
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        json_decref(list);
        return PV_EDB;
    }
    *out = list;
    return PV_OK;
}

void store_edit_bind(sqlite3_stmt *st, int i, json_t *v)
{
    if (json_is_string(v))
        sqlite3_bind_text(st, i, json_string_value(v), (int)json_string_length(v),
                          SQLITE_TRANSIENT);
    else if (json_is_integer(v))
        sqlite3_bind_int64(st, i, json_integer_value(v));
    else if (json_is_real(v))
        sqlite3_bind_double(st, i, json_real_value(v));
    else if (json_is_boolean(v))
        sqlite3_bind_int(st, i, json_is_true(v));
    else
        sqlite3_bind_null(st, i);
}

int store_edit_step(sqlite3_stmt *st)
{
    if (!st)
        return PV_EDB;
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE || rc == SQLITE_ROW ? PV_OK : PV_EDB;
}

int store_edit_finish(store *s, int rc)
{
    if (rc == 0)
        return store_commit(s);
    store_rollback(s);
    return rc;
}

static int exec_id(store *s, const char *sql, const char *id)
{
    sqlite3_stmt *st = store_prepare(s, sql);
    if (st)
        store_bind_text(st, 1, id);
    return store_edit_step(st);
}

static int exec_pair(store *s, const char *sql, const char *a, const char *b)
{
    sqlite3_stmt *st = store_prepare(s, sql);
    if (st) {
        store_bind_text(st, 1, a);
        store_bind_text(st, 2, b);
    }
    return store_edit_step(st);
}

/* ---------------------------------------------------------------- reading */

int store_plan_record(store *s, const char *id, json_t **out)
{
    json_t *rec, *parents = NULL, *goals = NULL;
    int rc = store_row_by_id(s, SQL_RECORD, id, record_names, PV_ARRAY_LEN(record_names), &rec);
    if (rc != 0)
        return rc;
    if ((rc = store_edit_column(s, SQL_RECORD_PARENTS, id, &parents)) != 0 ||
        (rc = store_edit_column(s, SQL_RECORD_GOALS, id, &goals)) != 0) {
        json_decref(parents);
        json_decref(rec);
        return rc;
    }
    json_object_set_new(rec, "parent_ids", parents);
    json_object_set_new(rec, "goal_ids", goals);
    *out = rec;
    return PV_OK;
}

int store_plan_owner(store *s, const char *id, int64_t *owner_user_id)
{
    sqlite3_stmt *st = store_prepare(s, SQL_OWNER);
    if (!st)
        return PV_EDB;
    store_bind_text(st, 1, id);
    int rc = sqlite3_step(st);
    *owner_user_id = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? PV_OK : rc == SQLITE_DONE ? PV_ENOTFOUND : PV_EDB;
}

int store_plans_staff_list(store *s, json_t **out)
{
    sqlite3_stmt *st = store_prepare(s, SQL_STAFF_LIST);
    static const char *const names[] = {"id", "name", "type", "status", "adopted_year",
                                        "next_revision", "owner_unit", "owner_user_id",
                                        "owner_name"};
    return st ? store_collect_rows(s, st, names, PV_ARRAY_LEN(names), out) : PV_EDB;
}

static int collect(store *s, const char *sql, const char *id, const char *const *names,
                   size_t n, json_t **out)
{
    sqlite3_stmt *st = store_prepare(s, sql);
    if (!st)
        return PV_EDB;
    if (id)
        store_bind_text(st, 1, id);
    return store_collect_rows(s, st, names, n, out);
}

int store_plan_choices(store *s, const char *plan_id, json_t **out)
{
    static const char *const id_name[] = {"id", "name"};
    static const char *const goal[] = {"id", "text", "level", "lead_in", "retired"};
    static const char *const link[] = {"goal_id", "basis"};
    json_t *plans = NULL, *themes = NULL, *types = NULL, *statuses = NULL, *goals = NULL,
           *links = NULL;
    int rc = collect(s, SQL_CHOICE_PLANS, NULL, id_name, 2, &plans);
    if (rc == 0)
        rc = collect(s, SQL_CHOICE_THEMES, NULL, id_name, 2, &themes);
    if (rc == 0)
        rc = store_edit_column(s, SQL_CHOICE_TYPES, NULL, &types);
    if (rc == 0)
        rc = store_edit_column(s, SQL_CHOICE_STATUSES, NULL, &statuses);
    if (rc == 0)
        rc = collect(s, SQL_CHOICE_GOALS, NULL, goal, PV_ARRAY_LEN(goal), &goals);
    if (rc == 0 && plan_id)
        rc = collect(s, SQL_CHOICE_LINKS, plan_id, link, 2, &links);
    else if (rc == 0)
        links = json_array();
    if (rc != 0) {
        json_decref(plans);
        json_decref(themes);
        json_decref(types);
        json_decref(statuses);
        json_decref(goals);
        return rc;
    }
    size_t i;
    json_t *g;
    json_array_foreach(goals, i, g) /* SQLite booleans are integers */
        json_object_set_new(g, "retired", json_boolean(json_integer_value(json_object_get(g, "retired"))));
    *out = json_pack("{s:o, s:o, s:o, s:o, s:o, s:o}", "plans", plans, "themes", themes, "types",
                     types, "statuses", statuses, "goals", goals, "links", links);
    return PV_OK;
}

int store_plan_history(store *s, const char *plan_id, int limit, json_t **out)
{
    sqlite3_stmt *st = store_prepare(s, SQL_HISTORY);
    if (!st)
        return PV_EDB;
    store_bind_text(st, 1, plan_id);
    sqlite3_bind_int(st, 2, limit < 1 ? 50 : limit > 500 ? 500 : limit);
    static const char *const names[] = {"id", "at", "actor", "action", "object_type",
                                        "object_id", "focus_area", "changes"};
    json_t *rows;
    int rc = store_collect_rows_json(s, st, names, PV_ARRAY_LEN(names), 7, &rows);
    if (rc != 0)
        return rc;
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row) /* a malformed changes column reads as [] */
        if (!json_is_object(json_object_get(row, "changes")))
            json_object_set_new(row, "changes", json_object());
    *out = rows;
    return PV_OK;
}

/* ---------------------------------------------------------------- derived goal links */

int store_plan_derive_goals(store *s, const char *plan_id)
{
    static const char *const steps[] = {SQL_DERIVED_CLEAR, SQL_DERIVE_OWNER, SQL_DERIVE_STRATEGY,
                                        SQL_DERIVE_AREA, SQL_DERIVE_THEME};
    int rc = PV_OK;
    for (size_t i = 0; i < PV_ARRAY_LEN(steps) && rc == 0; i++)
        rc = exec_id(s, steps[i], plan_id);
    return rc;
}

/* ---------------------------------------------------------------- checking a plan */


/* The ids in list that the query sql does not find, as "a, b" (empty when all exist). */
static void missing_ids(store *s, const char *sql, json_t *list, buf *out)
{
    size_t i;
    json_t *v;
    json_array_foreach(list, i, v) {
        if (store_exists(s, sql, json_string_value(v)))
            continue;
        if (out->len)
            buf_puts(out, ", ");
        buf_puts(out, json_string_value(v));
    }
}

static bool changed(json_t *diff, const char *field)
{
    return diff == NULL || json_object_get(diff, field) != NULL;
}

static void check_status(store *s, json_t *rec, json_t *errors)
{
    const char *status = json_string_value(json_object_get(rec, "status"));
    if (!status || field_has_error(errors, "status"))
        return;
    for (size_t i = 0; plan_base_statuses[i]; i++)
        if (strcmp(plan_base_statuses[i], status) == 0)
            return;
    if (!store_exists(s, SQL_STATUS_IN_USE, status))
        field_error(errors, "status", N_("Velg en av statusene i listen."), NULL);
}

static void check_owner(store *s, json_t *rec, json_t *errors)
{
    json_t *owner = json_object_get(rec, "owner_user_id");
    if (!json_is_integer(owner) || field_has_error(errors, "owner_user_id"))
        return;
    user_row u;
    int rc = store_user_by_id(s, json_integer_value(owner), &u);
    if (rc != 0 || !(u.roles & (PLAN_EDIT_ROLES | PLAN_OWNER_ROLES)))
        field_error(errors, "owner_user_id",
                    N_("Eieren må være en ansatt med rollen planlegger, prosesseier, medvirkningsrådgiver eller administrator."),
                    NULL);
    else if (u.disabled)
        field_error(errors, "owner_user_id",
                    N_("Denne brukeren er deaktivert og kan ikke eie en plan."), NULL);
}

static void check_parents(store *s, const char *id, json_t *rec, json_t *errors)
{
    json_t *parents = json_object_get(rec, "parent_ids");
    if (!json_is_array(parents) || field_has_error(errors, "parent_ids"))
        return;
    if (json_list_has(parents, id)) {
        field_error(errors, "parent_ids", N_("En plan kan ikke være forankret i seg selv."), NULL);
        return;
    }
    buf missing = BUF_INIT;
    missing_ids(s, SQL_PLAN_EXISTS, parents, &missing);
    if (missing.len) {
        field_error(errors, "parent_ids", N_("En av planene finnes ikke. Velg planer fra listen."),
                    buf_cstr(&missing));
        buf_finish(&missing);
        return;
    }
    buf_finish(&missing);
    sqlite3_stmt *st = store_prepare(s, SQL_PARENT_EDGES);
    json_t *edges = json_object();
    while (st && sqlite3_step(st) == SQLITE_ROW)
        json_object_set_new(edges, (const char *)sqlite3_column_text(st, 0),
                            store_column_parsed(st, 1));
    if (st)
        sqlite3_reset(st);
    json_object_set(edges, id, parents);
    buf ring = BUF_INIT;
    if (plan_parent_cycle(edges, id, &ring))
        field_error(errors, "parent_ids",
                    N_("Planene ville blitt forankret i hverandre i en ring. Fjern en av dem."),
                    buf_cstr(&ring));
    buf_finish(&ring);
    json_decref(edges);
}

/* The checks that need the database, for the fields that change (all of them when diff is
 * NULL: a new plan). */
static void check_plan_refs(store *s, const char *id, json_t *rec, json_t *diff, json_t *errors)
{
    if (changed(diff, "status"))
        check_status(s, rec, errors);
    const char *theme = json_string_value(json_object_get(rec, "theme_id"));
    if (changed(diff, "theme_id") && theme && !field_has_error(errors, "theme_id") &&
        !store_exists(s, SQL_THEME_EXISTS, theme))
        field_error(errors, "theme_id", N_("Temaet finnes ikke. Velg et tema fra listen."), NULL);
    if (changed(diff, "owner_user_id"))
        check_owner(s, rec, errors);
    if (changed(diff, "parent_ids"))
        check_parents(s, id, rec, errors);
    json_t *goals = json_object_get(rec, "goal_ids");
    if (changed(diff, "goal_ids") && json_is_array(goals) && !field_has_error(errors, "goal_ids")) {
        buf missing = BUF_INIT;
        missing_ids(s, SQL_GOAL_EXISTS, goals, &missing);
        if (missing.len)
            field_error(errors, "goal_ids", N_("Et av målene finnes ikke. Velg mål fra listen."),
                        buf_cstr(&missing));
        buf_finish(&missing);
    }
    json_t *adopted = json_object_get(rec, "adopted_year"), *next = json_object_get(rec, "next_revision");
    if ((changed(diff, "adopted_year") || changed(diff, "next_revision")) &&
        json_is_integer(adopted) && json_is_integer(next) &&
        json_integer_value(next) < json_integer_value(adopted) &&
        !field_has_error(errors, "next_revision"))
        field_error(errors, "next_revision",
                    N_("Neste revisjon kan ikke være før planen ble vedtatt."), NULL);
}

/* ---------------------------------------------------------------- writing a plan */

/* Binds the folded "name abbreviation\npurpose" that search matches against. */
static void bind_search_text(store *s, sqlite3_stmt *st, int i, const char *id, json_t *rec)
{
    sqlite3_stmt *ab = store_prepare(s, SQL_ABBREVIATION);
    buf text = BUF_INIT, folded = BUF_INIT;
    buf_puts(&text, json_string_value(json_object_get(rec, "name")));
    buf_putc(&text, ' ');
    if (ab) {
        store_bind_text(ab, 1, id);
        if (sqlite3_step(ab) == SQLITE_ROW && sqlite3_column_text(ab, 0))
            buf_puts(&text, (const char *)sqlite3_column_text(ab, 0));
        sqlite3_reset(ab);
    }
    buf_putc(&text, '\n');
    const char *purpose = json_string_value(json_object_get(rec, "purpose"));
    buf_puts(&text, purpose ? purpose : "");
    utf8_fold(text.data, text.len, &folded);
    sqlite3_bind_text(st, i, buf_cstr(&folded), (int)folded.len, SQLITE_TRANSIENT);
    buf_finish(&text);
    buf_finish(&folded);
}

static int write_row(store *s, const char *sql, const char *id, json_t *rec)
{
    sqlite3_stmt *st = store_prepare(s, sql);
    if (!st)
        return PV_EDB;
    store_bind_text(st, 1, id);
    for (int i = 1; i < 10; i++) /* name … purpose: ?2 … ?10 */
        store_edit_bind(st, i + 1, json_object_get(rec, record_names[i]));
    bind_search_text(s, st, 11, id, rec);
    return store_edit_step(st);
}

static int write_links(store *s, const char *id, json_t *before, json_t *rec)
{
    int rc = PV_OK;
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(before, "parent_ids"), i, v)
        if (rc == 0 && !json_list_has(json_object_get(rec, "parent_ids"), json_string_value(v)))
            rc = exec_pair(s, SQL_PARENT_REMOVE, id, json_string_value(v));
    json_array_foreach(json_object_get(rec, "parent_ids"), i, v)
        if (rc == 0)
            rc = exec_pair(s, SQL_PARENT_ADD, id, json_string_value(v));
    if (rc == 0)
        rc = exec_id(s, SQL_STATED_CLEAR, id);
    json_array_foreach(json_object_get(rec, "goal_ids"), i, v)
        if (rc == 0)
            rc = exec_pair(s, SQL_STATED_ADD, id, json_string_value(v));
    return rc == 0 ? store_plan_derive_goals(s, id) : rc;
}

/* Reads the record again, appends the audit event of what changed (none when nothing did). */
static int audit_change(store *s, const actor *who, int64_t now, const char *action,
                        const char *id, json_t *before)
{
    json_t *after;
    int rc = store_plan_record(s, id, &after);
    if (rc != 0)
        return rc;
    json_t *diff = diff_fields(before, after);
    if (json_object_size(diff) > 0)
        rc = store_audit_append(s, who, now, action, "plan", id, diff);
    json_decref(diff);
    json_decref(after);
    return rc;
}

/* An empty record: every field null, the lists empty. */
static json_t *empty_record(void)
{
    json_t *rec = json_object();
    for (size_t i = 0; i < PV_ARRAY_LEN(record_names); i++)
        json_object_set_new(rec, record_names[i], json_null());
    json_object_set_new(rec, "parent_ids", json_array());
    json_object_set_new(rec, "goal_ids", json_array());
    return rec;
}

/* Chooses the id of a new plan: the given one, else the slug of the name. */
static void new_plan_id(store *s, json_t *rec, json_t *errors, buf *id)
{
    const char *given = json_string_value(json_object_get(rec, "id"));
    const char *name = json_string_value(json_object_get(rec, "name"));
    if (given)
        buf_puts(id, given);
    else if (name)
        plan_slugify(name, id);
    if (field_has_error(errors, "id") || (!given && field_has_error(errors, "name")))
        return;
    if (id->len == 0)
        field_error(errors, "id", N_("Vi kan ikke lage en id av navnet. Skriv en id med små bokstaver a–z, sifre og bindestrek."), NULL);
    else if (strcmp(buf_cstr(id), PLAN_ID_RESERVED) == 0)
        field_error(errors, "id", N_("«ny» kan ikke brukes som id. Skriv en annen id."), NULL);
    else if (store_exists(s, SQL_PLAN_EXISTS, buf_cstr(id)))
        field_error(errors, "id",
                    given ? N_("Det finnes allerede en plan med denne id-en. Skriv en annen id.")
                          : N_("Det finnes allerede en plan med id-en som navnet gir. Skriv en annen id, eller endre navnet."),
                    buf_cstr(id));
}

int store_plan_create(store *s, const actor *who, int64_t now, json_t *input, json_t *errors,
                      buf *id_out)
{
    json_t *rec = empty_record();
    json_t *in = json_deep_copy(input);
    fields_normalize(plan_field_rules, in);
    fields_check(plan_field_rules, in, false, errors);
    json_object_update(rec, in);
    json_decref(in);
    if (store_begin(s) != 0) {
        json_decref(rec);
        return PV_EDB;
    }
    buf id = BUF_INIT;
    new_plan_id(s, rec, errors, &id);
    check_plan_refs(s, buf_cstr(&id), rec, NULL, errors);
    int rc = json_array_size(errors) ? PV_EINVAL : PV_OK;
    json_t *before = empty_record();
    json_object_set_new(before, "id", json_null());
    if (rc == 0)
        rc = write_row(s, SQL_INSERT, buf_cstr(&id), rec);
    if (rc == 0)
        rc = write_links(s, buf_cstr(&id), before, rec);
    if (rc == 0)
        rc = audit_change(s, who, now, "plan.create", buf_cstr(&id), before);
    rc = store_edit_finish(s, rc);
    if (rc == 0)
        buf_puts(id_out, buf_cstr(&id));
    buf_finish(&id);
    json_decref(before);
    json_decref(rec);
    return rc;
}

int store_edit_update(store *s, const edit_kind *k, const actor *who, int64_t now,
                      const char *id, json_t *changes, json_t *errors)
{
    json_t *in = json_deep_copy(changes);
    fields_normalize(k->rules, in);
    fields_check(k->rules, in, true, errors);
    const char *same = json_string_value(json_object_get(in, "id"));
    if (json_object_get(in, "id") && (!same || strcmp(same, id) != 0))
        field_error(errors, "id", k->fixed_id_message, NULL);
    if (store_begin(s) != 0) {
        json_decref(in);
        return PV_EDB;
    }
    json_t *before = NULL, *rec = NULL, *diff = NULL;
    int rc = k->read(s, id, &before);
    if (rc == 0) {
        rec = json_deep_copy(before);
        json_object_update(rec, in);
        diff = diff_fields(before, rec);
        k->check(s, id, rec, diff, errors);
        if (json_array_size(errors))
            rc = PV_EINVAL;
    }
    if (rc == 0 && json_object_size(diff) == 0)
        store_rollback(s); /* nothing to change: no write, no event */
    else
        rc = store_edit_finish(s, rc == 0 ? k->write(s, who, now, id, before, rec) : rc);
    json_decref(diff);
    json_decref(rec);
    json_decref(before);
    json_decref(in);
    return rc;
}

static int update_plan(store *s, const actor *who, int64_t now, const char *id,
                       json_t *before, json_t *rec)
{
    int rc = write_row(s, SQL_UPDATE, id, rec);
    if (rc == 0)
        rc = write_links(s, id, before, rec);
    return rc == 0 ? audit_change(s, who, now, "plan.update", id, before) : rc;
}

int store_plan_update(store *s, const actor *who, int64_t now, const char *id,
                      json_t *changes, json_t *errors)
{
    static const edit_kind plan = {plan_field_rules, N_("Id-en til en plan kan ikke endres."),
                                   store_plan_record, check_plan_refs, update_plan};
    return store_edit_update(s, &plan, who, now, id, changes, errors);
}

/* ---------------------------------------------------------------- focus areas */

int store_focus_areas(store *s, const char *plan_id, json_t **out)
{
    json_t *rows;
    int rc = collect(s, SQL_AREAS, plan_id, area_names, PV_ARRAY_LEN(area_names), &rows);
    if (rc != 0)
        return rc;
    size_t i;
    json_t *a;
    json_array_foreach(rows, i, a)
        json_object_set_new(a, "position", json_integer((json_int_t)i + 1));
    *out = rows;
    return PV_OK;
}

/* The area area_id of the plan (a copy), and all areas; PV_ENOTFOUND when not the plan's. */
static int find_area(store *s, const char *plan_id, int64_t area_id, json_t **areas,
                     json_t **area)
{
    int rc = store_focus_areas(s, plan_id, areas);
    if (rc != 0)
        return rc;
    size_t i;
    json_t *a;
    json_array_foreach(*areas, i, a) {
        if (json_integer_value(json_object_get(a, "id")) == area_id) {
            *area = json_deep_copy(a);
            return PV_OK;
        }
    }
    json_decref(*areas);
    *areas = NULL;
    return PV_ENOTFOUND;
}

static int audit_area(store *s, const actor *who, int64_t now, const char *action,
                      int64_t area_id, json_t *before, json_t *after)
{
    json_t *diff = diff_fields(before, after);
    json_object_del(diff, "id");
    char object_id[32];
    snprintf(object_id, sizeof object_id, "%lld", (long long)area_id);
    int rc = json_object_size(diff)
                 ? store_audit_append(s, who, now, action, "focus_area", object_id, diff)
                 : PV_OK;
    json_decref(diff);
    return rc;
}

static void check_area_name(store *s, const char *plan_id, int64_t area_id, json_t *rec,
                            json_t *errors)
{
    const char *name = json_string_value(json_object_get(rec, "name"));
    sqlite3_stmt *st = name && !field_has_error(errors, "name")
                           ? store_prepare(s, SQL_AREA_NAME_TAKEN) : NULL;
    if (!st)
        return;
    store_bind_text(st, 1, plan_id);
    store_bind_text(st, 2, name);
    sqlite3_bind_int64(st, 3, area_id);
    if (sqlite3_step(st) == SQLITE_ROW)
        field_error(errors, "name", N_("Planen har allerede et satsingsområde med dette navnet."),
                    NULL);
    sqlite3_reset(st);
}

static int write_area(store *s, const char *sql, const char *plan_id, int64_t area_id,
                      json_t *rec)
{
    sqlite3_stmt *st = store_prepare(s, sql);
    if (!st)
        return PV_EDB;
    int first = 1;
    if (area_id) { /* an update: ?1 id, ?2 plan, then the fields */
        sqlite3_bind_int64(st, 1, area_id);
        first = 2;
    }
    store_bind_text(st, first, plan_id);
    for (size_t i = 1; i < PV_ARRAY_LEN(area_names); i++)
        store_edit_bind(st, first + (int)i, json_object_get(rec, area_names[i]));
    return store_edit_step(st);
}

int store_focus_area_create(store *s, const actor *who, int64_t now, const char *plan_id,
                            json_t *input, json_t *errors, int64_t *id_out)
{
    json_t *in = json_deep_copy(input);
    fields_normalize(focus_area_field_rules, in);
    fields_check(focus_area_field_rules, in, false, errors);
    if (store_begin(s) != 0) {
        json_decref(in);
        return PV_EDB;
    }
    int rc = store_exists(s, SQL_PLAN_EXISTS, plan_id) ? PV_OK : PV_ENOTFOUND;
    if (rc == 0) {
        check_area_name(s, plan_id, 0, in, errors);
        if (json_array_size(errors))
            rc = PV_EINVAL;
    }
    int64_t id = 0;
    if (rc == 0 && (rc = write_area(s, SQL_AREA_INSERT, plan_id, 0, in)) == 0)
        id = sqlite3_last_insert_rowid(store_handle(s));
    json_t *areas = NULL, *area = NULL;
    if (rc == 0)
        rc = find_area(s, plan_id, id, &areas, &area);
    if (rc == 0) {
        json_object_set_new(area, "plan_id", json_string(plan_id));
        rc = audit_area(s, who, now, "focus_area.create", id, NULL, area);
    }
    if (rc == 0)
        rc = store_plan_derive_goals(s, plan_id);
    rc = store_edit_finish(s, rc);
    if (rc == 0)
        *id_out = id;
    json_decref(areas);
    json_decref(area);
    json_decref(in);
    return rc;
}

int store_focus_area_update(store *s, const actor *who, int64_t now, const char *plan_id,
                            int64_t area_id, json_t *changes, json_t *errors)
{
    json_t *in = json_deep_copy(changes);
    fields_normalize(focus_area_field_rules, in);
    fields_check(focus_area_field_rules, in, true, errors);
    if (store_begin(s) != 0) {
        json_decref(in);
        return PV_EDB;
    }
    json_t *areas = NULL, *before = NULL, *rec = NULL, *after_all = NULL, *after = NULL;
    int rc = find_area(s, plan_id, area_id, &areas, &before);
    if (rc == 0) {
        rec = json_deep_copy(before);
        json_object_update(rec, in);
        check_area_name(s, plan_id, area_id, rec, errors);
        if (json_array_size(errors))
            rc = PV_EINVAL;
    }
    if (rc == 0)
        rc = write_area(s, SQL_AREA_UPDATE, plan_id, area_id, rec);
    if (rc == 0)
        rc = find_area(s, plan_id, area_id, &after_all, &after);
    if (rc == 0)
        rc = audit_area(s, who, now, "focus_area.update", area_id, before, after);
    if (rc == 0 && !json_equal(json_object_get(before, "name"), json_object_get(after, "name")))
        rc = store_plan_derive_goals(s, plan_id);
    rc = store_edit_finish(s, rc);
    json_decref(areas);
    json_decref(before);
    json_decref(rec);
    json_decref(after_all);
    json_decref(after);
    json_decref(in);
    return rc;
}

static int set_position(store *s, json_t *area, int64_t position)
{
    sqlite3_stmt *st = store_prepare(s, SQL_AREA_POSITION);
    if (!st)
        return PV_EDB;
    sqlite3_bind_int64(st, 1, json_integer_value(json_object_get(area, "id")));
    sqlite3_bind_int64(st, 2, position);
    return store_edit_step(st);
}

int store_focus_area_move(store *s, const actor *who, int64_t now, const char *plan_id,
                          int64_t area_id, int delta)
{
    if (delta != -1 && delta != 1)
        return PV_EINVAL;
    if (store_begin(s) != 0)
        return PV_EDB;
    json_t *areas = NULL, *area = NULL;
    int rc = find_area(s, plan_id, area_id, &areas, &area);
    if (rc == 0) {
        size_t from = (size_t)json_integer_value(json_object_get(area, "position")) - 1;
        size_t to = delta < 0 ? from - 1 : from + 1;
        if ((delta < 0 && from == 0) || to >= json_array_size(areas)) {
            json_decref(areas);
            json_decref(area);
            store_rollback(s);
            return PV_OK; /* already first or last */
        }
        /* Number the areas 0, 1, … in their order with the two swapped: positions from the
         * import may repeat, and this makes them unique again. */
        for (size_t i = 0; i < json_array_size(areas) && rc == 0; i++) {
            size_t place = i == from ? to : i == to ? from : i;
            rc = set_position(s, json_array_get(areas, i), (int64_t)place);
        }
        json_t *after = json_pack("{s:I}", "position", (json_int_t)to + 1);
        json_t *was = json_pack("{s:I}", "position", (json_int_t)from + 1);
        if (rc == 0)
            rc = audit_area(s, who, now, "focus_area.move", area_id, was, after);
        json_decref(after);
        json_decref(was);
    }
    rc = store_edit_finish(s, rc);
    json_decref(areas);
    json_decref(area);
    return rc;
}
