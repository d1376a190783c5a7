/* Rules about plans that hold without any I/O: ids, revision dates, the four headings of a
 * focus area, how a plan's measures are placed under them, and what the staff may write
 * into plans, goals, indicators and focus areas.
 * Layer: domain. */
#ifndef PV_DOMAIN_PLAN_H
#define PV_DOMAIN_PLAN_H

#include <jansson.h>

#include "core/buf.h"
#include "domain/auth.h"

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

/* ---------------------------------------------------------------- staff edits
 * What the staff forms and the JSON API may write (STYLE.md habit 5: input is declared,
 * then checked before anything reads it). The same rules serve both: a form is first turned
 * into the JSON shape below. Messages are bokmål msgids (marked N_) that the page layer
 * translates; the limits match those of the import (src/store/import.c), so that what the
 * staff write can be exported and imported again. */

#define PLAN_YEAR_MIN 1800
#define PLAN_YEAR_MAX 2200
/* Who edits the portfolio: planners edit every plan and the goal tree; a staff member with one
 * of PLAN_OWNER_ROLES edits the plans they own (plan.owner_user_id). An owner must hold one
 * of these roles. */
#define PLAN_EDIT_ROLES ROLE_PLANLEGGER
#define PLAN_OWNER_ROLES (ROLE_PROSESSEIER | ROLE_RADGIVER | ROLE_ADMIN)
/* An id that the staff URLs use for their «new» forms (/arbeid/planer/ny, /arbeid/mal/ny). */
#define PLAN_ID_RESERVED "ny"

typedef enum field_kind {
    FIELD_TEXT,    /* a string; one line unless multiline */
    FIELD_YEAR,    /* an integer PLAN_YEAR_MIN..PLAN_YEAR_MAX */
    FIELD_NUMBER,  /* any JSON number */
    FIELD_ID,      /* a string that plan_id_valid() accepts */
    FIELD_ID_LIST, /* an array of such strings, without repeats */
    FIELD_USER,    /* a positive integer: the id of a staff user */
    FIELD_ENUM,    /* one of allowed */
    FIELD_BOOL,
} field_kind;

typedef struct field_rule {
    const char *name;
    field_kind kind;
    bool required;              /* must be given and not empty (when creating) */
    bool multiline;             /* FIELD_TEXT: line breaks allowed */
    size_t max;                 /* bytes of a text, items of a list */
    const char *too_long;       /* msgid: the text or list is longer than max */
    const char *missing;        /* msgid: a required field is absent or empty */
    const char *invalid;        /* msgid: a value of the right type that is not allowed */
    const char *const *allowed; /* FIELD_ENUM, NULL-terminated */
} field_rule;

/* The rules of each kind of record, ending with {NULL}. Fields: plan {id, name, type, status,
 * adopted_year, next_revision, theme_id, owner_unit, owner_user_id, parent_ids, goal_ids,
 * purpose}; goal {id, text, level, parent_id, plan_id, lead_in, retired}; indicator {id, text,
 * unit, comparator, baseline_value, baseline_year, baseline_text, target_value, target_year,
 * plan_id, goal_ids}; focus area {name, her_er_vi, slik_vil_vi_ha_det, slik_kommer_vi_dit,
 * slik_gjor_vi_det}. */
extern const field_rule plan_field_rules[];
extern const field_rule goal_field_rules[];
extern const field_rule indicator_field_rules[];
extern const field_rule focus_area_field_rules[];

/* The statuses every plan may have, whatever the data hold (NULL-terminated). */
extern const char *const plan_base_statuses[];
/* The goal levels from the top (NULL-terminated). */
extern const char *const goal_levels[];

/* Tidies input in place before it is checked: single-line texts lose surrounding blanks; an
 * optional text that is then empty becomes null. */
void fields_normalize(const field_rule *rules, json_t *input);

/* Checks input (an object) against rules: every key must be one of the rules, every value of
 * its kind and within its limits (null is allowed for a field that is not required);
 * unless partial, every required field must be there. Appends one error per bad field to
 * errors. Returns the number of errors it added. */
size_t fields_check(const field_rule *rules, json_t *input, bool partial, json_t *errors);

/* Appends {"field", "message"[, "detail"]} to errors unless field has an error already, or
 * errors holds FIELD_ERRORS_MAX already (the rest would not help anyone).
 * message is a msgid; detail (may be NULL) is data shown after it as is (ids, a cycle). */
#define FIELD_ERRORS_MAX 64
void field_error(json_t *errors, const char *field, const char *message, const char *detail);
bool field_has_error(json_t *errors, const char *field);

/* True when the JSON list holds the string s (a chosen theme, a known council …). */
bool json_list_has(json_t *list, const char *s);

/* True when giving plan id the parents in parents_of[id] closes a ring: parents_of maps every
 * plan id to the array of its parents' ids (with id's new parents already in it). On true,
 * path gets the ring, "a → b → a". A plan as its own parent is a ring of one. */
bool plan_parent_cycle(json_t *parents_of, const char *id, buf *path);

/* NULL when a goal of level may stand under a goal of parent_level (NULL: no parent), else
 * the msgid that says why not: a delmål under a hovedmål; a hovedmål under a visjon; a visjon
 * at the top. A delmål or hovedmål may also stand alone. */
const char *goal_parent_problem(const char *level, const char *parent_level);

/* True when putting goal id under new_parent makes it its own ancestor. goals maps every goal
 * id to an object with "parent_id" (string or null). */
bool goal_parent_cycle(json_t *goals, const char *id, const char *new_parent);

#endif
