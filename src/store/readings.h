/* The readings of indicators: the measured values over time, each with its day and source.
 * Layer: store. Adding one is a BEGIN IMMEDIATE transaction that checks the reading
 * (followup_reading_error) and that the indicator exists, writes it and appends one audit
 * event (reading.add); on any error nothing is written. */
#ifndef PV_STORE_READINGS_H
#define PV_STORE_READINGS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/date.h"
#include "store/audit.h"
#include "store/db.h"

/* The readings of an indicator, oldest first (by date, then by when they were added):
 * [{id, value, date, source, note, created_at}]. An unknown indicator has none. */
int store_readings(store *s, const char *indicator_id, json_t **out) PV_NODISCARD;

/* One reading to add. */
typedef struct reading_input {
    double value;
    bool value_given;   /* false: the value was missing or not a number */
    const char *date;   /* YYYY-MM-DD */
    const char *source;
    const char *note;   /* NULL or "": none */
} reading_input;

/* Adds a reading. PV_ENOTFOUND without such an indicator; PV_EINVAL with {field, message}
 * entries in errors. The new id goes to *id_out. Audit: reading.add (object indicator). */
int store_reading_add(store *s, const actor *who, int64_t now, pv_date today,
                      const char *indicator_id, const reading_input *in, json_t *errors,
                      int64_t *id_out) PV_NODISCARD;

#endif
