/* Import of data/moss-format records: declared field rules, validation with precise
 * messages, then one transaction of upserts.
 * Layer: store. Validation is declared per record kind (STYLE.md habit 5): each field has
 * a type, a length limit, allowed values and, for ids, the table it must point into. */
#include "store/import.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/file.h"
#include "core/date.h"
#include "core/utf8.h"
#include "domain/participation.h"
#include "domain/plan.h"

/* ---------------------------------------------------------------- rules */

/* Units come first: the measures are mapped to them (measure_unit) as they are written. */
enum kind { K_UNITS, K_PLANS, K_GOALS, K_INDICATORS, K_MEASURES, K_PROCESSES, K_COUNT };
static const char *const kind_keys[K_COUNT] = {"units", "plans", "goals", "indicators",
                                               "measures", "processes"};
static const char *const kind_tables[K_COUNT] = {"unit", "plan", "goal", "indicator",
                                                 "measure", "process"};
enum ref { REF_NONE = -1, REF_UNIT = K_UNITS, REF_PLAN = K_PLANS, REF_GOAL = K_GOALS,
           REF_MEASURE = K_MEASURES };

typedef enum vtype {
    V_ID,        /* required id (plan_id_valid) */
    V_ID_OPT,    /* id or null */
    V_ID_LIST,   /* array of ids */
    V_TEXT,      /* required non-empty string */
    V_TEXT_OPT,  /* string or null */
    V_TEXT_LIST, /* array of strings */
    V_ENUM,      /* required, one of allowed */
    V_ENUM_OPT,  /* null or one of allowed */
    V_YEAR_OPT,  /* integer 1800..2200 or null */
    V_INT_OPT,   /* integer 0..1000000 or null */
    V_BOOL_OPT,  /* true, false or null */
    V_NUM_OPT,   /* number or null */
    V_OBJECT,    /* object checked by sub rules (absent allowed) */
    V_LIST,      /* array of objects checked by sub rules */
    V_ANY_LIST,  /* array of anything (provenance), kept as JSON */
    V_YEAR_MAP,  /* {"2023": int|null, …} or null */
    V_YEAR_NOTES, /* {"2023": string|null, …} or null */
    V_DATE_OPT,   /* "YYYY-MM-DD" or null */
    V_SDGS        /* list of the UN sustainable development goals 1..17 without repeats */
} vtype;

typedef struct rule {
    const char *name;
    vtype type;
    size_t max_len; /* bytes of a string, or items of a list */
    int ref;        /* enum ref */
    const char *const *allowed;
    const struct rule *sub;
} rule;

#define END {NULL, 0, 0, REF_NONE, NULL, NULL}
#define R(n, t, len) {n, t, len, REF_NONE, NULL, NULL}
#define REFR(n, t, ref) {n, t, 200, ref, NULL, NULL}

static const char *const levels[] = {"visjon", "hovedmål", "delmål", NULL};
static const char *const kinds[] = {"tiltak", "strategi", "mål", NULL};
static const char *const comparators[] = {">", ">=", "<", "<=", NULL};

static const rule link_rules[] = {
    REFR("plan_id", V_ID, REF_PLAN), R("quote", V_TEXT_OPT, 5000),
    R("relation", V_TEXT_OPT, 5000), END};
static const rule value_rules[] = {
    R("value", V_NUM_OPT, 0), R("year", V_YEAR_OPT, 0), R("text", V_TEXT_OPT, 2000), END};

/* The texts of a focus area under its four headings (the export writes them). */
static const rule area_text_rules[] = {
    R("name", V_TEXT, 500), R("her_er_vi", V_TEXT_OPT, 20000),
    R("slik_vil_vi_ha_det", V_TEXT_OPT, 20000), R("slik_kommer_vi_dit", V_TEXT_OPT, 20000),
    R("slik_gjor_vi_det", V_TEXT_OPT, 20000), END};

static const rule plan_rules[] = {
    R("id", V_ID, 0), R("name", V_TEXT, 300), R("abbreviation", V_TEXT_OPT, 50),
    R("type", V_TEXT_OPT, 100), R("status", V_TEXT_OPT, 100), R("status_detail", V_TEXT_OPT, 500),
    R("adopted_year", V_YEAR_OPT, 0), R("next_revision", V_YEAR_OPT, 0),
    R("theme", V_TEXT_OPT, 200), R("owner_unit", V_TEXT_OPT, 200),
    R("purpose", V_TEXT_OPT, 20000), R("seed_description", V_TEXT_OPT, 2000),
    R("focus_areas_label", V_TEXT_OPT, 300), R("focus_areas", V_TEXT_LIST, 500),
    R("focus_areas_seed", V_TEXT_LIST, 500), REFR("parent_plans", V_ID_LIST, REF_PLAN),
    {"parent_evidence", V_LIST, 200, REF_NONE, NULL, link_rules},
    {"relations", V_LIST, 200, REF_NONE, NULL, link_rules},
    REFR("goal_ids", V_ID_LIST, REF_GOAL), R("type_variants", V_ANY_LIST, 100),
    {"focus_area_texts", V_LIST, 500, REF_NONE, NULL, area_text_rules},
    R("notes", V_TEXT_LIST, 5000), R("source", V_ANY_LIST, 200), END};

static const rule goal_rules[] = {
    R("id", V_ID, 0), R("text", V_TEXT, 2000), {"level", V_ENUM, 0, REF_NONE, levels, NULL},
    REFR("parent_id", V_ID_OPT, REF_GOAL), REFR("plan_id", V_ID_OPT, REF_PLAN),
    R("lead_in", V_TEXT_OPT, 200), R("themes", V_TEXT_LIST, 300),
    R("focus_areas", V_TEXT_LIST, 500), R("retired", V_BOOL_OPT, 0),
    R("notes", V_TEXT_LIST, 5000), R("source", V_ANY_LIST, 200), END};

static const rule indicator_rules[] = {
    R("id", V_ID, 0), R("text", V_TEXT, 2000), R("unit", V_TEXT_OPT, 300),
    {"comparator", V_ENUM_OPT, 0, REF_NONE, comparators, NULL},
    {"baseline", V_OBJECT, 0, REF_NONE, NULL, value_rules},
    {"target", V_OBJECT, 0, REF_NONE, NULL, value_rules}, REFR("plan_id", V_ID_OPT, REF_PLAN),
    REFR("goal_ids", V_ID_LIST, REF_GOAL), REFR("measure_ids", V_ID_LIST, REF_MEASURE),
    R("notes", V_TEXT_LIST, 5000), R("source", V_ANY_LIST, 200), END};

static const char *const unit_kinds[] = {"kommunalområde", "stab", "enhet", "selskap", NULL};
static const char *const measure_types[] = {"oppdrag", "tiltak", "investering", "klimatiltak",
                                            NULL};

static const rule unit_rules[] = {
    R("id", V_ID, 0), R("name", V_TEXT, 200), R("short_name", V_TEXT_OPT, 50),
    {"kind", V_ENUM, 0, REF_NONE, unit_kinds, NULL}, REFR("parent_id", V_ID_OPT, REF_UNIT),
    R("aliases", V_TEXT_LIST, 300), END};

