/* Exporting the portfolio as one JSON bundle that `planverk import` reads back: the same
 * records and field names as data/moss/ (for the fields planverk keeps).
 * Layer: store. */
#ifndef PV_STORE_EXPORT_H
#define PV_STORE_EXPORT_H

#include <jansson.h>

#include "store/db.h"

#define EXPORT_FORMAT "planverk-export"
#define EXPORT_VERSION 1

/* {format, version, units[], plans[], goals[], indicators[], measures[]}, deterministic
 * order. */
int store_export(store *s, json_t **out) PV_NODISCARD;

#endif
