/* /arbeid: the staff start page — what the signed-in user can act on: the plans they own,
 * the plans due for revision, and the latest changes.
 * Layer: pages. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "domain/plan.h"
#include "pages/pages.h"
#include "pages/processes.h"
#include "store/audit.h"
#include "store/plans.h"
#include "store/processes.h"
#include "web/session.h"

#define RECENT_CHANGES 15

int page_workspace(pv_req *r, json_t **vm_out)
{
    plan_filter all = {0};
    json_t *plans = NULL, *recent = NULL, *owned = NULL;
    audit_filter changes = {.limit = RECENT_CHANGES};
    if (store_plans_list(r->w->db, &all, &plans) != 0 ||
        store_plans_owned(r->w->db, r->user->id, &owned) != 0 ||
        store_audit_list(r->w->db, &changes, &recent) != 0) {
        json_decref(plans);
        json_decref(owned);
        return 500;
    }
    time_t now = (time_t)session_now();
    struct tm tm;
    gmtime_r(&now, &tm);
    long this_year = tm.tm_year + 1900;
    json_t *due = json_array(), *mine = json_array();
    size_t i;
    json_t *p;
    json_array_foreach(plans, i, p) {
        json_t *summary = page_plan_summary(r, p);
        json_int_t next = json_integer_value(json_object_get(summary, "next_revision"));
        const char *status = json_string_value(json_object_get(p, "status"));
        bool expired = status && strcmp(status, "utgått") == 0;
        if (next && next <= this_year && !expired)
            json_array_append(due, summary);
        json_decref(summary);
    }
    json_array_foreach(owned, i, p)
        json_array_append_new(mine, page_plan_summary(r, p));
    json_array_foreach(recent, i, p)
        page_audit_event_labels(r, p);
    *vm_out = json_pack("{s:o, s:o, s:o, s:I, s:b, s:b, s:b}", "my_plans", mine, "due_plans",
                        due, "recent", recent, "year", (json_int_t)this_year, "has_my_plans",
                        json_array_size(mine) > 0, "has_due_plans", json_array_size(due) > 0,
                        "has_recent", json_array_size(recent) > 0);
    json_decref(plans);
    json_decref(owned);
    /* participation: links by role, and the processes the user owns or was added to */
    unsigned roles = r->user->roles;
    json_object_set_new(*vm_out, "process_staff",
                        json_boolean(roles & (PROCESS_EDIT_ROLES | PROCESS_OWNER_ROLES)));
    json_object_set_new(*vm_out, "process_advisor", json_boolean(roles & PROCESS_EDIT_ROLES));
    json_t *processes;
    if (store_processes_for_user(r->w->db, r->user->id, &processes) != 0)
        return 500;
    json_array_foreach(processes, i, p) {
        char url[200];
        snprintf(url, sizeof url, "/arbeid/prosesser/%s",
                 json_string_value(json_object_get(p, "id")));
        json_object_set_new(p, "url", json_string(url));
    }
    json_object_set_new(*vm_out, "has_my_processes", json_boolean(json_array_size(processes) > 0));
    json_object_set_new(*vm_out, "my_processes", processes);
    return 200;
}