static const rule measure_rules[] = {
    R("id", V_ID, 0), REFR("plan_id", V_ID, REF_PLAN), {"kind", V_ENUM, 0, REF_NONE, kinds, NULL},
    R("focus_area", V_TEXT_OPT, 500), R("title", V_TEXT, 2000),
    R("description", V_TEXT_OPT, 20000), R("strategy", V_TEXT_OPT, 2000),
    REFR("goal_id", V_ID_OPT, REF_GOAL), R("responsible", V_TEXT_LIST, 300),
    R("responsible_detail", V_TEXT_LIST, 1000), R("partners", V_TEXT_LIST, 300),
    R("costs", V_YEAR_MAP, 0), R("cost_notes", V_YEAR_NOTES, 300),
    R("priority_order", V_INT_OPT, 0), R("notes", V_TEXT_LIST, 5000),
    R("source", V_ANY_LIST, 200), R("deadline", V_DATE_OPT, 0),
    {"type", V_ENUM_OPT, 0, REF_NONE, measure_types, NULL}, R("sdgs", V_SDGS, 17),
    {"unit_ids", V_ID_LIST, 10, REF_UNIT, NULL, NULL}, END};

static const char *const statuses[] = {PROCESS_PLANNED, PROCESS_OPEN, PROCESS_PROCESSING,
                                       PROCESS_ANSWERED, PROCESS_CLOSED, NULL};

static const rule phase_rules[] = {
    R("name", V_TEXT, 300), R("starts_on", V_DATE_OPT, 0), R("ends_on", V_DATE_OPT, 0), END};

/* A participation process. "opens" and "deadline" are dates (the deadline is the end of its
 * day); a demo process has "demo_open_days" instead and opens when it is imported. */
static const rule process_rules[] = {
    R("id", V_ID, 0), R("title", V_TEXT, 300), REFR("plan_id", V_ID_OPT, REF_PLAN),
    R("ladder_step", V_TEXT_OPT, 100), {"status", V_ENUM, 0, REF_NONE, statuses, NULL},
    R("purpose", V_TEXT_OPT, 20000), R("can_influence", V_TEXT_OPT, 5000),
    R("cannot_influence", V_TEXT_OPT, 5000), R("target_groups", V_TEXT_LIST, 300),
    R("methods", V_TEXT_LIST, 300), R("themes", V_TEXT_LIST, 200), R("areas", V_TEXT_LIST, 200),
    R("opens", V_DATE_OPT, 0), R("deadline", V_DATE_OPT, 0), R("demo", V_BOOL_OPT, 0),
    R("demo_open_days", V_INT_OPT, 0), R("publish_at_once", V_BOOL_OPT, 0),
    {"phases", V_LIST, 50, REF_NONE, NULL, phase_rules}, R("registered_inputs", V_INT_OPT, 0),
    R("summary", V_TEXT_OPT, 20000), R("source", V_ANY_LIST, 200), END};

static const rule *const kind_rules[K_COUNT] = {unit_rules, plan_rules, goal_rules, indicator_rules,
                                                measure_rules, process_rules};

/* ---------------------------------------------------------------- validation */

typedef struct import_ctx {
    store *s;
    const char *label;
    json_t *batch_ids[K_COUNT]; /* objects used as sets of the ids in this import */
    json_t *theme_names;        /* theme id → name, for the themes of this import */
    buf *err;
} import_ctx;

/* True when s is at most max bytes and has no control characters. */
static bool printable(const char *s, size_t max)
{
    size_t n = 0;
    for (; s[n]; n++)
        if ((unsigned char)s[n] < 0x20 || s[n] == 0x7f || n >= max)
            return false;
    return true;
}

/* Writes "label: plan N (id "x"): field "path": message" into err. */
static int fail(import_ctx *c, enum kind k, size_t index, json_t *rec, const char *path,
                const char *msg)
{
    buf_reset(c->err);
    buf_printf(c->err, "%s: %s %zu", c->label, kind_tables[k], index + 1);
    const char *id = json_string_value(json_object_get(rec, "id"));
    if (id && printable(id, 100)) /* a message is one line: no control characters */
        buf_printf(c->err, " (id \"%s\")", id);
    if (path)
        buf_printf(c->err, ": field \"%s\"", path);
    buf_printf(c->err, ": %s", msg);
    return PV_EINVAL;
}

static bool in_list(const char *s, const char *const *allowed)
{
    for (size_t i = 0; allowed[i]; i++)
        if (strcmp(s, allowed[i]) == 0)
            return true;
    return false;
}

static const char SQL_EXISTS_PLAN[] = "SELECT 1 FROM plan WHERE id = ?1";
static const char SQL_EXISTS_GOAL[] = "SELECT 1 FROM goal WHERE id = ?1";
static const char SQL_EXISTS_MEASURE[] = "SELECT 1 FROM measure WHERE id = ?1";
static const char SQL_EXISTS_UNIT[] = "SELECT 1 FROM unit WHERE id = ?1";

/* True when id is in this import or already in the database. */
static bool ref_exists(import_ctx *c, int ref, const char *id)
{
    if (json_object_get(c->batch_ids[ref], id))
        return true;
    const char *sql = ref == REF_PLAN ? SQL_EXISTS_PLAN
                      : ref == REF_GOAL ? SQL_EXISTS_GOAL
                      : ref == REF_UNIT ? SQL_EXISTS_UNIT : SQL_EXISTS_MEASURE;
    return store_exists(c->s, sql, id);
}

static const char *check_text(json_t *v, size_t max_len)
{
    if (!json_is_string(v))
        return "must be text";
    if (json_string_length(v) > max_len)
        return "is too long";
    if (memchr(json_string_value(v), '\0', json_string_length(v)))
        return "must not contain a NUL character";
    return NULL;
}

static const char *check_id(import_ctx *c, json_t *v, int ref, char *msg, size_t msg_size)
{
    if (!json_is_string(v) || !plan_id_valid(json_string_value(v)))
        return "must be an id of lower-case letters a-z, digits and '-' (at most 100)";
    if (ref != REF_NONE && !ref_exists(c, ref, json_string_value(v))) {
        snprintf(msg, msg_size, "refers to %s \"%.100s\", which does not exist",
                 kind_tables[ref], json_string_value(v));
        return msg;
    }
    return NULL;
}

static bool is_year_key(const char *key)
{
    long y;
    /* Four digits exactly: "02023" would be a second key for the year 2023. */
    return strlen(key) == 4 && pv_parse_long(key, 1800, 2200, &y) == 0;
}

static const char *check_value(import_ctx *c, const rule *r, json_t *v, char *msg,
                               size_t msg_size, enum kind k, size_t index, json_t *rec,
                               const char *path, int *nested_rc);

static int check_fields(import_ctx *c, const rule *rules, json_t *obj, enum kind k,
                        size_t index, json_t *rec, const char *prefix)
{
    for (const rule *r = rules; r->name; r++) {
        char path[160], msg[300];
        snprintf(path, sizeof path, "%s%s", prefix, r->name);
        int nested_rc = 0;
        const char *problem = check_value(c, r, json_object_get(obj, r->name), msg,
                                          sizeof msg, k, index, rec, path, &nested_rc);
        if (nested_rc)
            return nested_rc;
        if (problem)
            return fail(c, k, index, rec, path, problem);
    }
    return PV_OK;
}

