/* Staff writes of participation processes, stakeholders, events, members, the ladder and the
 * venues.
 * Layer: store. All SQL is literal and bound (STYLE.md habit 3). Every write runs: begin →
 * read the record as it is → check (field rules, then references) → write → read it again →
 * audit event with the difference → commit; any error rolls everything back. */
#include "store/processes_edit.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/date.h"
#include "domain/diff.h"
#include "domain/participation.h"
#include "domain/plan.h"
#include "store/plans_edit.h"
#include "store/users.h"

/* ---------------------------------------------------------------- statements */

static const char SQL_RECORD[] =
    "SELECT id, title, plan_id, ladder_step_id, status, purpose, can_influence,"
    " cannot_influence, target_groups, methods, themes, areas, opens_at, deadline,"
    " publish_at_once, communication_plan, evaluation_plan, hours_spent, cost_spent, summary,"
    " owner_user_id FROM process WHERE id = ?1";
static const char SQL_PHASES[] =
    "SELECT name, starts_on, ends_on FROM process_phase WHERE process_id = ?1 ORDER BY position";
static const char SQL_TIMES[] = "SELECT opens_at, deadline FROM process WHERE id = ?1";
static const char SQL_PROCESS_EXISTS[] = "SELECT 1 FROM process WHERE id = ?1";
static const char SQL_PLAN_EXISTS[] = "SELECT 1 FROM plan WHERE id = ?1";
static const char SQL_STEP_EXISTS[] = "SELECT 1 FROM ladder_step WHERE id = ?1";

/* ?1 id, ?2 … ?19 the fields in the order of process_fields[], ?20 owner, ?21 created. */
static const char SQL_INSERT[] =
    "INSERT INTO process (id, title, plan_id, ladder_step_id, purpose, can_influence,"
    " cannot_influence, target_groups, methods, themes, areas, opens_at, deadline,"
    " publish_at_once, communication_plan, evaluation_plan, hours_spent, cost_spent, summary,"
    " owner_user_id, created_at, position) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10,"
    " ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21,"
    " (SELECT coalesce(max(position), 0) + 1 FROM process))";
static const char SQL_UPDATE[] =
    "UPDATE process SET title = ?2, plan_id = ?3, ladder_step_id = ?4, purpose = ?5,"
    " can_influence = ?6, cannot_influence = ?7, target_groups = ?8, methods = ?9, themes = ?10,"
    " areas = ?11, opens_at = ?12, deadline = ?13, publish_at_once = ?14,"
    " communication_plan = ?15, evaluation_plan = ?16, hours_spent = ?17, cost_spent = ?18,"
    " summary = ?19 WHERE id = ?1";
static const char SQL_PHASES_CLEAR[] = "DELETE FROM process_phase WHERE process_id = ?1";
static const char SQL_PHASE_ADD[] =
    "INSERT INTO process_phase (process_id, position, name, starts_on, ends_on)"
    " VALUES (?1, ?2, ?3, ?4, ?5)";
/* Setting «avsluttet» records when the process ended: contact data are kept for the
 * retention from then (store/gdpr.h works out erase_after from closed_at). */
static const char SQL_STATUS[] =
    "UPDATE process SET status = ?2,"
    " closed_at = CASE WHEN ?2 = 'avsluttet' THEN ?3 ELSE closed_at END WHERE id = ?1";

static const char SQL_HOLDER[] =
    "SELECT id, name, interest, influence, how_reached, reached FROM stakeholder"
    " WHERE id = ?1 AND process_id = ?2";
static const char SQL_HOLDER_INSERT[] =
    "INSERT INTO stakeholder (process_id, name, interest, influence, how_reached, reached)"
    " VALUES (?2, ?3, ?4, ?5, ?6, ?7)";
static const char SQL_HOLDER_UPDATE[] =
    "UPDATE stakeholder SET name = ?3, interest = ?4, influence = ?5, how_reached = ?6,"
    " reached = ?7 WHERE id = ?1 AND process_id = ?2";
static const char SQL_HOLDER_DELETE[] = "DELETE FROM stakeholder WHERE id = ?1 AND process_id = ?2";

static const char SQL_EVENT[] =
    "SELECT id, kind, title, starts_at, ends_at, venue_id, method, accessibility FROM event"
    " WHERE id = ?1 AND process_id = ?2";
static const char SQL_EVENT_INSERT[] =
    "INSERT INTO event (process_id, kind, title, starts_at, ends_at, venue_id, method,"
    " accessibility) VALUES (?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
static const char SQL_EVENT_UPDATE[] =
    "UPDATE event SET kind = ?3, title = ?4, starts_at = ?5, ends_at = ?6, venue_id = ?7,"
    " method = ?8, accessibility = ?9 WHERE id = ?1 AND process_id = ?2";
static const char SQL_EVENT_DELETE[] = "DELETE FROM event WHERE id = ?1 AND process_id = ?2";
static const char SQL_VENUE_EXISTS[] = "SELECT 1 FROM venue WHERE id = ?1";

static const char SQL_MEMBER_IS[] =
    "SELECT 1 FROM process WHERE id = ?1 AND owner_user_id = ?2"
    " UNION ALL SELECT 1 FROM process_member WHERE process_id = ?1 AND user_id = ?2";
static const char SQL_MEMBER_ADD[] =
    "INSERT INTO process_member (process_id, user_id) VALUES (?1, ?2)";
static const char SQL_MEMBER_REMOVE[] =
    "DELETE FROM process_member WHERE process_id = ?1 AND user_id = ?2";

static const char SQL_STEP[] =
    "SELECT id, position, name, explanation, methods FROM ladder_step WHERE id = ?1";
static const char SQL_STEP_COUNT[] = "SELECT count(*) FROM ladder_step";
static const char SQL_STEP_INSERT[] =
    "INSERT INTO ladder_step (id, name, explanation, methods, position)"
    " VALUES (?1, ?2, ?3, ?4, (SELECT coalesce(max(position), 0) + 1 FROM ladder_step))";
static const char SQL_STEP_UPDATE[] =
    "UPDATE ladder_step SET name = ?2, explanation = ?3, methods = ?4 WHERE id = ?1";
static const char SQL_STEP_NEIGHBOUR[] =
    "SELECT id, position FROM ladder_step WHERE"
    " (?2 < 0 AND position < ?1) OR (?2 > 0 AND position > ?1)"
    " ORDER BY CASE WHEN ?2 < 0 THEN -position ELSE position END LIMIT 1";
static const char SQL_STEP_POSITION[] = "UPDATE ladder_step SET position = ?2 WHERE id = ?1";

static const char SQL_VENUE[] =
    "SELECT id, name, address, area, capacity, universal_design, equipment FROM venue"
    " WHERE id = ?1";
static const char SQL_VENUE_INSERT[] =
    "INSERT INTO venue (name, address, area, capacity, universal_design, equipment)"
    " VALUES (?2, ?3, ?4, ?5, ?6, ?7)";
static const char SQL_VENUE_UPDATE[] =
    "UPDATE venue SET name = ?2, address = ?3, area = ?4, capacity = ?5,"
    " universal_design = ?6, equipment = ?7 WHERE id = ?1";

/* ---------------------------------------------------------------- field rules */

