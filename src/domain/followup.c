/* The rules of following plans up (domain/followup.h): periods, statuses and their changes,
 * what a report and an indicator reading may hold, overdue measures and revisions, and the
 * track of an indicator towards its target.
 * Layer: domain (pure: no I/O, no clock; today is always passed in). */
#include "domain/followup.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/utf8.h"
#include "domain/plan.h"

/* ---------------------------------------------------------------- periods */

static const struct {
    const char *code, *label;
} period_kinds[PERIOD_KIND_COUNT] = {
    [PERIOD_T1] = {"t1", N_("1. tertial")},
    [PERIOD_T2] = {"t2", N_("2. tertial")},
    [PERIOD_YEAR] = {"aar", N_("Årsrapport")},
};

static bool kind_valid(enum period_kind kind)
{
    return (int)kind >= 0 && kind < PERIOD_KIND_COUNT;
}

const char *followup_period_code(enum period_kind kind)
{
    return kind_valid(kind) ? period_kinds[kind].code : "";
}

int followup_period_kind_parse(const char *code)
{
    for (int k = 0; code && k < PERIOD_KIND_COUNT; k++)
        if (strcmp(period_kinds[k].code, code) == 0)
            return k;
    return -1;
}

const char *followup_period_label(enum period_kind kind)
{
    return kind_valid(kind) ? period_kinds[kind].label : "";
}

int followup_period_parse(const char *s, followup_period *out)
{
    if (!s)
        return PV_EINVAL;
    int year = 0;
    for (int i = 0; i < 4; i++) {
        if (s[i] < '0' || s[i] > '9')
            return PV_EINVAL;
        year = year * 10 + (s[i] - '0');
    }
    if (s[4] != '-' || year < PLAN_YEAR_MIN || year > PLAN_YEAR_MAX)
        return PV_EINVAL;
    int kind = followup_period_kind_parse(s + 5); /* the whole rest: nothing may follow */
    if (kind < 0)
        return PV_EINVAL;
    if (out)
        *out = (followup_period){.year = year, .kind = (enum period_kind)kind};
    return 0;
}

void followup_period_format(followup_period p, char *out)
{
    snprintf(out, FOLLOWUP_PERIOD_TEXT, "%04d-%s", p.year, followup_period_code(p.kind));
}

void followup_period_bounds(followup_period p, pv_date *first, pv_date *last)
{
    pv_date f = {p.year, 1, 1}, l = {p.year, 12, 31};
    if (p.kind == PERIOD_T1)
        l = (pv_date){p.year, 4, 30};
    else if (p.kind == PERIOD_T2) {
        f = (pv_date){p.year, 5, 1};
        l = (pv_date){p.year, 8, 31};
    }
    if (first)
        *first = f;
    if (last)
        *last = l;
}

pv_date followup_period_opens(followup_period p)
{
    if (p.kind == PERIOD_YEAR)
        return (pv_date){p.year, 9, 1};
    pv_date first;
    followup_period_bounds(p, &first, NULL);
    return first;
}

followup_period followup_period_of(pv_date d)
{
    enum period_kind kind = d.month <= 4 ? PERIOD_T1 : d.month <= 8 ? PERIOD_T2 : PERIOD_YEAR;
    return (followup_period){.year = d.year, .kind = kind};
}

bool followup_period_opened(followup_period p, pv_date today)
{
    return pv_date_compare(followup_period_opens(p), today) <= 0;
}

int followup_period_compare(followup_period a, followup_period b)
{
    if (a.year != b.year)
        return a.year < b.year ? -1 : 1;
    return (a.kind > b.kind) - (a.kind < b.kind);
}

/* ---------------------------------------------------------------- status */

const char *const followup_statuses[] = {"ikke startet", "i rute", "forsinket", "fullført",
                                         "avbrutt", "utsatt", NULL};

static const char *const status_labels[] = {N_("Ikke startet"), N_("I rute"), N_("Forsinket"),
                                            N_("Fullført"), N_("Avbrutt"), N_("Utsatt")};

static int status_index(const char *status)
{
    for (int i = 0; status && followup_statuses[i]; i++)
        if (strcmp(followup_statuses[i], status) == 0)
            return i;
    return -1;
}

bool followup_status_valid(const char *status)
{
    return status_index(status) >= 0;
}