static const char *check_value(import_ctx *c, const rule *r, json_t *v, char *msg,
                               size_t msg_size, enum kind k, size_t index, json_t *rec,
                               const char *path, int *nested_rc)
{
    bool missing = v == NULL || json_is_null(v);
    size_t i;
    json_t *item;
    const char *key;
    switch (r->type) {
    case V_ID:
        return missing ? "is required" : check_id(c, v, r->ref, msg, msg_size);
    case V_ID_OPT:
        return missing ? NULL : check_id(c, v, r->ref, msg, msg_size);
    case V_TEXT:
        if (missing || (json_is_string(v) && json_string_length(v) == 0))
            return "is required";
        return check_text(v, r->max_len);
    case V_TEXT_OPT:
        return missing ? NULL : check_text(v, r->max_len);
    case V_ENUM:
    case V_ENUM_OPT:
        if (missing)
            return r->type == V_ENUM ? "is required" : NULL;
        if (!json_is_string(v) || !in_list(json_string_value(v), r->allowed)) {
            snprintf(msg, msg_size, "must be one of:");
            for (size_t a = 0; r->allowed[a]; a++)
                snprintf(msg + strlen(msg), msg_size - strlen(msg), " \"%s\"", r->allowed[a]);
            return msg;
        }
        return NULL;
    case V_YEAR_OPT:
        if (missing)
            return NULL;
        if (!json_is_integer(v) || json_integer_value(v) < 1800 || json_integer_value(v) > 2200)
            return "must be a year between 1800 and 2200, or null";
        return NULL;
    case V_INT_OPT:
        if (missing)
            return NULL;
        if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > 1000000)
            return "must be a whole number between 0 and 1000000, or null";
        return NULL;
    case V_NUM_OPT:
        return missing || json_is_number(v) ? NULL : "must be a number or null";
    case V_BOOL_OPT:
        return missing || json_is_boolean(v) ? NULL : "must be true, false or null";
    case V_OBJECT:
        if (missing)
            return NULL;
        if (!json_is_object(v))
            return "must be an object";
        {
            char prefix[170];
            snprintf(prefix, sizeof prefix, "%s.", path);
            *nested_rc = check_fields(c, r->sub, v, k, index, rec, prefix);
        }
        return NULL;
    case V_ID_LIST:
    case V_TEXT_LIST:
    case V_LIST:
    case V_ANY_LIST:
        if (missing)
            return NULL;
        if (!json_is_array(v))
            return "must be a list";
        if (json_array_size(v) > (r->type == V_TEXT_LIST ? 1000 : r->max_len))
            return "has too many items";
        json_array_foreach(v, i, item) {
            const char *problem = NULL;
            char item_path[170];
            snprintf(item_path, sizeof item_path, "%s[%zu]", path, i);
            if (r->type == V_ID_LIST)
                problem = check_id(c, item, r->ref, msg, msg_size);
            else if (r->type == V_TEXT_LIST)
                problem = check_text(item, r->max_len);
            else if (r->type == V_LIST && !json_is_object(item))
                problem = "must be an object";
            else if (r->type == V_LIST) {
                char prefix[180];
                snprintf(prefix, sizeof prefix, "%s.", item_path);
                *nested_rc = check_fields(c, r->sub, item, k, index, rec, prefix);
                if (*nested_rc)
                    return NULL;
            }
            if (problem) {
                *nested_rc = fail(c, k, index, rec, item_path, problem);
                return NULL;
            }
        }
        return NULL;
    case V_YEAR_MAP:
    case V_YEAR_NOTES:
        if (missing)
            return NULL;
        if (!json_is_object(v))
            return "must be an object of years, or null";
        json_object_foreach(v, key, item) {
            if (!is_year_key(key))
                return "has a key that is not a year between 1800 and 2200";
            if (json_is_null(item))
                continue;
            if (r->type == V_YEAR_MAP &&
                (!json_is_integer(item) || json_integer_value(item) < 0 ||
                 json_integer_value(item) > 100000000))
                return "must hold whole thousands of NOK (0 or more) or null for each year";
            if (r->type == V_YEAR_NOTES && check_text(item, r->max_len))
                return "must hold text or null for each year";
        }
        return NULL;
    case V_DATE_OPT:
        if (missing)
            return NULL;
        if (!json_is_string(v) || pv_parse_date(json_string_value(v), NULL) != 0)
            return "must be a date written YYYY-MM-DD, or null";
        return NULL;
    case V_SDGS:
        if (missing)
            return NULL;
        if (!json_is_array(v) || json_array_size(v) > r->max_len)
            return "must be a list of the sustainable development goals 1 to 17";
        json_array_foreach(v, i, item) {
            size_t j;
            json_t *other;
            if (!json_is_integer(item) || json_integer_value(item) < 1 ||
                json_integer_value(item) > 17)
                return "must be a list of the sustainable development goals 1 to 17";
            json_array_foreach(v, j, other)
                if (j < i && json_equal(item, other))
                    return "names a sustainable development goal twice";
        }
        return NULL;
    }
    return NULL;
}

static const char SQL_THEME_NAME[] = "SELECT name FROM theme WHERE id = ?1";

/* A plan's theme becomes a theme id by its name (plan_slugify): the name must give one, and
 * two different names must not give the same id — in this import or against the database. */
static int check_theme(import_ctx *c, size_t index, json_t *rec)
{
    const char *name = json_string_value(json_object_get(rec, "theme"));
    if (!name)
        return PV_OK;
    buf id = BUF_INIT;
    plan_slugify(name, &id);
    int rc = PV_OK;
    char msg[600];
    const char *other = json_string_value(json_object_get(c->theme_names, buf_cstr(&id)));
    sqlite3_stmt *st = NULL;
    if (id.len == 0) {
        rc = fail(c, K_PLANS, index, rec, "theme", "must contain a letter or a digit");
    } else if (!other && (st = store_prepare(c->s, SQL_THEME_NAME)) != NULL) {
        store_bind_text(st, 1, id.data);
        if (sqlite3_step(st) == SQLITE_ROW)
            json_object_set_new(c->theme_names, id.data,
                                json_string((const char *)sqlite3_column_text(st, 0)));
        sqlite3_reset(st);
        other = json_string_value(json_object_get(c->theme_names, id.data));
    }
    if (rc == 0 && other && strcmp(other, name) != 0) {
        snprintf(msg, sizeof msg, "is too like the theme \"%.200s\" (both would be \"%.100s\")",
                 other, id.data);
        rc = fail(c, K_PLANS, index, rec, "theme", msg);
    }
    if (rc == 0 && !other)
        json_object_set_new(c->theme_names, id.data, json_string(name));
    buf_finish(&id);
    return rc;
}

static const char SQL_LADDER_STEP[] = "SELECT 1 FROM ladder_step WHERE id = ?1";

/* A process's ladder step must be a step of the municipality's ladder, and its dates in
 * order. */
static int check_process(import_ctx *c, size_t index, json_t *rec)
{
    const char *step = json_string_value(json_object_get(rec, "ladder_step"));
    if (step) {
        sqlite3_stmt *st = store_prepare(c->s, SQL_LADDER_STEP);
        bool found = false;
        if (st) {
            store_bind_text(st, 1, step);
            found = sqlite3_step(st) == SQLITE_ROW;
            sqlite3_reset(st);
        }
        if (!found)
            return fail(c, K_PROCESSES, index, rec, "ladder_step",
                        "is not a step of the participation ladder");
    }
    const char *opens = json_string_value(json_object_get(rec, "opens"));
    const char *deadline = json_string_value(json_object_get(rec, "deadline"));
    if (opens && deadline && strcmp(opens, deadline) > 0)
        return fail(c, K_PROCESSES, index, rec, "deadline", "must not be before \"opens\"");
    return PV_OK;
}

/* Collects the ids of this import; duplicates are an error. */
static int collect_ids(import_ctx *c, enum kind k, json_t *records)
{
    size_t i;
    json_t *rec;
    json_array_foreach(records, i, rec) {
        if (!json_is_object(rec))
            return fail(c, k, i, rec, NULL, "must be an object");
        json_t *id = json_object_get(rec, "id");
        if (!json_is_string(id) || !plan_id_valid(json_string_value(id)))
            return fail(c, k, i, rec, "id",
                        "must be an id of lower-case letters a-z, digits and '-' (at most 100)");
        if (json_object_get(c->batch_ids[k], json_string_value(id)))
            return fail(c, k, i, rec, "id", "occurs twice in this file");
        json_object_set_new(c->batch_ids[k], json_string_value(id), json_true());
    }
    return PV_OK;
}

