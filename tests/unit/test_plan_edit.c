/* Unit tests for the staff's edits of the portfolio (store/plans_edit.c, store/goals_edit.c,
 * the rules in domain/plan.c). Every refused change must come back as PV_EINVAL with an error
 * naming the field and saying what is wrong, and leave the database exactly as it was (the
 * export, the audit trail, the owners, the retired goals and the focus area texts compared
 * before and after). Every accepted change writes exactly one audit event with the fields
 * that changed, before → after, and nothing else.
 * Layer: tests (store, domain). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "domain/plan.h"
#include "store/db.h"
#include "store/export.h"
#include "store/goals_edit.h"
#include "store/import.h"
#include "store/plans_edit.h"
#include "store/users.h"
#include "fixture_db.h"

#define NOW 1800000000

typedef struct fixture {
    char dir[64];
    store *db;
    int64_t planner, reader, owner, disabled;
} fixture;

static fixture *F;
static const actor WHO = {1, "planlegger@moss.kommune.no", "127.0.0.1"};

/* ---- helpers -------------------------------------------------------------------------- */

static json_t *parse(const char *text)
{
    json_error_t je;
    json_t *doc = json_loads(text, JSON_ALLOW_NUL, &je);
    if (!doc)
        fail_msg("test document: %s: %s", text, je.text);
    return doc;
}

/* Everything a change could touch. */
static json_t *snapshot(void)
{
    json_t *all, *v;
    assert_int_equal(store_export(F->db, &all), PV_OK);
    audit_filter every = {.limit = 500};
    assert_int_equal(store_audit_list(F->db, &every, &v), PV_OK);
    json_object_set_new(all, "audit", v);
    assert_int_equal(store_plans_staff_list(F->db, &v), PV_OK);
    json_object_set_new(all, "owners", v);
    assert_int_equal(store_goals_staff(F->db, &v), PV_OK);
    json_object_set_new(all, "goals_staff", v);
    static const char *const plans[] = {"leve-hele-livet", "kommuneplanens-samfunnsdel"};
    for (size_t i = 0; i < PV_ARRAY_LEN(plans); i++) {
        assert_int_equal(store_focus_areas(F->db, plans[i], &v), PV_OK);
        json_object_set_new(all, plans[i], v);
    }
    return all;
}

static int64_t last_event_id(void)
{
    json_t *events;
    audit_filter newest = {.limit = 1};
    assert_int_equal(store_audit_list(F->db, &newest, &events), PV_OK);
    int64_t id = json_integer_value(json_object_get(json_array_get(events, 0), "id"));
    json_decref(events);
    return id;
}

/* The events after event id `since`, oldest first. */
static json_t *events_since(int64_t since)
{
    json_t *events;
    audit_filter all = {.limit = 500};
    assert_int_equal(store_audit_list(F->db, &all, &events), PV_OK);
    json_t *out = json_array();
    for (size_t i = json_array_size(events); i-- > 0;) {
        json_t *e = json_array_get(events, i);
        if (json_integer_value(json_object_get(e, "id")) > since)
            json_array_append(out, e);
    }
    json_decref(events);
    return out;
}

/* Expects exactly one new event since `since` with action, object and changes (JSON text). */
static void expect_one_event(int64_t since, const char *action, const char *type,
                             const char *object_id, const char *changes)
{
    json_t *events = events_since(since);
    json_t *want = parse(changes);
    char problem[600] = "";
    json_t *e = json_array_get(events, 0);
    if (json_array_size(events) != 1)
        snprintf(problem, sizeof problem, "%zu events, expected 1", json_array_size(events));
    else if (strcmp(json_string_value(json_object_get(e, "action")), action) != 0)
        snprintf(problem, sizeof problem, "action %s, expected %s",
                 json_string_value(json_object_get(e, "action")), action);
    else if (strcmp(json_string_value(json_object_get(e, "object_type")), type) != 0 ||
             (object_id && strcmp(json_string_value(json_object_get(e, "object_id")), object_id) != 0))
        snprintf(problem, sizeof problem, "the event is about the wrong object");
    else if (strcmp(json_string_value(json_object_get(e, "actor")), WHO.name) != 0)
        snprintf(problem, sizeof problem, "the event names the wrong actor");
    char *got = e ? json_dumps(json_object_get(e, "changes"), JSON_SORT_KEYS | JSON_COMPACT) : NULL;
    if (!problem[0] && !json_equal(json_object_get(e, "changes"), want))
        snprintf(problem, sizeof problem, "changes %.400s, expected %.150s", got ? got : "?",
                 changes);
    free(got);
    json_decref(want);
    json_decref(events);
    if (problem[0])
        fail_msg("%s", problem);
}

typedef int (*change_fn)(json_t *input, json_t *errors, void *ctx);

/* Runs a change that must be refused: PV_EINVAL, an error on field whose message contains
 * want (a substring of the msgid or detail), and the database exactly as before. */
