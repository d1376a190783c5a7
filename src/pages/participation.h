/* Public participation: the list of processes, a process's page with its input form, the
 * receipt, and the JSON API for other front ends.
 * Layer: pages. The input form needs no account and no JavaScript; with JavaScript a map
 * (static/js/map.js, Leaflet) sets a point. Anonymous input carries no authority, so the form
 * has no CSRF token (docs/security.md): a honeypot field, the per-address rate limit
 * (store_rate_allow) and the size limits keep spam out. Receipt pages carry the secret of
 * their address and are sent with Cache-Control: no-store and Referrer-Policy: no-referrer,
 * never through the response cache. */
#ifndef PV_PAGES_PARTICIPATION_H
#define PV_PAGES_PARTICIPATION_H

#include "web/router.h"

/* The honeypot: a field hidden from people and assistive technology that must stay empty. */
#define PARTICIPATION_HONEYPOT "nettside"

/* /medvirkning and /api/v1/processes: processes open now, coming, and concluded. */
int page_participation(pv_req *r, json_t **vm);
/* /medvirkning/{slug} and /api/v1/processes/{slug}: the process and its input form. */
int page_participation_process(pv_req *r, json_t **vm);
/* POST /medvirkning/{slug}: the form; 303 to the receipt, or the form again with errors. */
int page_participation_submit(pv_req *r, json_t **vm);
/* POST /api/v1/processes/{slug}/inputs: a JSON input; 201 with the receipt code and URL. */
int page_api_input_create(pv_req *r, json_t **vm);
/* GET /kvittering/{code} and /api/v1/receipts/{code} (raw: sent with no-store). */
int page_receipt(pv_req *r, json_t **vm);
/* GET /kvittering: a form to type a code; with ?kode=… a redirect to its page. */
int page_receipt_lookup(pv_req *r, json_t **vm);

/* For the front page: the processes that take inputs now, soonest deadline first
 * [{id, title, url, deadline_text, demo}]; NULL on a database error. */
json_t *participation_open_now(pv_req *r);

#endif
