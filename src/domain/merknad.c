/* Grouping and ordering the rows of the merknadsbehandling, and writing them as CSV.
 * Layer: domain. */
#include "domain/merknad.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/utf8.h"

const char *const merknad_outcomes[] = {"tatt til følge", "delvis tatt til følge",
                                        "ikke tatt til følge", "allerede ivaretatt",
                                        "utenfor mandat", NULL};

static const char *str(json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

static int outcome_rank(const char *o)
{
    int i = 0;
    for (; o && merknad_outcomes[i]; i++)
        if (strcmp(merknad_outcomes[i], o) == 0)
            return i;
    return 100;
}

/* Adds the sender of input row to group's senders. */
static void add_sender(json_t *senders, json_t *row)
{
    const char *type = str(row, "sender_type");
    const char *name = str(row, "on_behalf_of");
    bool private = !type || strcmp(type, "privatperson") == 0;
    if (private || (name && !*name))
        name = NULL;
    size_t i;
    json_t *s;
    json_array_foreach(senders, i, s) {
        const char *t = str(s, "type"), *n = str(s, "name");
        bool same = private ? t && strcmp(t, "privatperson") == 0
                            : t && strcmp(t, type) == 0 &&
                                  ((!n && !name) || (n && name && strcmp(n, name) == 0));
        if (same) {
            json_object_set_new(s, "count",
                                json_integer(json_integer_value(json_object_get(s, "count")) + 1));
            return;
        }
    }
    json_array_append_new(senders, json_pack("{s:s, s:s?, s:i}", "type",
                                             private ? "privatperson" : type, "name", name,
                                             "count", 1));
}

static json_t *new_group(json_t *row)
{
    json_t *a_themes = json_object_get(row, "assessment_themes");
    json_t *theme = json_array_get(json_array_size(a_themes) ? a_themes
                                                              : json_object_get(row, "themes"), 0);
    json_t *g = json_pack("{s:O?, s:O?, s:O?, s:O?, s:O, s:O?, s:[], s:[]}", "assessment_id",
                          json_object_get(row, "assessment_id"), "outcome",
                          json_object_get(row, "outcome"), "justification",
                          json_object_get(row, "justification"), "summary",
                          json_object_get(row, "summary"), "theme",
                          json_is_string(theme) ? theme : json_null(), "received_at",
                          json_object_get(row, "received_at"), "input_ids", "senders");
    return g;
}

/* Appends an input's text to the group's summary when the assessment has none. */
static void add_text(json_t *g, json_t *row, bool own_summary)
{
    if (own_summary)
        return;
    const char *text = str(row, "text");
    const char *now = str(g, "summary");
    if (!text)
        return;
    if (!now) {
        json_object_set_new(g, "summary", json_string(text));
        return;
    }
    buf b = BUF_INIT;
    buf_puts(&b, now);
    buf_puts(&b, "\n\n");
    buf_puts(&b, text);
    json_object_set_new(g, "summary", json_string(buf_cstr(&b)));
    buf_finish(&b);
}

static int compare(const void *pa, const void *pb)
{
    json_t *a = *(json_t *const *)pa, *b = *(json_t *const *)pb;
    const char *ta = str(a, "theme"), *tb = str(b, "theme");
    if (!ta != !tb)
        return ta ? -1 : 1;
    if (ta) {
        int c = utf8_collate_nb(ta, strlen(ta), tb, strlen(tb));
        if (c)
            return c;
    }
    int ra = outcome_rank(str(a, "outcome")), rb = outcome_rank(str(b, "outcome"));
    if (ra != rb)
        return ra < rb ? -1 : 1;
    json_int_t da = json_integer_value(json_object_get(a, "received_at"));
    json_int_t db = json_integer_value(json_object_get(b, "received_at"));
    if (da != db)
        return da < db ? -1 : 1;
    json_int_t ia = json_integer_value(json_array_get(json_object_get(a, "input_ids"), 0));
    json_int_t ib = json_integer_value(json_array_get(json_object_get(b, "input_ids"), 0));
    return ia < ib ? -1 : ia > ib;
}

json_t *merknad_group(json_t *rows)
{
    json_t *groups = json_array();
    json_t *by_assessment = json_object(); /* "id" → index in groups */
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row) {
        json_t *aid = json_object_get(row, "assessment_id");
        json_t *g = NULL;
        char key[24] = "";
        if (json_is_integer(aid)) {
            snprintf(key, sizeof key, "%lld", (long long)json_integer_value(aid));
            json_t *at = json_object_get(by_assessment, key);
            if (at)
                g = json_array_get(groups, (size_t)json_integer_value(at));
        }
        if (!g) {
            g = new_group(row);
            if (*key)
                json_object_set_new(by_assessment, key, json_integer((json_int_t)json_array_size(groups)));
            json_array_append_new(groups, g);
        }
        json_t *when = json_object_get(row, "received_at");
        if (json_integer_value(when) < json_integer_value(json_object_get(g, "received_at")))
            json_object_set(g, "received_at", when);
        json_array_append(json_object_get(g, "input_ids"), json_object_get(row, "id"));
        add_sender(json_object_get(g, "senders"), row);
        add_text(g, row, json_is_integer(aid) && json_is_string(json_object_get(row, "summary")));
    }
    json_decref(by_assessment);
    size_t n = json_array_size(groups);
    json_t **items = pv_calloc(n ? n : 1, sizeof *items);
    for (i = 0; i < n; i++)
        items[i] = json_incref(json_array_get(groups, i));
    qsort(items, n, sizeof *items, compare);
    json_t *sorted = json_array();
    for (i = 0; i < n; i++)
        json_array_append_new(sorted, items[i]);
    free(items);
    json_decref(groups);
    return sorted;
}
