/* Charts as SVG, drawn on the server (no JavaScript): bars (stacked when there are several
 * series) and lines over time. Every chart carries its title and description inside (role
 * "img", <title>, <desc>, aria-labelledby), escapes every label, and comes with the same
 * numbers as a table (svg_chart_table), so a screen reader and a printer get them too.
 * The SVG is HTML our code produced safely: templates put it in with {{{ }}} (allowlisted).
 * Layer: export.
 *
 * A chart is described as JSON (a view-model part):
 *   {"id": "cost-by-plan",            [a-z0-9-], unique on the page (for aria ids)
 *    "title": "…", "desc": "…",       translated text (desc may be absent)
 *    "unit": "1000 kr",               shown after values, may be absent
 *    "decimal": ",",                  the decimal mark of the reader's language ("," or ".";
 *                                     absent: ",")
 *    "categories": ["2023", …],       bars: the groups along the axis
 *    "series": [{"label": "…", "values": [n, …]}]            bars: one value per category
 *                                                              (null: none, "" in the table)
 *    "series": [{"label": "…", "points": [{"date": "2024-05-01", "value": n}, …],
 *                "dashed": true}]                              lines: dashed for a target path
 *   }
 * Texts are non-empty (but desc and unit), at most 300 bytes (title and desc 2000), without
 * control characters; |values| at most 1e12; a line chart has at least one point in all.
 */
#ifndef PV_EXPORT_SVG_CHART_H
#define PV_EXPORT_SVG_CHART_H

#include <jansson.h>

#include "core/buf.h"

#define SVG_CHART_MAX_CATEGORIES 200
#define SVG_CHART_MAX_SERIES 60
#define SVG_CHART_MAX_POINTS 2000

/* Appends a horizontal bar chart (stacked when more than one series) to out. 0, or
 * PV_EINVAL for a chart description that does not fit the shape above (nothing appended). */
int svg_chart_bars(json_t *chart, buf *out);

/* Appends a line chart of dated points to out. 0 or PV_EINVAL as above. */
int svg_chart_lines(json_t *chart, buf *out);

/* The numbers of a chart as a table for the page (new reference):
 *   {"caption": title, "columns": [series labels…],
 *    "rows": [{"label": category (bars) or date (lines), "cells": ["3 910", …]}]}
 * one row per category (bars) or per date that any series has a point on (lines; a series
 * without a point that day has ""), with values written exactly as the chart writes them
 * (svg_chart_number, plus a no-break space and the unit when given: "3 910 1000 kr").
 * NULL for a description that does not fit the shape. */
json_t *svg_chart_table(json_t *chart);

/* Writes a value the way the chart and its table write it: at most one decimal (none when
 * whole), the decimal mark given, thin groups of thousands separated by a no-break space,
 * negatives with U+2212 MINUS SIGN, "" for NaN and infinities:
 * 3910 → "3 910", 33.5 → "33,5", -1234.56 → "−1 234,6". */
void svg_chart_number(double v, const char *decimal, char *out, size_t size);

#endif
