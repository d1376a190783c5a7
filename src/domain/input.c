/* The rules of an innspill (input): see domain/input.h.
 * Layer: domain (pure). */
#include "domain/input.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/utf8.h"
#include "domain/plan.h"

const char *const input_age_groups[] = {"under 16", "16–24", "25–39", "40–66", "67–79",
                                        "80 eller eldre", NULL};
const char *const input_sender_types[] = {"privatperson", "organisasjon", "offentlig myndighet",
                                          "råd/utvalg", NULL};
const char *const input_channels[] = {"web", "e-post", "brev", "telefon", "møte", "workshop",
                                      "råd", "sms", "spørreundersøkelse", "meld-fra", NULL};

bool input_in_list(const char *const *list, const char *s)
{
    for (size_t i = 0; s && list[i]; i++)
        if (strcmp(list[i], s) == 0)
            return true;
    return false;
}


/* ---------------------------------------------------------------- normalizing */

static bool is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static const char *const single_line[] = {"place_area", "place_text", "name", "email",
                                          "phone", "age_group", "home_area", "on_behalf_of",
                                          "sender_type", "channel", "language", NULL};

/* Trims s (leading blanks too unless keep_lead) and turns "\r\n" into "\n"; NULL when
 * nothing is left. The string is copied with the checks off: input_check judges it. */
static json_t *tidy(json_t *v, bool keep_lead)
{
    const char *s = json_string_value(v);
    size_t len = json_string_length(v), start = 0;
    if (!keep_lead)
        while (start < len && is_blank(s[start]))
            start++;
    while (len > start && is_blank(s[len - 1]))
        len--;
    if (len == start)
        return NULL;
    char *t = pv_malloc(len - start + 1);
    size_t o = 0;
    for (size_t i = start; i < len; i++)
        if (!(s[i] == '\r' && i + 1 < len && s[i + 1] == '\n'))
            t[o++] = s[i];
    json_t *out = json_stringn_nocheck(t, o);
    free(t);
    return out;
}

/* A number written by a person: "59.43", "59,43", " 10.6 ". */
static bool parse_coordinate(const char *s, double *out)
{
    char tmp[40];
    size_t n = strlen(s);
    if (n == 0 || n >= sizeof tmp)
        return false;
    for (size_t i = 0; i <= n; i++)
        tmp[i] = s[i] == ',' ? '.' : s[i];
    char *end;
    double d = strtod(tmp, &end);
    while (*end == ' ')
        end++;
    if (end == tmp || *end || !isfinite(d))
        return false;
    *out = d;
    return true;
}

void input_normalize(json_t *in)
{
    if (!json_is_object(in))
        return;
    json_t *v = json_object_get(in, "text");
    if (json_is_string(v)) {
        json_t *t = tidy(v, true);
        json_object_set_new(in, "text", t ? t : json_string(""));
    }
    for (size_t i = 0; single_line[i]; i++) {
        v = json_object_get(in, single_line[i]);
        if (json_is_null(v)) {
            json_object_del(in, single_line[i]);
        } else if (json_is_string(v)) {
            json_t *t = tidy(v, false);
            if (t)
                json_object_set_new(in, single_line[i], t);
            else
                json_object_del(in, single_line[i]);
        }
    }
    v = json_object_get(in, "themes");
    if (json_is_string(v))
        json_object_set_new(in, "themes", json_pack("[O]", v));
    else if (json_is_null(v))
        json_object_del(in, "themes");
    static const char *const coords[] = {"lat", "lon"};
    for (int i = 0; i < 2; i++) {
        v = json_object_get(in, coords[i]);
        double d;
        if (json_is_null(v)) {
            json_object_del(in, coords[i]);
        } else if (json_is_string(v)) {
            json_t *t = tidy(v, false);
            if (!t)
                json_object_del(in, coords[i]);
            else if (parse_coordinate(json_string_value(t), &d))
                json_object_set_new(in, coords[i], json_real(d));
            json_decref(t);
        } else if (json_is_integer(v)) {
            json_object_set_new(in, coords[i], json_real((double)json_integer_value(v)));
        }
    }
    v = json_object_get(in, "consent");
    if (json_is_string(v)) {
        const char *s = json_string_value(v);
        bool yes = strcmp(s, "ja") == 0 || strcmp(s, "on") == 0 || strcmp(s, "true") == 0 ||
                   strcmp(s, "1") == 0;
        json_object_set_new(in, "consent", json_boolean(yes));
    } else if (json_is_null(v)) {
        json_object_del(in, "consent");
    }
}