#define TOO_LONG_TEXT N_("Teksten er for lang (høyst 20 000 tegn).")
#define TOO_LONG_300 N_("Teksten er for lang (høyst 300 tegn).")
#define TOO_LONG_2000 N_("Teksten er for lang (høyst 2 000 tegn).")

static const char *const levels[] = {"lav", "høy", NULL};
static const char *const event_kinds[] = {"møte", "workshop", "pop-up", "stand", "annet", NULL};

/* The scalar fields of a process; the lists, phases, dates and numbers are checked apart. */
static const field_rule process_rules[] = {
    {"title", FIELD_TEXT, true, false, 300, TOO_LONG_300, N_("Skriv en tittel på prosessen."), NULL, NULL},
    {"plan_id", FIELD_ID, false, false, 0, NULL, NULL, N_("Planen finnes ikke. Velg en plan fra listen."), NULL},
    {"ladder_step_id", FIELD_ID, false, false, 0, NULL, NULL, N_("Velg et trinn i medvirkningstrappa."), NULL},
    {"purpose", FIELD_TEXT, false, true, PROCESS_TEXT_MAX, TOO_LONG_TEXT, NULL, NULL, NULL},
    {"can_influence", FIELD_TEXT, false, true, PROCESS_TEXT_MAX, TOO_LONG_TEXT, NULL, NULL, NULL},
    {"cannot_influence", FIELD_TEXT, false, true, PROCESS_TEXT_MAX, TOO_LONG_TEXT, NULL, NULL, NULL},
    {"publish_at_once", FIELD_BOOL, false, false, 0, NULL, NULL, NULL, NULL},
    {"communication_plan", FIELD_TEXT, false, true, PROCESS_TEXT_MAX, TOO_LONG_TEXT, NULL, NULL, NULL},
    {"evaluation_plan", FIELD_TEXT, false, true, PROCESS_TEXT_MAX, TOO_LONG_TEXT, NULL, NULL, NULL},
    {"summary", FIELD_TEXT, false, true, PROCESS_TEXT_MAX, TOO_LONG_TEXT, NULL, NULL, NULL},
    /* checked below */
    {"target_groups", FIELD_NUMBER, false, false, 0, NULL, NULL, NULL, NULL},
    {"methods", FIELD_NUMBER, false, false, 0, NULL, NULL, NULL, NULL},
    {"themes", FIELD_NUMBER, false, false, 0, NULL, NULL, NULL, NULL},
    {"areas", FIELD_NUMBER, false, false, 0, NULL, NULL, NULL, NULL},
    {"phases", FIELD_NUMBER, false, false, 0, NULL, NULL, NULL, NULL},
    {"opens_on", FIELD_NUMBER, false, false, 0, NULL, NULL, NULL, NULL},
    {"deadline_on", FIELD_NUMBER, false, false, 0, NULL, NULL, NULL, NULL},
    {"hours_spent", FIELD_NUMBER, false, false, 0, NULL, NULL, NULL, NULL},
    {"cost_spent", FIELD_NUMBER, false, false, 0, NULL, NULL, NULL, NULL},
    {NULL, 0, false, false, 0, NULL, NULL, NULL, NULL},
};
/* The fields above that fields_check() must leave alone (their kind is a placeholder). */
static const char *const process_special[] = {"target_groups", "methods", "themes", "areas",
                                              "phases", "opens_on", "deadline_on",
                                              "hours_spent", "cost_spent"};

static const field_rule stakeholder_rules[] = {
    {"name", FIELD_TEXT, true, false, 300, TOO_LONG_300, N_("Skriv navnet på interessenten."), NULL, NULL},
    {"interest", FIELD_ENUM, true, false, 0, NULL, N_("Velg lav eller høy interesse."), N_("Velg lav eller høy interesse."), levels},
    {"influence", FIELD_ENUM, true, false, 0, NULL, N_("Velg lav eller høy innflytelse."), N_("Velg lav eller høy innflytelse."), levels},
    {"how_reached", FIELD_TEXT, false, true, 2000, TOO_LONG_2000, NULL, NULL, NULL},
    {"reached", FIELD_BOOL, false, false, 0, NULL, NULL, NULL, NULL},
    {NULL, 0, false, false, 0, NULL, NULL, NULL, NULL},
};

static const field_rule event_rules[] = {
    {"kind", FIELD_ENUM, true, false, 0, NULL, N_("Velg hva slags arrangement det er."), N_("Velg hva slags arrangement det er."), event_kinds},
    {"title", FIELD_TEXT, true, false, 300, TOO_LONG_300, N_("Skriv en tittel på arrangementet."), NULL, NULL},
    {"date", FIELD_TEXT, false, false, 10, N_("Skriv datoen som åååå-mm-dd, for eksempel 2026-05-14."), NULL, NULL, NULL},
    {"starts", FIELD_TEXT, false, false, 5, N_("Skriv klokkeslettet som tt:mm, for eksempel 18:00."), NULL, NULL, NULL},
    {"ends", FIELD_TEXT, false, false, 5, N_("Skriv klokkeslettet som tt:mm, for eksempel 18:00."), NULL, NULL, NULL},
    {"venue_id", FIELD_USER, false, false, 0, NULL, NULL, NULL, NULL},
    {"method", FIELD_TEXT, false, false, 300, TOO_LONG_300, NULL, NULL, NULL},
    {"accessibility", FIELD_TEXT, false, true, 2000, TOO_LONG_2000, NULL, NULL, NULL},
    {NULL, 0, false, false, 0, NULL, NULL, NULL, NULL},
};

static const field_rule step_rules[] = {
    {"name", FIELD_TEXT, true, false, 100, N_("Teksten er for lang (høyst 100 tegn)."), N_("Skriv navnet på trinnet."), NULL, NULL},
    {"explanation", FIELD_TEXT, true, true, 2000, TOO_LONG_2000, N_("Forklar trinnet med enkle ord."), NULL, NULL},
    {"methods", FIELD_NUMBER, false, false, 0, NULL, NULL, NULL, NULL}, /* checked below */
    {NULL, 0, false, false, 0, NULL, NULL, NULL, NULL},
};

static const field_rule venue_rules[] = {
    {"name", FIELD_TEXT, true, false, 200, N_("Teksten er for lang (høyst 200 tegn)."), N_("Skriv navnet på lokalet."), NULL, NULL},
    {"address", FIELD_TEXT, false, false, 300, TOO_LONG_300, NULL, NULL, NULL},
    {"area", FIELD_TEXT, false, false, 300, TOO_LONG_300, NULL, NULL, NULL},
    {"capacity", FIELD_NUMBER, false, false, 0, NULL, NULL, NULL, NULL}, /* checked below */
    {"universal_design", FIELD_TEXT, false, true, 2000, TOO_LONG_2000, NULL, NULL, NULL},
    {"equipment", FIELD_TEXT, false, true, 2000, TOO_LONG_2000, NULL, NULL, NULL},
    {NULL, 0, false, false, 0, NULL, NULL, NULL, NULL},
};

/* ---------------------------------------------------------------- small helpers */

static const char *str(json_t *obj, const char *key)
{
    return json_string_value(json_object_get(obj, key));
}

static int exec_id(store *s, const char *sql, const char *id)
{
    sqlite3_stmt *st = store_prepare(s, sql);
    if (st)
        store_bind_text(st, 1, id);
    return store_edit_step(st);
}

