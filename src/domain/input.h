/* What an innspill (input) may hold, checked without any I/O: the text, themes, place,
 * contact, anonymous background, sender type and channel. The same rules serve the public
 * form, the JSON API (POST /api/v1/processes/{slug}/inputs) and the staff's registering of
 * inputs from letters, meetings and workshops.
 * Layer: domain.
 *
 * The input is a jansson object (the shape of the JSON API; a form is turned into it first,
 * as the staff forms do with plans). Keys, all optional but text:
 *   text          string, required, 1..INPUT_TEXT_MAX code points, line breaks and tabs
 *                 allowed, no other control characters
 *   themes        array of strings, each one of the process's themes, no repeats (a single
 *                 string is taken as a list of one by input_normalize)
 *   place_area    string, one of the process's areas
 *   place_text    string ≤ INPUT_PLACE_TEXT_MAX code points: a place described in words
 *   lat, lon      numbers, both or neither, inside INPUT_LAT_* / INPUT_LON_* (Norway with
 *                 its sea and Svalbard); a string holding a number is accepted (form fields)
 *   name          string ≤ INPUT_NAME_MAX (contact)
 *   email         string ≤ INPUT_EMAIL_MAX, the shape local@domain.tld (contact)
 *   phone         string, 8..15 digits, with + first and spaces allowed (contact)
 *   consent       boolean: the sender agrees to be contacted; required true when any contact
 *                 field is given (unless the context says staff registered it)
 *   age_group     one of input_age_groups (anonymous background)
 *   home_area     one of the process's areas (anonymous background)
 *   on_behalf_of  string ≤ INPUT_ON_BEHALF_MAX: the organisation or council
 *   sender_type   one of input_sender_types (default privatperson)
 *   channel       one of input_channels (default web); web or sms unless staff register it
 *   language      string ≤ 16 (a language tag: "nb", "en" …)
 * Any other key is an error («Dette feltet finnes ikke.»). Every string is checked to be
 * valid UTF-8 (a json_t made with json_stringn_nocheck may hold anything).
 *
 * Errors are appended to a jansson array as {field, message} (field_error of domain/plan.h;
 * message is a bokmål msgid marked N_ that the page layer translates), one per field, the
 * format the staff forms and the API's problem objects already use. */
#ifndef PV_DOMAIN_INPUT_H
#define PV_DOMAIN_INPUT_H

#include <jansson.h>

#include "core/pv.h"

#define INPUT_TEXT_MAX 5000       /* code points */
#define INPUT_PLACE_TEXT_MAX 300  /* code points */
#define INPUT_NAME_MAX 200        /* code points */
#define INPUT_ON_BEHALF_MAX 200   /* code points */
#define INPUT_EMAIL_MAX 254       /* bytes (RFC 5321 path limit) */
#define INPUT_PHONE_MIN_DIGITS 8
#define INPUT_PHONE_MAX_DIGITS 15
#define INPUT_THEMES_MAX 20
#define INPUT_LANGUAGE_MAX 16
/* A plausible point in Norway: the mainland, its sea and Svalbard. */
#define INPUT_LAT_MIN 57.0
#define INPUT_LAT_MAX 81.5
#define INPUT_LON_MIN 3.0
#define INPUT_LON_MAX 33.5

/* The fixed lists (NULL-terminated), as stored (the CHECK lists of migration 0003). */
extern const char *const input_age_groups[];   /* «under 16» … «80 eller eldre» */
extern const char *const input_sender_types[]; /* privatperson, organisasjon, … */
extern const char *const input_channels[];     /* web, e-post, brev, telefon, … */

/* The msgid of a channel's or a sender type's label («Brev», «Råd eller utvalg» …): the value
 * itself when it has none, "" for NULL. Translate it where it is shown. */
const char *input_channel_label(const char *channel);
const char *input_sender_label(const char *sender_type);

/* What the rules need to know about the process and the caller. */
typedef struct input_context {
    json_t *themes;   /* the process's themes (array of strings); NULL or []: no themes */
    json_t *areas;    /* the process's areas (array of strings); NULL or []: no areas */
    bool staff;       /* registered by staff from a letter, meeting …: the sender's consent
                         to be contacted is not asked for (a letter gives its address) */
} input_context;

/* Tidies an input in place before it is checked: single-line texts lose surrounding blanks,
 * the text loses trailing blanks, empty optional texts are removed, "\r\n" becomes "\n",
 * a single theme string becomes a list, lat/lon given as text become numbers ("59,43" too),
 * empty lat/lon are removed, and "consent" given as "ja"/"on"/"true"/"1" becomes true. */
void input_normalize(json_t *in);

/* Checks in against the rules and ctx; appends one error per bad field. Returns how many
 * errors it added (0: the input may be stored). */
size_t input_check(json_t *in, const input_context *ctx, json_t *errors);

/* The pieces, for the page layer and the tests. */
bool input_email_valid(const char *s);
bool input_phone_valid(const char *s);
bool input_point_plausible(double lat, double lon);
/* True when s is in the NULL-terminated list. */
bool input_in_list(const char *const *list, const char *s);

#endif