/* ---------------------------------------------------------------- checking */

bool input_email_valid(const char *s)
{
    size_t n = strlen(s);
    if (n < 6 || n > INPUT_EMAIL_MAX)
        return false;
    const char *at = strchr(s, '@');
    if (!at || at == s || strchr(at + 1, '@') || at - s > 64)
        return false;
    for (const char *p = s; p < at; p++) {
        unsigned char c = (unsigned char)*p;
        if (c <= ' ' || c >= 0x7f || strchr("()<>,;:\\\"[]", c))
            return false;
    }
    if (s[0] == '.' || at[-1] == '.' || strstr(s, ".."))
        return false;
    /* the domain: labels of letters, digits and '-', at least two, a TLD of letters */
    const char *d = at + 1, *last_dot = strrchr(d, '.');
    if (!last_dot || last_dot == d || strlen(last_dot + 1) < 2)
        return false;
    size_t label = 0;
    for (const char *p = d; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c == '.') {
            if (label == 0 || p[-1] == '-')
                return false;
            label = 0;
        } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                   c >= 0x80 || (c == '-' && label > 0)) {
            if (++label > 63)
                return false;
        } else {
            return false;
        }
    }
    for (const char *p = last_dot + 1; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (unsigned char)*p >= 0x80))
            return false;
    return true;
}

bool input_phone_valid(const char *s)
{
    size_t digits = 0;
    for (size_t i = 0; s[i]; i++) {
        if (s[i] >= '0' && s[i] <= '9')
            digits++;
        else if (!(s[i] == ' ' || (s[i] == '+' && digits == 0 && i == 0)))
            return false;
    }
    return digits >= INPUT_PHONE_MIN_DIGITS && digits <= INPUT_PHONE_MAX_DIGITS;
}

bool input_point_plausible(double lat, double lon)
{
    return isfinite(lat) && isfinite(lon) && lat >= INPUT_LAT_MIN && lat <= INPUT_LAT_MAX &&
           lon >= INPUT_LON_MIN && lon <= INPUT_LON_MAX;
}

/* NULL when s is text of 1..max code points without control characters (line breaks and
 * tabs allowed when multiline), else the msgid of the problem. */
static const char *text_problem(json_t *v, size_t max, bool multiline, const char *too_long)
{
    if (!json_is_string(v))
        return N_("Må være tekst.");
    const char *s = json_string_value(v);
    size_t len = json_string_length(v);
    if (!utf8_valid(s, len))
        return N_("Teksten inneholder ugyldige tegn (den må være UTF-8).");
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c < 0x20 && !(multiline && (c == '\n' || c == '\t'))) || c == 0x7f)
            return multiline ? N_("Teksten kan ikke ha kontrolltegn.")
                             : N_("Teksten kan ikke ha linjeskift eller kontrolltegn.");
    }
    if (utf8_length(s, len) > max)
        return too_long;
    return NULL;
}

static void check_text(json_t *in, json_t *errors)
{
    json_t *v = json_object_get(in, "text");
    if (!v || (json_is_string(v) && json_string_length(v) == 0)) {
        field_error(errors, "text", N_("Skriv innspillet ditt."), NULL);
        return;
    }
    const char *p = text_problem(v, INPUT_TEXT_MAX, true,
                                 N_("Innspillet kan være på høyst 5 000 tegn. Gjør det kortere, eller del det i flere innspill."));
    if (p)
        field_error(errors, "text", p, NULL);
}

