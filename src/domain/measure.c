/* The rules of a measure's fields and costs, and reading the form's amounts.
 * Layer: domain. */
#include "domain/measure.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/date.h"
#include "core/pv.h"
#include "core/utf8.h"

const char *const measure_types[] = {"oppdrag", "tiltak", "investering", "klimatiltak", NULL};
static const char *const type_labels[] = {N_("Oppdrag"), N_("Tiltak"), N_("Investering"),
                                          N_("Klimatiltak")};

const char *measure_type_label(const char *type)
{
    for (size_t i = 0; type && measure_types[i]; i++)
        if (strcmp(measure_types[i], type) == 0)
            return type_labels[i];
    return NULL;
}

const char *const measure_sdg_names[MEASURE_SDG_COUNT] = {
    N_("Utrydde fattigdom"),
    N_("Utrydde sult"),
    N_("God helse og livskvalitet"),
    N_("God utdanning"),
    N_("Likestilling mellom kjønnene"),
    N_("Rent vann og gode sanitærforhold"),
    N_("Ren energi for alle"),
    N_("Anstendig arbeid og økonomisk vekst"),
    N_("Industri, innovasjon og infrastruktur"),
    N_("Mindre ulikhet"),
    N_("Bærekraftige byer og lokalsamfunn"),
    N_("Ansvarlig forbruk og produksjon"),
    N_("Stoppe klimaendringene"),
    N_("Livet i havet"),
    N_("Livet på land"),
    N_("Fred, rettferdighet og velfungerende institusjoner"),
    N_("Samarbeid for å nå målene"),
};

const char *const measure_fields[] = {"title", "description", "focus_area_id", "unit_ids",
                                      "partners", "deadline", "priority", "type", "sdgs",
                                      "goal_id", "costs", NULL};

/* The fields that the shared rules of domain/plan.h check. */
static const field_rule rules[] = {
    {"title", FIELD_TEXT, true, false, MEASURE_TITLE_MAX,
     N_("Tittelen kan være på høyst 300 tegn."), N_("Skriv en tittel."), NULL, NULL},
    {"description", FIELD_TEXT, false, true, MEASURE_DESCRIPTION_MAX,
     N_("Beskrivelsen kan være på høyst 4000 tegn."), NULL, NULL, NULL},
    {"unit_ids", FIELD_ID_LIST, true, false, MEASURE_UNITS_MAX,
     N_("Velg høyst 10 ansvarlige enheter."), N_("Velg minst én ansvarlig enhet."),
     N_("Velg enheter fra listen."), NULL},
    {"type", FIELD_ENUM, false, false, 0, NULL, NULL, N_("Velg en type fra listen."),
     measure_types},
    {"goal_id", FIELD_ID, false, false, 0, NULL, NULL, N_("Velg et mål fra listen."), NULL},
    {NULL},
};

