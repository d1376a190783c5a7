/* Plan rules.
 * Layer: domain (pure). */
#include "domain/plan.h"

#include <string.h>

const char *const plan_heading_keys[HEADING_COUNT] = {"her_er_vi", "slik_vil_vi_ha_det",
                                                       "slik_kommer_vi_dit", "slik_gjor_vi_det"};

bool plan_id_valid(const char *id)
{
    size_t n = strlen(id);
    if (n == 0 || n > PLAN_ID_MAX || id[0] == '-')
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = id[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
            return false;
    }
    return true;
}

/* The base letter of each of U+0100..U+017F (Latin Extended-A: Polish, Lithuanian …),
 * as 128 two-byte strings. */
static const char extended_a[] =
    "a\0a\0a\0a\0a\0a\0c\0c\0c\0c\0c\0c\0c\0c\0d\0d\0d\0d\0e\0e\0e\0e\0e\0e\0"
    "e\0e\0e\0e\0g\0g\0g\0g\0g\0g\0g\0g\0h\0h\0h\0h\0i\0i\0i\0i\0i\0i\0i\0i\0"
    "i\0i\0i\0i\0j\0j\0k\0k\0k\0l\0l\0l\0l\0l\0l\0l\0l\0l\0l\0n\0n\0n\0n\0n\0"
    "n\0n\0n\0n\0o\0o\0o\0o\0o\0o\0o\0o\0r\0r\0r\0r\0r\0r\0s\0s\0s\0s\0s\0s\0"
    "s\0s\0t\0t\0t\0t\0t\0t\0u\0u\0u\0u\0u\0u\0u\0u\0u\0u\0u\0u\0w\0w\0y\0y\0"
    "y\0z\0z\0z\0z\0z\0z\0s\0";

/* ASCII spelling of a two-byte UTF-8 Latin letter (lower or upper case), or NULL. */
static const char *latin_ascii(unsigned char b1, unsigned char b2)
{
    if (b1 == 0xC4 || b1 == 0xC5)
        return &extended_a[((unsigned)(b1 - 0xC4) * 64 + (b2 & 0x3F)) * 2];
    if (b1 != 0xC3)
        return NULL;
    unsigned cp = 0xC0 + (b2 & 0x3F);
    if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7)
        cp += 32; /* to lower case */
    switch (cp) {
    case 0xE6: return "ae";
    case 0xF8: case 0xF6: return "o";
    case 0xE5: case 0xE4: case 0xE0: case 0xE1: case 0xE2: return "a";
    case 0xE8: case 0xE9: case 0xEA: case 0xEB: return "e";
    case 0xEC: case 0xED: case 0xEE: case 0xEF: return "i";
    case 0xF2: case 0xF3: case 0xF4: return "o";
    case 0xF9: case 0xFA: case 0xFB: case 0xFC: return "u";
    case 0xE7: return "c";
    case 0xF1: return "n";
    default: return NULL;
    }
}

void plan_slugify(const char *name, buf *out)
{
    size_t start = out->len;
    bool dash = false;
    for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
        const char *ascii = NULL;
        char one[2] = {0, 0};
        if ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9')) {
            one[0] = (char)*p;
            ascii = one;
        } else if (*p >= 'A' && *p <= 'Z') {
            one[0] = (char)(*p + 32);
            ascii = one;
        } else if (p[1] && (ascii = latin_ascii(p[0], p[1])) != NULL) {
            p++;
        }
        if (!ascii) {
            dash = true;
            continue;
        }
        if (dash && out->len > start)
            buf_putc(out, '-');
        dash = false;
        buf_puts(out, ascii);
        if (out->len - start >= PLAN_ID_MAX)
            break;
    }
    if (out->len - start > PLAN_ID_MAX)
        out->len = start + PLAN_ID_MAX;
    while (out->len > start && out->data[out->len - 1] == '-') /* cut inside a gap */
        out->len--;
    if (out->data)
        out->data[out->len] = '\0';
}