/* A single-line optional text with a limit in code points. */
static void check_line(json_t *in, const char *field, size_t max, const char *too_long,
                       json_t *errors)
{
    json_t *v = json_object_get(in, field);
    if (!v)
        return;
    const char *p = text_problem(v, max, false, too_long);
    if (p)
        field_error(errors, field, p, NULL);
}

/* An optional choice from a fixed list or from the process's list. */
static void check_choice(json_t *in, const char *field, const char *const *fixed, json_t *list,
                         const char *invalid, json_t *errors)
{
    json_t *v = json_object_get(in, field);
    if (!v)
        return;
    const char *p = text_problem(v, 200, false, invalid);
    if (!p) {
        const char *s = json_string_value(v);
        if (fixed ? !input_in_list(fixed, s) : !json_list_has(list, s))
            p = invalid;
    }
    if (p)
        field_error(errors, field, p, NULL);
}

static void check_themes(json_t *in, const input_context *ctx, json_t *errors)
{
    json_t *v = json_object_get(in, "themes");
    if (!v)
        return;
    if (!json_is_array(v)) {
        field_error(errors, "themes", N_("Velg temaer fra listen."), NULL);
        return;
    }
    if (json_array_size(v) > INPUT_THEMES_MAX) {
        field_error(errors, "themes", N_("Velg færre temaer."), NULL);
        return;
    }
    size_t i, j;
    json_t *t, *other;
    json_array_foreach(v, i, t) {
        if (!json_is_string(t) || !utf8_valid(json_string_value(t), json_string_length(t)) ||
            !json_list_has(ctx->themes, json_string_value(t))) {
            field_error(errors, "themes", N_("Velg temaer fra listen. Dette temaet finnes ikke i denne prosessen:"),
                        json_is_string(t) && utf8_valid(json_string_value(t), json_string_length(t))
                            ? json_string_value(t) : NULL);
            return;
        }
        json_array_foreach(v, j, other)
            if (j < i && json_equal(t, other)) {
                field_error(errors, "themes", N_("Det samme valget står to ganger i listen."), NULL);
                return;
            }
    }
}

static void check_point(json_t *in, json_t *errors)
{
    json_t *lat = json_object_get(in, "lat"), *lon = json_object_get(in, "lon");
    if (!lat && !lon)
        return;
    if (!lat || !lon || !json_is_number(lat) || !json_is_number(lon)) {
        field_error(errors, "place", N_("Stedet på kartet må ha både breddegrad og lengdegrad, som tall."), NULL);
        return;
    }
    if (!input_point_plausible(json_number_value(lat), json_number_value(lon)))
        field_error(errors, "place", N_("Punktet ligger ikke i Norge. Flytt markøren, eller beskriv stedet med ord."), NULL);
}

static void check_contact(json_t *in, const input_context *ctx, json_t *errors)
{
    json_t *email = json_object_get(in, "email"), *phone = json_object_get(in, "phone");
    if (email) {
        const char *p = text_problem(email, INPUT_EMAIL_MAX, false,
                                     N_("E-postadressen er for lang."));
        if (!p && !input_email_valid(json_string_value(email)))
            p = N_("Skriv en e-postadresse som navn@eksempel.no.");
        if (p)
            field_error(errors, "email", p, NULL);
    }
    if (phone) {
        const char *p = text_problem(phone, 40, false, N_("Telefonnummeret er for langt."));
        if (!p && !input_phone_valid(json_string_value(phone)))
            p = N_("Skriv et telefonnummer med 8 til 15 sifre, for eksempel 912 34 567 eller +47 912 34 567.");
        if (p)
            field_error(errors, "phone", p, NULL);
    }
    check_line(in, "name", INPUT_NAME_MAX, N_("Navnet kan være på høyst 200 tegn."), errors);
    json_t *consent = json_object_get(in, "consent");
    if (consent && !json_is_boolean(consent)) {
        field_error(errors, "consent", N_("Må være true eller false."), NULL);
        return;
    }
    bool contact = email || phone || json_object_get(in, "name");
    if (contact && !ctx->staff && !json_is_true(consent))
        field_error(errors, "consent",
                    N_("Kryss av for at vi kan kontakte deg, eller ta bort e-postadressen og telefonnummeret."), NULL);
}

