/* Audit trail queries.
 * Layer: store. */
#include "store/audit.h"

#include <stdlib.h>

static const char SQL_APPEND[] =
    "INSERT INTO audit_event (at, user_id, actor, action, object_type, object_id, changes,"
    " address) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";

/* ?1 action (exact, or a prefix ending in '.'), ?2 type, ?3 id, ?4 actor, ?5 before_id, ?6 limit */
static const char SQL_LIST[] =
    "SELECT id, at, user_id, actor, action, object_type, object_id, address, changes"
    " FROM audit_event"
    " WHERE (?1 IS NULL OR action = ?1 OR (substr(?1, -1) = '.' AND"
    "        substr(action, 1, length(?1)) = ?1))"
    " AND (?2 IS NULL OR object_type = ?2) AND (?3 IS NULL OR object_id = ?3)"
    " AND (?4 IS NULL OR actor = ?4 COLLATE NOCASE) AND (?5 = 0 OR id < ?5)"
    " ORDER BY id DESC LIMIT ?6";

static const char SQL_ACTIONS[] = "SELECT DISTINCT action FROM audit_event ORDER BY action";

int store_audit_append(store *s, const actor *who, int64_t now, const char *action,
                       const char *object_type, const char *object_id, json_t *changes)
{
    sqlite3_stmt *st = store_prepare(s, SQL_APPEND);
    if (!st)
        return PV_EDB;
    char *text = changes ? json_dumps(changes, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    sqlite3_bind_int64(st, 1, now);
    if (who->user_id)
        sqlite3_bind_int64(st, 2, who->user_id);
    else
        sqlite3_bind_null(st, 2);
    store_bind_text(st, 3, who->name ? who->name : "cli");
    store_bind_text(st, 4, action);
    store_bind_text(st, 5, object_type);
    store_bind_text(st, 6, object_id);
    store_bind_text(st, 7, text ? text : "{}");
    store_bind_text(st, 8, who->address);
    int rc = sqlite3_step(st) == SQLITE_DONE ? PV_OK : PV_EDB;
    sqlite3_reset(st);
    free(text);
    return rc;
}

int store_audit_list(store *s, const audit_filter *f, json_t **out)
{
    sqlite3_stmt *st = store_prepare(s, SQL_LIST);
    if (!st)
        return PV_EDB;
    store_bind_text(st, 1, f->action);
    store_bind_text(st, 2, f->object_type);
    store_bind_text(st, 3, f->object_id);
    store_bind_text(st, 4, f->actor);
    sqlite3_bind_int64(st, 5, f->before_id);
    sqlite3_bind_int(st, 6, f->limit < 1 ? 50 : f->limit > 500 ? 500 : f->limit);
    static const char *const names[] = {"id", "at", "user_id", "actor", "action",
                                         "object_type", "object_id", "address", "changes"};
    return store_collect_rows_json(s, st, names, 9, 8, out);
}

int store_audit_actions(store *s, json_t **out)
{
    sqlite3_stmt *st = store_prepare(s, SQL_ACTIONS);
    static const char *const names[] = {"action"};
    return st ? store_collect_rows(s, st, names, 1, out) : PV_EDB;
}