static void expect_refused_by(change_fn change, void *ctx, const char *input_text,
                              const char *field, const char *want)
{
    json_t *input = parse(input_text), *errors = json_array();
    json_t *before = snapshot();
    int rc = change(input, errors, ctx);
    json_t *after = snapshot();
    char problem[800] = "";
    char *listed = json_dumps(errors, JSON_COMPACT);
    bool found = false;
    size_t i;
    json_t *e;
    json_array_foreach(errors, i, e) {
        const char *f = json_string_value(json_object_get(e, "field"));
        const char *m = json_string_value(json_object_get(e, "message"));
        const char *d = json_string_value(json_object_get(e, "detail"));
        if (f && strcmp(f, field) == 0 && m && (strstr(m, want) || (d && strstr(d, want))))
            found = true;
    }
    if (rc != PV_EINVAL)
        snprintf(problem, sizeof problem, "returned %d, expected PV_EINVAL", rc);
    else if (!found)
        snprintf(problem, sizeof problem, "no error on \"%s\" saying \"%s\" in %.500s", field,
                 want, listed);
    else if (!json_equal(before, after))
        snprintf(problem, sizeof problem, "a refused change changed the database");
    free(listed);
    json_decref(before);
    json_decref(after);
    json_decref(errors);
    json_decref(input);
    if (problem[0])
        fail_msg("%s\n  input: %s", problem, input_text);
}

static int update_plan(json_t *input, json_t *errors, void *ctx)
{
    return store_plan_update(F->db, &WHO, NOW, ctx, input, errors);
}

static int create_plan(json_t *input, json_t *errors, void *ctx)
{
    (void)ctx;
    buf id = BUF_INIT;
    int rc = store_plan_create(F->db, &WHO, NOW, input, errors, &id);
    buf_finish(&id);
    return rc;
}

static int update_goal(json_t *input, json_t *errors, void *ctx)
{
    return store_goal_update(F->db, &WHO, NOW, ctx, input, errors);
}

static int create_goal(json_t *input, json_t *errors, void *ctx)
{
    (void)ctx;
    buf id = BUF_INIT;
    int rc = store_goal_create(F->db, &WHO, NOW, input, errors, &id);
    buf_finish(&id);
    return rc;
}

static int update_indicator(json_t *input, json_t *errors, void *ctx)
{
    return store_indicator_update(F->db, &WHO, NOW, ctx, input, errors);
}

static int update_area(json_t *input, json_t *errors, void *ctx)
{
    return store_focus_area_update(F->db, &WHO, NOW, "leve-hele-livet", *(int64_t *)ctx, input,
                                   errors);
}

/* Applies a change that must succeed. */
static void expect_ok(change_fn change, void *ctx, const char *input_text)
{
    json_t *input = parse(input_text), *errors = json_array();
    int rc = change(input, errors, ctx);
    char *listed = json_dumps(errors, JSON_COMPACT);
    char message[600];
    snprintf(message, sizeof message, "%s: rc %d, errors %.400s", input_text, rc, listed);
    free(listed);
    json_decref(errors);
    json_decref(input);
    if (rc != 0)
        fail_msg("%s", message);
}

static char *repeat(char c, size_t n)
{
    char *s = malloc(n + 1);
    assert_non_null(s);
    memset(s, c, n);
    s[n] = '\0';
    return s;
}

/* {"key": "<n times c>"} */
static char *long_field(const char *key, char c, size_t n)
{
    char *value = repeat(c, n);
    json_t *doc = json_pack("{s:s}", key, value);
    char *text = json_dumps(doc, JSON_COMPACT);
    json_decref(doc);
    free(value);
    return text;
}

/* ---- plans: what is refused ------------------------------------------------------------- */

static void test_plan_name(void **state)
{
    (void)state;
    char *ctx = "leve-hele-livet";
    expect_refused_by(update_plan, ctx, "{\"name\": \"\"}", "name", "Skriv navnet");
    expect_refused_by(update_plan, ctx, "{\"name\": \"   \"}", "name", "Skriv navnet");
    expect_refused_by(update_plan, ctx, "{\"name\": null}", "name", "Skriv navnet");
    expect_refused_by(update_plan, ctx, "{\"name\": 7}", "name", "Må være tekst");
    expect_refused_by(update_plan, ctx, "{\"name\": \"To\\nlinjer\"}", "name", "linjeskift");
    expect_refused_by(update_plan, ctx, "{\"name\": \"NUL\\u0000tegn\"}", "name", "kontrolltegn");
    char *text = long_field("name", 'x', 301);
    expect_refused_by(update_plan, ctx, text, "name", "høyst 300 tegn");
    free(text);
    /* 150 × «ø» is 300 bytes: allowed; one more byte is not (the import's limit) */
    char *oo = malloc(400);
    assert_non_null(oo);
    oo[0] = '\0';
    for (int i = 0; i < 150; i++)
        strcat(oo, "ø");
    json_t *doc = json_pack("{s:s}", "name", oo);
    char *ok = json_dumps(doc, 0);
    expect_ok(update_plan, ctx, ok);
    strcat(oo, "x");
    json_object_set_new(doc, "name", json_string(oo));
    char *bad = json_dumps(doc, 0);
    expect_refused_by(update_plan, ctx, bad, "name", "høyst 300 tegn");
    free(ok);
    free(bad);
    free(oo);
    json_decref(doc);
    expect_ok(update_plan, ctx, "{\"name\": \"Slik vil vi leve hele livet\"}");
}