/* ---------------------------------------------------------------- writing */

static const char SQL_THEME_ENSURE[] =
    "INSERT INTO theme (id, name, position) VALUES (?1, ?2,"
    " (SELECT coalesce(max(position), 0) + 1 FROM theme)) ON CONFLICT(id) DO NOTHING";

static const char SQL_PLAN_UPSERT[] =
    "INSERT INTO plan (id, name, abbreviation, type, status, status_detail, adopted_year,"
    " next_revision, theme_id, owner_unit, purpose, seed_description, focus_areas_label,"
    " focus_areas_listed, type_variants, notes, source, search_text, position)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18,"
    " (SELECT coalesce(max(position), 0) + 1 FROM plan))"
    " ON CONFLICT(id) DO UPDATE SET name = excluded.name, abbreviation = excluded.abbreviation,"
    " type = excluded.type, status = excluded.status, status_detail = excluded.status_detail,"
    " adopted_year = excluded.adopted_year, next_revision = excluded.next_revision,"
    " theme_id = excluded.theme_id, owner_unit = excluded.owner_unit,"
    " purpose = excluded.purpose, seed_description = excluded.seed_description,"
    " focus_areas_label = excluded.focus_areas_label,"
    " focus_areas_listed = excluded.focus_areas_listed, type_variants = excluded.type_variants,"
    " notes = excluded.notes, source = excluded.source, search_text = excluded.search_text";

static const char SQL_PARENTS_CLEAR[] = "DELETE FROM plan_parent WHERE plan_id = ?1";
static const char SQL_PARENT_ADD[] =
    "INSERT INTO plan_parent (plan_id, parent_id, evidence) VALUES (?1, ?2, ?3)"
    " ON CONFLICT DO NOTHING";
static const char SQL_RELATIONS_CLEAR[] = "DELETE FROM plan_relation WHERE plan_id = ?1";
static const char SQL_RELATION_ADD[] =
    "INSERT INTO plan_relation (plan_id, other_id, relation, position) VALUES (?1, ?2, ?3, ?4)";
static const char SQL_STATED_GOALS_CLEAR[] =
    "DELETE FROM plan_goal WHERE plan_id = ?1 AND basis = 'oppgitt'";
static const char SQL_STATED_GOAL_ADD[] =
    "INSERT OR REPLACE INTO plan_goal (plan_id, goal_id, basis) VALUES (?1, ?2, 'oppgitt')";
static const char SQL_FOCUS_AREA_PLACE[] =
    "INSERT INTO focus_area (plan_id, name, position) VALUES (?1, ?2, ?3)"
    " ON CONFLICT(plan_id, name) DO UPDATE SET position = excluded.position";
static const char SQL_FOCUS_AREA_ENSURE[] =
    "INSERT INTO focus_area (plan_id, name, position) VALUES (?1, ?2,"
    " (SELECT coalesce(max(position), -1) + 1 FROM focus_area WHERE plan_id = ?1))"
    " ON CONFLICT(plan_id, name) DO NOTHING";
static const char SQL_FOCUS_AREA_ID[] =
    "SELECT id FROM focus_area WHERE plan_id = ?1 AND name = ?2";

static const char SQL_GOAL_UPSERT[] =
    "INSERT INTO goal (id, text, level, parent_id, plan_id, lead_in, themes, focus_areas,"
    " notes, source, retired, position) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11,"
    " (SELECT coalesce(max(position), 0) + 1 FROM goal))"
    " ON CONFLICT(id) DO UPDATE SET text = excluded.text, level = excluded.level,"
    " parent_id = excluded.parent_id, plan_id = excluded.plan_id, lead_in = excluded.lead_in,"
    " themes = excluded.themes, focus_areas = excluded.focus_areas, notes = excluded.notes,"
    " source = excluded.source, retired = excluded.retired";

static const char SQL_FOCUS_AREA_TEXTS[] =
    "UPDATE focus_area SET her_er_vi = ?3, slik_vil_vi_ha_det = ?4, slik_kommer_vi_dit = ?5,"
    " slik_gjor_vi_det = ?6 WHERE plan_id = ?1 AND name = ?2";

static const char SQL_INDICATOR_UPSERT[] =
    "INSERT INTO indicator (id, text, unit, comparator, baseline_value, baseline_year,"
    " baseline_text, target_value, target_year, plan_id, notes, source, position)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12,"
    " (SELECT coalesce(max(position), 0) + 1 FROM indicator))"
    " ON CONFLICT(id) DO UPDATE SET text = excluded.text, unit = excluded.unit,"
    " comparator = excluded.comparator, baseline_value = excluded.baseline_value,"
    " baseline_year = excluded.baseline_year, baseline_text = excluded.baseline_text,"
    " target_value = excluded.target_value, target_year = excluded.target_year,"
    " plan_id = excluded.plan_id, notes = excluded.notes, source = excluded.source";
static const char SQL_INDICATOR_GOALS_CLEAR[] =
    "DELETE FROM indicator_goal WHERE indicator_id = ?1";
static const char SQL_INDICATOR_GOAL_ADD[] =
    "INSERT OR IGNORE INTO indicator_goal (indicator_id, goal_id) VALUES (?1, ?2)";
static const char SQL_INDICATOR_MEASURES_CLEAR[] =
    "DELETE FROM indicator_measure WHERE indicator_id = ?1";
static const char SQL_INDICATOR_MEASURE_ADD[] =
    "INSERT OR IGNORE INTO indicator_measure (indicator_id, measure_id) VALUES (?1, ?2)";

static const char SQL_MEASURE_UPSERT[] =
    "INSERT INTO measure (id, plan_id, focus_area_id, kind, title, description, strategy,"
    " goal_id, responsible, responsible_detail, partners, priority, notes, source,"
    " search_text, deadline, type, sdgs, position) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9,"
    " ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18,"
    " (SELECT coalesce(max(position), 0) + 1 FROM measure))"
    " ON CONFLICT(id) DO UPDATE SET plan_id = excluded.plan_id,"
    " focus_area_id = excluded.focus_area_id, kind = excluded.kind, title = excluded.title,"
    " description = excluded.description, strategy = excluded.strategy,"
    " goal_id = excluded.goal_id, responsible = excluded.responsible,"
    " responsible_detail = excluded.responsible_detail, partners = excluded.partners,"
    " priority = excluded.priority, notes = excluded.notes, source = excluded.source,"
    " search_text = excluded.search_text, deadline = excluded.deadline,"
    " type = excluded.type, sdgs = excluded.sdgs";
static const char SQL_COSTS_CLEAR[] = "DELETE FROM measure_cost WHERE measure_id = ?1";
static const char SQL_COST_ADD[] =
    "INSERT INTO measure_cost (measure_id, year, amount, note) VALUES (?1, ?2, ?3, ?4)";
static const char SQL_MEASURE_UNITS_CLEAR[] = "DELETE FROM measure_unit WHERE measure_id = ?1";
static const char SQL_MEASURE_UNIT_ADD[] =
    "INSERT OR IGNORE INTO measure_unit (measure_id, unit_id, position)"
    " VALUES (?1, ?2, (SELECT count(*) FROM measure_unit WHERE measure_id = ?1))";
/* The units whose aliases hold a name the source uses for the responsible, in their order. */
static const char SQL_MEASURE_UNIT_ALIAS[] =
    "INSERT OR IGNORE INTO measure_unit (measure_id, unit_id, position)"
    " SELECT ?1, u.id, (SELECT coalesce(max(position), -1) + 1 FROM measure_unit"
    "  WHERE measure_id = ?1) + u.position"
    " FROM unit u, json_each(u.aliases) a WHERE a.value = ?2 ORDER BY u.position";
