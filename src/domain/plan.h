/* Rules about plans that hold without any I/O: ids, revision dates, the four headings of a
 * focus area, and how a plan's measures are placed under them.
 * Layer: domain. */
#ifndef PV_DOMAIN_PLAN_H
#define PV_DOMAIN_PLAN_H

#include "core/buf.h"

#define PLAN_ID_MAX 100
/* A plan is revised this many years after adoption unless its data say otherwise. */
#define PLAN_REVISION_YEARS 4

/* True for a stable id: 1..PLAN_ID_MAX of [a-z0-9-], starting with a letter or digit. */
bool plan_id_valid(const char *id);

/* Appends an id made from a name: lower case, æ→ae ø→o å→a, other letters to ASCII where
 * simple, runs of anything else as one '-'. "Areal og transport" → "areal-og-transport". */
void plan_slugify(const char *name, buf *out);

/* The year of the next revision: the stated year when > 0, else adopted + 4, else 0
 * (unknown). */
long plan_next_revision(long adopted_year, long stated_next_revision);

/* The four headings the plans use for a focus area, in order. A measure's kind places it:
 * 'mål' under «slik vil vi ha det», 'strategi' under «slik kommer vi dit», 'tiltak' under
 * «slik gjør vi det»; «her er vi» holds the area's own description. */
enum plan_heading { HEADING_HER_ER_VI, HEADING_SLIK_VIL_VI, HEADING_SLIK_KOMMER_VI,
                    HEADING_SLIK_GJOR_VI, HEADING_COUNT };
extern const char *const plan_heading_keys[HEADING_COUNT];
/* The heading a measure kind belongs under, or -1 for an unknown kind. */
int plan_heading_for_kind(const char *kind);

#endif
