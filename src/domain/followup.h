/* The rules of following plans up, without any I/O: reporting periods (T1, T2, the annual
 * report) and their boundaries, the status of a measure and how it may change between
 * reports, what a report may hold, when a measure is overdue and a plan past its revision,
 * and whether an indicator is behind its path to the target.
 * Layer: domain. Messages are bokmål msgids (N_) that the page layer translates. */
#ifndef PV_DOMAIN_FOLLOWUP_H
#define PV_DOMAIN_FOLLOWUP_H

#include <stdbool.h>
#include <stddef.h>

#include "core/date.h"
#include "core/pv.h"

/* ---------------------------------------------------------------- periods */

/* 't1' is January–April, 't2' May–August, 'aar' the whole year (the annual report). */
enum period_kind { PERIOD_T1, PERIOD_T2, PERIOD_YEAR, PERIOD_KIND_COUNT };

typedef struct followup_period {
    int year;
    enum period_kind kind;
} followup_period;

#define FOLLOWUP_PERIOD_TEXT 16 /* bytes of "2026-aar" with room */

/* "t1", "t2", "aar" (the codes of the database and of URLs). */
const char *followup_period_code(enum period_kind kind);
/* The kind of a code, or -1. */
int followup_period_kind_parse(const char *code);
/* A label msgid: «1. tertial», «2. tertial», «Årsrapport». */
const char *followup_period_label(enum period_kind kind);
/* Parses "2026-t1" (years PLAN_YEAR_MIN..PLAN_YEAR_MAX); PV_EINVAL otherwise. */
int followup_period_parse(const char *s, followup_period *out) PV_NODISCARD;
/* Writes "2026-t1" into out[FOLLOWUP_PERIOD_TEXT]. */
void followup_period_format(followup_period p, char *out);
/* The first and last day the period covers. */
void followup_period_bounds(followup_period p, pv_date *first, pv_date *last);
/* The first day reports for the period may be given: its first day, and for the annual
 * report the day after T2 ends (1 September). */
pv_date followup_period_opens(followup_period p);
/* Whether reports for p may be given on day today (it has opened; closing is the store's). */
bool followup_period_opened(followup_period p, pv_date today);
/* The period whose work goes on on day d: T1 in January–April, T2 in May–August, the annual
 * report in September–December. */
followup_period followup_period_of(pv_date d);
/* <0, 0, >0 as a comes before, is, or comes after b (t1 < t2 < aar within a year). */
int followup_period_compare(followup_period a, followup_period b);

/* ---------------------------------------------------------------- status */

/* The statuses in the order lists show them, NULL-terminated: ikke startet, i rute,
 * forsinket, fullført, avbrutt, utsatt. */
extern const char *const followup_statuses[];
bool followup_status_valid(const char *status);
/* The label msgid: «Ikke startet», «I rute» … (NULL for an unknown status). */
const char *followup_status_label(const char *status);
/* fullført and avbrutt: the work has ended. */
bool followup_status_ended(const char *status);
/* Whether a measure whose latest earlier report said `from` (NULL: none) may now be reported
 * as `to`. An ended measure stays ended; once started (i rute, forsinket) it cannot go back
 * to «ikke startet». Returns NULL when allowed, else the msgid that says why not. */
const char *followup_status_change_error(const char *from, const char *to);

/* ---------------------------------------------------------------- reports */

#define FOLLOWUP_COMMENT_MAX 2000 /* bytes */

/* Checks a report before it is stored: status valid, progress -1 (not given) or 0..100
 * and fitting the status (fullført is 100, ikke startet is 0), comment valid UTF-8 of at
 * most FOLLOWUP_COMMENT_MAX bytes (may be NULL), and the change from the previous status.
 * Returns NULL, or the msgid of the first problem; *field names the field at fault
 * ("status", "progress" or "comment"). */
const char *followup_report_error(const char *previous_status, const char *status,
                                  int progress, const char *comment, const char **field);

/* ---------------------------------------------------------------- overdue, revision */

/* A measure is overdue when it has a deadline (YYYY-MM-DD) before today and its latest
 * status (NULL: none) has not ended. */
bool followup_overdue(const char *deadline, const char *status, pv_date today);
/* A plan is past its revision when its next revision year (plan_next_revision; 0 unknown)
 * is before this year. */
bool followup_revision_due(long next_revision, pv_date today);

/* ---------------------------------------------------------------- indicators */

typedef struct followup_reading {
    double value;
    pv_date date;
} followup_reading;

/* How an indicator stands. The path to the target is the straight line from the start
 * (the baseline at the end of its year, or else the first reading) to the target at the end
 * of its year. */
typedef struct indicator_track {
    bool has_latest;  /* there is a reading */
    double latest;
    pv_date latest_date;
    bool has_path;    /* a start and a target with a year */
    double expected;  /* the path's value on the latest reading's day (has_path && has_latest) */
    bool behind;      /* the latest reading is worse than the path expects on its day
                         (by direction), and does not meet the target */
    bool met;         /* the latest reading meets the target */
    int direction;    /* +1 higher is better, -1 lower is better, 0 unknown */
} indicator_track;

typedef struct indicator_goal {
    const char *comparator;  /* ">", ">=", "<", "<=" or NULL */
    bool has_baseline;       /* baseline value and year both known */
    double baseline_value;
    int baseline_year;
    bool has_target;         /* a target value */
    double target_value;
    int target_year;         /* 0: no year */
} indicator_goal;

/* Works out the track from readings sorted by date (oldest first). */
indicator_track followup_indicator_track(const indicator_goal *goal,
                                         const followup_reading *readings, size_t n);

#define READING_SOURCE_MAX 300 /* bytes */
#define READING_NOTE_MAX 1000

/* Checks a reading: a finite value, a real date not after today, a source of 1..300 bytes,
 * a note of at most 1000 (may be NULL). NULL or the msgid of the first problem; *field as
 * above ("value", "date", "source", "note"). */
const char *followup_reading_error(double value, bool value_given, const char *date,
                                   const char *source, const char *note, pv_date today,
                                   const char **field);

#endif