static const char SQL_UNIT_UPSERT[] =
    "INSERT INTO unit (id, name, short_name, kind, parent_id, aliases, position)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, (SELECT coalesce(max(position), 0) + 1 FROM unit))"
    " ON CONFLICT(id) DO UPDATE SET name = excluded.name, short_name = excluded.short_name,"
    " kind = excluded.kind, parent_id = excluded.parent_id, aliases = excluded.aliases";

/* Derived links between plans and goals; 'oppgitt' (stated in the import) is kept. */
static const char SQL_DERIVE_GOALS[] =
    "DELETE FROM plan_goal WHERE basis <> 'oppgitt';"
    "INSERT OR IGNORE INTO plan_goal SELECT plan_id, id, 'eier' FROM goal"
    " WHERE plan_id IS NOT NULL;"
    "INSERT OR IGNORE INTO plan_goal SELECT DISTINCT plan_id, goal_id, 'strategi' FROM measure"
    " WHERE goal_id IS NOT NULL;"
    "INSERT OR IGNORE INTO plan_goal SELECT DISTINCT fa.plan_id, g.id, 'satsingsområde'"
    " FROM goal g, json_each(g.focus_areas) f JOIN focus_area fa ON fa.name = f.value"
    " WHERE g.plan_id IS NULL;"
    "INSERT OR IGNORE INTO plan_goal SELECT DISTINCT p.id, g.id, 'tema'"
    " FROM goal g, json_each(g.themes) t JOIN theme th ON th.name = t.value"
    " JOIN plan p ON p.theme_id = th.id;";

static const char SQL_GOAL_CYCLE[] =
    "WITH RECURSIVE chain(id, ancestor, depth) AS ("
    " SELECT id, parent_id, 1 FROM goal WHERE parent_id IS NOT NULL"
    " UNION ALL SELECT c.id, g.parent_id, c.depth + 1 FROM chain c JOIN goal g"
    " ON g.id = c.ancestor WHERE g.parent_id IS NOT NULL AND c.depth < 100)"
    " SELECT id FROM chain WHERE ancestor = id OR depth >= 100 LIMIT 1";

static const char *str(json_t *rec, const char *key)
{
    return json_string_value(json_object_get(rec, key));
}

static void bind_int_opt(sqlite3_stmt *st, int i, json_t *v)
{
    if (json_is_integer(v))
        sqlite3_bind_int64(st, i, json_integer_value(v));
    else
        sqlite3_bind_null(st, i);
}

static void bind_num_opt(sqlite3_stmt *st, int i, json_t *v)
{
    if (json_is_number(v))
        sqlite3_bind_double(st, i, json_number_value(v));
    else
        sqlite3_bind_null(st, i);
}

/* Binds a JSON list (absent → "[]"). */
static void bind_json(sqlite3_stmt *st, int i, json_t *v)
{
    char *text = json_is_array(v) ? json_dumps(v, JSON_COMPACT) : NULL;
    sqlite3_bind_text(st, i, text ? text : "[]", -1, SQLITE_TRANSIENT);
    free(text);
}

static void bind_folded(sqlite3_stmt *st, int i, const char *a, const char *b)
{
    buf text = BUF_INIT, folded = BUF_INIT;
    buf_puts(&text, a ? a : "");
    buf_putc(&text, '\n');
    buf_puts(&text, b ? b : "");
    utf8_fold(text.data, text.len, &folded);
    sqlite3_bind_text(st, i, buf_cstr(&folded), (int)folded.len, SQLITE_TRANSIENT);
    buf_finish(&text);
    buf_finish(&folded);
}

static int step_done(store *s, sqlite3_stmt *st)
{
    int rc = st ? sqlite3_step(st) : SQLITE_ERROR;
    if (st)
        sqlite3_reset(st);
    (void)s;
    return rc == SQLITE_DONE || rc == SQLITE_ROW ? PV_OK : PV_EDB;
}

static int exec_id(store *s, const char *sql, const char *id)
{
    sqlite3_stmt *st = store_prepare(s, sql);
    if (st)
        store_bind_text(st, 1, id);
    return step_done(s, st);
}

static int write_theme(store *s, const char *name, buf *theme_id)
{
    plan_slugify(name, theme_id);
    sqlite3_stmt *st = store_prepare(s, SQL_THEME_ENSURE);
    if (st) {
        store_bind_text(st, 1, buf_cstr(theme_id));
        store_bind_text(st, 2, name);
    }
    return step_done(s, st);
}

/* The quote that supports parent_id in parent_evidence, or NULL. */
static const char *evidence_for(json_t *rec, const char *parent_id)
{
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(rec, "parent_evidence"), i, e)
        if (str(e, "plan_id") && strcmp(str(e, "plan_id"), parent_id) == 0)
            return str(e, "quote");
    return NULL;
}

static int focus_area_id(store *s, const char *plan_id, const char *name, sqlite3_int64 *out);

static int write_plan_links(store *s, json_t *rec, const char *id)
{
    int rc = exec_id(s, SQL_PARENTS_CLEAR, id);
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(rec, "parent_plans"), i, v) {
        sqlite3_stmt *st = rc == 0 ? store_prepare(s, SQL_PARENT_ADD) : NULL;
        if (!st)
            return PV_EDB;
        store_bind_text(st, 1, id);
        store_bind_text(st, 2, json_string_value(v));
        store_bind_text(st, 3, evidence_for(rec, json_string_value(v)));
        rc = step_done(s, st);
    }
    if (rc == 0)
        rc = exec_id(s, SQL_RELATIONS_CLEAR, id);
    json_array_foreach(json_object_get(rec, "relations"), i, v) {
        sqlite3_stmt *st = rc == 0 ? store_prepare(s, SQL_RELATION_ADD) : NULL;
        if (!st)
            return PV_EDB;
        store_bind_text(st, 1, id);
        store_bind_text(st, 2, str(v, "plan_id"));
        store_bind_text(st, 3, str(v, "relation") ? str(v, "relation") : "");
        sqlite3_bind_int64(st, 4, (sqlite3_int64)i);
        rc = step_done(s, st);
    }
    if (rc == 0)
        rc = exec_id(s, SQL_STATED_GOALS_CLEAR, id);
    json_array_foreach(json_object_get(rec, "goal_ids"), i, v) {
        sqlite3_stmt *st = rc == 0 ? store_prepare(s, SQL_STATED_GOAL_ADD) : NULL;
        if (!st)
            return PV_EDB;
        store_bind_text(st, 1, id);
        store_bind_text(st, 2, json_string_value(v));
        rc = step_done(s, st);
    }
    json_array_foreach(json_object_get(rec, "focus_areas_seed"), i, v) {
        sqlite3_stmt *st = rc == 0 ? store_prepare(s, SQL_FOCUS_AREA_PLACE) : NULL;
        if (!st)
            return PV_EDB;
        store_bind_text(st, 1, id);
        store_bind_text(st, 2, json_string_value(v));
        sqlite3_bind_int64(st, 3, (sqlite3_int64)i);
        rc = step_done(s, st);
    }
    json_array_foreach(json_object_get(rec, "focus_area_texts"), i, v) {
        sqlite3_int64 unused;
        if (rc == 0)
            rc = focus_area_id(s, id, str(v, "name"), &unused); /* created when new */
        sqlite3_stmt *st = rc == 0 ? store_prepare(s, SQL_FOCUS_AREA_TEXTS) : NULL;
        if (!st)
            return PV_EDB;
        store_bind_text(st, 1, id);
        store_bind_text(st, 2, str(v, "name"));
        static const char *const keys[] = {"her_er_vi", "slik_vil_vi_ha_det",
                                           "slik_kommer_vi_dit", "slik_gjor_vi_det"};
        for (int k = 0; k < 4; k++)
            store_bind_text(st, 3 + k, str(v, keys[k]));
        rc = step_done(s, st);
    }
    return rc;
}