long plan_next_revision(long adopted_year, long stated_next_revision)
{
    if (stated_next_revision > 0)
        return stated_next_revision;
    if (adopted_year > 0)
        return adopted_year + PLAN_REVISION_YEARS;
    return 0;
}

int plan_heading_for_kind(const char *kind)
{
    if (strcmp(kind, "mål") == 0)
        return HEADING_SLIK_VIL_VI;
    if (strcmp(kind, "strategi") == 0)
        return HEADING_SLIK_KOMMER_VI;
    if (strcmp(kind, "tiltak") == 0)
        return HEADING_SLIK_GJOR_VI;
    return -1;
}

/* ---------------------------------------------------------------- staff edits */

#define TOO_LONG_100 N_("Teksten er for lang: høyst 100 tegn, der æ, ø, å og andre særtegn teller som to eller flere.")
#define TOO_LONG_200 N_("Teksten er for lang: høyst 200 tegn, der æ, ø, å og andre særtegn teller som to eller flere.")
#define TOO_LONG_300 N_("Teksten er for lang: høyst 300 tegn, der æ, ø, å og andre særtegn teller som to eller flere.")
#define TOO_LONG_500 N_("Teksten er for lang: høyst 500 tegn, der æ, ø, å og andre særtegn teller som to eller flere.")
#define TOO_LONG_2000 N_("Teksten er for lang: høyst 2000 tegn, der æ, ø, å og andre særtegn teller som to eller flere.")
#define TOO_LONG_20000 N_("Teksten er for lang: høyst 20 000 tegn, der æ, ø, å og andre særtegn teller som to eller flere.")
#define TOO_MANY_200 N_("For mange er valgt: høyst 200.")
#define BAD_ID N_("Id-en kan bare ha små bokstaver a–z, sifre og bindestrek, høyst 100 tegn, og kan ikke begynne med bindestrek.")
#define UNKNOWN_THEME N_("Temaet finnes ikke. Velg et tema fra listen.")
#define UNKNOWN_PLAN N_("Planen finnes ikke. Velg en plan fra listen.")
#define UNKNOWN_PLANS N_("En av planene finnes ikke. Velg planer fra listen.")
#define UNKNOWN_GOALS N_("Et av målene finnes ikke. Velg mål fra listen.")
#define UNKNOWN_GOAL N_("Målet finnes ikke. Velg et mål fra listen.")

const char *const plan_base_statuses[] = {"vedtatt", "under arbeid", "utgått", NULL};
const char *const goal_levels[] = {"visjon", "hovedmål", "delmål", NULL};
static const char *const comparators[] = {">", ">=", "<", "<=", NULL};

/* name, kind, required, multiline, max, too_long, missing, invalid, allowed */
const field_rule plan_field_rules[] = {
    {"id", FIELD_ID, false, false, 0, NULL, NULL, BAD_ID, NULL},
    {"name", FIELD_TEXT, true, false, 300, TOO_LONG_300, N_("Skriv navnet på planen."), NULL, NULL},
    {"type", FIELD_TEXT, false, false, 100, TOO_LONG_100, NULL, NULL, NULL},
    {"status", FIELD_TEXT, false, false, 100, TOO_LONG_100, NULL, NULL, NULL},
    {"adopted_year", FIELD_YEAR, false, false, 0, NULL, NULL, NULL, NULL},
    {"next_revision", FIELD_YEAR, false, false, 0, NULL, NULL, NULL, NULL},
    {"theme_id", FIELD_ID, false, false, 0, NULL, NULL, UNKNOWN_THEME, NULL},
    {"owner_unit", FIELD_TEXT, false, false, 200, TOO_LONG_200, NULL, NULL, NULL},
    {"owner_user_id", FIELD_USER, false, false, 0, NULL, NULL, NULL, NULL},
    {"parent_ids", FIELD_ID_LIST, false, false, 200, TOO_MANY_200, NULL, UNKNOWN_PLANS, NULL},
    {"goal_ids", FIELD_ID_LIST, false, false, 200, TOO_MANY_200, NULL, UNKNOWN_GOALS, NULL},
    {"purpose", FIELD_TEXT, false, true, 20000, TOO_LONG_20000, NULL, NULL, NULL},
    {NULL, 0, false, false, 0, NULL, NULL, NULL, NULL},
};