static void test_plan_type_status_unit(void **state)
{
    (void)state;
    char *ctx = "leve-hele-livet";
    char *text = long_field("type", 't', 101);
    expect_refused_by(update_plan, ctx, text, "type", "høyst 100 tegn");
    free(text);
    expect_refused_by(update_plan, ctx, "{\"type\": [\"Fagplan\"]}", "type", "Må være tekst");
    expect_refused_by(update_plan, ctx, "{\"status\": \"finnes ikke\"}", "status",
                      "Velg en av statusene");
    expect_refused_by(update_plan, ctx, "{\"status\": 1}", "status", "Må være tekst");
    text = long_field("owner_unit", 'u', 201);
    expect_refused_by(update_plan, ctx, text, "owner_unit", "høyst 200 tegn");
    free(text);
    text = long_field("purpose", 'p', 20001);
    expect_refused_by(update_plan, ctx, text, "purpose", "høyst 20 000 tegn");
    free(text);
    expect_refused_by(update_plan, ctx, "{\"farge\": \"blå\"}", "farge", "finnes ikke");
    expect_refused_by(update_plan, ctx, "{\"id\": \"nytt-navn\"}", "id", "kan ikke endres");
    /* a status the data use is allowed, and so are the three of every plan */
    expect_ok(update_plan, ctx, "{\"status\": \"pågående\"}");
    expect_ok(update_plan, ctx, "{\"status\": \"vedtatt\"}");
}

static void test_plan_years(void **state)
{
    (void)state;
    char *ctx = "leve-hele-livet";
    expect_refused_by(update_plan, ctx, "{\"adopted_year\": 1799}", "adopted_year", "1800 og 2200");
    expect_refused_by(update_plan, ctx, "{\"adopted_year\": 2201}", "adopted_year", "1800 og 2200");
    expect_refused_by(update_plan, ctx, "{\"adopted_year\": \"2020\"}", "adopted_year", "årstall");
    expect_refused_by(update_plan, ctx, "{\"adopted_year\": 2020.5}", "adopted_year", "årstall");
    expect_refused_by(update_plan, ctx, "{\"next_revision\": 1800000}", "next_revision", "årstall");
    /* adopted 2023: the next revision cannot be before it */
    expect_refused_by(update_plan, ctx, "{\"next_revision\": 2022}", "next_revision",
                      "før planen ble vedtatt");
    expect_refused_by(update_plan, ctx, "{\"adopted_year\": 2030, \"next_revision\": 2029}",
                      "next_revision", "før planen ble vedtatt");
}

static void test_plan_theme_owner_goals(void **state)
{
    (void)state;
    char *ctx = "leve-hele-livet";
    expect_refused_by(update_plan, ctx, "{\"theme_id\": \"finnes-ikke\"}", "theme_id",
                      "Temaet finnes ikke");
    expect_refused_by(update_plan, ctx, "{\"theme_id\": \"Ikke En Id\"}", "theme_id",
                      "Temaet finnes ikke");
    expect_refused_by(update_plan, ctx, "{\"theme_id\": 3}", "theme_id", "Temaet finnes ikke");
    char text[200];
    expect_refused_by(update_plan, ctx, "{\"owner_user_id\": 999999}", "owner_user_id",
                      "Eieren må være en ansatt");
    snprintf(text, sizeof text, "{\"owner_user_id\": %lld}", (long long)F->reader);
    expect_refused_by(update_plan, ctx, text, "owner_user_id", "Eieren må være en ansatt");
    snprintf(text, sizeof text, "{\"owner_user_id\": %lld}", (long long)F->disabled);
    expect_refused_by(update_plan, ctx, text, "owner_user_id", "deaktivert");
    expect_refused_by(update_plan, ctx, "{\"owner_user_id\": \"1\"}", "owner_user_id",
                      "Velg en ansatt");
    expect_refused_by(update_plan, ctx, "{\"goal_ids\": [\"finnes-ikke\"]}", "goal_ids",
                      "finnes-ikke");
    expect_refused_by(update_plan, ctx, "{\"goal_ids\": \"moss2030-visjon\"}", "goal_ids",
                      "liste");
    expect_refused_by(update_plan, ctx, "{\"goal_ids\": [\"moss2030-visjon\", \"moss2030-visjon\"]}",
                      "goal_ids", "to ganger");
}

static void test_plan_parents(void **state)
{
    (void)state;
    char *ctx = "leve-hele-livet";
    expect_refused_by(update_plan, ctx, "{\"parent_ids\": [\"finnes-ikke\"]}", "parent_ids",
                      "finnes-ikke");
    expect_refused_by(update_plan, ctx, "{\"parent_ids\": [\"Ugyldig id\"]}", "parent_ids",
                      "En av planene finnes ikke");
    expect_refused_by(update_plan, ctx, "{\"parent_ids\": [\"leve-hele-livet\"]}", "parent_ids",
                      "forankret i seg selv");
    expect_refused_by(update_plan, ctx, "{\"parent_ids\": 7}", "parent_ids", "liste");
    /* a → b → a: leve-hele-livet is anchored in kommuneplanens-samfunnsdel */
    expect_refused_by(update_plan, "kommuneplanens-samfunnsdel",
                      "{\"parent_ids\": [\"leve-hele-livet\"]}", "parent_ids",
                      "kommuneplanens-samfunnsdel → leve-hele-livet → kommuneplanens-samfunnsdel");
    /* a longer ring: demensplan → medvirkningsplan → klimaplan → demensplan */
    expect_ok(update_plan, "demensplan", "{\"parent_ids\": [\"medvirkningsplan\"]}");
    expect_ok(update_plan, "medvirkningsplan", "{\"parent_ids\": [\"klimaplan\"]}");
    expect_refused_by(update_plan, "klimaplan", "{\"parent_ids\": [\"demensplan\"]}",
                      "parent_ids", "klimaplan → demensplan → medvirkningsplan → klimaplan");
    expect_refused_by(update_plan, "klimaplan", "{\"parent_ids\": [\"demensplan\"]}",
                      "parent_ids", "ring");
    expect_ok(update_plan, "demensplan", "{\"parent_ids\": []}");
    expect_ok(update_plan, "medvirkningsplan", "{\"parent_ids\": []}");
}

