/* Tertial reports: periods, the report form, closing, the API (stub: being written).
 * Layer: pages. */
#include "pages/followup.h"

int page_staff_reporting(pv_req *r, json_t **vm)
{
    (void)r;
    (void)vm;
    return 404;
}

int page_staff_report_form(pv_req *r, json_t **vm)
{
    (void)r;
    (void)vm;
    return 404;
}

int page_staff_report_save(pv_req *r, json_t **vm)
{
    (void)r;
    (void)vm;
    return 404;
}

int page_staff_period_close(pv_req *r, json_t **vm)
{
    (void)r;
    (void)vm;
    return 404;
}

int page_api_reports(pv_req *r, json_t **vm)
{
    (void)r;
    (void)vm;
    return 404;
}

int page_api_report_create(pv_req *r, json_t **vm)
{
    (void)r;
    (void)vm;
    return 404;
}