const field_rule goal_field_rules[] = {
    {"id", FIELD_ID, false, false, 0, NULL, NULL, BAD_ID, NULL},
    {"text", FIELD_TEXT, true, true, 2000, TOO_LONG_2000, N_("Skriv hva målet er."), NULL, NULL},
    {"level", FIELD_ENUM, true, false, 0, NULL, N_("Velg nivå: visjon, hovedmål eller delmål."),
     N_("Velg nivå: visjon, hovedmål eller delmål."), goal_levels},
    {"parent_id", FIELD_ID, false, false, 0, NULL, NULL, UNKNOWN_GOAL, NULL},
    {"plan_id", FIELD_ID, false, false, 0, NULL, NULL, UNKNOWN_PLAN, NULL},
    {"lead_in", FIELD_TEXT, false, false, 200, TOO_LONG_200, NULL, NULL, NULL},
    {"retired", FIELD_BOOL, false, false, 0, NULL, NULL, NULL, NULL},
    {NULL, 0, false, false, 0, NULL, NULL, NULL, NULL},
};

const field_rule indicator_field_rules[] = {
    {"id", FIELD_ID, false, false, 0, NULL, NULL, BAD_ID, NULL},
    {"text", FIELD_TEXT, true, true, 2000, TOO_LONG_2000, N_("Skriv hva indikatoren måler."), NULL, NULL},
    {"unit", FIELD_TEXT, false, false, 300, TOO_LONG_300, NULL, NULL, NULL},
    {"comparator", FIELD_ENUM, false, false, 0, NULL, NULL,
     N_("Velg en av sammenligningene i listen."), comparators},
    {"baseline_value", FIELD_NUMBER, false, false, 0, NULL, NULL, NULL, NULL},
    {"baseline_year", FIELD_YEAR, false, false, 0, NULL, NULL, NULL, NULL},
    {"baseline_text", FIELD_TEXT, false, true, 2000, TOO_LONG_2000, NULL, NULL, NULL},
    {"target_value", FIELD_NUMBER, false, false, 0, NULL, NULL, NULL, NULL},
    {"target_year", FIELD_YEAR, false, false, 0, NULL, NULL, NULL, NULL},
    {"plan_id", FIELD_ID, false, false, 0, NULL, NULL, UNKNOWN_PLAN, NULL},
    {"goal_ids", FIELD_ID_LIST, false, false, 200, TOO_MANY_200, NULL, UNKNOWN_GOALS, NULL},
    {NULL, 0, false, false, 0, NULL, NULL, NULL, NULL},
};

const field_rule focus_area_field_rules[] = {
    {"name", FIELD_TEXT, true, false, 500, TOO_LONG_500, N_("Skriv navnet på satsingsområdet."), NULL, NULL},
    {"her_er_vi", FIELD_TEXT, false, true, 20000, TOO_LONG_20000, NULL, NULL, NULL},
    {"slik_vil_vi_ha_det", FIELD_TEXT, false, true, 20000, TOO_LONG_20000, NULL, NULL, NULL},
    {"slik_kommer_vi_dit", FIELD_TEXT, false, true, 20000, TOO_LONG_20000, NULL, NULL, NULL},
    {"slik_gjor_vi_det", FIELD_TEXT, false, true, 20000, TOO_LONG_20000, NULL, NULL, NULL},
    {NULL, 0, false, false, 0, NULL, NULL, NULL, NULL},
};

static const field_rule *rule_for(const field_rule *rules, const char *name)
{
    for (const field_rule *r = rules; r->name; r++)
        if (strcmp(r->name, name) == 0)
            return r;
    return NULL;
}

static bool is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