static const char *const known_keys[] = {
    "text", "themes", "place_area", "place_text", "lat", "lon", "name", "email", "phone",
    "consent", "age_group", "home_area", "on_behalf_of", "sender_type", "channel", "language",
    NULL};

size_t input_check(json_t *in, const input_context *ctx, json_t *errors)
{
    size_t before = json_array_size(errors);
    if (!json_is_object(in)) {
        field_error(errors, "text", N_("Skriv innspillet ditt."), NULL);
        return json_array_size(errors) - before;
    }
    const char *key;
    json_t *v;
    json_object_foreach(in, key, v)
        if (!input_in_list(known_keys, key))
            field_error(errors, utf8_valid(key, strlen(key)) ? key : "?",
                        N_("Dette feltet finnes ikke."), NULL);
    check_text(in, errors);
    check_themes(in, ctx, errors);
    check_choice(in, "place_area", NULL, ctx->areas,
                 N_("Velg et område fra listen."), errors);
    check_line(in, "place_text", INPUT_PLACE_TEXT_MAX,
               N_("Beskriv stedet med høyst 300 tegn."), errors);
    check_point(in, errors);
    check_contact(in, ctx, errors);
    check_choice(in, "age_group", input_age_groups, NULL,
                 N_("Velg en aldersgruppe fra listen."), errors);
    check_choice(in, "home_area", NULL, ctx->areas, N_("Velg et område fra listen."), errors);
    check_line(in, "on_behalf_of", INPUT_ON_BEHALF_MAX,
               N_("Navnet på organisasjonen eller rådet kan være på høyst 200 tegn."), errors);
    check_choice(in, "sender_type", input_sender_types, NULL,
                 N_("Velg hvem innspillet kommer fra."), errors);
    /* A sender reaches us through the web form or a front end such as an SMS gateway;
     * letters, meetings and the rest are registered by staff. */
    static const char *const sender_channels[] = {"web", "sms", NULL};
    check_choice(in, "channel", ctx->staff ? input_channels : sender_channels, NULL,
                 N_("Ukjent kanal."), errors);
    check_line(in, "language", INPUT_LANGUAGE_MAX, N_("Ukjent språk."), errors);
    return json_array_size(errors) - before;
}

static const char *label_of(const char *const pairs[][2], size_t n, const char *value)
{
    for (size_t i = 0; value && i < n; i++)
        if (strcmp(pairs[i][0], value) == 0)
            return pairs[i][1];
    return value ? value : "";
}

const char *input_channel_label(const char *channel)
{
    static const char *const labels[][2] = {
        {"web", N_("Nettskjema")},  {"e-post", N_("E-post")},   {"brev", N_("Brev")},
        {"telefon", N_("Telefon")}, {"møte", N_("Møte")},       {"workshop", N_("Workshop")},
        {"råd", N_("Uttalelse fra råd eller utvalg")},          {"sms", N_("SMS")},
        {"spørreundersøkelse", N_("Spørreundersøkelse")},       {"meld-fra", N_("Meld fra")},
    };
    return label_of(labels, PV_ARRAY_LEN(labels), channel);
}

const char *input_sender_label(const char *sender_type)
{
    static const char *const labels[][2] = {
        {"privatperson", N_("Privatperson")},
        {"organisasjon", N_("Organisasjon")},
        {"offentlig myndighet", N_("Offentlig myndighet")},
        {"råd/utvalg", N_("Råd eller utvalg")},
    };
    return label_of(labels, PV_ARRAY_LEN(labels), sender_type);
}
