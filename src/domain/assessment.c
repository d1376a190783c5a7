/* Assessing inputs: outcomes, the input's state machine and the rules of an assessment.
 * Layer: domain (pure functions over jansson values; messages are bokmål msgids). */
#include "domain/assessment.h"

#include <string.h>

#include "core/utf8.h"
#include "domain/input.h"
#include "domain/plan.h"

const char *const assessment_outcomes[] = {"tatt til følge", "delvis tatt til følge",
                                           "ikke tatt til følge", "utenfor mandat",
                                           "allerede ivaretatt", NULL};

const char *const input_statuses[] = {"mottatt", "vurdert", "tilbakemeldt", NULL};

const char *assessment_outcome_label(const char *outcome)
{
    static const struct {
        const char *outcome, *label;
    } labels[] = {
        {"tatt til følge", N_("Tatt til følge")},
        {"delvis tatt til følge", N_("Delvis tatt til følge")},
        {"ikke tatt til følge", N_("Ikke tatt til følge")},
        {"utenfor mandat", N_("Utenfor prosessens mandat")},
        {"allerede ivaretatt", N_("Allerede ivaretatt")},
    };
    for (size_t i = 0; outcome && i < PV_ARRAY_LEN(labels); i++)
        if (strcmp(labels[i].outcome, outcome) == 0)
            return labels[i].label;
    return outcome ? outcome : "";
}

/* ---------------------------------------------------------------- the state machine */

static const struct {
    const char *from;
    input_event ev;
    const char *to; /* NULL: refused */
} transitions[] = {
    {"mottatt", INPUT_ASSESS, "vurdert"},
    {"vurdert", INPUT_ASSESS, "vurdert"},
    {"tilbakemeldt", INPUT_ASSESS, "vurdert"},
    {"mottatt", INPUT_FEEDBACK, NULL},
    {"vurdert", INPUT_FEEDBACK, "tilbakemeldt"},
    {"tilbakemeldt", INPUT_FEEDBACK, "tilbakemeldt"},
};

int input_transition(const char *from, input_event ev, const char **to)
{
    for (size_t i = 0; from && i < PV_ARRAY_LEN(transitions); i++)
        if (transitions[i].ev == ev && strcmp(transitions[i].from, from) == 0) {
            if (!transitions[i].to)
                return PV_ECONFLICT;
            *to = transitions[i].to;
            return PV_OK;
        }
    return PV_EINVAL;
}

int assessment_replaces(const int64_t *current, size_t n, int64_t *replaces)
{
    int64_t found = 0;
    for (size_t i = 0; i < n; i++) {
        if (current[i] == 0)
            continue;
        if (found && current[i] != found)
            return PV_ECONFLICT;
        found = current[i];
    }
    *replaces = found;
    return PV_OK;
}

/* ---------------------------------------------------------------- the rules */

static const char *const text_keys[] = {"outcome", "justification", "summary"};
static const char *const list_keys[] = {"input_ids", "themes", "measure_ids", "focus_area_ids"};

void assessment_normalize(json_t *in)
{
    for (size_t i = 0; i < PV_ARRAY_LEN(text_keys); i++) {
        json_t *v = json_object_get(in, text_keys[i]);
        if (!json_is_string(v))
            continue;
        const char *s = json_string_value(v);
        size_t n = json_string_length(v);
        while (n && strchr(" \t\r\n", *s))
            s++, n--;
        while (n && strchr(" \t\r\n", s[n - 1]))
            n--;
        if (n == 0)
            json_object_set_new(in, text_keys[i], json_null());
        else
            json_object_set_new(in, text_keys[i], json_stringn(s, n));
    }
    for (size_t i = 0; i < PV_ARRAY_LEN(list_keys); i++)
        if (!json_object_get(in, list_keys[i]) || json_is_null(json_object_get(in, list_keys[i])))
            json_object_set_new(in, list_keys[i], json_array());
}

static bool known_key(const char *key)
{
    for (size_t i = 0; i < PV_ARRAY_LEN(text_keys); i++)
        if (strcmp(key, text_keys[i]) == 0)
            return true;
    for (size_t i = 0; i < PV_ARRAY_LEN(list_keys); i++)
        if (strcmp(key, list_keys[i]) == 0)
            return true;
    return false;
}