static void test_plan_create_refused(void **state)
{
    (void)state;
    expect_refused_by(create_plan, NULL, "{}", "name", "Skriv navnet");
    expect_refused_by(create_plan, NULL, "{\"id\": \"leve-hele-livet\", \"name\": \"Kopi\"}", "id",
                      "finnes allerede en plan med denne id-en");
    expect_refused_by(create_plan, NULL, "{\"name\": \"Leve hele livet\"}", "id",
                      "leve-hele-livet"); /* the name gives a taken id */
    expect_refused_by(create_plan, NULL, "{\"name\": \"Leve hele livet\"}", "id",
                      "id-en som navnet gir");
    expect_refused_by(create_plan, NULL, "{\"name\": \"Ny\"}", "id", "«ny»");
    expect_refused_by(create_plan, NULL, "{\"id\": \"Store Bokstaver\", \"name\": \"X\"}", "id",
                      "små bokstaver");
    expect_refused_by(create_plan, NULL, "{\"name\": \"!!!\"}", "id", "Vi kan ikke lage en id av navnet");
    expect_refused_by(create_plan, NULL,
                      "{\"name\": \"Sykkelplan\", \"parent_ids\": [\"finnes-ikke\"]}",
                      "parent_ids", "finnes-ikke");
    expect_refused_by(create_plan, NULL, "{\"name\": \"Sykkelplan\", \"adopted_year\": 3000}",
                      "adopted_year", "1800 og 2200");
}

/* ---- plans: what is written ------------------------------------------------------------- */

static void test_plan_update_writes_one_event(void **state)
{
    (void)state;
    json_t *before;
    assert_int_equal(store_plan_record(F->db, "leve-hele-livet", &before), PV_OK);
    int64_t since = last_event_id();
    /* the whole record as a form sends it, with two fields changed */
    json_t *input = json_deep_copy(before);
    json_object_del(input, "id");
    json_object_set_new(input, "status", json_string("utgått"));
    json_object_set_new(input, "purpose", json_string("Nytt *formål*."));
    json_t *errors = json_array();
    assert_int_equal(store_plan_update(F->db, &WHO, NOW, "leve-hele-livet", input, errors), PV_OK);
    assert_int_equal(json_array_size(errors), 0);
    json_t *want = json_pack("{s:[O,s], s:[s,s]}", "purpose", json_object_get(before, "purpose"),
                             "Nytt *formål*.", "status", "vedtatt", "utgått");
    char *changes = json_dumps(want, JSON_COMPACT);
    expect_one_event(since, "plan.update", "plan", "leve-hele-livet", changes);
    free(changes);
    json_decref(want);
    /* the same again: nothing changes, no event */
    json_object_set_new(input, "status", json_string("utgått"));
    since = last_event_id();
    assert_int_equal(store_plan_update(F->db, &WHO, NOW, "leve-hele-livet", input, errors), PV_OK);
    json_t *none = events_since(since);
    assert_int_equal(json_array_size(none), 0);
    json_decref(none);
    /* the history of the plan shows it */
    json_t *history;
    assert_int_equal(store_plan_history(F->db, "leve-hele-livet", 10, &history), PV_OK);
    assert_string_equal(json_string_value(json_object_get(json_array_get(history, 0), "action")),
                        "plan.update");
    json_decref(history);
    /* back as it was: one event with the two fields the other way round */
    json_decref(errors);
    errors = json_array();
    json_t *back = json_pack("{s:s, s:O}", "status", "vedtatt", "purpose",
                             json_object_get(before, "purpose"));
    since = last_event_id();
    assert_int_equal(store_plan_update(F->db, &WHO, NOW, "leve-hele-livet", back, errors), PV_OK);
    json_t *events = events_since(since);
    assert_int_equal(json_array_size(events), 1);
    json_decref(events);
    json_decref(back);
    json_decref(errors);
    json_decref(input);
    json_decref(before);
}

