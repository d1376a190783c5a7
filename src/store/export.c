/* Export of the portfolio in the import format: units, plans, goals, indicators and
 * measures (with their deadline, type, SDGs and unit_ids).
 * Layer: store. */
#include "store/export.h"

#include <string.h>

static const char SQL_PLANS[] =
    "SELECT p.id, p.name, p.abbreviation, p.type, p.status, p.status_detail, p.adopted_year,"
    " p.next_revision, t.name, p.owner_unit, p.purpose, p.seed_description,"
    " p.focus_areas_label, p.focus_areas_listed, p.type_variants, p.notes, p.source,"
    " (SELECT json_group_array(name) FROM (SELECT name FROM focus_area"
    "   WHERE plan_id = p.id ORDER BY position)),"
    " (SELECT json_group_array(parent_id) FROM (SELECT parent_id FROM plan_parent"
    "   WHERE plan_id = p.id ORDER BY parent_id)),"
    " (SELECT json_group_array(json_object('plan_id', parent_id, 'quote', evidence))"
    "   FROM (SELECT parent_id, evidence FROM plan_parent WHERE plan_id = p.id"
    "   AND evidence IS NOT NULL ORDER BY parent_id)),"
    " (SELECT json_group_array(json_object('plan_id', other_id, 'relation', relation))"
    "   FROM (SELECT other_id, relation FROM plan_relation WHERE plan_id = p.id"
    "   ORDER BY position)),"
    " (SELECT json_group_array(goal_id) FROM (SELECT goal_id FROM plan_goal"
    "   WHERE plan_id = p.id AND basis = 'oppgitt' ORDER BY goal_id)),"
    " (SELECT json_group_array(json_object('name', name, 'her_er_vi', her_er_vi,"
    "   'slik_vil_vi_ha_det', slik_vil_vi_ha_det, 'slik_kommer_vi_dit', slik_kommer_vi_dit,"
    "   'slik_gjor_vi_det', slik_gjor_vi_det)) FROM (SELECT * FROM focus_area"
    "   WHERE plan_id = p.id AND coalesce(her_er_vi, slik_vil_vi_ha_det, slik_kommer_vi_dit,"
    "   slik_gjor_vi_det) IS NOT NULL ORDER BY position))"
    " FROM plan p LEFT JOIN theme t ON t.id = p.theme_id ORDER BY p.position";

static const char SQL_GOALS[] =
    "SELECT id, text, level, parent_id, plan_id, lead_in, themes, focus_areas, notes, source,"
    " retired FROM goal ORDER BY position";

static const char SQL_INDICATORS[] =
    "SELECT id, text, unit, comparator, plan_id,"
    " json_object('value', baseline_value, 'year', baseline_year, 'text', baseline_text),"
    " json_object('value', target_value, 'year', target_year),"
    " (SELECT json_group_array(goal_id) FROM (SELECT goal_id FROM indicator_goal"
    "   WHERE indicator_id = i.id ORDER BY goal_id)),"
    " (SELECT json_group_array(measure_id) FROM (SELECT measure_id FROM indicator_measure"
    "   WHERE indicator_id = i.id ORDER BY measure_id)),"
    " notes, source FROM indicator i ORDER BY position";

static const char SQL_UNITS[] =
    "SELECT id, name, short_name, kind, parent_id, aliases FROM unit ORDER BY position";

static const char SQL_MEASURES[] =
    "SELECT m.id, m.plan_id, m.kind, fa.name, m.title, m.description, m.strategy, m.goal_id,"
    " m.priority, m.responsible, m.responsible_detail, m.partners, m.notes, m.source,"
    " (SELECT json_group_object(CAST(year AS TEXT), amount) FROM measure_cost WHERE measure_id = m.id),"
    " (SELECT json_group_object(CAST(year AS TEXT), note) FROM measure_cost WHERE measure_id = m.id),"
    " (SELECT count(*) FROM measure_cost WHERE measure_id = m.id),"
    " m.deadline, m.type, m.sdgs,"
    " (SELECT json_group_array(unit_id) FROM (SELECT unit_id FROM measure_unit"
    "   WHERE measure_id = m.id ORDER BY position))"
    " FROM measure m LEFT JOIN focus_area fa ON fa.id = m.focus_area_id ORDER BY m.position";

/* Column layout of a query: a name and whether the column holds JSON text. */
typedef struct column {
    const char *name;
    bool is_json;
} column;

static int dump(store *s, const char *sql, const column *cols, size_t n, json_t *out,
                void (*fix)(sqlite3_stmt *st, json_t *rec))
{
    sqlite3_stmt *st = store_prepare(s, sql);
    if (!st)
        return PV_EDB;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        json_t *rec = json_object();
        for (size_t i = 0; i < n; i++) {
            if (!cols[i].name)
                continue;
            json_object_set_new(rec, cols[i].name, cols[i].is_json
                                                       ? store_column_parsed(st, (int)i)
                                                       : store_column_json(st, (int)i));
        }
        if (fix)
            fix(st, rec);
        json_array_append_new(out, rec);
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? PV_OK : PV_EDB;
}