const char *followup_status_label(const char *status)
{
    int i = status_index(status);
    return i >= 0 ? status_labels[i] : NULL;
}

bool followup_status_ended(const char *status)
{
    return status && (strcmp(status, "fullført") == 0 || strcmp(status, "avbrutt") == 0);
}

static bool status_started(const char *status)
{
    return status && (strcmp(status, "i rute") == 0 || strcmp(status, "forsinket") == 0 ||
                      strcmp(status, "fullført") == 0);
}

const char *followup_status_change_error(const char *from, const char *to)
{
    if (!followup_status_valid(to))
        return N_("Velg en av statusene i listen.");
    if (!followup_status_valid(from)) /* no earlier report: anything goes */
        return NULL;
    if (followup_status_ended(from) && strcmp(from, to) != 0)
        return strcmp(from, "fullført") == 0
                   ? N_("Tiltaket er rapportert som fullført og kan ikke få en annen status.")
                   : N_("Tiltaket er rapportert som avbrutt og kan ikke få en annen status.");
    if (status_started(from) && strcmp(to, "ikke startet") == 0)
        return N_("Tiltaket er allerede startet og kan ikke settes tilbake til «Ikke startet».");
    return NULL;
}

/* ---------------------------------------------------------------- reports */

const char *followup_report_error(const char *previous_status, const char *status,
                                  int progress, const char *comment, const char **field)
{
    const char *dummy;
    if (!field)
        field = &dummy;
    *field = "status";
    const char *why = followup_status_change_error(previous_status, status);
    if (why)
        return why;
    *field = "progress";
    if (progress != -1 && (progress < 0 || progress > 100))
        return N_("Fremdriften må være et helt tall fra 0 til 100.");
    if (progress != -1 && progress != 100 && strcmp(status, "fullført") == 0)
        return N_("Et fullført tiltak har fremdrift 100 %.");
    if (progress != -1 && progress != 0 && strcmp(status, "ikke startet") == 0)
        return N_("Et tiltak som ikke er startet, har fremdrift 0 %.");
    *field = "comment";
    if (comment) {
        size_t n = strlen(comment);
        if (n > FOLLOWUP_COMMENT_MAX)
            return N_("Kommentaren er for lang: høyst 2000 tegn, der æ, ø, å og andre særtegn "
                      "teller som to eller flere.");
        if (!utf8_valid(comment, n))
            return N_("Kommentaren inneholder ugyldige tegn (den må være UTF-8).");
    }
    *field = NULL;
    return NULL;
}

/* ---------------------------------------------------------------- overdue, revision */

bool followup_overdue(const char *deadline, const char *status, pv_date today)
{
    pv_date d;
    if (!deadline || !*deadline || pv_parse_date(deadline, &d) != 0)
        return false;
    return pv_date_compare(d, today) < 0 && !followup_status_ended(status);
}

bool followup_revision_due(long next_revision, pv_date today)
{
    return next_revision > 0 && next_revision < today.year;
}

/* ---------------------------------------------------------------- indicators */

