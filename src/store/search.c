/* Search queries.
 * Layer: store. */
#include "store/search.h"

#include <string.h>

#include "core/buf.h"

/* ?1 is the LIKE pattern, ?2 the folded query for ranking. */
static const char SQL_SEARCH_PLANS[] =
    "SELECT p.id, p.name, p.abbreviation, p.type, p.status, p.status_detail, p.adopted_year,"
    " p.next_revision, p.theme_id, t.name, p.owner_unit, p.purpose"
    " FROM plan p LEFT JOIN theme t ON t.id = p.theme_id"
    " WHERE p.search_text LIKE ?1 ESCAPE '\\'"
    " ORDER BY instr(p.search_text, ?2) > length(p.name) + 1, p.name COLLATE nb LIMIT 50";

static const char SQL_SEARCH_MEASURES[] =
    "SELECT m.id, m.title, m.kind, m.plan_id, p.name FROM measure m JOIN plan p"
    " ON p.id = m.plan_id WHERE m.search_text LIKE ?1 ESCAPE '\\'"
    " ORDER BY instr(m.search_text, ?2) > length(m.title) + 1, p.name COLLATE nb, m.position"
    " LIMIT 50";

/* '%' + query with % _ \ escaped + '%'. */
static void like_pattern(const char *q, buf *out)
{
    buf_putc(out, '%');
    for (const char *p = q; *p; p++) {
        if (*p == '%' || *p == '_' || *p == '\\')
            buf_putc(out, '\\');
        buf_putc(out, *p);
    }
    buf_putc(out, '%');
}

static int run(store *s, const char *sql, const char *pattern, const char *q,
               const char *const *names, size_t n, json_t **out)
{
    sqlite3_stmt *st = store_prepare(s, sql);
    if (!st)
        return PV_EDB;
    store_bind_text(st, 1, pattern);
    store_bind_text(st, 2, q);
    return store_collect_rows(s, st, names, n, out);
}

int store_search(store *s, const char *folded_query, json_t **plans, json_t **measures)
{
    buf pattern = BUF_INIT;
    like_pattern(folded_query, &pattern);
    static const char *const plan_names[] = {"id", "name", "abbreviation", "type", "status",
                                              "status_detail", "adopted_year", "next_revision",
                                              "theme_id", "theme", "owner_unit", "purpose"};
    static const char *const measure_names[] = {"id", "title", "kind", "plan_id", "plan_name"};
    int rc = run(s, SQL_SEARCH_PLANS, buf_cstr(&pattern), folded_query, plan_names,
             PV_ARRAY_LEN(plan_names), plans);
    if (rc == 0) {
        rc = run(s, SQL_SEARCH_MEASURES, buf_cstr(&pattern), folded_query, measure_names, 5,
                 measures);
        if (rc != 0)
            json_decref(*plans);
    }
    buf_finish(&pattern);
    return rc;
}