static bool blank(const char *s)
{
    for (; s && *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
            return false;
    return true;
}

/* Copies s without surrounding blanks into a new JSON string. */
static json_t *trim(const char *s)
{
    size_t n = strlen(s);
    while (*s == ' ' || *s == '\t')
        s++, n--;
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    return json_stringn(s, n);
}

static void normalize_text(json_t *obj, const char *key, bool multiline)
{
    json_t *v = json_object_get(obj, key);
    if (!json_is_string(v))
        return;
    if (blank(json_string_value(v))) {
        json_object_set_new(obj, key, json_null());
        return;
    }
    if (!multiline)
        json_object_set_new(obj, key, trim(json_string_value(v)));
}

void measure_normalize(json_t *input)
{
    json_t *title = json_object_get(input, "title");
    if (json_is_string(title))
        json_object_set_new(input, "title", trim(json_string_value(title)));
    normalize_text(input, "description", true);
    normalize_text(input, "deadline", false);
    normalize_text(input, "type", false);
    normalize_text(input, "goal_id", false);
    json_t *partners = json_object_get(input, "partners");
    if (json_is_array(partners)) {
        json_t *kept = json_array();
        size_t i;
        json_t *p;
        json_array_foreach(partners, i, p) {
            if (json_is_string(p) && blank(json_string_value(p)))
                continue;
            json_array_append_new(kept, json_is_string(p) ? trim(json_string_value(p))
                                                          : json_incref(p));
        }
        json_object_set_new(input, "partners", kept);
    }
    json_t *costs = json_object_get(input, "costs");
    size_t i;
    json_t *c;
    json_array_foreach(costs, i, c) {
        if (json_is_object(c))
            normalize_text(c, "note", false);
    }
}

/* A one-line text of 1..max bytes of valid UTF-8 without control characters. */
static bool one_line(json_t *v, size_t max)
{
    if (!json_is_string(v) || json_string_length(v) == 0 || json_string_length(v) > max)
        return false;
    const char *s = json_string_value(v);
    size_t n = json_string_length(v);
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
            return false;
    return utf8_valid(s, n);
}

static bool int_in(json_t *v, json_int_t min, json_int_t max)
{
    return json_is_integer(v) && json_integer_value(v) >= min && json_integer_value(v) <= max;
}

static void check_partners(json_t *v, json_t *errors)
{
    if (!json_is_array(v)) {
        field_error(errors, "partners", N_("Samarbeidspartnere må være en liste med navn."), NULL);
        return;
    }
    if (json_array_size(v) > MEASURE_PARTNERS_MAX) {
        field_error(errors, "partners", N_("Skriv høyst 20 samarbeidspartnere."), NULL);
        return;
    }
    size_t i;
    json_t *p;
    json_array_foreach(v, i, p) {
        if (!one_line(p, MEASURE_PARTNER_MAX)) {
            field_error(errors, "partners",
                        N_("Hver samarbeidspartner er én linje på høyst 200 tegn."), NULL);
            return;
        }
    }
}

static void check_sdgs(json_t *v, json_t *errors)
{
    if (!json_is_array(v) || json_array_size(v) > MEASURE_SDG_COUNT) {
        field_error(errors, "sdgs", N_("Velg bærekraftsmål fra listen (1–17)."), NULL);
        return;
    }
    size_t i, j;
    json_t *a, *b;
    json_array_foreach(v, i, a) {
        if (!int_in(a, 1, MEASURE_SDG_COUNT)) {
            field_error(errors, "sdgs", N_("Velg bærekraftsmål fra listen (1–17)."), NULL);
            return;
        }
        json_array_foreach(v, j, b) {
            if (j < i && json_equal(a, b)) {
                field_error(errors, "sdgs", N_("Det samme bærekraftsmålet står to ganger."), NULL);
                return;
            }
        }
    }
}

static void row_error(json_t *errors, size_t row, const char *part, const char *message)
{
    char field[48];
    snprintf(field, sizeof field, "costs.%zu.%s", row, part);
    field_error(errors, field, message, NULL);
}

static void check_costs(json_t *v, json_t *errors)
{
    if (!json_is_array(v)) {
        field_error(errors, "costs", N_("Kostnadene må være en liste med år."), NULL);
        return;
    }
    if (json_array_size(v) > MEASURE_COSTS_MAX) {
        field_error(errors, "costs", N_("Skriv kostnader for høyst 20 år."), NULL);
        return;
    }
    size_t i, j;
    json_t *c, *d;
    json_array_foreach(v, i, c) {
        if (!json_is_object(c)) {
            field_error(errors, "costs", N_("Kostnadene må være en liste med år."), NULL);
            return;
        }
        const char *key;
        json_t *x;
        json_object_foreach(c, key, x) {
            if (strcmp(key, "year") && strcmp(key, "amount") && strcmp(key, "note"))
                row_error(errors, i, key, N_("Dette feltet finnes ikke."));
        }
        json_t *year = json_object_get(c, "year"), *amount = json_object_get(c, "amount"),
               *note = json_object_get(c, "note");
        if (!int_in(year, MEASURE_COST_YEAR_MIN, MEASURE_COST_YEAR_MAX))
            row_error(errors, i, "year", N_("Skriv et årstall mellom 2000 og 2100."));
        else
            json_array_foreach(v, j, d) {
                if (j < i && json_equal(year, json_object_get(d, "year"))) {
                    row_error(errors, i, "year", N_("Året står to ganger. Skriv hvert år én gang."));
                    break;
                }
            }
        if (amount && !json_is_null(amount) && !int_in(amount, 0, MEASURE_COST_AMOUNT_MAX))
            row_error(errors, i, "amount",
                      N_("Skriv beløpet i hele tusen kroner, fra 0 til 10 000 000, for eksempel 1 250."));
        if (note && !json_is_null(note) && !one_line(note, MEASURE_COST_NOTE_MAX))
            row_error(errors, i, "note", N_("Merknaden er én linje på høyst 200 tegn."));
        if ((!amount || json_is_null(amount)) && (!note || json_is_null(note)))
            row_error(errors, i, "amount", N_("Skriv et beløp, en merknad eller begge."));
    }
}

size_t measure_check(json_t *input, bool partial, json_t *errors)
{
    size_t before = json_array_size(errors);
    json_t *plain = json_object();
    const char *key;
    json_t *v;
    json_object_foreach(input, key, v) {
        bool known = false;
        for (size_t i = 0; measure_fields[i]; i++)
            known |= strcmp(measure_fields[i], key) == 0;
        if (!known) {
            field_error(errors, key, N_("Dette feltet finnes ikke."), NULL);
            continue;
        }
        bool is_null = json_is_null(v);
        if (strcmp(key, "focus_area_id") == 0) {
            if (!is_null && !int_in(v, 1, INT64_MAX))
                field_error(errors, key, N_("Velg et satsingsområde fra listen."), NULL);
        } else if (strcmp(key, "partners") == 0) {
            if (!is_null)
                check_partners(v, errors);
        } else if (strcmp(key, "deadline") == 0) {
            if (!is_null && (!json_is_string(v) || pv_parse_date(json_string_value(v), NULL) != 0))
                field_error(errors, key, N_("Skriv fristen som en dato: åååå-mm-dd, for eksempel 2026-12-31."), NULL);
        } else if (strcmp(key, "priority") == 0) {
            if (!is_null && !int_in(v, 1, MEASURE_PRIORITY_MAX))
                field_error(errors, key, N_("Skriv prioriteten som et helt tall fra 1 til 999."), NULL);
        } else if (strcmp(key, "sdgs") == 0) {
            if (!is_null)
                check_sdgs(v, errors);
        } else if (strcmp(key, "costs") == 0) {
            if (!is_null)
                check_costs(v, errors);
        } else {
            json_object_set(plain, key, v);
        }
    }
    fields_check(rules, plain, true, errors);
    for (const field_rule *r = rules; !partial && r->name; r++)
        if (r->required && !json_object_get(input, r->name))
            field_error(errors, r->name, r->missing, NULL);
    if (!partial || json_object_get(input, "unit_ids")) {
        json_t *units = json_object_get(input, "unit_ids");
        if (json_is_array(units) && json_array_size(units) == 0)
            field_error(errors, "unit_ids", N_("Velg minst én ansvarlig enhet."), NULL);
    }
    json_decref(plain);
    return json_array_size(errors) - before;
}

json_t *measure_amount_parse(const char *text)
{
    char digits[32];
    size_t n = 0;
    const unsigned char *s = (const unsigned char *)text;
    bool any = false;
    for (size_t i = 0; s[i]; i++) {
        if (s[i] == ' ' || s[i] == '\t')
            continue;
        if (s[i] == 0xc2 && s[i + 1] == 0xa0) { /* no-break space */
            i++;
            continue;
        }
        if (s[i] == 0xe2 && s[i + 1] == 0x80 && s[i + 2] == 0xaf) { /* narrow no-break space */
            i += 2;
            continue;
        }
        if (s[i] < '0' || s[i] > '9' || n + 1 >= sizeof digits)
            return json_string(text);
        digits[n++] = (char)s[i];
        any = true;
    }
    if (!any)
        return json_null();
    digits[n] = '\0';
    long v;
    if (pv_parse_long(digits, 0, 1000000000L, &v) != 0)
        return json_string(text);
    return json_integer(v);
}

json_t *measure_costs_from_grid(const char *const *years, const char *const *amounts,
                                const char *const *notes, size_t n)
{
    json_t *costs = json_array();
    for (size_t i = 0; i < n; i++) {
        const char *y = years[i] ? years[i] : "", *a = amounts[i] ? amounts[i] : "",
                   *t = notes[i] ? notes[i] : "";
        if (blank(y) && blank(a) && blank(t))
            continue;
        json_t *year = measure_amount_parse(y);
        if (json_is_integer(year) && strchr(y, ' ')) { /* "2 026" is not a year */
            json_decref(year);
            year = json_string(y);
        }
        json_array_append_new(costs, json_pack("{s:o, s:o, s:o}", "year", year, "amount",
                                               measure_amount_parse(a), "note",
                                               blank(t) ? json_null() : json_string(t)));
    }
    return costs;
}
