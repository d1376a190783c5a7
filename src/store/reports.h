/* The tertial reports of measures (kind 'tiltak'): which periods have opened and how much is
 * still missing, the measures a user reports with their report and previous status, saving a
 * batch of reports, and closing a period (which publishes its reports and freezes them).
 * Layer: store. Who reports what: a planner (`all`) reports every measure; anyone else the
 * measures of the units they belong to (unit_member × measure_unit). Each write is one
 * BEGIN IMMEDIATE transaction with one audit event per changed record; on any error nothing
 * is written. Validation is domain/followup.h's (followup_report_error). */
#ifndef PV_STORE_REPORTS_H
#define PV_STORE_REPORTS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "domain/followup.h"
#include "store/audit.h"
#include "store/db.h"

/* The periods of last year and this year that have opened by today (followup_period_opens),
 * newest first: [{period "2026-t1", year, code "t1", closed (bool), closed_at (or null),
 * total, reported, missing}], the counts over the 'tiltak' measures the user reports (every
 * one when all). */
int store_report_periods(store *s, pv_date today, int64_t user_id, bool all,
                         json_t **out) PV_NODISCARD;

/* Whether period p is closed. */
int store_period_closed(store *s, followup_period p, bool *closed) PV_NODISCARD;

/* The measures (kind 'tiltak') the user reports (every one when all), narrowed to those of
 * unit when not NULL, those without a report in p first, then by plan and position:
 * [{measure_id, title, plan_id, plan_name, units (names joined by ", ", or null),
 *   report: {status, progress, comment, reported_at, author} or null,
 *   previous_status (the latest report of an earlier period, or null), previous_period}]. */
int store_report_rows(store *s, followup_period p, int64_t user_id, bool all,
                      const char *unit, json_t **out) PV_NODISCARD;

/* The units a user belongs to, by position: [{id, name}]; every unit when all. */
int store_report_units(store *s, int64_t user_id, bool all, json_t **out) PV_NODISCARD;

/* One report to save. */
typedef struct report_input {
    const char *measure_id;
    const char *status;
    int progress;        /* -1: not given */
    const char *comment; /* NULL or "": none */
} report_input;

/* Saves the n reports for period p in one transaction. The period must have opened by today
 * and not be closed (else PV_ECONFLICT, nothing written, no errors added). Each report is
 * checked (the measure exists and is a 'tiltak'; the user is a member of one of its units
 * unless all; followup_report_error against the latest status of an earlier period); if one
 * fails, errors gets {index, measure_id, field, message} for each failure, nothing is
 * written, and PV_EINVAL comes back. A report equal to the stored one is skipped; each other
 * writes one audit event (report.save, object measure, changes {period, status, progress,
 * comment} with the fields that changed, [before, after]). *saved: how many were written. */
int store_reports_save(store *s, const actor *who, int64_t now, pv_date today,
                       followup_period p, bool all, const report_input *in, size_t n,
                       json_t *errors, int *saved) PV_NODISCARD;

/* The report of one measure in p: {measure_id, period, status, progress, comment,
 * reported_at, author}; PV_ENOTFOUND. */
int store_report_get(store *s, const char *measure_id, followup_period p,
                     json_t **out) PV_NODISCARD;

/* Closes p: PV_ECONFLICT when it is closed already or has not opened by today. Audit:
 * period.close (object report_period, id "2026-t1"). */
int store_period_close(store *s, const actor *who, int64_t now, pv_date today,
                       followup_period p) PV_NODISCARD;

#endif
