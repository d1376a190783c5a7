/* The readings of indicators: listing them and adding one.
 * Layer: store. All SQL is literal and bound (STYLE.md habit 3). */
#include "store/readings.h"

#include "domain/followup.h"
#include "domain/plan.h"
#include "store/plans_edit.h"

static const char SQL_READINGS[] =
    "SELECT id, value, date, source, note, created_at FROM indicator_reading"
    " WHERE indicator_id = ?1 ORDER BY date, id";
static const char SQL_INDICATOR_EXISTS[] = "SELECT 1 FROM indicator WHERE id = ?1";
static const char SQL_READING_INSERT[] =
    "INSERT INTO indicator_reading (indicator_id, value, date, source, note, created_by,"
    " created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";

int store_readings(store *s, const char *indicator_id, json_t **out)
{
    sqlite3_stmt *st = store_prepare(s, SQL_READINGS);
    if (!st)
        return PV_EDB;
    store_bind_text(st, 1, indicator_id);
    static const char *const names[] = {"id", "value", "date", "source", "note", "created_at"};
    int rc = store_collect_rows(s, st, names, PV_ARRAY_LEN(names), out);
    size_t i;
    json_t *row;
    if (rc == 0) /* a whole number is stored as REAL but may come back as an integer */
        json_array_foreach(*out, i, row) {
            json_t *v = json_object_get(row, "value");
            if (json_is_integer(v))
                json_object_set_new(row, "value", json_real((double)json_integer_value(v)));
        }
    return rc;
}

static int insert(store *s, const actor *who, int64_t now, const char *indicator_id,
                  const reading_input *in, int64_t *id_out)
{
    sqlite3_stmt *st = store_prepare(s, SQL_READING_INSERT);
    if (!st)
        return PV_EDB;
    store_bind_text(st, 1, indicator_id);
    sqlite3_bind_double(st, 2, in->value);
    store_bind_text(st, 3, in->date);
    store_bind_text(st, 4, in->source);
    store_bind_text(st, 5, in->note && *in->note ? in->note : NULL);
    if (who->user_id > 0)
        sqlite3_bind_int64(st, 6, who->user_id);
    else
        sqlite3_bind_null(st, 6);
    sqlite3_bind_int64(st, 7, now);
    int rc = store_edit_step(st);
    if (rc == 0)
        *id_out = sqlite3_last_insert_rowid(store_handle(s));
    return rc;
}

int store_reading_add(store *s, const actor *who, int64_t now, pv_date today,
                      const char *indicator_id, const reading_input *in, json_t *errors,
                      int64_t *id_out)
{
    if (store_begin(s) != 0)
        return PV_EDB;
    int rc = store_exists(s, SQL_INDICATOR_EXISTS, indicator_id) ? PV_OK : PV_ENOTFOUND;
    const char *field = NULL;
    const char *problem = rc == 0 ? followup_reading_error(in->value, in->value_given, in->date,
                                                           in->source, in->note, today, &field)
                                  : NULL;
    if (problem) {
        field_error(errors, field ? field : "value", problem, NULL);
        rc = PV_EINVAL;
    }
    if (rc == 0)
        rc = insert(s, who, now, indicator_id, in, id_out);
    if (rc == 0) {
        json_t *changes = json_pack("{s:[n, f], s:[n, s], s:[n, s], s:[n, o]}", "value",
                                    in->value, "date", in->date, "source", in->source, "note",
                                    in->note && *in->note ? json_string(in->note) : json_null());
        rc = store_audit_append(s, who, now, "reading.add", "indicator", indicator_id, changes);
        json_decref(changes);
    }
    return store_edit_finish(s, rc);
}
