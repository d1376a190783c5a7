/* libFuzzer target for the follow-up's readers of outside text: reporting periods as URLs and
 * the API write them ("2026-t1"), and chart descriptions (JSON) for the SVG charts. The first
 * byte chooses. Besides crashes and leaks it traps when a promise is broken: a period that
 * parses is written back as the same text; a chart either renders (bars or lines) into a
 * complete <svg>…</svg> with its table, or is refused with PV_EINVAL and nothing appended.
 * Layer: fuzz (domain, export). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/buf.h"
#include "core/pv.h"
#include "domain/followup.h"
#include "export/svg_chart.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                         \
    do {                                                                                    \
        if (!(cond))                                                                        \
            __builtin_trap();                                                               \
    } while (0)

static void check_period(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    memcpy(s, data, size);
    s[size] = '\0';
    followup_period p;
    if (followup_period_parse(s, &p) == 0) {
        char back[FOLLOWUP_PERIOD_TEXT];
        followup_period_format(p, back);
        CHECK(strcmp(back, s) == 0);
        pv_date first, last;
        followup_period_bounds(p, &first, &last);
        CHECK(first.year == p.year && last.year == p.year);
    }
    free(s);
}

static void check_chart(const uint8_t *data, size_t size, bool lines)
{
    json_t *chart = json_loadb((const char *)data, size, 0, NULL);
    if (!chart)
        return;
    buf out = BUF_INIT;
    buf_puts(&out, "x");
    int rc = lines ? svg_chart_lines(chart, &out) : svg_chart_bars(chart, &out);
    if (rc == 0) {
        CHECK(strncmp(buf_cstr(&out), "x<svg ", 6) == 0);
        CHECK(out.len > 7 && strcmp(buf_cstr(&out) + out.len - 6, "</svg>") == 0);
        json_t *table = svg_chart_table(chart);
        CHECK(table && json_is_array(json_object_get(table, "rows")));
        json_decref(table);
    } else {
        CHECK(rc == PV_EINVAL && out.len == 1);
    }
    buf_finish(&out);
    json_decref(chart);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    switch (data[0] % 3) {
    case 0: check_period(data + 1, size - 1); break;
    case 1: check_chart(data + 1, size - 1, false); break;
    default: check_chart(data + 1, size - 1, true); break;
    }
    return 0;
}
