/* Importing units, plans, goals, indicators, measures and participation processes in the format of data/moss/ (one array per
 * file) or as the bundle `planverk export --format json` writes. Every record is validated
 * first; on the first error nothing is written and the message names the file, the record
 * and the field. Records replace those with the same id. Everything is written in one
 * transaction. Layer: store. */
#ifndef PV_STORE_IMPORT_H
#define PV_STORE_IMPORT_H

#include <jansson.h>

#include "core/buf.h"
#include "store/db.h"

#define IMPORT_MAX_RECORDS 100000
#define IMPORT_MAX_FILE_BYTES (64u << 20)

typedef struct import_counts {
    size_t units, plans, goals, indicators, measures, processes;
} import_counts;

/* Called after each record is validated and after each is written, for progress bars. */
typedef void (*import_progress_fn)(void *ctx, const char *phase, size_t done, size_t total);

/* Imports doc, the parsed contents of the file named label. The kind is taken from the
 * bundle's keys, else from label's base name (units.json, plans.json, goals.json, indicators.json,
 * measures.json, processes.json). Returns 0, PV_EINVAL (message in err), or PV_EDB. */
int store_import(store *s, const char *label, json_t *doc, import_counts *counts,
                 import_progress_fn progress, void *progress_ctx, buf *err) PV_NODISCARD;

/* Reads and parses a file for store_import: limits its size, requires valid UTF-8 JSON.
 * On error returns NULL and puts "file: line L, column C: problem" into err. */
json_t *store_import_load_file(const char *path, buf *err);

#endif
