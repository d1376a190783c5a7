/* The shape of a JSON request body, checked in one linear pass before it is parsed: how deep
 * it nests, how many keys an object has, how many values it holds in all. jansson builds the
 * whole tree (and a hash table per object) before anyone can look at it, so a body of 1 MiB
 * with 60,000 keys would cost every layer above it time in proportion; this scan refuses such
 * a body first, in microseconds (issue 11 §2).
 * It does not validate JSON: what passes is parsed by jansson, which rejects what is malformed.
 * Layer: http. */
#ifndef PV_HTTP_JSON_SHAPE_H
#define PV_HTTP_JSON_SHAPE_H

#include "core/pv.h"

#define JSON_MAX_DEPTH 16       /* objects and arrays nested in each other */
#define JSON_MAX_KEYS 256       /* keys of one object */
#define JSON_MAX_VALUES 10000   /* values (scalars, objects, arrays) in the whole body */

typedef enum json_shape_error {
    JSON_SHAPE_OK = 0,
    JSON_SHAPE_DEPTH,   /* nested deeper than JSON_MAX_DEPTH */
    JSON_SHAPE_KEYS,    /* an object with more than JSON_MAX_KEYS keys */
    JSON_SHAPE_VALUES,  /* more than JSON_MAX_VALUES values */
    JSON_SHAPE_BROKEN,  /* brackets that do not pair up, or a string that does not end */
} json_shape_error;

/* Scans data[0..len) once. Returns JSON_SHAPE_OK, or the first limit it breaks. */
json_shape_error json_shape_check(const char *data, size_t len);

#endif
