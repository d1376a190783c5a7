/* Pages of the public summary «dette sa dere – dette gjorde vi» and the merknadsbehandling (HTML, print, CSV).
 * Layer: pages. Who may call what is declared in web/routes_summary.inc. */
#ifndef PV_PAGES_SUMMARY_H
#define PV_PAGES_SUMMARY_H

#include "core/buf.h"
#include "web/router.h"

/* GET /medvirkning/{slug}/oppsummering (public): counts by theme, channel and outcome, and
 * the published inputs with their current assessment. No personal data. */
int page_summary(pv_req *r, json_t **vm);
/* GET /arbeid/prosesser/{slug}/merknadsbehandling: one row per assessment, and the inputs
 * not yet assessed; printable. */
int page_merknad(pv_req *r, json_t **vm);
/* GET /arbeid/prosesser/{slug}/merknadsbehandling.csv (raw): the same rows as CSV with a
 * UTF-8 BOM, sent as an attachment. */
int page_merknad_csv(pv_req *r, json_t **vm);

/* The CSV of rows (page_merknad's view rows) with its BOM and header, into out. */
void summary_merknad_csv(pv_req *r, json_t *rows, buf *out);

#endif
