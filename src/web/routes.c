/* The route table: every URL planverk answers, who may call it, and how it is rendered.
 * Layer: web. tests/unit/test_routes.c walks the whole table: a route without an access
 * rule (enum access has no zero value), template or flags that fit fails the build. */
#include "pages/pages.h"

const route routes[] = {
    /* method, pattern, handler, template, access, flags, name */
    {"GET", "/", page_home, "home", ACCESS_PUBLIC, ROUTE_CACHE, "home"},
    {"GET", "/planer", page_plans, "plans", ACCESS_PUBLIC, ROUTE_CACHE, "plans"},
    {"GET", "/planer/{slug}", page_plan, "plan", ACCESS_PUBLIC, ROUTE_CACHE, "plan"},
    {"GET", "/mal", page_goals, "goals", ACCESS_PUBLIC, ROUTE_CACHE, "goals"},
    {"GET", "/sok", page_search, "search", ACCESS_PUBLIC, ROUTE_CACHE, "search"},
    {"GET", "/sprak", page_language, NULL, ACCESS_PUBLIC, ROUTE_RAW, "language"},
    {"GET", "/static/*", page_static, NULL, ACCESS_PUBLIC, ROUTE_RAW, "static"},

    {"GET", "/api/v1/plans", page_plans, NULL, ACCESS_PUBLIC, ROUTE_JSON | ROUTE_CACHE,
     "api.plans"},
    {"GET", "/api/v1/plans/{slug}", page_plan, NULL, ACCESS_PUBLIC, ROUTE_JSON | ROUTE_CACHE,
     "api.plan"},
    {"GET", "/api/v1/goals", page_goals, NULL, ACCESS_PUBLIC, ROUTE_JSON | ROUTE_CACHE,
     "api.goals"},
    {"GET", "/api/v1/search", page_search, NULL, ACCESS_PUBLIC, ROUTE_JSON | ROUTE_CACHE,
     "api.search"},
    {"GET", "/api/v1/openapi.json", page_openapi, NULL, ACCESS_PUBLIC, ROUTE_RAW | ROUTE_JSON,
     "api.openapi"},
};

const size_t routes_count = sizeof routes / sizeof routes[0];