static void test_plan_links_and_owner(void **state)
{
    (void)state;
    char text[300];
    int64_t since = last_event_id();
    snprintf(text, sizeof text,
             "{\"owner_user_id\": %lld, \"goal_ids\": [\"moss2030-visjon\"],"
             " \"parent_ids\": [\"kommuneplanens-samfunnsdel\"], \"next_revision\": 2030}",
             (long long)F->owner);
    expect_ok(update_plan, "demensplan", text);
    snprintf(text, sizeof text,
             "{\"goal_ids\": [[], [\"moss2030-visjon\"]], \"next_revision\": [null, 2030],"
             " \"owner_user_id\": [null, %lld],"
             " \"parent_ids\": [[], [\"kommuneplanens-samfunnsdel\"]]}",
             (long long)F->owner);
    expect_one_event(since, "plan.update", "plan", "demensplan", text);
    int64_t owner;
    assert_int_equal(store_plan_owner(F->db, "demensplan", &owner), PV_OK);
    assert_int_equal(owner, F->owner);
    /* the parent keeps its evidence when it stays; the stated goal is basis 'oppgitt' */
    json_t *rec;
    assert_int_equal(store_plan_record(F->db, "demensplan", &rec), PV_OK);
    assert_string_equal(json_string_value(json_array_get(json_object_get(rec, "goal_ids"), 0)),
                        "moss2030-visjon");
    json_decref(rec);
    expect_ok(update_plan, "demensplan",
              "{\"owner_user_id\": null, \"goal_ids\": [], \"parent_ids\": [],"
              " \"next_revision\": null}");
    assert_int_equal(store_plan_owner(F->db, "demensplan", &owner), PV_OK);
    assert_int_equal(owner, 0);
}

static void test_plan_create(void **state)
{
    (void)state;
    int64_t since = last_event_id();
    json_t *input = parse("{\"name\": \"Sykkelstrategi for Moss\", \"type\": \"Strategiplan\","
                          " \"status\": \"under arbeid\", \"theme_id\": \"areal-og-transport\","
                          " \"parent_ids\": [\"kommuneplanens-samfunnsdel\"],"
                          " \"purpose\": \"Flere skal sykle.\"}");
    json_t *errors = json_array();
    buf id = BUF_INIT;
    assert_int_equal(store_plan_create(F->db, &WHO, NOW, input, errors, &id), PV_OK);
    assert_string_equal(buf_cstr(&id), "sykkelstrategi-for-moss");
    expect_one_event(since, "plan.create", "plan", "sykkelstrategi-for-moss",
                     "{\"id\": [null, \"sykkelstrategi-for-moss\"],"
                     " \"name\": [null, \"Sykkelstrategi for Moss\"],"
                     " \"type\": [null, \"Strategiplan\"], \"status\": [null, \"under arbeid\"],"
                     " \"theme_id\": [null, \"areal-og-transport\"],"
                     " \"parent_ids\": [[], [\"kommuneplanens-samfunnsdel\"]],"
                     " \"purpose\": [null, \"Flere skal sykle.\"]}");
    /* a chosen id */
    buf_reset(&id);
    json_decref(input);
    input = parse("{\"id\": \"sykkel-2\", \"name\": \"Sykkelstrategi for Moss\"}");
    assert_int_equal(store_plan_create(F->db, &WHO, NOW, input, errors, &id), PV_OK);
    assert_string_equal(buf_cstr(&id), "sykkel-2");
    json_t *rec;
    assert_int_equal(store_plan_record(F->db, "sykkel-2", &rec), PV_OK);
    assert_string_equal(json_string_value(json_object_get(rec, "name")), "Sykkelstrategi for Moss");
    json_decref(rec);
    buf_finish(&id);
    json_decref(errors);
    json_decref(input);
}

/* ---- focus areas ------------------------------------------------------------------------ */

static int64_t area_id(const char *plan, size_t index)
{
    json_t *areas;
    assert_int_equal(store_focus_areas(F->db, plan, &areas), PV_OK);
    int64_t id = json_integer_value(json_object_get(json_array_get(areas, index), "id"));
    json_decref(areas);
    return id;
}

