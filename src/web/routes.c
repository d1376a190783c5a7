/* The route table: every URL planverk answers, who may call it, and how it is rendered.
 * Layer: web. tests/unit/test_routes.c walks the whole table: a route without an access
 * rule (enum access has no zero value), template or flags that fit fails the build, and
 * every non-public route is called anonymously, with the wrong role and without its CSRF
 * token. */
#include "domain/auth.h"
#include "pages/admin.h"
#include "pages/assessment.h"
#include "pages/feedback.h"
#include "pages/followup.h"
#include "pages/pages.h"
#include "pages/participation.h"
#include "pages/portfolio.h"
#include "pages/processes.h"
#include "pages/staff_inputs.h"
#include "pages/summary.h"

#define PUBLIC .access = ACCESS_PUBLIC
#define SIGNED_IN .access = ACCESS_SIGNED_IN
#define ROLES(r) .access = ACCESS_ROLES, .roles = (r)
#define ROLES_OR_OWNER(r, o, check) \
    .access = ACCESS_ROLES, .roles = (r), .object_roles = (o), .object_check = (check)

const route routes[] = {
    /* the public portal */
    {"GET", "/", page_home, "home", PUBLIC, .flags = ROUTE_CACHE, .name = "home"},
    {"GET", "/planer", page_plans, "plans", PUBLIC, .flags = ROUTE_CACHE, .name = "plans",
     .query = "sorter status tema type"},
    {"GET", "/planer/{slug}", page_plan, "plan", PUBLIC, .flags = ROUTE_CACHE, .name = "plan"},
    {"GET", "/mal", page_goals, "goals", PUBLIC, .flags = ROUTE_CACHE, .name = "goals"},
    {"GET", "/sok", page_search, "search", PUBLIC, .flags = ROUTE_CACHE, .name = "search",
     .query = "q"},
    {"GET", "/sprak", page_language, NULL, PUBLIC, .flags = ROUTE_RAW, .name = "language"},
    {"GET", "/static/*", page_static, NULL, PUBLIC, .flags = ROUTE_RAW, .name = "static"},

    /* signing in and out */
    {"GET", "/logg-inn", page_signin_form, "signin", PUBLIC, .name = "signin.form"},
    {"POST", "/logg-inn", page_signin, "signin", PUBLIC, .flags = ROUTE_PRE_CSRF,
     .name = "signin"},
    {"POST", "/logg-ut", page_signout, NULL, SIGNED_IN, .name = "signout"},
    {"GET", "/logg-inn/lenke/{token}", page_link_form, "link", PUBLIC, .name = "link.form"},
    {"POST", "/logg-inn/lenke/{token}", page_link, "link", PUBLIC, .flags = ROUTE_PRE_CSRF,
     .name = "link"},

    /* the staff workspace */
    {"GET", "/arbeid", page_workspace, "workspace", SIGNED_IN, .name = "workspace"},
#include "web/routes_portfolio.inc"
#include "web/routes_admin.inc"
#include "web/routes_processes.inc"
#include "web/routes_inputs.inc"
#include "web/routes_assessment.inc"
#include "web/routes_feedback.inc"
#include "web/routes_summary.inc"
#include "web/routes_followup.inc"

    /* the JSON API */
    {"GET", "/api/v1/plans", page_plans, NULL, PUBLIC, .flags = ROUTE_JSON | ROUTE_CACHE,
     .name = "api.plans", .query = "sorter status tema type"},
    {"GET", "/api/v1/plans/{slug}", page_plan, NULL, PUBLIC, .flags = ROUTE_JSON | ROUTE_CACHE,
     .name = "api.plan"},
    {"GET", "/api/v1/goals", page_goals, NULL, PUBLIC, .flags = ROUTE_JSON | ROUTE_CACHE,
     .name = "api.goals"},
    {"GET", "/api/v1/search", page_search, NULL, PUBLIC, .flags = ROUTE_JSON | ROUTE_CACHE,
     .name = "api.search", .query = "q"},
#include "web/routes_participation.inc"
    {"GET", "/api/v1/openapi.json", page_openapi, NULL, PUBLIC, .flags = ROUTE_RAW | ROUTE_JSON,
     .name = "api.openapi"},
};

const size_t routes_count = sizeof routes / sizeof routes[0];
