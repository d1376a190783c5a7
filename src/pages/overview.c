/* The overview of the whole effort, with CSV and Excel (stub: being written).
 * Layer: pages. */
#include "pages/followup.h"

int page_overview(pv_req *r, json_t **vm)
{
    (void)r;
    (void)vm;
    return 404;
}

int page_staff_overview(pv_req *r, json_t **vm)
{
    (void)r;
    (void)vm;
    return 404;
}
