/* Unit tests for the staff's planning of participation (store/processes_edit.c): creating and
 * changing a process (validation of every kind of field, the slug and its uniqueness), the
 * status through the store (refused transitions change nothing), stakeholders, events,
 * members, the ladder and the venues. Every refused change must come back as PV_EINVAL (or
 * PV_ENOTFOUND) and leave the database exactly as it was; every accepted one writes exactly
 * one audit event.
 * Layer: tests (store). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/db.h"
#include "store/import.h"
#include "store/processes.h"
#include "store/processes_edit.h"
#include "store/users.h"
#include "fixture_db.h"

#define NOW 1800000000 /* 2027-01-15 */
#define DEMO "leve-hele-livet-samskaping"

typedef struct fixture {
    char dir[64];
    store *db;
    int64_t owner, other, advisor, reader, disabled;
} fixture;

static fixture *F;
static actor WHO = {1, "eier@moss.kommune.no", "127.0.0.1"};

/* ---- helpers -------------------------------------------------------------------------- */

static json_t *parse(const char *text)
{
    json_error_t je;
    json_t *doc = json_loads(text, JSON_DECODE_ANY, &je);
    if (!doc)
        fail_msg("test document: %s: %s", text, je.text);
    return doc;
}

/* Everything a change here could touch. */
static json_t *snapshot(void)
{
    json_t *all = json_object(), *v, *list;
    assert_int_equal(store_processes_list(F->db, &list), PV_OK);
    size_t i;
    json_t *p;
    json_array_foreach(list, i, p) {
        const char *id = json_string_value(json_object_get(p, "id"));
        assert_int_equal(store_process_get(F->db, id, &v), PV_OK);
        json_object_set_new(all, id, v);
    }
    json_decref(list);
    assert_int_equal(store_ladder(F->db, &v), PV_OK);
    json_object_set_new(all, "ladder", v);
    assert_int_equal(store_venues(F->db, &v), PV_OK);
    json_object_set_new(all, "venues", v);
    audit_filter every = {.limit = 500};
    assert_int_equal(store_audit_list(F->db, &every, &v), PV_OK);
    json_object_set_new(all, "audit", v);
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

/* Expects exactly one event since `since`, with action; returns its changes (owned). */
static json_t *one_event(int64_t since, const char *action)
{
    json_t *events;
    audit_filter all = {.limit = 50};
    assert_int_equal(store_audit_list(F->db, &all, &events), PV_OK);
    size_t n = 0;
    json_t *found = NULL;
    size_t i;
    json_t *e;
    json_array_foreach(events, i, e) {
        if (json_integer_value(json_object_get(e, "id")) <= since)
            continue;
        n++;
        found = e;
    }
    if (n != 1)
        fail_msg("%zu events after a change, expected 1 (%s)", n, action);
    assert_string_equal(json_string_value(json_object_get(found, "action")), action);
    assert_string_equal(json_string_value(json_object_get(found, "actor")), WHO.name);
    json_t *changes = json_incref(json_object_get(found, "changes"));
    json_decref(events);
    return changes;
}

typedef int (*change_fn)(json_t *input, json_t *errors, void *ctx);

/* A change that must be refused with rc_want, an error on field (when given) whose message or
 * detail contains want, and the database exactly as before. */
static void expect_refused(change_fn change, void *ctx, const char *input_text, int rc_want,
                           const char *field, const char *want)
{
    json_t *input = parse(input_text), *errors = json_array();
    json_t *before = snapshot();
    int rc = change(input, errors, ctx);
    json_t *after = snapshot();
    char *listed = json_dumps(errors, JSON_COMPACT);
    bool found = field == NULL;
    size_t i;
    json_t *e;
    json_array_foreach(errors, i, e) {
        const char *f = json_string_value(json_object_get(e, "field"));
        const char *m = json_string_value(json_object_get(e, "message"));
        const char *d = json_string_value(json_object_get(e, "detail"));
        if (field && f && strcmp(f, field) == 0 && (strstr(m, want) || (d && strstr(d, want))))
            found = true;
    }
    char problem[900] = "";
    if (rc != rc_want)
        snprintf(problem, sizeof problem, "returned %d, expected %d; errors %.500s", rc, rc_want,
                 listed);
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

static void expect_ok(change_fn change, void *ctx, const char *input_text)
{
    json_t *input = parse(input_text), *errors = json_array();
    int rc = change(input, errors, ctx);
    char *listed = json_dumps(errors, JSON_COMPACT);
    char message[700];
    snprintf(message, sizeof message, "%s: rc %d, errors %.500s", input_text, rc, listed);
    free(listed);
    json_decref(errors);
    json_decref(input);
    if (rc != 0)
        fail_msg("%s", message);
}

static int create_process(json_t *input, json_t *errors, void *ctx)
{
    buf id = BUF_INIT;
    int rc = store_process_create(F->db, &WHO, NOW, input, errors, &id);
    if (ctx && rc == 0)
        snprintf(ctx, 120, "%s", buf_cstr(&id));
    buf_finish(&id);
    return rc;
}

static int update_process(json_t *input, json_t *errors, void *ctx)
{
    return store_process_update(F->db, &WHO, NOW, ctx, input, errors);
}

static json_t *record(const char *id)
{
    json_t *rec;
    assert_int_equal(store_process_record(F->db, id, &rec), PV_OK);
    return rec;
}

static const char *str(json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

/* ---- fixture -------------------------------------------------------------------------- */

static int64_t add_user(const char *email, unsigned roles)
{
    actor cli = {0, "cli", NULL};
    int64_t id;
    assert_int_equal(store_user_add(F->db, &cli, NOW, email, "Test", roles, NULL, &id), 0);
    return id;
}

static int setup(void **state)
{
    (void)state;
    F = calloc(1, sizeof *F);
    F->db = fixture_db_open(F->dir, sizeof F->dir, "/tmp/planverk-proc-XXXXXX", "test.db", NULL, 0);
    assert_non_null(F->db);
    F->owner = add_user("eier@moss.kommune.no", ROLE_PROSESSEIER);
    WHO.user_id = F->owner;
    F->other = add_user("annen@moss.kommune.no", ROLE_PROSESSEIER);
    F->advisor = add_user("radgiver@moss.kommune.no", ROLE_RADGIVER);
    F->reader = add_user("leser@moss.kommune.no", ROLE_LESER);
    F->disabled = add_user("borte@moss.kommune.no", ROLE_PROSESSEIER);
    actor cli = {0, "cli", NULL};
    assert_int_equal(store_user_set_disabled(F->db, &cli, NOW, F->disabled, true), 0);
    static const char *const kinds[] = {"plans", "goals", "indicators", "measures", "processes"};
    assert_int_equal(fixture_db_import_demo(F->db, kinds, PV_ARRAY_LEN(kinds)), 0);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    fixture_db_remove(F->db, F->dir);
    free(F);
    return 0;
}

/* ---- processes ------------------------------------------------------------------------ */

#define FULL_PROCESS                                                                        \
    "{\"title\": \"  Ny park på Jeløy  \", \"purpose\": \"Vi vil høre hva du mener.\","      \
    " \"can_influence\": \"Hva parken skal ha.\", \"cannot_influence\": \"Hvor den ligger.\"," \
    " \"target_groups\": [\"Eldreråd\", \"Ungdomsråd\", \" Velforeningen \", \"\", \"Ungdomsråd\"]," \
    " \"methods\": [\"pop-up\", \"spørreundersøkelse\"], \"themes\": [\"Lek\", \"Grønt\"],"  \
    " \"areas\": [\"Jeløy\"], \"phases\": [{\"name\": \"Idéfase\", \"starts_on\": "           \
    "\"2027-02-01\", \"ends_on\": \"2027-03-01\"}], \"opens_on\": \"2027-02-01\","            \
    " \"deadline_on\": \"2027-03-01\", \"ladder_step_id\": \"konsultasjon\","                 \
    " \"plan_id\": \"leve-hele-livet\", \"publish_at_once\": false}"

static void test_create_makes_a_slug_an_owner_and_one_event(void **state)
{
    (void)state;
    char id[120] = "";
    int64_t since = last_event_id();
    expect_ok(create_process, id, FULL_PROCESS);
    assert_string_equal(id, "ny-park-pa-jeloy");
    json_t *changes = one_event(since, "process.create");
    assert_string_equal(json_string_value(json_array_get(json_object_get(changes, "title"), 1)),
                        "Ny park på Jeløy");
    json_decref(changes);
    json_t *rec = record(id);
    assert_string_equal(str(rec, "title"), "Ny park på Jeløy");
    assert_string_equal(str(rec, "status"), "planlagt");
    assert_int_equal(json_integer_value(json_object_get(rec, "owner_user_id")), F->owner);
    assert_string_equal(str(rec, "opens_on"), "2027-02-01");
    assert_string_equal(str(rec, "deadline_on"), "2027-03-01");
    json_t *want = parse("[\"Eldreråd\", \"Ungdomsråd\", \"Velforeningen\"]");
    assert_true(json_equal(json_object_get(rec, "target_groups"), want)); /* tidied */
    json_decref(want);
    assert_int_equal(json_array_size(json_object_get(rec, "phases")), 1);
    assert_true(store_process_member(F->db, id, F->owner));
    assert_false(store_process_member(F->db, id, F->other));
    json_decref(rec);

    /* the same title again: a unique slug */
    expect_ok(create_process, id, FULL_PROCESS);
    assert_string_equal(id, "ny-park-pa-jeloy-2");
    expect_ok(create_process, id, "{\"title\": \"Ny\"}");
    assert_string_equal(id, "ny-2"); /* «ny» is the address of the form */
}

static void test_create_refuses_bad_input_and_stores_nothing(void **state)
{
    (void)state;
    expect_refused(create_process, NULL, "{\"purpose\": \"x\"}", PV_EINVAL, "title", "tittel");
    expect_refused(create_process, NULL, "{\"title\": \"   \"}", PV_EINVAL, "title", "tittel");
    expect_refused(create_process, NULL, "{\"title\": \"???\"}", PV_EINVAL, "title", "bokstav");
    expect_refused(create_process, NULL, "{\"title\": \"A\\nB\"}", PV_EINVAL, "title", "linjeskift");
    expect_refused(create_process, NULL, "{\"title\": \"A\", \"opens_on\": \"2027-02-30\"}",
                   PV_EINVAL, "opens_on", "åååå-mm-dd");
    expect_refused(create_process, NULL,
                   "{\"title\": \"A\", \"opens_on\": \"2027-03-02\", \"deadline_on\": \"2027-03-01\"}",
                   PV_EINVAL, "deadline_on", "før prosessen åpner");
    expect_refused(create_process, NULL, "{\"title\": \"A\", \"plan_id\": \"finnes-ikke\"}",
                   PV_EINVAL, "plan_id", "finnes ikke");
    expect_refused(create_process, NULL, "{\"title\": \"A\", \"ladder_step_id\": \"toppen\"}",
                   PV_EINVAL, "ladder_step_id", "trinn");
    expect_refused(create_process, NULL, "{\"title\": \"A\", \"methods\": \"workshop\"}",
                   PV_EINVAL, "methods", "liste");
    expect_refused(create_process, NULL, "{\"title\": \"A\", \"themes\": [\"a\\u0001b\"]}",
                   PV_EINVAL, "themes", "kontrolltegn");
    expect_refused(create_process, NULL, "{\"title\": \"A\", \"phases\": [{\"name\": \"\"}]}",
                   PV_EINVAL, "phases", "navn");
    expect_refused(create_process, NULL,
                   "{\"title\": \"A\", \"phases\": [{\"name\": \"B\", \"starts_on\": \"2027-05-01\","
                   " \"ends_on\": \"2027-04-01\"}]}",
                   PV_EINVAL, "phases", "slutte før");
    expect_refused(create_process, NULL, "{\"title\": \"A\", \"hours_spent\": -1}", PV_EINVAL,
                   "hours_spent", "timer");
    expect_refused(create_process, NULL, "{\"title\": \"A\", \"cost_spent\": 12.5}", PV_EINVAL,
                   "cost_spent", "hele kroner");
    expect_refused(create_process, NULL, "{\"title\": \"A\", \"secret\": 1}", PV_EINVAL,
                   "secret", "finnes ikke");
    expect_refused(create_process, NULL, "{\"title\": \"A\", \"publish_at_once\": \"ja\"}",
                   PV_EINVAL, "publish_at_once", "true eller false");
    /* too long: a title of 301 bytes, a list item of 301, 51 items */
    char *title = calloc(1, 400), *many = calloc(1, 600), *input = calloc(1, 1200);
    memset(title, 'a', 301);
    snprintf(input, 1200, "{\"title\": \"%s\"}", title);
    expect_refused(create_process, NULL, input, PV_EINVAL, "title", "for lang");
    snprintf(input, 1200, "{\"title\": \"A\", \"areas\": [\"%s\"]}", title);
    expect_refused(create_process, NULL, input, PV_EINVAL, "areas", "for langt");
    size_t o = 0;
    for (int i = 0; i < 51; i++)
        o += (size_t)snprintf(many + o, 600 - o, "%s\"%d\"", i ? "," : "", i);
    snprintf(input, 1200, "{\"title\": \"A\", \"areas\": [%s]}", many);
    expect_refused(create_process, NULL, input, PV_EINVAL, "areas", "for lang");
    free(title);
    free(many);
    free(input);
}

static void test_update_records_only_what_changed(void **state)
{
    (void)state;
    char id[120];
    expect_ok(create_process, id, "{\"title\": \"Trafikk i sentrum\"}");
    int64_t since = last_event_id();
    expect_ok(update_process, id,
              "{\"title\": \"Trafikk i Moss sentrum\", \"methods\": [\"workshop\"],"
              " \"hours_spent\": 12.5, \"cost_spent\": 25000, \"communication_plan\": \"Plakater.\"}");
    json_t *changes = one_event(since, "process.update");
    assert_int_equal(json_object_size(changes), 5);
    assert_non_null(json_object_get(changes, "methods"));
    json_decref(changes);
    json_t *rec = record(id);
    assert_string_equal(str(rec, "id"), id); /* the slug never changes */
    assert_true(json_real_value(json_object_get(rec, "hours_spent")) == 12.5);
    assert_int_equal(json_integer_value(json_object_get(rec, "cost_spent")), 25000);
    json_decref(rec);

    /* the same again: nothing changes, no event */
    since = last_event_id();
    expect_ok(update_process, id, "{\"title\": \"Trafikk i Moss sentrum\", \"hours_spent\": 12.5}");
    assert_int_equal(last_event_id(), since);

    /* a refused update changes nothing */
    expect_refused(update_process, id, "{\"title\": \"\", \"summary\": \"ok\"}", PV_EINVAL,
                   "title", "tittel");
    expect_refused(update_process, "finnes-ikke", "{\"title\": \"B\"}", PV_ENOTFOUND, NULL, NULL);

    /* the demo hearing opened at the minute it was imported: saving the same dates keeps it */
    json_t *before;
    assert_int_equal(store_process_get(F->db, "horing-medvirkningsplan", &before), PV_OK);
    rec = record("horing-medvirkningsplan");
    char input[300];
    snprintf(input, sizeof input, "{\"opens_on\": \"%s\", \"deadline_on\": \"%s\", \"summary\": \"Snart.\"}",
             str(rec, "opens_on"), str(rec, "deadline_on"));
    expect_ok(update_process, "horing-medvirkningsplan", input);
    json_t *after;
    assert_int_equal(store_process_get(F->db, "horing-medvirkningsplan", &after), PV_OK);
    assert_true(json_equal(json_object_get(before, "opens_at"), json_object_get(after, "opens_at")));
    assert_true(json_equal(json_object_get(before, "deadline"), json_object_get(after, "deadline")));
    json_decref(before);
    json_decref(after);
    json_decref(rec);
}

/* ---- status --------------------------------------------------------------------------- */

static int set_status(json_t *input, json_t *errors, void *ctx)
{
    return store_process_set_status(F->db, &WHO, NOW, ctx, json_string_value(input), errors);
}

static void test_status_follows_the_rules_of_the_domain(void **state)
{
    (void)state;
    char id[120];
    expect_ok(create_process, id, "{\"title\": \"Status\"}");
    expect_refused(set_status, id, "\"åpen\"", PV_EINVAL, "status", "frist");
    expect_ok(update_process, id, "{\"deadline_on\": \"2026-12-31\"}"); /* before NOW */
    expect_refused(set_status, id, "\"åpen\"", PV_EINVAL, "status", "gått ut");
    expect_ok(update_process, id, "{\"deadline_on\": \"2027-02-28\"}");
    expect_refused(set_status, id, "\"tilbakemeldt\"", PV_EINVAL, "status", "planlagt → tilbakemeldt");
    expect_refused(set_status, id, "\"lukket\"", PV_EINVAL, "status", "statusene");
    int64_t since = last_event_id();
    expect_ok(set_status, id, "\"åpen\"");
    json_t *changes = one_event(since, "process.status");
    json_t *want = parse("{\"status\": [\"planlagt\", \"åpen\"]}");
    assert_true(json_equal(changes, want));
    json_decref(want);
    json_decref(changes);
    expect_refused(set_status, id, "\"avsluttet\"", PV_EINVAL, "status", "åpen → avsluttet");
    expect_refused(set_status, id, "\"åpen\"", PV_EINVAL, "status", "åpen → åpen");
    expect_ok(set_status, id, "\"til behandling\"");
    expect_ok(set_status, id, "\"åpen\""); /* the deadline was extended */
    expect_ok(set_status, id, "\"til behandling\"");
    expect_ok(set_status, id, "\"tilbakemeldt\"");
    expect_ok(set_status, id, "\"avsluttet\"");
    json_t *rec = record(id);
    assert_string_equal(str(rec, "status"), "avsluttet");
    json_decref(rec);
    /* the end of the process is kept: retention of contact data counts from it */
    sqlite3_stmt *st = store_prepare(F->db, "SELECT closed_at FROM process WHERE id = ?1");
    store_bind_text(st, 1, id);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int64(st, 0), NOW);
    sqlite3_reset(st);
    expect_refused(set_status, "finnes-ikke", "\"åpen\"", PV_ENOTFOUND, NULL, NULL);
    /* called off before it opened */
    expect_ok(create_process, id, "{\"title\": \"Avlyst\"}");
    expect_ok(set_status, id, "\"avsluttet\"");
}

/* ---- stakeholders --------------------------------------------------------------------- */

static int64_t last_id;

static int save_holder(json_t *input, json_t *errors, void *ctx)
{
    int64_t id = ctx ? *(int64_t *)ctx : 0;
    return store_stakeholder_save(F->db, &WHO, NOW, DEMO, id, input, errors, &last_id);
}

static int save_holder_elsewhere(json_t *input, json_t *errors, void *ctx)
{
    return store_stakeholder_save(F->db, &WHO, NOW, "horing-medvirkningsplan", *(int64_t *)ctx,
                                  input, errors, NULL);
}

static void test_stakeholders(void **state)
{
    (void)state;
    int64_t since = last_event_id();
    expect_ok(save_holder, NULL,
              "{\"name\": \"Eldrerådet\", \"interest\": \"høy\", \"influence\": \"høy\","
              " \"how_reached\": \"Møte i rådet\", \"reached\": false}");
    json_decref(one_event(since, "stakeholder.create"));
    int64_t id = last_id;
    expect_refused(save_holder, NULL, "{\"name\": \"X\", \"interest\": \"middels\", \"influence\": \"lav\"}",
                   PV_EINVAL, "interest", "lav eller høy");
    expect_refused(save_holder, NULL, "{\"interest\": \"lav\", \"influence\": \"lav\"}", PV_EINVAL,
                   "name", "navnet");
    expect_refused(save_holder_elsewhere, &id, "{\"reached\": true}", PV_ENOTFOUND, NULL, NULL);
    since = last_event_id();
    expect_ok(save_holder, &id, "{\"reached\": true}");
    json_t *changes = one_event(since, "stakeholder.update");
    json_t *want = parse("{\"reached\": [false, true]}");
    assert_true(json_equal(changes, want));
    json_decref(want);
    json_decref(changes);
    json_t *p;
    assert_int_equal(store_process_get(F->db, DEMO, &p), PV_OK);
    json_t *h = json_array_get(json_object_get(p, "stakeholders"), 0);
    assert_string_equal(str(h, "name"), "Eldrerådet");
    assert_true(json_is_true(json_object_get(h, "reached")));
    json_decref(p);
    since = last_event_id();
    assert_int_equal(store_stakeholder_delete(F->db, &WHO, NOW, "horing-medvirkningsplan", id),
                     PV_ENOTFOUND);
    assert_int_equal(store_stakeholder_delete(F->db, &WHO, NOW, DEMO, id), PV_OK);
    json_decref(one_event(since, "stakeholder.delete"));
    assert_int_equal(store_stakeholder_delete(F->db, &WHO, NOW, DEMO, id), PV_ENOTFOUND);
}

/* ---- venues and events ---------------------------------------------------------------- */

static int save_venue(json_t *input, json_t *errors, void *ctx)
{
    int64_t id = ctx ? *(int64_t *)ctx : 0;
    return store_venue_save(F->db, &WHO, NOW, id, input, errors, &last_id);
}

static int save_event(json_t *input, json_t *errors, void *ctx)
{
    int64_t id = ctx ? *(int64_t *)ctx : 0;
    return store_event_save(F->db, &WHO, NOW, DEMO, id, input, errors, &last_id);
}

static void test_venues_and_events(void **state)
{
    (void)state;
    int64_t since = last_event_id();
    expect_ok(save_venue, NULL,
              "{\"name\": \"Kambo bydelshus\", \"address\": \"Kambo\", \"capacity\": 80,"
              " \"universal_design\": \"Trinnfri inngang, teleslynge\"}");
    json_decref(one_event(since, "venue.create"));
    int64_t venue = last_id;
    expect_refused(save_venue, NULL, "{\"name\": \"X\", \"capacity\": 0}", PV_EINVAL, "capacity",
                   "helt tall");
    expect_refused(save_venue, NULL, "{\"name\": \"\"}", PV_EINVAL, "name", "navnet");
    expect_ok(save_venue, &venue, "{\"equipment\": \"Projektor\"}");

    char input[400];
    snprintf(input, sizeof input,
             "{\"kind\": \"workshop\", \"title\": \"Verksted\", \"date\": \"2027-02-10\","
             " \"starts\": \"18:00\", \"ends\": \"20:30\", \"venue_id\": %lld,"
             " \"accessibility\": \"Tolk ved behov\"}",
             (long long)venue);
    since = last_event_id();
    expect_ok(save_event, NULL, input);
    json_decref(one_event(since, "event.create"));
    int64_t event = last_id;
    json_t *rec;
    assert_int_equal(store_event_record(F->db, DEMO, event, &rec), PV_OK);
    assert_string_equal(str(rec, "date"), "2027-02-10");
    assert_string_equal(str(rec, "starts"), "18:00");
    assert_string_equal(str(rec, "ends"), "20:30");
    assert_int_equal(json_integer_value(json_object_get(rec, "venue_id")), venue);
    json_decref(rec);
    expect_refused(save_event, NULL, "{\"kind\": \"fest\", \"title\": \"X\"}", PV_EINVAL, "kind",
                   "arrangement");
    expect_refused(save_event, NULL,
                   "{\"kind\": \"møte\", \"title\": \"X\", \"date\": \"2027-02-10\", \"starts\": \"25:00\"}",
                   PV_EINVAL, "starts", "tt:mm");
    expect_refused(save_event, NULL,
                   "{\"kind\": \"møte\", \"title\": \"X\", \"date\": \"2027-02-10\","
                   " \"starts\": \"18:00\", \"ends\": \"17:00\"}",
                   PV_EINVAL, "ends", "slutte før");
    expect_refused(save_event, NULL, "{\"kind\": \"møte\", \"title\": \"X\", \"starts\": \"18:00\"}",
                   PV_EINVAL, "date", "datoen");
    expect_refused(save_event, NULL, "{\"kind\": \"stand\", \"title\": \"X\", \"venue_id\": 99999}",
                   PV_EINVAL, "venue_id", "finnes ikke");
    since = last_event_id();
    expect_ok(save_event, &event, "{\"ends\": null}");
    json_decref(one_event(since, "event.update"));
    assert_int_equal(store_event_record(F->db, DEMO, event, &rec), PV_OK);
    assert_true(json_is_null(json_object_get(rec, "ends")));
    json_decref(rec);
    assert_int_equal(store_event_delete(F->db, &WHO, NOW, "horing-medvirkningsplan", event),
                     PV_ENOTFOUND);
    assert_int_equal(store_event_delete(F->db, &WHO, NOW, DEMO, event), PV_OK);
    assert_int_equal(store_event_record(F->db, DEMO, event, &rec), PV_ENOTFOUND);
}

/* ---- members -------------------------------------------------------------------------- */

static int add_member(json_t *input, json_t *errors, void *ctx)
{
    return store_process_member_add(F->db, &WHO, NOW, ctx, json_integer_value(input), errors);
}

static void test_members(void **state)
{
    (void)state;
    char id[120], input[32];
    expect_ok(create_process, id, "{\"title\": \"Medlemmer\"}");
    assert_false(store_process_member(F->db, id, F->other));
    snprintf(input, sizeof input, "%lld", (long long)F->other);
    int64_t since = last_event_id();
    expect_ok(add_member, id, input);
    json_decref(one_event(since, "process.member_add"));
    assert_true(store_process_member(F->db, id, F->other));
    expect_refused(add_member, id, input, PV_EINVAL, "user_id", "allerede");
    snprintf(input, sizeof input, "%lld", (long long)F->owner);
    expect_refused(add_member, id, input, PV_EINVAL, "user_id", "allerede"); /* the owner */
    snprintf(input, sizeof input, "%lld", (long long)F->reader);
    expect_refused(add_member, id, input, PV_EINVAL, "user_id", "prosesseier");
    snprintf(input, sizeof input, "%lld", (long long)F->disabled);
    expect_refused(add_member, id, input, PV_EINVAL, "user_id", "deaktivert");
    expect_refused(add_member, id, "987654", PV_EINVAL, "user_id", "Velg en ansatt");
    assert_int_equal(store_process_member_remove(F->db, &WHO, NOW, id, F->other), PV_OK);
    assert_false(store_process_member(F->db, id, F->other));
    assert_int_equal(store_process_member_remove(F->db, &WHO, NOW, id, F->other), PV_ENOTFOUND);
    json_t *mine;
    assert_int_equal(store_processes_for_user(F->db, F->other, &mine), PV_OK);
    assert_int_equal(json_array_size(mine), 0);
    json_decref(mine);
    assert_int_equal(store_processes_for_user(F->db, F->owner, &mine), PV_OK);
    assert_true(json_array_size(mine) > 0);
    json_decref(mine);
}

/* ---- the ladder ----------------------------------------------------------------------- */

static int save_step(json_t *input, json_t *errors, void *ctx)
{
    buf id = BUF_INIT;
    int rc = store_ladder_step_save(F->db, &WHO, NOW, ctx, input, errors, &id);
    buf_finish(&id);
    return rc;
}

static void test_ladder(void **state)
{
    (void)state;
    int64_t since = last_event_id();
    expect_ok(save_step, "dialog",
              "{\"name\": \"Dialog\", \"explanation\": \"Vi snakker sammen.\","
              " \"methods\": [\"gjestebud\", \"workshop\", \"gjestebud\"]}");
    json_decref(one_event(since, "ladder_step.update"));
    json_t *ladder;
    assert_int_equal(store_ladder(F->db, &ladder), PV_OK);
    json_t *dialog = json_array_get(ladder, 2);
    assert_string_equal(str(dialog, "explanation"), "Vi snakker sammen.");
    assert_int_equal(json_array_size(json_object_get(dialog, "methods")), 2);
    json_decref(ladder);
    expect_refused(save_step, "dialog", "{\"explanation\": \"\"}", PV_EINVAL, "explanation",
                   "enkle ord");
    expect_refused(save_step, "finnes-ikke", "{\"name\": \"X\"}", PV_ENOTFOUND, NULL, NULL);
    expect_refused(save_step, NULL, "{\"name\": \"Dialog\", \"explanation\": \"Igjen.\"}",
                   PV_EINVAL, "name", "allerede");
    since = last_event_id();
    expect_ok(save_step, NULL, "{\"name\": \"Innbyggerstyring\", \"explanation\": \"Dere bestemmer.\"}");
    json_decref(one_event(since, "ladder_step.create"));
    assert_int_equal(store_ladder(F->db, &ladder), PV_OK);
    assert_int_equal(json_array_size(ladder), 6);
    assert_string_equal(str(json_array_get(ladder, 5), "id"), "innbyggerstyring");
    json_decref(ladder);
    /* order: one step down, and at the bottom nothing happens */
    since = last_event_id();
    assert_int_equal(store_ladder_step_move(F->db, &WHO, NOW, "innbyggerstyring", -1), PV_OK);
    json_decref(one_event(since, "ladder_step.move"));
    assert_int_equal(store_ladder(F->db, &ladder), PV_OK);
    assert_string_equal(str(json_array_get(ladder, 4), "id"), "innbyggerstyring");
    assert_string_equal(str(json_array_get(ladder, 5), "id"), "samskaping");
    json_decref(ladder);
    since = last_event_id();
    assert_int_equal(store_ladder_step_move(F->db, &WHO, NOW, "informasjon", -1), PV_OK);
    assert_int_equal(last_event_id(), since);
    assert_int_equal(store_ladder_step_move(F->db, &WHO, NOW, "finnes-ikke", 1), PV_ENOTFOUND);
}

int main(void)
{
    cmocka_set_message_output(CM_OUTPUT_TAP);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_create_makes_a_slug_an_owner_and_one_event),
        cmocka_unit_test(test_create_refuses_bad_input_and_stores_nothing),
        cmocka_unit_test(test_update_records_only_what_changed),
        cmocka_unit_test(test_status_follows_the_rules_of_the_domain),
        cmocka_unit_test(test_stakeholders),
        cmocka_unit_test(test_venues_and_events),
        cmocka_unit_test(test_members),
        cmocka_unit_test(test_ladder),
    };
    return cmocka_run_group_tests_name("processes_edit", tests, setup, teardown);
}