static void test_focus_areas(void **state)
{
    (void)state;
    json_t *areas;
    assert_int_equal(store_focus_areas(F->db, "leve-hele-livet", &areas), PV_OK);
    size_t n = json_array_size(areas);
    assert_true(n >= 2);
    const char *second = json_string_value(json_object_get(json_array_get(areas, 1), "name"));
    char clash[600];
    snprintf(clash, sizeof clash, "{\"name\": \"%s\"}", second);
    json_decref(areas);
    int64_t first = area_id("leve-hele-livet", 0);
    expect_refused_by(update_area, &first, clash, "name", "allerede et satsingsområde");
    expect_refused_by(update_area, &first, "{\"name\": \"\"}", "name", "Skriv navnet");
    char *text = long_field("slik_gjor_vi_det", 's', 20001);
    expect_refused_by(update_area, &first, text, "slik_gjor_vi_det", "høyst 20 000 tegn");
    free(text);

    int64_t since = last_event_id();
    expect_ok(update_area, &first, "{\"slik_vil_vi_ha_det\": \"Trygge seniorer.\"}");
    char object[32];
    snprintf(object, sizeof object, "%lld", (long long)first);
    expect_one_event(since, "focus_area.update", "focus_area", object,
                     "{\"slik_vil_vi_ha_det\": [null, \"Trygge seniorer.\"]}");

    /* move down and up again: one event each, with the place before and after */
    since = last_event_id();
    assert_int_equal(store_focus_area_move(F->db, &WHO, NOW, "leve-hele-livet", first, 1), PV_OK);
    expect_one_event(since, "focus_area.move", "focus_area", object, "{\"position\": [1, 2]}");
    assert_int_equal(area_id("leve-hele-livet", 1), first);
    since = last_event_id();
    assert_int_equal(store_focus_area_move(F->db, &WHO, NOW, "leve-hele-livet", first, -1), PV_OK);
    expect_one_event(since, "focus_area.move", "focus_area", object, "{\"position\": [2, 1]}");
    /* already first: nothing happens */
    since = last_event_id();
    assert_int_equal(store_focus_area_move(F->db, &WHO, NOW, "leve-hele-livet", first, -1), PV_OK);
    json_t *none = events_since(since);
    assert_int_equal(json_array_size(none), 0);
    json_decref(none);

    /* add one at the end */
    json_t *input = parse("{\"name\": \"Digitale tjenester\"}"), *errors = json_array();
    int64_t id = 0;
    since = last_event_id();
    assert_int_equal(store_focus_area_create(F->db, &WHO, NOW, "leve-hele-livet", input, errors,
                                             &id), PV_OK);
    snprintf(object, sizeof object, "%lld", (long long)id);
    char want[200];
    snprintf(want, sizeof want,
             "{\"name\": [null, \"Digitale tjenester\"], \"plan_id\": [null, \"leve-hele-livet\"],"
             " \"position\": [null, %zu]}", n + 1);
    expect_one_event(since, "focus_area.create", "focus_area", object, want);
    assert_int_equal(area_id("leve-hele-livet", n), id);
    /* the plan's history includes its focus areas */
    json_t *history;
    assert_int_equal(store_plan_history(F->db, "leve-hele-livet", 50, &history), PV_OK);
    assert_string_equal(json_string_value(json_object_get(json_array_get(history, 0), "focus_area")),
                        "Digitale tjenester");
    json_decref(history);
    json_decref(errors);
    json_decref(input);
}

/* ---- goals ------------------------------------------------------------------------------ */

static void test_goal_fields(void **state)
{
    (void)state;
    char *ctx = "moss2030-delmal-raust";
    expect_refused_by(update_goal, ctx, "{\"text\": \"\"}", "text", "Skriv hva målet er");
    expect_refused_by(update_goal, ctx, "{\"level\": \"supermål\"}", "level", "Velg nivå");
    expect_refused_by(update_goal, ctx, "{\"plan_id\": \"finnes-ikke\"}", "plan_id",
                      "Planen finnes ikke");
    expect_refused_by(update_goal, ctx, "{\"parent_id\": \"finnes-ikke\"}", "parent_id",
                      "Målet finnes ikke");
    expect_refused_by(update_goal, ctx, "{\"retired\": \"ja\"}", "retired", "true eller false");
    char *text = long_field("text", 'm', 2001);
    expect_refused_by(update_goal, ctx, text, "text", "høyst 2000 tegn");
    free(text);
    expect_refused_by(create_goal, NULL, "{\"text\": \"Et mål\"}", "level", "Velg nivå");
    expect_refused_by(create_goal, NULL,
                      "{\"id\": \"moss2030-visjon\", \"text\": \"Et mål\", \"level\": \"visjon\"}",
                      "id", "finnes allerede et mål");
}

static void test_goal_move(void **state)
{
    (void)state;
    /* under its own sub-goal: a ring */
    expect_refused_by(update_goal, "moss2030-hovedmal-1",
                      "{\"parent_id\": \"moss2030-delmal-raust\"}", "parent_id",
                      "under seg selv eller under et av sine egne undermål");
    expect_refused_by(update_goal, "moss2030-hovedmal-1", "{\"parent_id\": \"moss2030-hovedmal-1\"}",
                      "parent_id", "under seg selv");
    /* the wrong level */
    expect_refused_by(update_goal, "moss2030-delmal-raust", "{\"parent_id\": \"moss2030-visjon\"}",
                      "parent_id", "Et delmål kan bare ligge under et hovedmål");
    expect_refused_by(update_goal, "moss2030-hovedmal-2",
                      "{\"parent_id\": \"moss2030-hovedmal-1\"}", "parent_id",
                      "Et hovedmål kan bare ligge under en visjon");
    expect_refused_by(update_goal, "moss2030-hovedmal-1", "{\"level\": \"visjon\"}", "level",
                      "En visjon står øverst");
    /* a hovedmål with delmål under it cannot become a delmål */
    expect_refused_by(update_goal, "moss2030-hovedmal-1",
                      "{\"level\": \"delmål\", \"parent_id\": null}", "level",
                      "har undermål");
    /* a real move: one event, goal.move, with the parent only */
    int64_t since = last_event_id();
    expect_ok(update_goal, "moss2030-delmal-raust", "{\"parent_id\": \"moss2030-hovedmal-2\"}");
    expect_one_event(since, "goal.move", "goal", "moss2030-delmal-raust",
                     "{\"parent_id\": [\"moss2030-hovedmal-1\", \"moss2030-hovedmal-2\"]}");
    since = last_event_id();
    expect_ok(update_goal, "moss2030-delmal-raust",
              "{\"parent_id\": \"moss2030-hovedmal-1\", \"lead_in\": \"Vi skal\"}");
    expect_one_event(since, "goal.update", "goal", "moss2030-delmal-raust",
                     "{\"parent_id\": [\"moss2030-hovedmal-2\", \"moss2030-hovedmal-1\"],"
                     " \"lead_in\": [null, \"Vi skal\"]}");
    expect_ok(update_goal, "moss2030-delmal-raust", "{\"lead_in\": null}");
}