void fields_normalize(const field_rule *rules, json_t *input)
{
    for (const field_rule *r = rules; r->name; r++) {
        json_t *v = json_object_get(input, r->name);
        if (r->kind != FIELD_TEXT || !json_is_string(v))
            continue;
        const char *s = json_string_value(v);
        size_t len = json_string_length(v), start = 0;
        if (!r->multiline)
            while (start < len && is_blank(s[start]))
                start++;
        while (len > start && is_blank(s[len - 1]))
            len--;
        if (len == start && !r->required)
            json_object_set_new(input, r->name, json_null());
        else if (start > 0 || len < json_string_length(v))
            json_object_set_new(input, r->name, json_stringn(s + start, len - start));
    }
}

bool field_has_error(json_t *errors, const char *field)
{
    size_t i;
    json_t *e;
    json_array_foreach(errors, i, e) {
        const char *f = json_string_value(json_object_get(e, "field"));
        if (f && strcmp(f, field) == 0)
            return true;
    }
    return false;
}

bool json_list_has(json_t *list, const char *s)
{
    size_t i;
    json_t *v;
    json_array_foreach(list, i, v)
        if (json_is_string(v) && strcmp(json_string_value(v), s) == 0)
            return true;
    return false;
}

void field_error(json_t *errors, const char *field, const char *message, const char *detail)
{
    /* The cap keeps the check above (and every field_has_error) a bounded scan, so a body
     * with thousands of bad keys costs time in proportion to its size, not its square. */
    if (json_array_size(errors) >= FIELD_ERRORS_MAX || field_has_error(errors, field))
        return;
    json_t *e = json_pack("{s:s, s:s}", "field", field, "message", message);
    if (detail)
        json_object_set_new(e, "detail", json_string(detail));
    json_array_append_new(errors, e);
}

/* NULL when the text fits the rule, else the msgid of the problem. */
static const char *text_problem(const field_rule *r, json_t *v)
{
    const char *s = json_string_value(v);
    size_t len = json_string_length(v);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        bool allowed_break = r->multiline && (c == '\n' || c == '\r' || c == '\t');
        if ((c < 0x20 || c == 0x7f) && !allowed_break)
            return r->multiline ? N_("Teksten kan ikke ha kontrolltegn.")
                                : N_("Teksten kan ikke ha linjeskift eller kontrolltegn.");
    }
    if (len > r->max)
        return r->too_long;
    if (r->required) {
        size_t i = 0;
        while (i < len && is_blank(s[i]))
            i++;
        if (i == len)
            return r->missing;
    }
    return NULL;
}

static bool in_allowed(const char *const *allowed, const char *s)
{
    for (size_t i = 0; allowed[i]; i++)
        if (strcmp(allowed[i], s) == 0)
            return true;
    return false;
}

static const char *list_problem(const field_rule *r, json_t *v)
{
    if (!json_is_array(v))
        return N_("Må være en liste med id-er.");
    if (json_array_size(v) > r->max)
        return r->too_long;
    size_t i, j;
    json_t *item, *other;
    json_array_foreach(v, i, item) {
        if (!json_is_string(item) || !plan_id_valid(json_string_value(item)))
            return r->invalid;
        json_array_foreach(v, j, other)
            if (j < i && json_equal(item, other))
                return N_("Det samme valget står to ganger i listen.");
    }
    return NULL;
}