/* Days since 1970-01-01 in the proleptic Gregorian calendar (H. Hinnant's days_from_civil). */
static long day_number(pv_date d)
{
    long y = d.month <= 2 ? d.year - 1 : d.year;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long mp = (d.month + 9) % 12;
    long doy = (153 * mp + 2) / 5 + d.day - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* Values closer than this count as equal: readings are typed with a few decimals. */
#define TRACK_EPSILON 1e-9

static int direction_of(const char *comparator, bool has_start, double start, bool has_target,
                        double target)
{
    if (comparator && (strcmp(comparator, ">") == 0 || strcmp(comparator, ">=") == 0))
        return 1;
    if (comparator && (strcmp(comparator, "<") == 0 || strcmp(comparator, "<=") == 0))
        return -1;
    if (!has_start || !has_target || fabs(target - start) <= TRACK_EPSILON)
        return 0;
    return target > start ? 1 : -1;
}

static bool target_met(const char *comparator, int direction, double v, double target)
{
    if (comparator && strcmp(comparator, ">") == 0)
        return v > target;
    if (comparator && strcmp(comparator, ">=") == 0)
        return v >= target - TRACK_EPSILON;
    if (comparator && strcmp(comparator, "<") == 0)
        return v < target;
    if (comparator && strcmp(comparator, "<=") == 0)
        return v <= target + TRACK_EPSILON;
    if (direction > 0)
        return v >= target - TRACK_EPSILON;
    if (direction < 0)
        return v <= target + TRACK_EPSILON;
    return fabs(v - target) <= TRACK_EPSILON;
}

/* The path's value on day `on`: the start value up to the start day, the target value from
 * the target day on, a straight line between. */
static double path_value(double start, pv_date start_day, double target, pv_date target_day,
                         pv_date on)
{
    long s = day_number(start_day), t = day_number(target_day), d = day_number(on);
    if (t <= s || d >= t)
        return target;
    if (d <= s)
        return start;
    return start + (target - start) * (double)(d - s) / (double)(t - s);
}

indicator_track followup_indicator_track(const indicator_goal *goal,
                                         const followup_reading *readings, size_t n)
{
    indicator_track tr = {0};
    static const indicator_goal none = {0};
    if (!goal)
        goal = &none;
    if (!readings)
        n = 0;
    bool has_start = false;
    double start = 0;
    pv_date start_day = {0};
    if (goal->has_baseline) {
        has_start = true;
        start = goal->baseline_value;
        start_day = (pv_date){goal->baseline_year, 12, 31};
    } else if (n > 0) {
        has_start = true;
        start = readings[0].value;
        start_day = readings[0].date;
    }
    if (n > 0) {
        tr.has_latest = true;
        tr.latest = readings[n - 1].value;
        tr.latest_date = readings[n - 1].date;
    }
    tr.direction = direction_of(goal->comparator, has_start, start, goal->has_target,
                                goal->target_value);
    tr.has_path = has_start && goal->has_target && goal->target_year != 0;
    if (tr.has_latest && goal->has_target)
        tr.met = target_met(goal->comparator, tr.direction, tr.latest, goal->target_value);
    if (tr.has_path && tr.has_latest) {
        pv_date target_day = {goal->target_year, 12, 31};
        tr.expected = path_value(start, start_day, goal->target_value, target_day,
                                 tr.latest_date);
        double ahead = (tr.latest - tr.expected) * tr.direction;
        tr.behind = !tr.met && tr.direction != 0 && ahead < -TRACK_EPSILON;
    }
    return tr;
}

/* Checks an optional or required text field: length in bytes and UTF-8. */
static const char *text_error(const char *s, size_t max, bool required, const char *missing,
                              const char *too_long, const char *bad)
{
    size_t n = s ? strlen(s) : 0;
    if (n == 0)
        return required ? missing : NULL;
    if (n > max)
        return too_long;
    return utf8_valid(s, n) ? NULL : bad;
}

const char *followup_reading_error(double value, bool value_given, const char *date,
                                   const char *source, const char *note, pv_date today,
                                   const char **field)
{
    const char *dummy, *why;
    if (!field)
        field = &dummy;
    *field = "value";
    if (!value_given)
        return N_("Skriv inn verdien som ble målt.");
    if (!isfinite(value))
        return N_("Verdien må være et tall.");
    *field = "date";
    pv_date d;
    if (!date || !*date)
        return N_("Skriv inn datoen for målingen.");
    if (pv_parse_date(date, &d) != 0)
        return N_("Datoen må være en dag som finnes, skrevet som ÅÅÅÅ-MM-DD.");
    if (pv_date_compare(d, today) > 0)
        return N_("Datoen kan ikke være frem i tid.");
    *field = "source";
    why = text_error(source, READING_SOURCE_MAX, true, N_("Oppgi kilden til tallet."),
                     N_("Kilden er for lang: høyst 300 tegn, der æ, ø, å og andre særtegn "
                        "teller som to eller flere."),
                     N_("Kilden inneholder ugyldige tegn (den må være UTF-8)."));
    if (why)
        return why;
    *field = "note";
    why = text_error(note, READING_NOTE_MAX, false, NULL,
                     N_("Merknaden er for lang: høyst 1000 tegn, der æ, ø, å og andre særtegn "
                        "teller som to eller flere."),
                     N_("Merknaden inneholder ugyldige tegn (den må være UTF-8)."));
    if (why)
        return why;
    *field = NULL;
    return NULL;
}
