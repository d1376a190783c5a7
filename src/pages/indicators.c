/* Indicators: readings and the line chart against the target (stub: being written).
 * Layer: pages. */
#include "pages/followup.h"

int page_indicator(pv_req *r, json_t **vm)
{
    (void)r;
    (void)vm;
    return 404;
}

int page_staff_readings(pv_req *r, json_t **vm)
{
    (void)r;
    (void)vm;
    return 404;
}

int page_staff_reading_add(pv_req *r, json_t **vm)
{
    (void)r;
    (void)vm;
    return 404;
}

int page_api_readings(pv_req *r, json_t **vm)
{
    (void)r;
    (void)vm;
    return 404;
}

int page_api_reading_create(pv_req *r, json_t **vm)
{
    (void)r;
    (void)vm;
    return 404;
}