/* Binds id as ?1 (an integer) and text as ?2. */
static sqlite3_stmt *prepare_id_text(store *s, const char *sql, int64_t id, const char *text)
{
    sqlite3_stmt *st = store_prepare(s, sql);
    if (st) {
        sqlite3_bind_int64(st, 1, id);
        store_bind_text(st, 2, text);
    }
    return st;
}

static void bind_json_text(sqlite3_stmt *st, int i, json_t *v)
{
    char *text = v ? json_dumps(v, JSON_COMPACT) : NULL;
    sqlite3_bind_text(st, i, text ? text : "[]", -1, SQLITE_TRANSIENT);
    free(text);
}

static void set_bool(json_t *obj, const char *key)
{
    json_object_set_new(obj, key, json_boolean(json_integer_value(json_object_get(obj, key))));
}

/* The audit event of a change of one record: the fields that differ (none: no event). */
static int audit_diff(store *s, const actor *who, int64_t now, const char *action,
                      const char *type, const char *object_id, json_t *before, json_t *after)
{
    json_t *diff = diff_fields(before, after);
    json_object_del(diff, "id");
    int rc = json_object_size(diff) || !before || !after
                 ? store_audit_append(s, who, now, action, type, object_id, diff)
                 : PV_OK;
    json_decref(diff);
    return rc;
}

static void int_text(int64_t id, char out[24])
{
    snprintf(out, 24, "%lld", (long long)id);
}

/* Reads a row of a process (process_id NULL for rows of no process, such as venues). */
typedef int (*row_read_fn)(store *s, const char *process_id, int64_t id, json_t **out);

/* Ends the save of a row after its INSERT or UPDATE (rc): the row's id (id, or the new one),
 * its audit event TYPE.create or TYPE.update with the row as it was (before, or NULL) and as
 * it is now, with the process it belongs to among the values so the log reads per process,
 * and the end of the transaction. Writes the id into id_out (may be NULL). */
static int finish_saved_row(store *s, int rc, const actor *who, int64_t now, const char *type,
                            const char *process_id, int64_t id, row_read_fn read,
                            json_t *before, int64_t *id_out)
{
    json_t *after = NULL;
    if (rc == 0 && !id)
        id = sqlite3_last_insert_rowid(store_handle(s));
    if (rc == 0)
        rc = read(s, process_id, id, &after);
    if (rc == 0) {
        char oid[24], action[48];
        int_text(id, oid);
        snprintf(action, sizeof action, "%s.%s", type, before ? "update" : "create");
        if (process_id) {
            json_object_set_new(after, "process_id", json_string(process_id));
            if (before)
                json_object_set_new(before, "process_id", json_string(process_id));
        }
        rc = audit_diff(s, who, now, action, type, oid, before, after);
    }
    rc = store_edit_finish(s, rc);
    if (rc == 0 && id_out)
        *id_out = id;
    json_decref(after);
    return rc;
}

/* Runs fields_check on input, skipping the keys whose rule kind is only a placeholder. */
static void check_fields(const field_rule *rules, const char *const *special, size_t n_special,
                         json_t *input, bool partial, json_t *errors)
{
    json_t *plain = json_deep_copy(input);
    for (size_t i = 0; i < n_special; i++)
        json_object_del(plain, special[i]);
    fields_normalize(rules, plain);
    fields_check(rules, plain, partial, errors);
    json_object_update(input, plain); /* the normalized values */
    json_decref(plain);
}

/* ---------------------------------------------------------------- lists and dates */