/* NULL when v (not null) fits the rule, else the msgid of the problem. */
static const char *value_problem(const field_rule *r, json_t *v)
{
    switch (r->kind) {
    case FIELD_TEXT:
        return json_is_string(v) ? text_problem(r, v) : N_("Må være tekst.");
    case FIELD_YEAR:
        if (!json_is_integer(v) || json_integer_value(v) < PLAN_YEAR_MIN ||
            json_integer_value(v) > PLAN_YEAR_MAX)
            return N_("Skriv et årstall mellom 1800 og 2200.");
        return NULL;
    case FIELD_NUMBER:
        return json_is_number(v) ? NULL : N_("Skriv et tall, for eksempel 33,5.");
    case FIELD_ID:
        return json_is_string(v) && plan_id_valid(json_string_value(v)) ? NULL : r->invalid;
    case FIELD_ID_LIST:
        return list_problem(r, v);
    case FIELD_USER:
        return json_is_integer(v) && json_integer_value(v) > 0
                   ? NULL
                   : N_("Velg en ansatt fra listen.");
    case FIELD_ENUM:
        return json_is_string(v) && in_allowed(r->allowed, json_string_value(v)) ? NULL
                                                                                 : r->invalid;
    case FIELD_BOOL:
        return json_is_boolean(v) ? NULL : N_("Må være true eller false.");
    }
    return r->invalid;
}

size_t fields_check(const field_rule *rules, json_t *input, bool partial, json_t *errors)
{
    size_t before = json_array_size(errors);
    const char *key;
    json_t *v;
    json_object_foreach(input, key, v) {
        const field_rule *r = rule_for(rules, key);
        if (!r) {
            field_error(errors, key, N_("Dette feltet finnes ikke."), NULL);
            continue;
        }
        const char *problem = NULL;
        if (json_is_null(v))
            problem = r->required ? r->missing : NULL;
        else
            problem = value_problem(r, v);
        if (problem)
            field_error(errors, key, problem, NULL);
    }
    for (const field_rule *r = rules; !partial && r->name; r++)
        if (r->required && !json_object_get(input, r->name))
            field_error(errors, r->name, r->missing, NULL);
    return json_array_size(errors) - before;
}

/* Depth-first search over parents from `at`, looking for `target`; visited guards against
 * rings that do not pass through target. Appends the way to path when found. */
static bool reaches(json_t *parents_of, const char *at, const char *target, json_t *visited,
                    buf *path, int depth)
{
    if (depth > 10000 || json_object_get(visited, at))
        return false;
    json_object_set_new(visited, at, json_true());
    size_t i;
    json_t *p;
    json_array_foreach(json_object_get(parents_of, at), i, p) {
        const char *parent = json_string_value(p);
        if (!parent)
            continue;
        if (strcmp(parent, target) == 0 ||
            reaches(parents_of, parent, target, visited, path, depth + 1)) {
            /* built from the far end back: prepend this step */
            buf step = BUF_INIT;
            buf_printf(&step, " → %s", parent);
            buf_puts(&step, buf_cstr(path));
            buf_reset(path);
            buf_puts(path, buf_cstr(&step));
            buf_finish(&step);
            return true;
        }
    }
    return false;
}

bool plan_parent_cycle(json_t *parents_of, const char *id, buf *path)
{
    json_t *visited = json_object();
    buf way = BUF_INIT;
    bool found = reaches(parents_of, id, id, visited, &way, 0);
    if (found) {
        buf_puts(path, id);
        buf_puts(path, buf_cstr(&way));
    }
    buf_finish(&way);
    json_decref(visited);
    return found;
}

const char *goal_parent_problem(const char *level, const char *parent_level)
{
    if (strcmp(level, "visjon") == 0)
        return parent_level ? N_("En visjon står øverst og kan ikke ligge under et annet mål.")
                            : NULL;
    if (!parent_level)
        return NULL;
    if (strcmp(level, "hovedmål") == 0)
        return strcmp(parent_level, "visjon") == 0 ? NULL
                                                   : N_("Et hovedmål kan bare ligge under en visjon.");
    return strcmp(parent_level, "hovedmål") == 0 ? NULL
                                                 : N_("Et delmål kan bare ligge under et hovedmål.");
}

bool goal_parent_cycle(json_t *goals, const char *id, const char *new_parent)
{
    const char *at = new_parent;
    for (size_t steps = 0; at; steps++) {
        if (strcmp(at, id) == 0 || steps > json_object_size(goals))
            return true;
        at = json_string_value(json_object_get(json_object_get(goals, at), "parent_id"));
    }
    return false;
}