static bool is_retired(const char *id)
{
    json_t *ids;
    assert_int_equal(store_goals_retired(F->db, &ids), PV_OK);
    bool found = false;
    size_t i;
    json_t *v;
    json_array_foreach(ids, i, v)
        found |= strcmp(json_string_value(v), id) == 0;
    json_decref(ids);
    return found;
}

static void test_goal_retire(void **state)
{
    (void)state;
    expect_refused_by(update_goal, "moss2030-hovedmal-1", "{\"retired\": true}", "retired",
                      "har undermål som ikke er trukket tilbake");
    int64_t since = last_event_id();
    expect_ok(update_goal, "moss2030-delmal-raust", "{\"retired\": true}");
    expect_one_event(since, "goal.retire", "goal", "moss2030-delmal-raust",
                     "{\"retired\": [false, true]}");
    assert_true(is_retired("moss2030-delmal-raust"));
    /* a retired parent cannot take a goal */
    expect_refused_by(update_goal, "moss2030-delmal-oppvekstmiljo",
                      "{\"parent_id\": \"moss2030-delmal-raust\"}", "parent_id",
                      "trukket tilbake. Velg et annet");
    since = last_event_id();
    expect_ok(update_goal, "moss2030-delmal-raust", "{\"retired\": false}");
    expect_one_event(since, "goal.unretire", "goal", "moss2030-delmal-raust",
                     "{\"retired\": [true, false]}");
    assert_false(is_retired("moss2030-delmal-raust"));

    /* a new hovedmål with a delmål; both retired; the delmål cannot come back alone */
    json_t *input = parse("{\"text\": \"Et prøvemål\", \"level\": \"hovedmål\"}");
    json_t *errors = json_array();
    buf top = BUF_INIT, sub = BUF_INIT;
    since = last_event_id();
    assert_int_equal(store_goal_create(F->db, &WHO, NOW, input, errors, &top), PV_OK);
    assert_string_equal(buf_cstr(&top), "et-provemal");
    expect_one_event(since, "goal.create", "goal", "et-provemal",
                     "{\"id\": [null, \"et-provemal\"], \"text\": [null, \"Et prøvemål\"],"
                     " \"level\": [null, \"hovedmål\"], \"retired\": [null, false]}");
    json_decref(input);
    input = parse("{\"text\": \"Et prøvemål\", \"level\": \"delmål\", \"parent_id\": \"et-provemal\"}");
    assert_int_equal(store_goal_create(F->db, &WHO, NOW, input, errors, &sub), PV_OK);
    assert_string_equal(buf_cstr(&sub), "et-provemal-2"); /* the text's id was taken */
    expect_ok(update_goal, (char *)buf_cstr(&sub), "{\"retired\": true}");
    expect_ok(update_goal, (char *)buf_cstr(&top), "{\"retired\": true}");
    expect_refused_by(update_goal, (char *)buf_cstr(&sub), "{\"retired\": false}", "retired",
                      "Gjenopprett det først");
    expect_ok(update_goal, (char *)buf_cstr(&top), "{\"retired\": false}");
    expect_ok(update_goal, (char *)buf_cstr(&sub), "{\"retired\": false}");
    buf_finish(&top);
    buf_finish(&sub);
    json_decref(errors);
    json_decref(input);
}

static void test_indicator_update(void **state)
{
    (void)state;
    char *ctx = "ind-heltid-helse-og-mestring";
    expect_refused_by(update_indicator, ctx, "{\"comparator\": \"=\"}", "comparator",
                      "Velg en av sammenligningene");
    expect_refused_by(update_indicator, ctx, "{\"target_value\": \"femti\"}", "target_value",
                      "Skriv et tall");
    expect_refused_by(update_indicator, ctx, "{\"goal_ids\": [\"finnes-ikke\"]}", "goal_ids",
                      "finnes-ikke");
    expect_refused_by(update_indicator, ctx, "{\"target_year\": 1000}", "target_year",
                      "1800 og 2200");
    int64_t since = last_event_id();
    expect_ok(update_indicator, ctx, "{\"target_value\": 55.5, \"target_year\": 2030}");
    json_t *rec;
    assert_int_equal(store_indicator_record(F->db, ctx, &rec), PV_OK);
    json_t *events = events_since(since);
    assert_int_equal(json_array_size(events), 1);
    json_t *changes = json_object_get(json_array_get(events, 0), "changes");
    assert_int_equal(json_object_size(changes), 2);
    assert_true(json_real_value(json_array_get(json_object_get(changes, "target_value"), 1)) == 55.5);
    json_decref(events);
    json_decref(rec);
}

/* ---- the pure rules --------------------------------------------------------------------- */

