/* The audit trail: an append-only table of every change a staff member makes and every
 * sign-in event (DESIGN.md §6). Writers append inside their own transaction, so a change and
 * its event are committed together or not at all. The table refuses UPDATE and DELETE
 * (triggers in migration 0002). Secrets never go in: callers pass field names and values,
 * and password or token fields are recorded only as "changed".
 * Layer: store. */
#ifndef PV_STORE_AUDIT_H
#define PV_STORE_AUDIT_H

#include <jansson.h>
#include <stdint.h>

#include "store/db.h"

/* Who acts: a signed-in user, or the command line (user_id 0, name "cli"). */
typedef struct actor {
    int64_t user_id;     /* 0: nobody signed in */
    const char *name;    /* the user's e-mail, "cli", or the e-mail someone tried */
    const char *address; /* client address, or NULL */
} actor;

/* Appends one event. changes is an object {"field": [before, after]} or NULL. Must run
 * inside a transaction of the caller. */
int store_audit_append(store *s, const actor *who, int64_t now, const char *action,
                       const char *object_type, const char *object_id,
                       json_t *changes) PV_NODISCARD;

typedef struct audit_filter {
    const char *action;      /* exact action, or a prefix ending in '.' ("plan."), or NULL */
    const char *object_type; /* NULL: any */
    const char *object_id;   /* NULL: any */
    const char *actor;       /* e-mail or "cli"; NULL: any */
    int64_t before_id;       /* for paging: events older than this id; 0: newest */
    int limit;               /* 1..500 */
} audit_filter;

/* Events matching f, newest first: [{id, at, user_id, actor, action, object_type, object_id,
 * changes{}, address}]. */
int store_audit_list(store *s, const audit_filter *f, json_t **out) PV_NODISCARD;

/* The distinct actions recorded, for the filter of the log page. */
int store_audit_actions(store *s, json_t **out) PV_NODISCARD;

#endif
