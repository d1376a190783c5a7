/* Reading a process's inputs and their current assessments for the public summary and the
 * merknadsbehandling.
 * Layer: store. Literal, bound SQL only (STYLE.md habit 3). The public query selects no
 * column of contact and no background answer, so the summary cannot leak them. */
#include "store/summary.h"

#include <string.h>

static const char SQL_THEMES[] =
    "SELECT t.value, count(*) FROM input i, json_each(i.themes) t"
    " WHERE i.process_id = ?1 AND i.moderation <> 'avvist' AND json_valid(i.themes)"
    " GROUP BY t.value ORDER BY count(*) DESC, t.value";
static const char SQL_CHANNELS[] =
    "SELECT channel, count(*) FROM input WHERE process_id = ?1 AND moderation <> 'avvist'"
    " GROUP BY channel ORDER BY count(*) DESC, channel";
static const char SQL_OUTCOMES[] =
    "SELECT a.outcome, count(*) FROM input i LEFT JOIN assessment a ON a.id = i.assessment_id"
    " WHERE i.process_id = ?1 AND i.moderation <> 'avvist'"
    " GROUP BY a.outcome ORDER BY a.outcome IS NULL, count(*) DESC, a.outcome";
static const char SQL_TOTAL[] =
    "SELECT count(*) FROM input WHERE process_id = ?1 AND moderation <> 'avvist'";
static const char SQL_PUBLISHED[] =
    "SELECT i.id, i.text, i.channel, i.sender_type,"
    " CASE WHEN i.sender_type = 'privatperson' THEN NULL ELSE i.on_behalf_of END,"
    " i.received_at, i.themes, a.id, a.outcome, a.justification"
    " FROM input i LEFT JOIN assessment a ON a.id = i.assessment_id"
    " WHERE i.process_id = ?1 AND i.moderation = 'publisert'"
    " ORDER BY i.received_at, i.id LIMIT ?2";
static const char SQL_LINKS[] =
    "SELECT l.measure_id, l.focus_area_id, coalesce(m.title, f.name)"
    " FROM assessment_link l LEFT JOIN measure m ON m.id = l.measure_id"
    " LEFT JOIN focus_area f ON f.id = l.focus_area_id WHERE l.assessment_id = ?1"
    " ORDER BY l.rowid";
static const char SQL_MERKNAD[] =
    "SELECT i.id, i.text, i.channel, i.sender_type, i.on_behalf_of, i.received_at,"
    " i.moderation, a.id, a.outcome, a.justification, a.summary, a.assessed_at, i.themes,"
    " a.themes"
    " FROM input i LEFT JOIN assessment a ON a.id = i.assessment_id"
    " WHERE i.process_id = ?1 ORDER BY i.received_at, i.id LIMIT ?2";

/* Rows of (key, count) as [{key_name, count}]. */
static int counts(store *s, const char *sql, const char *process_id, const char *key_name,
                  json_t **out)
{
    const char *const names[] = {key_name, "count"};
    sqlite3_stmt *st = store_prepare(s, sql);
    if (!st)
        return PV_EDB;
    store_bind_text(st, 1, process_id);
    return store_collect_rows(s, st, names, 2, out);
}

static json_t *links_of(store *s, int64_t assessment_id)
{
    static const char *const names[] = {"measure_id", "focus_area_id", "title"};
    sqlite3_stmt *st = store_prepare(s, SQL_LINKS);
    json_t *out = NULL;
    if (!st)
        return json_array();
    sqlite3_bind_int64(st, 1, assessment_id);
    if (store_collect_rows(s, st, names, 3, &out) != 0)
        return json_array();
    return out;
}

static int published(store *s, const char *process_id, json_t **out)
{
    static const char *const names[] = {"id", "text", "channel", "sender_type", "on_behalf_of",
                                        "received_at"};
    sqlite3_stmt *st = store_prepare(s, SQL_PUBLISHED);
    if (!st)
        return PV_EDB;
    store_bind_text(st, 1, process_id);
    sqlite3_bind_int(st, 2, SUMMARY_INPUTS_MAX);
    json_t *rows = json_array();
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        json_t *o = json_object();
        for (int i = 0; i < (int)PV_ARRAY_LEN(names); i++)
            json_object_set_new(o, names[i], store_column_json(st, i));
        json_object_set_new(o, "themes", store_column_parsed(st, 6));
        json_t *a = json_null();
        if (sqlite3_column_type(st, 7) != SQLITE_NULL)
            a = json_pack("{s:o, s:o, s:o}", "id", store_column_json(st, 7), "outcome",
                          store_column_json(st, 8), "justification", store_column_json(st, 9));
        json_object_set_new(o, "assessment", a);
        json_array_append_new(rows, o);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        json_decref(rows);
        return PV_EDB;
    }
    size_t i;
    json_t *o;
    json_array_foreach(rows, i, o) {
        json_t *a = json_object_get(o, "assessment");
        if (json_is_object(a))
            json_object_set_new(a, "links",
                                links_of(s, json_integer_value(json_object_get(a, "id"))));
    }
    *out = rows;
    return PV_OK;
}

int store_summary_get(store *s, const char *process_id, json_t **out)
{
    json_t *themes = NULL, *channels = NULL, *outcomes = NULL, *inputs = NULL;
    int rc = counts(s, SQL_THEMES, process_id, "name", &themes);
    if (rc == 0)
        rc = counts(s, SQL_CHANNELS, process_id, "channel", &channels);
    if (rc == 0)
        rc = counts(s, SQL_OUTCOMES, process_id, "outcome", &outcomes);
    if (rc == 0)
        rc = published(s, process_id, &inputs);
    json_int_t total = 0;
    sqlite3_stmt *st = rc == 0 ? store_prepare(s, SQL_TOTAL) : NULL;
    if (rc == 0 && !st)
        rc = PV_EDB;
    if (st) {
        store_bind_text(st, 1, process_id);
        if (sqlite3_step(st) == SQLITE_ROW)
            total = sqlite3_column_int64(st, 0);
        else
            rc = PV_EDB;
        sqlite3_reset(st);
    }
    if (rc != 0) {
        json_decref(themes);
        json_decref(channels);
        json_decref(outcomes);
        json_decref(inputs);
        return rc;
    }
    *out = json_pack("{s:I, s:o, s:o, s:o, s:o}", "total", total, "themes", themes, "channels",
                     channels, "outcomes", outcomes, "inputs", inputs);
    return PV_OK;
}

int store_merknad_rows(store *s, const char *process_id, json_t **out)
{
    static const char *const names[] = {"id",          "text",          "channel",
                                        "sender_type", "on_behalf_of",  "received_at",
                                        "moderation",  "assessment_id", "outcome",
                                        "justification", "summary",     "assessed_at",
                                        "themes",      "assessment_themes"};
    sqlite3_stmt *st = store_prepare(s, SQL_MERKNAD);
    if (!st)
        return PV_EDB;
    store_bind_text(st, 1, process_id);
    sqlite3_bind_int(st, 2, SUMMARY_INPUTS_MAX);
    return store_collect_rows_json(s, st, names, PV_ARRAY_LEN(names), 12, out);
}