static void test_parent_cycle_rule(void **state)
{
    (void)state;
    json_t *g = parse("{\"a\": [\"b\"], \"b\": [\"c\", \"d\"], \"c\": [], \"d\": [\"c\"]}");
    buf path = BUF_INIT;
    assert_false(plan_parent_cycle(g, "a", &path)); /* a diamond is no ring */
    json_object_set_new(g, "c", parse("[\"a\"]"));
    assert_true(plan_parent_cycle(g, "a", &path));
    assert_string_equal(buf_cstr(&path), "a → b → c → a");
    buf_reset(&path);
    json_object_set_new(g, "x", parse("[\"x\"]"));
    assert_true(plan_parent_cycle(g, "x", &path));
    assert_string_equal(buf_cstr(&path), "x → x");
    buf_finish(&path);
    json_decref(g);
}

static void test_goal_rules(void **state)
{
    (void)state;
    assert_null(goal_parent_problem("visjon", NULL));
    assert_non_null(goal_parent_problem("visjon", "visjon"));
    assert_null(goal_parent_problem("hovedmål", "visjon"));
    assert_null(goal_parent_problem("hovedmål", NULL));
    assert_non_null(goal_parent_problem("hovedmål", "delmål"));
    assert_null(goal_parent_problem("delmål", "hovedmål"));
    assert_null(goal_parent_problem("delmål", NULL));
    assert_non_null(goal_parent_problem("delmål", "visjon"));
    assert_non_null(goal_parent_problem("delmål", "delmål"));
    json_t *tree = parse("{\"v\": {\"parent_id\": null}, \"h\": {\"parent_id\": \"v\"},"
                         " \"d\": {\"parent_id\": \"h\"}}");
    assert_true(goal_parent_cycle(tree, "v", "d"));
    assert_true(goal_parent_cycle(tree, "h", "h"));
    assert_false(goal_parent_cycle(tree, "d", "v"));
    json_decref(tree);
}

static void test_fields_check(void **state)
{
    (void)state;
    json_t *errors = json_array();
    json_t *in = parse("{\"name\": \"  Navn  \", \"type\": \"  \", \"purpose\": \"\\n\\nTekst\\n\\n\"}");
    fields_normalize(plan_field_rules, in);
    assert_string_equal(json_string_value(json_object_get(in, "name")), "Navn");
    assert_true(json_is_null(json_object_get(in, "type")));
    assert_string_equal(json_string_value(json_object_get(in, "purpose")), "\n\nTekst");
    assert_int_equal(fields_check(plan_field_rules, in, false, errors), 0);
    json_decref(in);
    /* not partial: a missing required field is an error; partial: it is not */
    in = parse("{\"type\": \"Fagplan\"}");
    assert_int_equal(fields_check(plan_field_rules, in, true, errors), 0);
    assert_int_equal(fields_check(plan_field_rules, in, false, errors), 1);
    assert_true(field_has_error(errors, "name"));
    json_decref(in);
    json_decref(errors);
}

/* ---- fixture ------------------------------------------------------------------------------ */

static int64_t add_user(const char *email, unsigned roles)
{
    actor cli = {0, "cli", NULL};
    int64_t id = 0;
    if (store_user_add(F->db, &cli, NOW, email, "Test", roles, NULL, &id) != 0)
        return -1;
    return id;
}

static int group_setup(void **state)
{
    (void)state;
    F = calloc(1, sizeof *F);
    if (!F)
        return -1;
    F->db = fixture_db_open(F->dir, sizeof F->dir, "/tmp/pv-test-plan-edit-XXXXXX", "demo.db",
                            NULL, 0);
    static const char *const kinds[] = {"plans", "goals", "indicators", "measures"};
    if (!F->db || fixture_db_import_demo(F->db, kinds, PV_ARRAY_LEN(kinds)) != 0)
        return -1;
    F->planner = add_user("planlegger@moss.kommune.no", ROLE_PLANLEGGER);
    F->reader = add_user("leser@moss.kommune.no", ROLE_LESER);
    F->owner = add_user("eier@moss.kommune.no", ROLE_PROSESSEIER);
    F->disabled = add_user("borte@moss.kommune.no", ROLE_PROSESSEIER);
    actor cli = {0, "cli", NULL};
    if (F->planner != 1 || F->disabled < 0 ||
        store_user_set_disabled(F->db, &cli, NOW, F->disabled, true) != 0)
        return -1;
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    fixture_db_remove(F->db, F->dir);
    free(F);
    return 0;
}

int main(void)
{
    cmocka_set_message_output(CM_OUTPUT_TAP);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plan_name),
        cmocka_unit_test(test_plan_type_status_unit),
        cmocka_unit_test(test_plan_years),
        cmocka_unit_test(test_plan_theme_owner_goals),
        cmocka_unit_test(test_plan_parents),
        cmocka_unit_test(test_plan_create_refused),
        cmocka_unit_test(test_plan_update_writes_one_event),
        cmocka_unit_test(test_plan_links_and_owner),
        cmocka_unit_test(test_plan_create),
        cmocka_unit_test(test_focus_areas),
        cmocka_unit_test(test_goal_fields),
        cmocka_unit_test(test_goal_move),
        cmocka_unit_test(test_goal_retire),
        cmocka_unit_test(test_indicator_update),
        cmocka_unit_test(test_parent_cycle_rule),
        cmocka_unit_test(test_goal_rules),
        cmocka_unit_test(test_fields_check),
    };
    return cmocka_run_group_tests_name("plan_edit", tests, group_setup, group_teardown) ? 1 : 0;
}
