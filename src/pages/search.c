/* /sok?q=: search in plan names and purposes and in measures.
 * Layer: pages. */
#include <string.h>

#include "core/utf8.h"
#include "pages/pages.h"
#include "store/search.h"

#define SEARCH_MIN_CHARS 2
#define SEARCH_MAX_CHARS 200

/* A short excerpt of text around the first match of folded_q (whole UTF-8 characters). */
static json_t *snippet(const char *text, const char *folded_q)
{
    if (!text)
        return json_null();
    buf folded = BUF_INIT;
    utf8_fold(text, strlen(text), &folded);
    const char *hit = strstr(buf_cstr(&folded), folded_q);
    /* Folding keeps byte lengths for the letters we fold, so the offset carries over. */
    size_t at = hit && folded.len == strlen(text) ? (size_t)(hit - folded.data) : 0;
    buf_finish(&folded);
    size_t len = strlen(text), start = at > 80 ? at - 80 : 0, end = start + 240;
    if (end > len)
        end = len;
    while (start > 0 && ((unsigned char)text[start] & 0xC0) == 0x80)
        start--;
    while (end < len && ((unsigned char)text[end] & 0xC0) == 0x80)
        end++;
    buf out = BUF_INIT;
    if (start > 0)
        buf_puts(&out, "… ");
    buf_append(&out, text + start, end - start);
    if (end < len)
        buf_puts(&out, " …");
    json_t *s = json_string(buf_cstr(&out));
    buf_finish(&out);
    return s;
}

int page_search(pv_req *r, json_t **vm_out)
{
    const char *q = url_query_get(&r->query, "q");
    size_t chars = q ? utf8_length(q, strlen(q)) : 0;
    if (chars > SEARCH_MAX_CHARS) {
        r->error = T(r, "Søket er for langt. Bruk høyst 200 tegn.");
        return 400;
    }
    json_t *vm = json_pack("{s:s, s:b, s:b}", "q", q ? q : "", "searched", chars >= SEARCH_MIN_CHARS,
                           "too_short", chars > 0 && chars < SEARCH_MIN_CHARS);
    json_t *plans = json_array(), *measures = json_array();
    if (chars >= SEARCH_MIN_CHARS) {
        json_decref(plans);
        json_decref(measures);
        buf folded = BUF_INIT;
        utf8_fold(q, strlen(q), &folded);
        int rc = store_search(r->w->db, buf_cstr(&folded), &plans, &measures);
        if (rc != 0) {
            buf_finish(&folded);
            json_decref(vm);
            return 500;
        }
        size_t i;
        json_t *p;
        json_array_foreach(plans, i, p) {
            json_t *summary = page_plan_summary(r, p);
            json_object_set_new(summary, "snippet",
                                snippet(json_string_value(json_object_get(p, "purpose")),
                                        folded.data));
            json_object_del(summary, "purpose");
            json_array_set_new(plans, i, summary);
        }
        json_array_foreach(measures, i, p) {
            buf url = BUF_INIT;
            buf_printf(&url, "/planer/%s#tiltak-%s",
                       json_string_value(json_object_get(p, "plan_id")),
                       json_string_value(json_object_get(p, "id")));
            json_object_set_new(p, "url", json_string(buf_cstr(&url)));
            buf_finish(&url);
        }
        buf_finish(&folded);
    }
    json_object_set_new(vm, "count", json_integer((json_int_t)(json_array_size(plans) +
                                                               json_array_size(measures))));
    json_object_set_new(vm, "has_plans", json_boolean(json_array_size(plans) > 0));
    json_object_set_new(vm, "has_measures", json_boolean(json_array_size(measures) > 0));
    json_object_set_new(vm, "plans", plans);
    json_object_set_new(vm, "measures", measures);
    *vm_out = vm;
    return 200;
}
