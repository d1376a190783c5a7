/* Measures: the public page, the staff form, the API (stub: being written).
 * Layer: pages. */
#include "pages/followup.h"

bool measure_unit_member(pv_req *r)
{
    (void)r;
    return false;
}

int page_measure(pv_req *r, json_t **vm)
{
    (void)r;
    (void)vm;
    return 404;
}

int page_staff_measure_new(pv_req *r, json_t **vm)
{
    (void)r;
    (void)vm;
    return 404;
}

int page_staff_measure_create(pv_req *r, json_t **vm)
{
    (void)r;
    (void)vm;
    return 404;
}

int page_staff_measure_edit(pv_req *r, json_t **vm)
{
    (void)r;
    (void)vm;
    return 404;
}

int page_staff_measure_save(pv_req *r, json_t **vm)
{
    (void)r;
    (void)vm;
    return 404;
}

int page_api_units(pv_req *r, json_t **vm)
{
    (void)r;
    (void)vm;
    return 404;
}

int page_api_measures(pv_req *r, json_t **vm)
{
    (void)r;
    (void)vm;
    return 404;
}

int page_api_measure_create(pv_req *r, json_t **vm)
{
    (void)r;
    (void)vm;
    return 404;
}

int page_api_measure_update(pv_req *r, json_t **vm)
{
    (void)r;
    (void)vm;
    return 404;
}
