/* Plan follow-up: measures with owners and yearly costs, the tertial reports, indicator
 * readings against targets, and the overview of the whole effort (pages/measures.c,
 * pages/reports.c, pages/indicators.c, pages/overview.c). Routes: web/routes_followup.inc.
 * Layer: pages. */
#ifndef PV_PAGES_FOLLOWUP_H
#define PV_PAGES_FOLLOWUP_H

#include "web/router.h"

/* Who edits and reports every measure; a member of a measure's responsible unit does so for
 * that measure (measure_unit_member), whatever their role. */
#define MEASURE_EDIT_ROLES ROLE_PLANLEGGER

/* Object check for routes /arbeid/tiltak/{id} and /api/v1/measures/{id}/…: the signed-in
 * user belongs to a unit responsible for the measure params[0]. */
bool measure_unit_member(pv_req *r);

/* pages/measures.c: /tiltak/{id} (public; a signed-in user also sees reports of open
 * periods), the staff form (new on a plan, edit), and the API. */
int page_measure(pv_req *r, json_t **vm);
int page_staff_measure_new(pv_req *r, json_t **vm);
int page_staff_measure_create(pv_req *r, json_t **vm);
int page_staff_measure_edit(pv_req *r, json_t **vm);
int page_staff_measure_save(pv_req *r, json_t **vm);
int page_api_units(pv_req *r, json_t **vm);
int page_api_measures(pv_req *r, json_t **vm);
int page_api_measure_create(pv_req *r, json_t **vm);
int page_api_measure_update(pv_req *r, json_t **vm);

/* pages/reports.c: the reporting periods, one period's form for the user's units, closing a
 * period, and the API. */
int page_staff_reporting(pv_req *r, json_t **vm);
int page_staff_report_form(pv_req *r, json_t **vm);
int page_staff_report_save(pv_req *r, json_t **vm);
int page_staff_period_close(pv_req *r, json_t **vm);
int page_api_reports(pv_req *r, json_t **vm);
int page_api_report_create(pv_req *r, json_t **vm);

/* pages/indicators.c: one indicator with its readings and a line chart against the path to
 * its target; the staff's form for readings; the API. */
int page_indicator(pv_req *r, json_t **vm);
int page_staff_readings(pv_req *r, json_t **vm);
int page_staff_reading_add(pv_req *r, json_t **vm);
int page_api_readings(pv_req *r, json_t **vm);
int page_api_reading_create(pv_req *r, json_t **vm);

/* pages/overview.c: /oversikt and /arbeid/oversikt, with ?format=csv (one table, chosen by
 * ?tabell=) and ?format=xlsx (the workbook), filtered by tema, plan, enhet, aar. */
int page_overview(pv_req *r, json_t **vm);
int page_staff_overview(pv_req *r, json_t **vm);

#endif