/* A positive integer list without repeats, of at most max items. */
static bool id_list_ok(json_t *list, size_t min, size_t max)
{
    if (!json_is_array(list) || json_array_size(list) < min || json_array_size(list) > max)
        return false;
    size_t i, j;
    json_t *v, *w;
    json_array_foreach(list, i, v) {
        if (!json_is_integer(v) || json_integer_value(v) < 1)
            return false;
        json_array_foreach(list, j, w)
            if (j < i && json_integer_value(w) == json_integer_value(v))
                return false;
    }
    return true;
}

static bool text_ok(json_t *v, size_t max)
{
    return json_is_null(v) || !v ||
           (json_is_string(v) && json_string_length(v) <= max &&
            utf8_valid(json_string_value(v), json_string_length(v)));
}

static void check_links(json_t *in, json_t *errors)
{
    json_t *measures = json_object_get(in, "measure_ids");
    json_t *areas = json_object_get(in, "focus_area_ids");
    bool ok = json_is_array(measures);
    size_t i;
    json_t *v;
    json_array_foreach(measures, i, v)
        if (!json_is_string(v) || json_string_length(v) == 0 || json_string_length(v) > 200 ||
            !utf8_valid(json_string_value(v), json_string_length(v)))
            ok = false;
    if (!ok)
        field_error(errors, "measure_ids", N_("Velg tiltak fra planens liste."), NULL);
    if (!id_list_ok(areas, 0, ASSESSMENT_LINKS_MAX))
        field_error(errors, "focus_area_ids", N_("Velg satsingsområder fra planens liste."),
                    NULL);
    if (ok && json_array_size(measures) + json_array_size(areas) > ASSESSMENT_LINKS_MAX)
        field_error(errors, "measure_ids", N_("Velg høyst 100 tiltak og satsingsområder."),
                    NULL);
}

size_t assessment_check(json_t *in, json_t *themes, json_t *errors)
{
    size_t before = json_array_size(errors);
    const char *key;
    json_t *v;
    json_object_foreach(in, key, v)
        if (!known_key(key))
            field_error(errors, key, N_("Dette feltet finnes ikke."), NULL);
    if (!id_list_ok(json_object_get(in, "input_ids"), 1, ASSESSMENT_GROUP_MAX))
        field_error(errors, "input_ids", N_("Velg ett eller flere innspill (høyst 200)."), NULL);
    const char *outcome = json_string_value(json_object_get(in, "outcome"));
    if (!outcome)
        field_error(errors, "outcome", N_("Velg utfallet av vurderingen."), NULL);
    else if (!input_in_list(assessment_outcomes, outcome))
        field_error(errors, "outcome", N_("Velg et av utfallene i listen."), NULL);
    json_t *why = json_object_get(in, "justification");
    if (!text_ok(why, ASSESSMENT_JUSTIFICATION_MAX))
        field_error(errors, "justification", N_("Begrunnelsen kan være høyst 10 000 tegn."), NULL);
    else if ((!why || json_is_null(why)) && outcome && strcmp(outcome, ASSESSMENT_ACCEPTED) != 0)
        field_error(errors, "justification",
                    N_("Skriv en begrunnelse. Den trengs for alle utfall unntatt «tatt til følge»."),
                    NULL);
    if (!text_ok(json_object_get(in, "summary"), ASSESSMENT_SUMMARY_MAX))
        field_error(errors, "summary", N_("Sammendraget kan være høyst 2 000 tegn."), NULL);
    json_t *chosen = json_object_get(in, "themes");
    bool themes_ok = json_is_array(chosen) && json_array_size(chosen) <= ASSESSMENT_THEMES_MAX;
    size_t i;
    json_array_foreach(chosen, i, v)
        if (!json_is_string(v) || !json_list_has(themes, json_string_value(v)))
            themes_ok = false;
    if (!themes_ok)
        field_error(errors, "themes", N_("Velg tema fra prosessens liste."), NULL);
    check_links(in, errors);
    return json_array_size(errors) - before;
}