static int write_plan(store *s, json_t *rec)
{
    const char *id = str(rec, "id");
    buf theme_id = BUF_INIT;
    int rc = str(rec, "theme") ? write_theme(s, str(rec, "theme"), &theme_id) : PV_OK;
    sqlite3_stmt *st = rc == 0 ? store_prepare(s, SQL_PLAN_UPSERT) : NULL;
    if (st) {
        static const char *const text_fields[] = {"id", "name", "abbreviation", "type",
                                                  "status", "status_detail"};
        for (int i = 0; i < 6; i++)
            store_bind_text(st, i + 1, str(rec, text_fields[i]));
        bind_int_opt(st, 7, json_object_get(rec, "adopted_year"));
        bind_int_opt(st, 8, json_object_get(rec, "next_revision"));
        store_bind_text(st, 9, theme_id.len ? theme_id.data : NULL);
        store_bind_text(st, 10, str(rec, "owner_unit"));
        store_bind_text(st, 11, str(rec, "purpose"));
        store_bind_text(st, 12, str(rec, "seed_description"));
        store_bind_text(st, 13, str(rec, "focus_areas_label"));
        bind_json(st, 14, json_object_get(rec, "focus_areas"));
        bind_json(st, 15, json_object_get(rec, "type_variants"));
        bind_json(st, 16, json_object_get(rec, "notes"));
        bind_json(st, 17, json_object_get(rec, "source"));
        buf name_abbr = BUF_INIT;
        buf_printf(&name_abbr, "%s %s", str(rec, "name"),
                   str(rec, "abbreviation") ? str(rec, "abbreviation") : "");
        bind_folded(st, 18, name_abbr.data, str(rec, "purpose"));
        buf_finish(&name_abbr);
        rc = step_done(s, st);
    } else {
        rc = PV_EDB;
    }
    buf_finish(&theme_id);
    return rc == 0 ? write_plan_links(s, rec, id) : rc;
}

static int write_goal(store *s, json_t *rec)
{
    sqlite3_stmt *st = store_prepare(s, SQL_GOAL_UPSERT);
    if (!st)
        return PV_EDB;
    static const char *const text_fields[] = {"id", "text", "level", "parent_id", "plan_id",
                                              "lead_in"};
    for (int i = 0; i < 6; i++)
        store_bind_text(st, i + 1, str(rec, text_fields[i]));
    bind_json(st, 7, json_object_get(rec, "themes"));
    bind_json(st, 8, json_object_get(rec, "focus_areas"));
    bind_json(st, 9, json_object_get(rec, "notes"));
    bind_json(st, 10, json_object_get(rec, "source"));
    sqlite3_bind_int(st, 11, json_is_true(json_object_get(rec, "retired")));
    return step_done(s, st);
}

static int write_id_links(store *s, const char *clear_sql, const char *add_sql, const char *id,
                          json_t *ids)
{
    int rc = exec_id(s, clear_sql, id);
    size_t i;
    json_t *v;
    json_array_foreach(ids, i, v) {
        sqlite3_stmt *st = rc == 0 ? store_prepare(s, add_sql) : NULL;
        if (!st)
            return PV_EDB;
        store_bind_text(st, 1, id);
        store_bind_text(st, 2, json_string_value(v));
        rc = step_done(s, st);
    }
    return rc;
}

static int write_indicator(store *s, json_t *rec)
{
    sqlite3_stmt *st = store_prepare(s, SQL_INDICATOR_UPSERT);
    if (!st)
        return PV_EDB;
    json_t *base = json_object_get(rec, "baseline"), *target = json_object_get(rec, "target");
    store_bind_text(st, 1, str(rec, "id"));
    store_bind_text(st, 2, str(rec, "text"));
    store_bind_text(st, 3, str(rec, "unit"));
    store_bind_text(st, 4, str(rec, "comparator"));
    bind_num_opt(st, 5, json_object_get(base, "value"));
    bind_int_opt(st, 6, json_object_get(base, "year"));
    store_bind_text(st, 7, str(base, "text"));
    bind_num_opt(st, 8, json_object_get(target, "value"));
    bind_int_opt(st, 9, json_object_get(target, "year"));
    store_bind_text(st, 10, str(rec, "plan_id"));
    bind_json(st, 11, json_object_get(rec, "notes"));
    bind_json(st, 12, json_object_get(rec, "source"));
    int rc = step_done(s, st);
    const char *id = str(rec, "id");
    if (rc == 0)
        rc = write_id_links(s, SQL_INDICATOR_GOALS_CLEAR, SQL_INDICATOR_GOAL_ADD, id,
                            json_object_get(rec, "goal_ids"));
    if (rc == 0)
        rc = write_id_links(s, SQL_INDICATOR_MEASURES_CLEAR, SQL_INDICATOR_MEASURE_ADD, id,
                            json_object_get(rec, "measure_ids"));
    return rc;
}

/* The id of the plan's focus area called name, created at the end if new. */
static int focus_area_id(store *s, const char *plan_id, const char *name, sqlite3_int64 *out)
{
    sqlite3_stmt *st = store_prepare(s, SQL_FOCUS_AREA_ENSURE);
    if (st) {
        store_bind_text(st, 1, plan_id);
        store_bind_text(st, 2, name);
    }
    int rc = step_done(s, st);
    if (rc != 0 || (st = store_prepare(s, SQL_FOCUS_AREA_ID)) == NULL)
        return PV_EDB;
    store_bind_text(st, 1, plan_id);
    store_bind_text(st, 2, name);
    rc = sqlite3_step(st) == SQLITE_ROW ? PV_OK : PV_EDB;
    if (rc == 0)
        *out = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return rc;
}

static int write_costs(store *s, json_t *rec)
{
    const char *id = str(rec, "id");
    int rc = exec_id(s, SQL_COSTS_CLEAR, id);
    json_t *costs = json_object_get(rec, "costs"), *notes = json_object_get(rec, "cost_notes");
    json_t *years = json_object(); /* union of the keys of both maps */
    const char *key;
    json_t *v;
    json_object_foreach(costs, key, v) json_object_set_new(years, key, json_true());
    json_object_foreach(notes, key, v) json_object_set_new(years, key, json_true());
    json_object_foreach(years, key, v) {
        json_t *amount = json_object_get(costs, key), *note = json_object_get(notes, key);
        if ((!amount || json_is_null(amount)) && (!note || json_is_null(note)))
            continue;
        sqlite3_stmt *st = rc == 0 ? store_prepare(s, SQL_COST_ADD) : NULL;
        if (!st) {
            rc = PV_EDB;
            break;
        }
        long year = 0;
        if (pv_parse_long(key, 1800, 2200, &year) != 0) /* validated before */
            continue;
        store_bind_text(st, 1, id);
        sqlite3_bind_int64(st, 2, year);
        bind_int_opt(st, 3, amount);
        store_bind_text(st, 4, json_string_value(note));
        rc = step_done(s, st);
    }
    json_decref(years);
    return rc;
}

static int write_unit(store *s, json_t *rec)
{
    sqlite3_stmt *st = store_prepare(s, SQL_UNIT_UPSERT);
    if (!st)
        return PV_EDB;
    static const char *const text_fields[] = {"id", "name", "short_name", "kind", "parent_id"};
    for (int i = 0; i < 5; i++)
        store_bind_text(st, i + 1, str(rec, text_fields[i]));
    bind_json(st, 6, json_object_get(rec, "aliases"));
    return step_done(s, st);
}

