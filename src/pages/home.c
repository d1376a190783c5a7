/* The front page: what planverk is in plain words, the ways in (plans, goals, search), the
 * themes of the portfolio, and first of all the participation processes that take inputs
 * now (pages/participation.c), each with its deadline as a date: the page is cached until
 * the data change, so it never shows a count of days.
 * Layer: pages. */
#include <string.h>

#include "pages/pages.h"
#include "pages/participation.h"
#include "store/plans.h"

int page_home(pv_req *r, json_t **vm_out)
{
    json_t *counts = NULL, *themes = NULL;
    if (store_counts(r->w->db, &counts) != 0 || store_themes(r->w->db, &themes) != 0) {
        json_decref(counts);
        return 500;
    }
    size_t i;
    json_t *t;
    json_array_foreach(themes, i, t) {
        const char *id = json_string_value(json_object_get(t, "id"));
        if (!id) { /* the plans without a theme */
            id = PLAN_FILTER_NONE;
            json_object_set_new(t, "name", json_string(page_no_theme(r)));
        }
        buf href = BUF_INIT;
        buf_puts(&href, "/planer?tema=");
        buf_append_url(&href, id, strlen(id));
        json_object_set_new(t, "href", json_string(buf_cstr(&href)));
        buf_finish(&href);
    }
    json_t *open = participation_open_now(r);
    if (!open) {
        json_decref(counts);
        json_decref(themes);
        return 500;
    }
    bool has_open = json_array_size(open) > 0;
    *vm_out = json_pack("{s:o, s:o, s:o, s:b}", "counts", counts, "themes", themes, "processes",
                        open, "has_processes", has_open);
    return 200;
}