static bool blank(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* A list of short texts: each item trimmed, empty ones and repeats dropped; too many items,
 * an item too long or with control characters is an error. Replaces the list in input with
 * the tidy one. */
static void check_text_list(json_t *input, const char *field, size_t max_items,
                            size_t max_len, json_t *errors)
{
    json_t *v = json_object_get(input, field);
    if (!v)
        return;
    if (json_is_null(v)) {
        json_object_set_new(input, field, json_array());
        return;
    }
    if (!json_is_array(v)) {
        field_error(errors, field, N_("Må være en liste med tekster."), NULL);
        return;
    }
    json_t *tidy = json_array();
    size_t i, j;
    json_t *item, *seen;
    json_array_foreach(v, i, item) {
        if (!json_is_string(item)) {
            field_error(errors, field, N_("Må være en liste med tekster."), NULL);
            break;
        }
        const char *s = json_string_value(item);
        size_t len = json_string_length(item), start = 0;
        while (start < len && blank(s[start]))
            start++;
        while (len > start && blank(s[len - 1]))
            len--;
        if (len == start)
            continue;
        bool control = false;
        for (size_t k = start; k < len; k++)
            control |= (unsigned char)s[k] < 0x20 || s[k] == 0x7f;
        if (control) {
            field_error(errors, field, N_("Teksten kan ikke ha linjeskift eller kontrolltegn."), NULL);
            break;
        }
        if (len - start > max_len) {
            field_error(errors, field, N_("Et av punktene er for langt (høyst 300 tegn)."),
                        NULL);
            break;
        }
        json_t *t = json_stringn(s + start, len - start);
        bool repeat = false;
        json_array_foreach(tidy, j, seen)
            repeat |= json_equal(seen, t);
        if (repeat)
            json_decref(t);
        else
            json_array_append_new(tidy, t);
    }
    if (json_array_size(tidy) > max_items)
        field_error(errors, field, N_("Listen er for lang (høyst 50 punkter)."), NULL);
    json_object_set_new(input, field, tidy);
}

/* A date field: null, "" (→ null) or a valid YYYY-MM-DD. */
static void check_date(json_t *input, const char *field, json_t *errors)
{
    json_t *v = json_object_get(input, field);
    if (!v || json_is_null(v))
        return;
    if (json_is_string(v) && json_string_length(v) == 0) {
        json_object_set_new(input, field, json_null());
        return;
    }
    if (!json_is_string(v) || pv_parse_date(json_string_value(v), NULL) != 0)
        field_error(errors, field, N_("Skriv datoen som åååå-mm-dd, for eksempel 2026-05-14."),
                    json_is_string(v) ? json_string_value(v) : NULL);
}

/* The phases: [{name, starts_on, ends_on}], a name for each, dates valid and in order. */
static void check_phases(json_t *input, json_t *errors)
{
    json_t *v = json_object_get(input, "phases");
    if (!v)
        return;
    if (json_is_null(v)) {
        json_object_set_new(input, "phases", json_array());
        return;
    }
    if (!json_is_array(v) || json_array_size(v) > PROCESS_PHASES_MAX) {
        field_error(errors, "phases", N_("Skriv høyst 20 faser."), NULL);
        return;
    }
    size_t i;
    json_t *p;
    json_array_foreach(v, i, p) {
        char row[16];
        snprintf(row, sizeof row, "%zu", i + 1);
        json_t *name = json_object_get(p, "name");
        if (!json_is_object(p) || !json_is_string(name) || json_string_length(name) == 0) {
            field_error(errors, "phases", N_("Fase %s må ha et navn."), row);
            return;
        }
        if (json_string_length(name) > PROCESS_ITEM_MAX) {
            field_error(errors, "phases", N_("Navnet på fase %s er for langt (høyst 300 tegn)."), row);
            return;
        }
        json_t *dates = json_pack("{s:O?, s:O?}", "starts_on", json_object_get(p, "starts_on"),
                                  "ends_on", json_object_get(p, "ends_on"));
        json_t *bad = json_array();
        check_date(dates, "starts_on", bad);
        check_date(dates, "ends_on", bad);
        const char *a = str(dates, "starts_on"), *b = str(dates, "ends_on");
        if (json_array_size(bad))
            field_error(errors, "phases",
                        N_("Skriv datoene i fase %s som åååå-mm-dd, for eksempel 2026-05-14."),
                        row);
        else if (a && b && strcmp(a, b) > 0)
            field_error(errors, "phases", N_("Fase %s kan ikke slutte før den begynner."),
                        row);
        json_object_set_new(p, "starts_on", json_incref(json_object_get(dates, "starts_on")));
        json_object_set_new(p, "ends_on", json_incref(json_object_get(dates, "ends_on")));
        if (!json_object_get(p, "starts_on"))
            json_object_set_new(p, "starts_on", json_null());
        if (!json_object_get(p, "ends_on"))
            json_object_set_new(p, "ends_on", json_null());
        json_decref(bad);
        json_decref(dates);
        if (json_array_size(errors) && field_has_error(errors, "phases"))
            return;
    }
}

/* A number field: null or a number within [0, max]; integer_only for whole numbers. */
static void check_amount(json_t *input, const char *field, double max, bool integer_only,
                         const char *message, json_t *errors)
{
    json_t *v = json_object_get(input, field);
    if (!v || json_is_null(v))
        return;
    bool ok = integer_only ? json_is_integer(v) : json_is_number(v);
    double d = json_number_value(v);
    if (!ok || !isfinite(d) || d < 0 || d > max)
        field_error(errors, field, message, NULL);
}

/* ---------------------------------------------------------------- processes: reading */

static const char *const record_names[] = {
    "id", "title", "plan_id", "ladder_step_id", "status", "purpose", "can_influence",
    "cannot_influence", "target_groups", "methods", "themes", "areas", "opens_at", "deadline",
    "publish_at_once", "communication_plan", "evaluation_plan", "hours_spent", "cost_spent",
    "summary", "owner_user_id"};
/* The fields written by SQL_INSERT / SQL_UPDATE as ?2 … ?19. */
static const char *const process_fields[] = {
    "title", "plan_id", "ladder_step_id", "purpose", "can_influence", "cannot_influence",
    "target_groups", "methods", "themes", "areas", "opens_on", "deadline_on", "publish_at_once",
    "communication_plan", "evaluation_plan", "hours_spent", "cost_spent", "summary"};

static json_t *date_of(json_t *t)
{
    if (!json_is_integer(t))
        return json_null();
    char out[11];
    pv_date_format(pv_date_of(json_integer_value(t)), out);
    return json_string(out);
}

int store_process_record(store *s, const char *id, json_t **out)
{
    sqlite3_stmt *st = store_prepare(s, SQL_RECORD);
    if (!st)
        return PV_EDB;
    store_bind_text(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        sqlite3_reset(st);
        return rc == SQLITE_DONE ? PV_ENOTFOUND : PV_EDB;
    }
    json_t *rec = json_object(), *phases = NULL;
    for (size_t i = 0; i < PV_ARRAY_LEN(record_names); i++) /* columns 8..11: JSON lists */
        json_object_set_new(rec, record_names[i],
                            i >= 8 && i <= 11 ? store_column_parsed(st, (int)i)
                                              : store_column_json(st, (int)i));
    sqlite3_reset(st);
    json_object_set_new(rec, "opens_on", date_of(json_object_get(rec, "opens_at")));
    json_object_set_new(rec, "deadline_on", date_of(json_object_get(rec, "deadline")));
    json_object_del(rec, "opens_at");
    json_object_del(rec, "deadline");
    set_bool(rec, "publish_at_once");
    json_t *hours = json_object_get(rec, "hours_spent");
    if (json_is_integer(hours)) /* REAL columns read back whole numbers as integers */
        json_object_set_new(rec, "hours_spent", json_real((double)json_integer_value(hours)));
    static const char *const phase[] = {"name", "starts_on", "ends_on"};
    st = store_prepare(s, SQL_PHASES);
    if (!st) {
        json_decref(rec);
        return PV_EDB;
    }
    store_bind_text(st, 1, id);
    if ((rc = store_collect_rows(s, st, phase, 3, &phases)) != 0) {
        json_decref(rec);
        return rc;
    }
    json_object_set_new(rec, "phases", phases);
    *out = rec;
    return PV_OK;
}

/* ---------------------------------------------------------------- processes: checking */

static void check_process(store *s, json_t *in, bool partial, json_t *errors)
{
    check_fields(process_rules, process_special, PV_ARRAY_LEN(process_special), in, partial,
                 errors);
    check_text_list(in, "target_groups", PROCESS_LIST_MAX, PROCESS_ITEM_MAX, errors);
    check_text_list(in, "methods", PROCESS_LIST_MAX, PROCESS_ITEM_MAX, errors);
    check_text_list(in, "themes", PROCESS_LIST_MAX, PROCESS_ITEM_MAX, errors);
    check_text_list(in, "areas", PROCESS_LIST_MAX, PROCESS_ITEM_MAX, errors);
    check_phases(in, errors);
    check_date(in, "opens_on", errors);
    check_date(in, "deadline_on", errors);
    check_amount(in, "hours_spent", PROCESS_HOURS_MAX, false,
                 N_("Skriv antall timer som et tall, for eksempel 12,5."), errors);
    check_amount(in, "cost_spent", (double)PROCESS_COST_MAX, true,
                 N_("Skriv kostnaden i hele kroner, for eksempel 25000."), errors);
    (void)s;
}

/* The checks of the merged record that need the database or several fields. */
static void check_process_refs(store *s, json_t *rec, json_t *errors)
{
    const char *plan = str(rec, "plan_id"), *step = str(rec, "ladder_step_id");
    if (plan && !field_has_error(errors, "plan_id") &&
        !store_exists(s, SQL_PLAN_EXISTS, plan))
        field_error(errors, "plan_id", N_("Planen finnes ikke. Velg en plan fra listen."), NULL);
    if (step && !field_has_error(errors, "ladder_step_id") &&
        !store_exists(s, SQL_STEP_EXISTS, step))
        field_error(errors, "ladder_step_id", N_("Velg et trinn i medvirkningstrappa."), NULL);
    const char *opens = str(rec, "opens_on"), *deadline = str(rec, "deadline_on");
    if (opens && deadline && strcmp(opens, deadline) > 0 && !field_has_error(errors, "opens_on") &&
        !field_has_error(errors, "deadline_on"))
        field_error(errors, "deadline_on",
                    N_("Fristen for innspill kan ikke være før prosessen åpner."), NULL);
}

/* ---------------------------------------------------------------- processes: writing */

/* Binds a date as the local start (or end) of its day, or keeps the stored moment when the
 * date did not change (a demo hearing opens at the minute it was made). */
static void bind_day(sqlite3_stmt *st, int i, const char *date, bool end_of_day,
                     const char *before_date, int64_t before_value, bool has_before)
{
    pv_date d;
    if (date && has_before && before_date && strcmp(date, before_date) == 0)
        sqlite3_bind_int64(st, i, before_value);
    else if (date && pv_parse_date(date, &d) == 0)
        sqlite3_bind_int64(st, i, end_of_day ? pv_date_local(d, 23, 59, 59)
                                             : pv_date_local(d, 0, 0, 0));
    else
        sqlite3_bind_null(st, i);
}

static int write_process(store *s, const char *sql, const char *id, json_t *before,
                         json_t *rec, const actor *who, int64_t now)
{
    int64_t opens_at = 0, deadline = 0;
    bool has_opens = false, has_deadline = false;
    sqlite3_stmt *t = before ? store_prepare(s, SQL_TIMES) : NULL;
    if (t) {
        store_bind_text(t, 1, id);
        if (sqlite3_step(t) == SQLITE_ROW) {
            has_opens = sqlite3_column_type(t, 0) != SQLITE_NULL;
            has_deadline = sqlite3_column_type(t, 1) != SQLITE_NULL;
            opens_at = sqlite3_column_int64(t, 0);
            deadline = sqlite3_column_int64(t, 1);
        }
        sqlite3_reset(t);
    }
    sqlite3_stmt *st = store_prepare(s, sql);
    if (!st)
        return PV_EDB;
    store_bind_text(st, 1, id);
    for (size_t i = 0; i < PV_ARRAY_LEN(process_fields); i++) {
        const char *f = process_fields[i];
        int at = (int)i + 2;
        json_t *v = json_object_get(rec, f);
        if (strcmp(f, "opens_on") == 0)
            bind_day(st, at, json_string_value(v), false, str(before, "opens_on"), opens_at,
                     has_opens);
        else if (strcmp(f, "deadline_on") == 0)
            bind_day(st, at, json_string_value(v), true, str(before, "deadline_on"), deadline,
                     has_deadline);
        else if (json_is_array(v))
            bind_json_text(st, at, v);
        else
            store_edit_bind(st, at, v);
    }
    if (!before) {
        sqlite3_bind_int64(st, 20, who->user_id);
        sqlite3_bind_int64(st, 21, now);
    }
    int rc = store_edit_step(st);
    if (rc == 0)
        rc = exec_id(s, SQL_PHASES_CLEAR, id);
    size_t i;
    json_t *p;
    json_array_foreach(json_object_get(rec, "phases"), i, p) {
        st = rc == 0 ? store_prepare(s, SQL_PHASE_ADD) : NULL;
        if (!st)
            return rc ? rc : PV_EDB;
        store_bind_text(st, 1, id);
        sqlite3_bind_int64(st, 2, (sqlite3_int64)i);
        store_bind_text(st, 3, str(p, "name"));
        store_bind_text(st, 4, str(p, "starts_on"));
        store_bind_text(st, 5, str(p, "ends_on"));
        rc = store_edit_step(st);
    }
    return rc;
}

/* A record with every field empty. */
static json_t *empty_process(void)
{
    json_t *rec = json_object();
    for (size_t i = 0; i < PV_ARRAY_LEN(process_fields); i++)
        json_object_set_new(rec, process_fields[i], json_null());
    static const char *const lists[] = {"target_groups", "methods", "themes", "areas", "phases"};
    for (size_t i = 0; i < PV_ARRAY_LEN(lists); i++)
        json_object_set_new(rec, lists[i], json_array());
    json_object_set_new(rec, "publish_at_once", json_false());
    return rec;
}

/* The id of a new process: the slug of its title, with -2, -3 … when taken. */
static void new_process_id(store *s, const char *title, json_t *errors, buf *id)
{
    buf slug = BUF_INIT;
    plan_slugify(title, &slug);
    size_t len = slug.len > 90 ? 90 : slug.len;
    while (len && slug.data[len - 1] == '-')
        len--;
    for (int n = 1; n < 1000; n++) {
        buf_reset(id);
        buf_append(id, slug.data ? slug.data : "", len);
        if (n > 1)
            buf_printf(id, "-%d", n);
        if (id->len && strcmp(buf_cstr(id), PLAN_ID_RESERVED) != 0 &&
            plan_id_valid(buf_cstr(id)) && !store_exists(s, SQL_PROCESS_EXISTS, buf_cstr(id)))
            break;
    }
    if (len == 0)
        field_error(errors, "title", N_("Tittelen må ha minst én bokstav eller ett siffer."), NULL);
    buf_finish(&slug);
}

int store_process_create(store *s, const actor *who, int64_t now, json_t *input,
                         json_t *errors, buf *id_out)
{
    json_t *in = json_deep_copy(input);
    json_t *rec = empty_process();
    check_process(s, in, false, errors);
    json_object_update(rec, in);
    json_decref(in);
    if (store_begin(s) != 0) {
        json_decref(rec);
        return PV_EDB;
    }
    buf id = BUF_INIT;
    const char *title = str(rec, "title");
    if (title && !field_has_error(errors, "title"))
        new_process_id(s, title, errors, &id);
    check_process_refs(s, rec, errors);
    int rc = json_array_size(errors) ? PV_EINVAL : PV_OK;
    json_t *after = NULL;
    if (rc == 0)
        rc = write_process(s, SQL_INSERT, buf_cstr(&id), NULL, rec, who, now);
    if (rc == 0)
        rc = store_process_record(s, buf_cstr(&id), &after);
    if (rc == 0)
        rc = audit_diff(s, who, now, "process.create", "process", buf_cstr(&id), NULL, after);
    rc = store_edit_finish(s, rc);
    if (rc == 0)
        buf_puts(id_out, buf_cstr(&id));
    buf_finish(&id);
    json_decref(after);
    json_decref(rec);
    return rc;
}

int store_process_update(store *s, const actor *who, int64_t now, const char *id,
                         json_t *input, json_t *errors)
{
    json_t *in = json_deep_copy(input);
    json_object_del(in, "id"); /* the slug never changes */
    check_process(s, in, true, errors);
    if (store_begin(s) != 0) {
        json_decref(in);
        return PV_EDB;
    }
    json_t *before = NULL, *rec = NULL, *after = NULL;
    int rc = store_process_record(s, id, &before);
    if (rc == 0) {
        rec = json_deep_copy(before);
        json_object_update(rec, in);
        check_process_refs(s, rec, errors);
        if (json_array_size(errors))
            rc = PV_EINVAL;
    }
    if (rc == 0)
        rc = write_process(s, SQL_UPDATE, id, before, rec, who, now);
    if (rc == 0)
        rc = store_process_record(s, id, &after);
    if (rc == 0)
        rc = audit_diff(s, who, now, "process.update", "process", id, before, after);
    rc = store_edit_finish(s, rc);
    json_decref(after);
    json_decref(rec);
    json_decref(before);
    json_decref(in);
    return rc;
}

int store_process_set_status(store *s, const actor *who, int64_t now, const char *id,
                             const char *to, json_t *errors)
{
    if (!to || !process_status_valid(to)) {
        field_error(errors, "status", N_("Velg en av statusene i listen."), NULL);
        return PV_EINVAL;
    }
    if (store_begin(s) != 0)
        return PV_EDB;
    json_t *rec = NULL;
    int rc = store_process_record(s, id, &rec);
    const char *from = rc == 0 ? str(rec, "status") : NULL;
    if (rc == 0 && !process_transition_allowed(from, to)) {
        buf detail = BUF_INIT;
        buf_printf(&detail, "%s → %s", from, to);
        field_error(errors, "status",
                    N_("Prosessen kan ikke gå direkte til denne statusen fra der den er nå."),
                    buf_cstr(&detail));
        buf_finish(&detail);
        rc = PV_EINVAL;
    }
    if (rc == 0 && strcmp(to, PROCESS_OPEN) == 0) {
        const char *deadline = str(rec, "deadline_on");
        pv_date d;
        if (!deadline || pv_parse_date(deadline, &d) != 0) {
            field_error(errors, "status",
                        N_("Sett en frist for innspill før prosessen åpnes for innspill."), NULL);
            rc = PV_EINVAL;
        } else if (pv_date_local(d, 23, 59, 59) <= now) {
            field_error(errors, "status",
                        N_("Fristen for innspill har gått ut. Sett en ny frist før prosessen åpnes."),
                        deadline);
            rc = PV_EINVAL;
        }
    }
    sqlite3_stmt *st = rc == 0 ? store_prepare(s, SQL_STATUS) : NULL;
    if (rc == 0 && st) {
        store_bind_text(st, 1, id);
        store_bind_text(st, 2, to);
        sqlite3_bind_int64(st, 3, now);
        rc = store_edit_step(st);
    } else if (rc == 0) {
        rc = PV_EDB;
    }
    if (rc == 0) {
        json_t *change = json_pack("{s:[s,s]}", "status", from, to);
        rc = store_audit_append(s, who, now, "process.status", "process", id, change);
        json_decref(change);
    }
    rc = store_edit_finish(s, rc);
    json_decref(rec);
    return rc;
}

/* ---------------------------------------------------------------- stakeholders */

static const char *const holder_names[] = {"id", "name", "interest", "influence",
                                           "how_reached", "reached"};

static int holder_read(store *s, const char *process_id, int64_t id, json_t **out)
{
    int rc = store_one_row(s, prepare_id_text(s, SQL_HOLDER, id, process_id), holder_names, 6, 6, out);
    if (rc == 0)
        set_bool(*out, "reached");
    return rc;
}

int store_stakeholder_save(store *s, const actor *who, int64_t now, const char *process_id,
                           int64_t stakeholder_id, json_t *input, json_t *errors,
                           int64_t *id_out)
{
    json_t *in = json_deep_copy(input);
    json_object_del(in, "id");
    check_fields(stakeholder_rules, NULL, 0, in, stakeholder_id != 0, errors);
    if (store_begin(s) != 0) {
        json_decref(in);
        return PV_EDB;
    }
    json_t *before = NULL;
    json_t *rec = json_pack("{s:n, s:n, s:n, s:n, s:b}", "name", "interest", "influence",
                            "how_reached", "reached", 0);
    int rc = store_exists(s, SQL_PROCESS_EXISTS, process_id) ? PV_OK : PV_ENOTFOUND;
    if (rc == 0 && stakeholder_id && (rc = holder_read(s, process_id, stakeholder_id, &before)) == 0)
        json_object_update(rec, before);
    json_object_update(rec, in);
    if (rc == 0 && json_array_size(errors))
        rc = PV_EINVAL;
    if (rc == 0) {
        sqlite3_stmt *st = prepare_id_text(s, stakeholder_id ? SQL_HOLDER_UPDATE : SQL_HOLDER_INSERT,
                                           stakeholder_id, process_id);
        for (int i = 1; st && i < 6; i++)
            store_edit_bind(st, i + 2, json_object_get(rec, holder_names[i]));
        rc = store_edit_step(st);
    }
    rc = finish_saved_row(s, rc, who, now, "stakeholder", process_id, stakeholder_id, holder_read, before, id_out);
    json_decref(before);
    json_decref(rec);
    json_decref(in);
    return rc;
}

/* Deletes row id of the process with sql after reading it with read; audits action. */
static int delete_part(store *s, const actor *who, int64_t now, const char *process_id,
                       int64_t id, row_read_fn read,
                       const char *sql, const char *action, const char *type)
{
    if (store_begin(s) != 0)
        return PV_EDB;
    json_t *before = NULL;
    int rc = read(s, process_id, id, &before);
    if (rc == 0)
        rc = store_edit_step(prepare_id_text(s, sql, id, process_id));
    if (rc == 0) {
        char oid[24];
        int_text(id, oid);
        json_object_set_new(before, "process_id", json_string(process_id));
        rc = audit_diff(s, who, now, action, type, oid, before, NULL);
    }
    json_decref(before);
    return store_edit_finish(s, rc);
}

int store_stakeholder_delete(store *s, const actor *who, int64_t now, const char *process_id,
                             int64_t stakeholder_id)
{
    return delete_part(s, who, now, process_id, stakeholder_id, holder_read, SQL_HOLDER_DELETE,
                       "stakeholder.delete", "stakeholder");
}

/* ---------------------------------------------------------------- events */

/* "HH:MM" of the local moment t. */
static json_t *time_of(json_t *t)
{
    if (!json_is_integer(t))
        return json_null();
    time_t tt = (time_t)json_integer_value(t);
    struct tm tm;
    localtime_r(&tt, &tm);
    char out[8];
    snprintf(out, sizeof out, "%02d:%02d", tm.tm_hour % 24, tm.tm_min % 60);
    return json_string(out);
}

int store_event_record(store *s, const char *process_id, int64_t event_id, json_t **out)
{
    static const char *const names[] = {"id", "kind", "title", "starts_at", "ends_at",
                                        "venue_id", "method", "accessibility"};
    json_t *row;
    int rc = store_one_row(s, prepare_id_text(s, SQL_EVENT, event_id, process_id), names, 8, 8, &row);
    if (rc != 0)
        return rc;
    json_object_set_new(row, "date", date_of(json_object_get(row, "starts_at")));
    json_object_set_new(row, "starts", time_of(json_object_get(row, "starts_at")));
    json_object_set_new(row, "ends", time_of(json_object_get(row, "ends_at")));
    json_object_del(row, "starts_at");
    json_object_del(row, "ends_at");
    *out = row;
    return PV_OK;
}

static int event_read(store *s, const char *process_id, int64_t id, json_t **out)
{
    return store_event_record(s, process_id, id, out);
}

/* "HH:MM" as minutes after midnight, or -1. */
static int parse_clock(const char *s)
{
    if (!s || strlen(s) != 5 || s[2] != ':')
        return -1;
    for (int i = 0; i < 5; i++)
        if (i != 2 && (s[i] < '0' || s[i] > '9'))
            return -1;
    int h = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');
    return h < 24 && m < 60 ? h * 60 + m : -1;
}

/* The moments of an event from its date and clock times; errors for what does not fit. */
static void event_times(json_t *rec, json_t *errors, int64_t *starts, int64_t *ends,
                        bool *has_starts, bool *has_ends)
{
    const char *date = str(rec, "date"), *a = str(rec, "starts"), *b = str(rec, "ends");
    int ma = parse_clock(a), mb = parse_clock(b);
    pv_date d;
    *has_starts = *has_ends = false;
    if (date && pv_parse_date(date, &d) != 0)
        field_error(errors, "date", N_("Skriv datoen som åååå-mm-dd, for eksempel 2026-05-14."), date);
    if (a && ma < 0)
        field_error(errors, "starts", N_("Skriv klokkeslettet som tt:mm, for eksempel 18:00."), a);
    if (b && mb < 0)
        field_error(errors, "ends", N_("Skriv klokkeslettet som tt:mm, for eksempel 18:00."), b);
    if (!date && (a || b))
        field_error(errors, "date", N_("Skriv datoen når du har skrevet et klokkeslett."), NULL);
    if (b && !a)
        field_error(errors, "starts", N_("Skriv når arrangementet begynner."), NULL);
    if (ma >= 0 && mb >= 0 && mb < ma)
        field_error(errors, "ends", N_("Arrangementet kan ikke slutte før det begynner."), NULL);
    if (json_array_size(errors) || !date)
        return;
    *starts = pv_date_local(d, ma >= 0 ? ma / 60 : 0, ma >= 0 ? ma % 60 : 0, 0);
    *has_starts = true;
    if (mb >= 0) {
        *ends = pv_date_local(d, mb / 60, mb % 60, 0);
        *has_ends = true;
    }
}

int store_event_save(store *s, const actor *who, int64_t now, const char *process_id,
                     int64_t event_id, json_t *input, json_t *errors, int64_t *id_out)
{
    json_t *in = json_deep_copy(input);
    json_object_del(in, "id");
    check_fields(event_rules, NULL, 0, in, event_id != 0, errors);
    if (store_begin(s) != 0) {
        json_decref(in);
        return PV_EDB;
    }
    json_t *before = NULL;
    json_t *rec = json_pack("{s:n, s:n, s:n, s:n, s:n, s:n, s:n, s:n}", "kind", "title", "date",
                            "starts", "ends", "venue_id", "method", "accessibility");
    int rc = store_exists(s, SQL_PROCESS_EXISTS, process_id) ? PV_OK : PV_ENOTFOUND;
    if (rc == 0 && event_id && (rc = event_read(s, process_id, event_id, &before)) == 0)
        json_object_update(rec, before);
    json_object_update(rec, in);
    int64_t starts = 0, ends = 0;
    bool has_starts = false, has_ends = false;
    if (rc == 0) {
        event_times(rec, errors, &starts, &ends, &has_starts, &has_ends);
        json_t *venue = json_object_get(rec, "venue_id");
        if (json_is_integer(venue) && !field_has_error(errors, "venue_id") &&
            !store_exists_int(s, SQL_VENUE_EXISTS, json_integer_value(venue)))
            field_error(errors, "venue_id", N_("Lokalet finnes ikke. Velg et lokale fra listen."),
                        NULL);
        if (json_array_size(errors))
            rc = PV_EINVAL;
    }
    if (rc == 0) {
        sqlite3_stmt *st = prepare_id_text(s, event_id ? SQL_EVENT_UPDATE : SQL_EVENT_INSERT,
                                           event_id, process_id);
        if (st) {
            store_edit_bind(st, 3, json_object_get(rec, "kind"));
            store_edit_bind(st, 4, json_object_get(rec, "title"));
            if (has_starts)
                sqlite3_bind_int64(st, 5, starts);
            else
                sqlite3_bind_null(st, 5);
            if (has_ends)
                sqlite3_bind_int64(st, 6, ends);
            else
                sqlite3_bind_null(st, 6);
            store_edit_bind(st, 7, json_object_get(rec, "venue_id"));
            store_edit_bind(st, 8, json_object_get(rec, "method"));
            store_edit_bind(st, 9, json_object_get(rec, "accessibility"));
        }
        rc = store_edit_step(st);
    }
    rc = finish_saved_row(s, rc, who, now, "event", process_id, event_id, event_read, before, id_out);
    json_decref(before);
    json_decref(rec);
    json_decref(in);
    return rc;
}

int store_event_delete(store *s, const actor *who, int64_t now, const char *process_id,
                       int64_t event_id)
{
    return delete_part(s, who, now, process_id, event_id, event_read, SQL_EVENT_DELETE,
                       "event.delete", "event");
}

/* ---------------------------------------------------------------- members */

static int member_change(store *s, const actor *who, int64_t now, const char *process_id,
                         int64_t user_id, bool add, json_t *errors)
{
    if (store_begin(s) != 0)
        return PV_EDB;
    int rc = store_exists(s, SQL_PROCESS_EXISTS, process_id) ? PV_OK : PV_ENOTFOUND;
    user_row u;
    if (rc == 0 && store_user_by_id(s, user_id, &u) != 0) {
        if (add)
            field_error(errors, "user_id", N_("Velg en ansatt fra listen."), NULL);
        rc = add ? PV_EINVAL : PV_ENOTFOUND;
    }
    if (rc == 0 && add) {
        if (!(u.roles & (ROLE_PROSESSEIER | ROLE_RADGIVER | ROLE_ADMIN)))
            field_error(errors, "user_id",
                        N_("Bare ansatte med rollen prosesseier, medvirkningsrådgiver eller administrator kan være med i en prosess."),
                        NULL);
        else if (u.disabled)
            field_error(errors, "user_id", N_("Denne brukeren er deaktivert."), NULL);
        else if (store_exists_pair(s, SQL_MEMBER_IS, process_id, user_id))
            field_error(errors, "user_id", N_("Denne ansatte er allerede med i prosessen."), NULL);
        if (json_array_size(errors))
            rc = PV_EINVAL;
    }
    sqlite3_stmt *st = NULL;
    if (rc == 0 && (st = store_prepare(s, add ? SQL_MEMBER_ADD : SQL_MEMBER_REMOVE))) {
        store_bind_text(st, 1, process_id);
        sqlite3_bind_int64(st, 2, user_id);
        rc = store_edit_step(st);
        if (rc == 0 && !add && sqlite3_changes(store_handle(s)) == 0)
            rc = PV_ENOTFOUND;
    } else if (rc == 0) {
        rc = PV_EDB;
    }
    if (rc == 0) {
        json_t *change = add ? json_pack("{s:[n,s]}", "member", u.email)
                             : json_pack("{s:[s,n]}", "member", u.email);
        rc = store_audit_append(s, who, now, add ? "process.member_add" : "process.member_remove",
                                "process", process_id, change);
        json_decref(change);
    }
    return store_edit_finish(s, rc);
}

int store_process_member_add(store *s, const actor *who, int64_t now, const char *process_id,
                             int64_t user_id, json_t *errors)
{
    return member_change(s, who, now, process_id, user_id, true, errors);
}

int store_process_member_remove(store *s, const actor *who, int64_t now,
                                const char *process_id, int64_t user_id)
{
    json_t *errors = json_array();
    int rc = member_change(s, who, now, process_id, user_id, false, errors);
    json_decref(errors);
    return rc;
}

/* ---------------------------------------------------------------- the ladder */

static const char *const step_names[] = {"id", "position", "name", "explanation", "methods"};

static int step_read(store *s, const char *id, json_t **out)
{
    sqlite3_stmt *st = store_prepare(s, SQL_STEP);
    if (st)
        store_bind_text(st, 1, id);
    return store_one_row(s, st, step_names, 5, 4, out);
}

static int64_t step_count(store *s)
{
    sqlite3_stmt *st = store_prepare(s, SQL_STEP_COUNT);
    if (!st)
        return 0;
    int64_t n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    return n;
}

int store_ladder_step_save(store *s, const actor *who, int64_t now, const char *step_id,
                           json_t *input, json_t *errors, buf *id_out)
{
    static const char *const special[] = {"methods"};
    json_t *in = json_deep_copy(input);
    json_object_del(in, "id");
    json_object_del(in, "position");
    check_fields(step_rules, special, 1, in, step_id != NULL, errors);
    check_text_list(in, "methods", PROCESS_LIST_MAX, 100, errors);
    if (store_begin(s) != 0) {
        json_decref(in);
        return PV_EDB;
    }
    json_t *before = NULL, *after = NULL;
    json_t *rec = json_pack("{s:n, s:n, s:[]}", "name", "explanation", "methods");
    buf id = BUF_INIT;
    int rc = PV_OK;
    if (step_id) {
        if ((rc = step_read(s, step_id, &before)) == 0)
            json_object_update(rec, before);
        buf_puts(&id, step_id);
    } else if (step_count(s) >= LADDER_STEPS_MAX) {
        field_error(errors, "name", N_("Trappa kan ha høyst 12 trinn."), NULL);
    } else if (str(in, "name") && !field_has_error(errors, "name")) {
        buf slug = BUF_INIT;
        plan_slugify(str(in, "name"), &slug);
        if (slug.len == 0 || slug.len > 90 || store_exists(s, SQL_STEP_EXISTS, buf_cstr(&slug)))
            field_error(errors, "name",
                        N_("Trappa har allerede et trinn med dette navnet, eller navnet har ingen bokstaver. Velg et annet navn."),
                        NULL);
        buf_puts(&id, buf_cstr(&slug));
        buf_finish(&slug);
    }
    json_object_update(rec, in);
    if (rc == 0 && json_array_size(errors))
        rc = PV_EINVAL;
    if (rc == 0) {
        sqlite3_stmt *st = store_prepare(s, step_id ? SQL_STEP_UPDATE : SQL_STEP_INSERT);
        if (st) {
            store_bind_text(st, 1, buf_cstr(&id));
            store_edit_bind(st, 2, json_object_get(rec, "name"));
            store_edit_bind(st, 3, json_object_get(rec, "explanation"));
            bind_json_text(st, 4, json_object_get(rec, "methods"));
        }
        rc = store_edit_step(st);
    }
    if (rc == 0)
        rc = step_read(s, buf_cstr(&id), &after);
    if (rc == 0)
        rc = audit_diff(s, who, now, before ? "ladder_step.update" : "ladder_step.create",
                        "ladder_step", buf_cstr(&id), before, after);
    rc = store_edit_finish(s, rc);
    if (rc == 0 && id_out)
        buf_puts(id_out, buf_cstr(&id));
    buf_finish(&id);
    json_decref(before);
    json_decref(after);
    json_decref(rec);
    json_decref(in);
    return rc;
}

static int set_step_position(store *s, const char *id, int64_t position)
{
    sqlite3_stmt *st = store_prepare(s, SQL_STEP_POSITION);
    if (st) {
        store_bind_text(st, 1, id);
        sqlite3_bind_int64(st, 2, position);
    }
    return store_edit_step(st);
}

int store_ladder_step_move(store *s, const actor *who, int64_t now, const char *step_id,
                           int delta)
{
    if (store_begin(s) != 0)
        return PV_EDB;
    json_t *step = NULL;
    int rc = step_read(s, step_id, &step);
    int64_t at = rc == 0 ? json_integer_value(json_object_get(step, "position")) : 0;
    sqlite3_stmt *st = rc == 0 ? store_prepare(s, SQL_STEP_NEIGHBOUR) : NULL;
    char other[PLAN_ID_MAX + 1] = "";
    int64_t other_at = 0;
    if (st) {
        sqlite3_bind_int64(st, 1, at);
        sqlite3_bind_int(st, 2, delta);
        if (sqlite3_step(st) == SQLITE_ROW) {
            snprintf(other, sizeof other, "%s", (const char *)sqlite3_column_text(st, 0));
            other_at = sqlite3_column_int64(st, 1);
        }
        sqlite3_reset(st);
    } else if (rc == 0) {
        rc = PV_EDB;
    }
    if (rc == 0 && other[0]) {
        rc = set_step_position(s, step_id, other_at);
        if (rc == 0)
            rc = set_step_position(s, other, at);
        if (rc == 0) {
            json_t *change = json_pack("{s:[I,I]}", "position", (json_int_t)at, (json_int_t)other_at);
            rc = store_audit_append(s, who, now, "ladder_step.move", "ladder_step", step_id, change);
            json_decref(change);
        }
    }
    json_decref(step);
    return store_edit_finish(s, rc);
}

/* ---------------------------------------------------------------- venues */

static const char *const venue_names[] = {"id", "name", "address", "area", "capacity",
                                          "universal_design", "equipment"};

static int venue_read(store *s, const char *process_id, int64_t id, json_t **out)
{
    (void)process_id; /* venues are shared by every process */
    sqlite3_stmt *st = store_prepare(s, SQL_VENUE);
    if (st)
        sqlite3_bind_int64(st, 1, id);
    return store_one_row(s, st, venue_names, 7, 7, out);
}

int store_venue_save(store *s, const actor *who, int64_t now, int64_t venue_id, json_t *input,
                     json_t *errors, int64_t *id_out)
{
    static const char *const special[] = {"capacity"};
    json_t *in = json_deep_copy(input);
    json_object_del(in, "id");
    check_fields(venue_rules, special, 1, in, venue_id != 0, errors);
    json_t *cap = json_object_get(in, "capacity");
    if (cap && !json_is_null(cap) &&
        (!json_is_integer(cap) || json_integer_value(cap) < 1 || json_integer_value(cap) > 100000))
        field_error(errors, "capacity",
                    N_("Skriv hvor mange som får plass, som et helt tall, for eksempel 80."), NULL);
    if (store_begin(s) != 0) {
        json_decref(in);
        return PV_EDB;
    }
    json_t *before = NULL;
    json_t *rec = json_pack("{s:n, s:n, s:n, s:n, s:n, s:n}", "name", "address", "area",
                            "capacity", "universal_design", "equipment");
    int rc = venue_id ? venue_read(s, NULL, venue_id, &before) : PV_OK;
    if (rc == 0 && before)
        json_object_update(rec, before);
    json_object_update(rec, in);
    if (rc == 0 && json_array_size(errors))
        rc = PV_EINVAL;
    if (rc == 0) {
        sqlite3_stmt *st = store_prepare(s, venue_id ? SQL_VENUE_UPDATE : SQL_VENUE_INSERT);
        if (st) {
            sqlite3_bind_int64(st, 1, venue_id);
            for (int i = 1; i < 7; i++)
                store_edit_bind(st, i + 1, json_object_get(rec, venue_names[i]));
        }
        rc = store_edit_step(st);
    }
    rc = finish_saved_row(s, rc, who, now, "venue", NULL, venue_id, venue_read, before, id_out);
    json_decref(before);
    json_decref(rec);
    json_decref(in);
    return rc;
}