/* A goal says "retired": true only when it is (data/moss has no such field). */
static void fix_goal(sqlite3_stmt *st, json_t *rec)
{
    if (sqlite3_column_int(st, 10))
        json_object_set_new(rec, "retired", json_true());
}

/* Drops the null "text" of a baseline so the record reads like data/moss. */
static void fix_indicator(sqlite3_stmt *st, json_t *rec)
{
    (void)st;
    json_t *base = json_object_get(rec, "baseline");
    if (json_is_null(json_object_get(base, "text")))
        json_object_del(base, "text");
}

/* A measure without cost rows has costs and cost_notes null, as in data/moss. */
static void fix_measure(sqlite3_stmt *st, json_t *rec)
{
    if (sqlite3_column_int(st, 16) == 0) {
        json_object_set_new(rec, "costs", json_null());
        json_object_set_new(rec, "cost_notes", json_null());
    }
}

int store_export(store *s, json_t **out)
{
    static const column plan_cols[] = {
        {"id", 0}, {"name", 0}, {"abbreviation", 0}, {"type", 0}, {"status", 0},
        {"status_detail", 0}, {"adopted_year", 0}, {"next_revision", 0}, {"theme", 0},
        {"owner_unit", 0}, {"purpose", 0}, {"seed_description", 0}, {"focus_areas_label", 0},
        {"focus_areas", 1}, {"type_variants", 1}, {"notes", 1}, {"source", 1},
        {"focus_areas_seed", 1}, {"parent_plans", 1}, {"parent_evidence", 1},
        {"relations", 1}, {"goal_ids", 1}, {"focus_area_texts", 1}};
    static const column goal_cols[] = {
        {"id", 0}, {"text", 0}, {"level", 0}, {"parent_id", 0}, {"plan_id", 0},
        {"lead_in", 0}, {"themes", 1}, {"focus_areas", 1}, {"notes", 1}, {"source", 1},
        {NULL, 0}};
    static const column indicator_cols[] = {
        {"id", 0}, {"text", 0}, {"unit", 0}, {"comparator", 0}, {"plan_id", 0},
        {"baseline", 1}, {"target", 1}, {"goal_ids", 1}, {"measure_ids", 1}, {"notes", 1},
        {"source", 1}};
    static const column measure_cols[] = {
        {"id", 0}, {"plan_id", 0}, {"kind", 0}, {"focus_area", 0}, {"title", 0},
        {"description", 0}, {"strategy", 0}, {"goal_id", 0}, {"priority_order", 0},
        {"responsible", 1}, {"responsible_detail", 1}, {"partners", 1}, {"notes", 1},
        {"source", 1}, {"costs", 1}, {"cost_notes", 1}, {NULL, 0}, {"deadline", 0},
        {"type", 0}, {"sdgs", 1}, {"unit_ids", 1}};
    static const column unit_cols[] = {{"id", 0}, {"name", 0}, {"short_name", 0},
                                       {"kind", 0}, {"parent_id", 0}, {"aliases", 1}};

    json_t *bundle = json_pack("{s:s, s:i}", "format", EXPORT_FORMAT, "version", EXPORT_VERSION);
    json_t *units = json_array();
    json_object_set_new(bundle, "units", units);
    json_t *plans = json_array(), *goals = json_array(), *indicators = json_array(),
           *measures = json_array();
    json_object_set_new(bundle, "plans", plans);
    json_object_set_new(bundle, "goals", goals);
    json_object_set_new(bundle, "indicators", indicators);
    json_object_set_new(bundle, "measures", measures);
    int rc = dump(s, SQL_UNITS, unit_cols, PV_ARRAY_LEN(unit_cols), units, NULL);
    if (rc == 0)
        rc = dump(s, SQL_PLANS, plan_cols, PV_ARRAY_LEN(plan_cols), plans, NULL);
    if (rc == 0)
        rc = dump(s, SQL_GOALS, goal_cols, PV_ARRAY_LEN(goal_cols), goals, fix_goal);
    if (rc == 0)
        rc = dump(s, SQL_INDICATORS, indicator_cols, PV_ARRAY_LEN(indicator_cols), indicators,
                  fix_indicator);
    if (rc == 0)
        rc = dump(s, SQL_MEASURES, measure_cols, PV_ARRAY_LEN(measure_cols), measures,
                  fix_measure);
    if (rc != 0) {
        json_decref(bundle);
        return rc;
    }
    *out = bundle;
    return PV_OK;
}