/* The measure's units: "unit_ids" when the record has them (an export), else the units whose
 * aliases name one of its "responsible" (data/moss). */
static int write_measure_units(store *s, json_t *rec)
{
    const char *id = str(rec, "id");
    int rc = exec_id(s, SQL_MEASURE_UNITS_CLEAR, id);
    json_t *ids = json_object_get(rec, "unit_ids");
    bool stated = json_is_array(ids);
    json_t *list = stated ? ids : json_object_get(rec, "responsible");
    size_t i;
    json_t *v;
    json_array_foreach(list, i, v) {
        sqlite3_stmt *st = rc == 0 ? store_prepare(s, stated ? SQL_MEASURE_UNIT_ADD
                                                             : SQL_MEASURE_UNIT_ALIAS) : NULL;
        if (!st)
            return PV_EDB;
        store_bind_text(st, 1, id);
        store_bind_text(st, 2, json_string_value(v));
        rc = step_done(s, st);
    }
    return rc;
}

static int write_measure(store *s, json_t *rec)
{
    sqlite3_int64 area = 0;
    const char *area_name = str(rec, "focus_area");
    int rc = area_name ? focus_area_id(s, str(rec, "plan_id"), area_name, &area) : PV_OK;
    sqlite3_stmt *st = rc == 0 ? store_prepare(s, SQL_MEASURE_UPSERT) : NULL;
    if (!st)
        return PV_EDB;
    store_bind_text(st, 1, str(rec, "id"));
    store_bind_text(st, 2, str(rec, "plan_id"));
    if (area_name)
        sqlite3_bind_int64(st, 3, area);
    else
        sqlite3_bind_null(st, 3);
    static const char *const text_fields[] = {"kind", "title", "description", "strategy",
                                              "goal_id"};
    for (int i = 0; i < 5; i++)
        store_bind_text(st, i + 4, str(rec, text_fields[i]));
    bind_json(st, 9, json_object_get(rec, "responsible"));
    bind_json(st, 10, json_object_get(rec, "responsible_detail"));
    bind_json(st, 11, json_object_get(rec, "partners"));
    bind_int_opt(st, 12, json_object_get(rec, "priority_order"));
    bind_json(st, 13, json_object_get(rec, "notes"));
    bind_json(st, 14, json_object_get(rec, "source"));
    bind_folded(st, 15, str(rec, "title"), str(rec, "description"));
    store_bind_text(st, 16, str(rec, "deadline"));
    /* The sources give no type: a 'tiltak' is one, the rest have none (an export says). */
    json_t *type = json_object_get(rec, "type");
    const char *kind = str(rec, "kind");
    store_bind_text(st, 17, type ? json_string_value(type)
                            : kind && strcmp(kind, "tiltak") == 0 ? "tiltak" : NULL);
    json_t *sdgs = json_object_get(rec, "sdgs");
    char *sdgs_text = json_is_array(sdgs) ? json_dumps(sdgs, JSON_COMPACT) : NULL;
    sqlite3_bind_text(st, 18, sdgs_text ? sdgs_text : "[]", -1, SQLITE_TRANSIENT);
    free(sdgs_text);
    rc = step_done(s, st);
    if (rc == 0)
        rc = write_costs(s, rec);
    return rc == 0 ? write_measure_units(s, rec) : rc;
}

static const char SQL_PROCESS_UPSERT[] =
    "INSERT INTO process (id, title, plan_id, ladder_step_id, status, purpose, can_influence,"
    " cannot_influence, target_groups, methods, themes, areas, opens_at, deadline,"
    " publish_at_once, summary, registered_inputs, demo, source, created_at, position)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18,"
    " ?19, unixepoch(), (SELECT coalesce(max(position), 0) + 1 FROM process))"
    " ON CONFLICT(id) DO UPDATE SET title = excluded.title, plan_id = excluded.plan_id,"
    " ladder_step_id = excluded.ladder_step_id, status = excluded.status,"
    " purpose = excluded.purpose, can_influence = excluded.can_influence,"
    " cannot_influence = excluded.cannot_influence, target_groups = excluded.target_groups,"
    " methods = excluded.methods, themes = excluded.themes, areas = excluded.areas,"
    " opens_at = excluded.opens_at, deadline = excluded.deadline,"
    " publish_at_once = excluded.publish_at_once, summary = excluded.summary,"
    " registered_inputs = excluded.registered_inputs, demo = excluded.demo,"
    " source = excluded.source";
static const char SQL_PHASES_CLEAR[] = "DELETE FROM process_phase WHERE process_id = ?1";
static const char SQL_PHASE_ADD[] =
    "INSERT INTO process_phase (process_id, position, name, starts_on, ends_on)"
    " VALUES (?1, ?2, ?3, ?4, ?5)";

/* Binds the local moment of an ISO date (validated before), or null. */
static void bind_day(sqlite3_stmt *st, int i, const char *date, bool end_of_day)
{
    pv_date d;
    if (date && pv_parse_date(date, &d) == 0)
        sqlite3_bind_int64(st, i, end_of_day ? pv_date_local(d, 23, 59, 59)
                                             : pv_date_local(d, 0, 0, 0));
    else
        sqlite3_bind_null(st, i);
}

static int write_process(store *s, json_t *rec)
{
    sqlite3_stmt *st = store_prepare(s, SQL_PROCESS_UPSERT);
    if (!st)
        return PV_EDB;
    static const char *const text_fields[] = {"id", "title", "plan_id", "ladder_step", "status",
                                              "purpose", "can_influence", "cannot_influence"};
    for (int i = 0; i < 8; i++)
        store_bind_text(st, i + 1, str(rec, text_fields[i]));
    bind_json(st, 9, json_object_get(rec, "target_groups"));
    bind_json(st, 10, json_object_get(rec, "methods"));
    bind_json(st, 11, json_object_get(rec, "themes"));
    bind_json(st, 12, json_object_get(rec, "areas"));
    json_t *open_days = json_object_get(rec, "demo_open_days");
    if (json_is_integer(open_days)) {
        /* A demonstration opens now and closes at the end of the day open_days from now. */
        int64_t now = (int64_t)time(NULL);
        sqlite3_bind_int64(st, 13, now);
        pv_date last = pv_date_add_days(pv_date_of(now), (int)json_integer_value(open_days));
        sqlite3_bind_int64(st, 14, pv_date_local(last, 23, 59, 59));
    } else {
        bind_day(st, 13, str(rec, "opens"), false);
        bind_day(st, 14, str(rec, "deadline"), true);
    }
    sqlite3_bind_int(st, 15, json_is_true(json_object_get(rec, "publish_at_once")));
    store_bind_text(st, 16, str(rec, "summary"));
    bind_int_opt(st, 17, json_object_get(rec, "registered_inputs"));
    sqlite3_bind_int(st, 18, json_is_true(json_object_get(rec, "demo")));
    bind_json(st, 19, json_object_get(rec, "source"));
    const char *id = str(rec, "id");
    int rc = step_done(s, st);
    if (rc == 0)
        rc = exec_id(s, SQL_PHASES_CLEAR, id);
    size_t i;
    json_t *phase;
    json_array_foreach(json_object_get(rec, "phases"), i, phase) {
        st = rc == 0 ? store_prepare(s, SQL_PHASE_ADD) : NULL;
        if (!st)
            return PV_EDB;
        store_bind_text(st, 1, id);
        sqlite3_bind_int64(st, 2, (sqlite3_int64)i);
        store_bind_text(st, 3, str(phase, "name"));
        store_bind_text(st, 4, str(phase, "starts_on"));
        store_bind_text(st, 5, str(phase, "ends_on"));
        rc = step_done(s, st);
    }
    return rc;
}

typedef int (*writer_fn)(store *s, json_t *rec);
static const writer_fn writers[K_COUNT] = {write_unit, write_plan, write_goal, write_indicator,
                                           write_measure, write_process};

/* ---------------------------------------------------------------- driver */

/* Finds which kinds doc holds: a bundle object, or one array named by the file. */
static int classify(import_ctx *c, json_t *doc, json_t *parts[K_COUNT])
{
    memset(parts, 0, sizeof(json_t *) * K_COUNT);
    if (json_is_object(doc)) {
        bool any = false;
        for (int k = 0; k < K_COUNT; k++) {
            json_t *v = json_object_get(doc, kind_keys[k]);
            if (v && !json_is_array(v)) {
                buf_reset(c->err);
                buf_printf(c->err, "%s: \"%s\" must be a list", c->label, kind_keys[k]);
                return PV_EINVAL;
            }
            parts[k] = v;
            any |= v != NULL;
        }
        if (any)
            return PV_OK;
    } else if (json_is_array(doc)) {
        const char *base = strrchr(c->label, '/');
        base = base ? base + 1 : c->label;
        for (int k = 0; k < K_COUNT; k++) {
            char expected[32];
            snprintf(expected, sizeof expected, "%s.json", kind_keys[k]);
            if (strcmp(base, expected) == 0) {
                parts[k] = doc;
                return PV_OK;
            }
        }
    }
    buf_reset(c->err);
    buf_printf(c->err,
               "%s: not an import file: expected units.json, plans.json, goals.json, "
               "indicators.json, measures.json or processes.json (a list of records), or an "
               "export bundle with "
               "those lists",
               c->label);
    return PV_EINVAL;
}

static size_t total_records(json_t *parts[K_COUNT])
{
    size_t n = 0;
    for (int k = 0; k < K_COUNT; k++)
        n += json_array_size(parts[k]);
    return n;
}

static int validate_all(import_ctx *c, json_t *parts[K_COUNT], import_progress_fn progress,
                        void *pctx)
{
    size_t total = total_records(parts), done = 0;
    if (total > IMPORT_MAX_RECORDS) {
        buf_reset(c->err);
        buf_printf(c->err, "%s: more than %d records", c->label, IMPORT_MAX_RECORDS);
        return PV_ELIMIT;
    }
    for (int k = 0; k < K_COUNT; k++) {
        int rc = parts[k] ? collect_ids(c, (enum kind)k, parts[k]) : PV_OK;
        if (rc)
            return rc;
    }
    for (int k = 0; k < K_COUNT; k++) {
        size_t i;
        json_t *rec;
        json_array_foreach(parts[k], i, rec) {
            int rc = check_fields(c, kind_rules[k], rec, (enum kind)k, i, rec, "");
            if (rc == 0 && k == K_PLANS)
                rc = check_theme(c, i, rec);
            if (rc == 0 && k == K_PROCESSES)
                rc = check_process(c, i, rec);
            if (rc)
                return rc;
            if (progress)
                progress(pctx, "validate", ++done, total);
        }
    }
    return PV_OK;
}

static int write_all(import_ctx *c, json_t *parts[K_COUNT], import_counts *counts,
                     import_progress_fn progress, void *pctx)
{
    size_t total = total_records(parts), done = 0;
    size_t *count_of[K_COUNT] = {&counts->units, &counts->plans, &counts->goals, &counts->indicators,
                                 &counts->measures, &counts->processes};
    for (int k = 0; k < K_COUNT; k++) {
        size_t i;
        json_t *rec;
        json_array_foreach(parts[k], i, rec) {
            if (writers[k](c->s, rec) != 0) {
                buf_reset(c->err);
                buf_printf(c->err, "%s: %s %zu: cannot write: %s", c->label, kind_tables[k], i + 1,
                           sqlite3_errmsg(store_handle(c->s)));
                return PV_EDB;
            }
            (*count_of[k])++;
            if (progress)
                progress(pctx, "write", ++done, total);
        }
    }
    if (sqlite3_exec(store_handle(c->s), SQL_DERIVE_GOALS, NULL, NULL, NULL) != SQLITE_OK) {
        buf_reset(c->err);
        buf_printf(c->err, "%s: cannot link plans and goals: %s", c->label,
                   sqlite3_errmsg(store_handle(c->s)));
        return PV_EDB;
    }
    sqlite3_stmt *st = store_prepare(c->s, SQL_GOAL_CYCLE);
    if (st && sqlite3_step(st) == SQLITE_ROW) {
        buf_reset(c->err);
        buf_printf(c->err, "%s: goal \"%s\": field \"parent_id\": the goals' parents form a cycle (or a chain of 100 levels)",
                   c->label, (const char *)sqlite3_column_text(st, 0));
        sqlite3_reset(st);
        return PV_EINVAL;
    }
    if (st)
        sqlite3_reset(st);
    return PV_OK;
}

int store_import(store *s, const char *label, json_t *doc, import_counts *counts,
                 import_progress_fn progress, void *progress_ctx, buf *err)
{
    import_ctx c = {.s = s, .label = label, .err = err};
    memset(counts, 0, sizeof *counts);
    json_t *parts[K_COUNT];
    int rc = classify(&c, doc, parts);
    if (rc)
        return rc;
    for (int k = 0; k < K_COUNT; k++)
        c.batch_ids[k] = json_object();
    c.theme_names = json_object();
    /* Validation reads the database for references; do it inside the write transaction so
     * that what was checked is what is written. */
    if (store_begin(s) != 0) {
        buf_reset(err);
        buf_printf(err, "%s: the database is busy: %s", label, sqlite3_errmsg(store_handle(s)));
        rc = PV_EDB;
    } else {
        sqlite3_exec(store_handle(s), "PRAGMA defer_foreign_keys = ON", NULL, NULL, NULL);
        rc = validate_all(&c, parts, progress, progress_ctx);
        if (rc == 0)
            rc = write_all(&c, parts, counts, progress, progress_ctx);
        if (rc == 0 && store_commit(s) != 0) {
            buf_reset(err);
            buf_printf(err, "%s: cannot commit: %s", label, sqlite3_errmsg(store_handle(s)));
            rc = PV_EDB;
        }
        if (rc != 0) {
            store_rollback(s);
            memset(counts, 0, sizeof *counts);
        }
    }
    for (int k = 0; k < K_COUNT; k++)
        json_decref(c.batch_ids[k]);
    json_decref(c.theme_names);
    return rc;
}

json_t *store_import_load_file(const char *path, buf *err)
{
    buf content = BUF_INIT;
    int rc = pv_read_file(path, IMPORT_MAX_FILE_BYTES, &content);
    json_t *doc = NULL;
    if (rc == PV_ENOTFOUND) {
        buf_printf(err, "%s: %s", path, strerror(errno));
    } else if (rc == PV_EIO) {
        buf_printf(err, "%s: cannot read the file", path);
    } else if (rc == PV_ELIMIT) {
        buf_printf(err, "%s: larger than %u MiB", path, IMPORT_MAX_FILE_BYTES >> 20);
    } else {
        json_error_t je;
        doc = json_loadb(buf_cstr(&content), content.len, JSON_REJECT_DUPLICATES, &je);
        if (!doc)
            buf_printf(err, "%s: line %d, column %d: %s", path, je.line, je.column, je.text);
    }
    buf_finish(&content);
    return doc;
}
