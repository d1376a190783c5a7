/* Charts as SVG (export/svg_chart.h): the chart description is checked whole first, then
 * drawn with fixed geometry (a 640-unit wide viewBox; CSS scales it). Every number is written
 * by hand, never with a locale-dependent printf of a double, so coordinates always use '.'
 * and values the reader's decimal mark.
 * Layer: export (pure: builds text, no I/O). */
#include "export/svg_chart.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/utf8.h"

#define CHART_ID_MAX 64
#define CHART_TEXT_MAX 2000   /* title, desc */
#define CHART_LABEL_MAX 300   /* categories, series labels, unit */
#define CHART_VALUE_MAX 1e12  /* |value|: keeps every number exact to one decimal */

#define WIDTH 640.0
#define PAD 8.0
#define CHAR_W 7.0   /* estimated width of a character at font-size 12 */
#define NUMBER_MAX 64

/* Series colours: each has a contrast of at least 4.5:1 against white (so also ≥ 3:1 for
 * graphics, WCAG 1.4.11), and neighbours differ in hue and lightness. */
static const char *const palette[] = {"#0b5cad", "#b34700", "#1a7a3e", "#9c1f7a", "#5b4ab8",
                                      "#8a6100", "#b3123a", "#00727a", "#4d5560", "#7a4a1f"};
#define TEXT_COLOUR "#1e2227"
#define GRID_COLOUR "#d7dbe0"
#define AXIS_COLOUR "#6b7580"

/* Small arithmetic done here rather than with libm, so the library links without -lm. */
static double dmin(double a, double b)
{
    return a < b ? a : b;
}

static double dmax(double a, double b)
{
    return a > b ? a : b;
}

/* Rounded half away from zero; |v| is at most about 1e16 here. */
static long long round_ll(double v)
{
    return v < 0 ? -(long long)(-v + 0.5) : (long long)(v + 0.5);
}

static double floor_d(double v)
{
    long long t = (long long)v;
    return (double)(t > v ? t - 1 : t);
}

static double ceil_d(double v)
{
    long long t = (long long)v;
    return (double)(t < v ? t + 1 : t);
}

/* The power of ten at or below v > 0. */
static double decade(double v)
{
    double m = 1;
    while (m > v)
        m /= 10;
    while (m * 10 <= v)
        m *= 10;
    return m;
}

static const char *colour(size_t i)
{
    return palette[i % PV_ARRAY_LEN(palette)];
}

/* ---------------------------------------------------------------- numbers */

void svg_chart_number(double v, const char *decimal, char *out, size_t size)
{
    if (!out || size == 0)
        return;
    out[0] = '\0';
    if (!isfinite(v) || fabs(v) > 1e15)
        return;
    long long tenths = round_ll(v * 10.0);
    bool negative = tenths < 0;
    unsigned long long t = negative ? 0ULL - (unsigned long long)tenths
                                    : (unsigned long long)tenths;
    char digits[32];
    snprintf(digits, sizeof digits, "%llu", t / 10);
    char tmp[NUMBER_MAX * 2];
    size_t o = 0, n = strlen(digits);
    if (negative) { /* U+2212 MINUS SIGN */
        memcpy(tmp, "\xE2\x88\x92", 3);
        o = 3;
    }
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && (n - i) % 3 == 0) { /* U+00A0 NO-BREAK SPACE */
            memcpy(tmp + o, "\xC2\xA0", 2);
            o += 2;
        }
        tmp[o++] = digits[i];
    }
    if (t % 10) {
        const char *mark = decimal && *decimal ? decimal : ",";
        size_t m = strlen(mark);
        if (m > 4)
            m = 4;
        memcpy(tmp + o, mark, m);
        o += m;
        tmp[o++] = (char)('0' + t % 10);
    }
    tmp[o] = '\0';
    snprintf(out, size, "%s", tmp);
}

/* A coordinate with at most one decimal and a '.', whatever LC_NUMERIC says. */
static void put_coord(buf *b, double v)
{
    long long tenths = round_ll(v * 10.0);
    if (tenths < 0) {
        buf_putc(b, '-');
        tenths = -tenths;
    }
    buf_printf(b, "%lld", tenths / 10);
    if (tenths % 10)
        buf_printf(b, ".%lld", tenths % 10);
}

static void put_text(buf *b, const char *s)
{
    buf_append_html(b, s, strlen(s));
}

/* ---------------------------------------------------------------- the description */

typedef struct point {
    pv_date d;
    long day;
    double value;
    const char *date;
} point;

typedef struct chart {
    const char *id, *title, *desc, *unit, *decimal;
    bool lines;
    size_t ncat, nser;
    json_t *categories, *series;
    double *values;  /* bars: nser × ncat, NAN where null */
    point **points;  /* lines: per series, sorted by day */
    size_t *npoints;
} chart;

static void chart_finish(chart *c)
{
    free(c->values);
    if (c->points)
        for (size_t s = 0; s < c->nser; s++)
            free(c->points[s]);
    free(c->points);
    free(c->npoints);
}

/* Text XML 1.0 can carry: no control characters but tab and newlines, no U+FFFE/U+FFFF. */
static bool text_ok(json_t *j, size_t max, bool required)
{
    if (!json_is_string(j))
        return false;
    const char *s = json_string_value(j);
    size_t n = json_string_length(j);
    if (n != strlen(s) || n > max || (required && n == 0) || !utf8_valid(s, n))
        return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if ((ch < 0x20 && ch != '\t' && ch != '\n' && ch != '\r') || ch == 0x7f)
            return false;
        if (ch == 0xEF && i + 2 < n && (unsigned char)s[i + 1] == 0xBF &&
            ((unsigned char)s[i + 2] == 0xBE || (unsigned char)s[i + 2] == 0xBF))
            return false;
    }
    return true;
}

static bool value_ok(json_t *j, double *out)
{
    if (!json_is_number(j))
        return false;
    double v = json_number_value(j);
    if (!isfinite(v) || fabs(v) > CHART_VALUE_MAX)
        return false;
    *out = v;
    return true;
}

static bool id_ok(json_t *j)
{
    if (!json_is_string(j))
        return false;
    const char *s = json_string_value(j);
    size_t n = json_string_length(j);
    if (n == 0 || n > CHART_ID_MAX || n != strlen(s))
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
            return false;
    return true;
}

static long day_number(pv_date d)
{
    long y = d.month <= 2 ? d.year - 1 : d.year;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long mp = (d.month + 9) % 12;
    long doy = (153 * mp + 2) / 5 + d.day - 1;
    return era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
}

static int point_cmp(const void *a, const void *b)
{
    const point *x = a, *y = b;
    return (x->day > y->day) - (x->day < y->day);
}

static int parse_common(json_t *j, chart *c)
{
    memset(c, 0, sizeof *c);
    if (!json_is_object(j) || !id_ok(json_object_get(j, "id")) ||
        !text_ok(json_object_get(j, "title"), CHART_TEXT_MAX, true))
        return PV_EINVAL;
    c->id = json_string_value(json_object_get(j, "id"));
    c->title = json_string_value(json_object_get(j, "title"));
    json_t *desc = json_object_get(j, "desc"), *unit = json_object_get(j, "unit"),
           *dec = json_object_get(j, "decimal");
    if ((desc && !json_is_null(desc) && !text_ok(desc, CHART_TEXT_MAX, false)) ||
        (unit && !json_is_null(unit) && !text_ok(unit, CHART_LABEL_MAX, false)))
        return PV_EINVAL;
    c->desc = json_is_string(desc) ? json_string_value(desc) : "";
    c->unit = json_is_string(unit) ? json_string_value(unit) : "";
    c->decimal = ",";
    if (dec && !json_is_null(dec)) {
        const char *d = json_string_value(dec);
        if (!d || (strcmp(d, ",") != 0 && strcmp(d, ".") != 0))
            return PV_EINVAL;
        c->decimal = d;
    }
    c->series = json_object_get(j, "series");
    c->nser = json_array_size(c->series);
    if (!json_is_array(c->series) || c->nser == 0 || c->nser > SVG_CHART_MAX_SERIES)
        return PV_EINVAL;
    size_t i;
    json_t *s;
    json_array_foreach(c->series, i, s)
        if (!json_is_object(s) || !text_ok(json_object_get(s, "label"), CHART_LABEL_MAX, true))
            return PV_EINVAL;
    return 0;
}

static int parse_bars(json_t *j, chart *c)
{
    if (parse_common(j, c) != 0)
        return PV_EINVAL;
    c->categories = json_object_get(j, "categories");
    c->ncat = json_array_size(c->categories);
    if (!json_is_array(c->categories) || c->ncat == 0 || c->ncat > SVG_CHART_MAX_CATEGORIES)
        return PV_EINVAL;
    size_t i, k;
    json_t *cat, *s, *v;
    json_array_foreach(c->categories, i, cat)
        if (!text_ok(cat, CHART_LABEL_MAX, true))
            return PV_EINVAL;
    c->values = pv_calloc(c->nser * c->ncat, sizeof *c->values);
    json_array_foreach(c->series, i, s) {
        json_t *values = json_object_get(s, "values");
        if (!json_is_array(values) || json_array_size(values) != c->ncat ||
            json_object_get(s, "points"))
            return PV_EINVAL;
        json_array_foreach(values, k, v) {
            double *cell = &c->values[i * c->ncat + k];
            if (json_is_null(v))
                *cell = NAN;
            else if (!value_ok(v, cell))
                return PV_EINVAL;
        }
    }
    return 0;
}

static int parse_lines(json_t *j, chart *c)
{
    if (parse_common(j, c) != 0 || json_object_get(j, "categories"))
        return PV_EINVAL;
    c->lines = true;
    c->points = pv_calloc(c->nser, sizeof *c->points);
    c->npoints = pv_calloc(c->nser, sizeof *c->npoints);
    size_t total = 0, i, k;
    json_t *s, *p;
    json_array_foreach(c->series, i, s) {
        json_t *points = json_object_get(s, "points"), *dashed = json_object_get(s, "dashed");
        if (!json_is_array(points) || json_object_get(s, "values") ||
            (dashed && !json_is_boolean(dashed)))
            return PV_EINVAL;
        size_t n = json_array_size(points);
        total += n;
        if (total > SVG_CHART_MAX_POINTS)
            return PV_EINVAL;
        c->points[i] = pv_calloc(n ? n : 1, sizeof(point));
        c->npoints[i] = n;
        json_array_foreach(points, k, p) {
            json_t *date = json_object_get(p, "date");
            pv_date d;
            if (!json_is_object(p) || !json_is_string(date) ||
                pv_parse_date(json_string_value(date), &d) != 0 ||
                !value_ok(json_object_get(p, "value"), &c->points[i][k].value))
                return PV_EINVAL;
            c->points[i][k].d = d;
            c->points[i][k].day = day_number(d);
            c->points[i][k].date = json_string_value(date);
        }
        qsort(c->points[i], n, sizeof(point), point_cmp);
    }
    return total > 0 ? 0 : PV_EINVAL;
}

/* A value as the chart and its table write it: the number, and the unit after a no-break
 * space. */
static void value_text(const chart *c, double v, char *out, size_t size)
{
    char num[NUMBER_MAX];
    svg_chart_number(v, c->decimal, num, sizeof num);
    if (*c->unit)
        snprintf(out, size, "%s\xC2\xA0%s", num, c->unit);
    else
        snprintf(out, size, "%s", num);
}

/* ---------------------------------------------------------------- axes */

typedef struct scale {
    double lo, hi, step;
    double from, to; /* the pixels lo and hi map to */
} scale;

/* Round ticks that cover [lo, hi]: a step of 1, 2, 2.5 or 5 × 10^k (2.5 only for whole steps,
 * and no step below 0.1, so every tick reads right with one decimal), at most 4 intervals. */
static void nice_scale(double lo, double hi, scale *sc)
{
    if (hi - lo < 1e-9) {
        if (lo > 0)
            lo = 0;
        else if (hi < 0)
            hi = 0;
        else
            hi = lo + 1;
    }
    double raw = (hi - lo) / 4.0;
    double mag = decade(raw);
    if (mag < 0.1)
        mag = 0.1;
    static const double steps[] = {1, 2, 2.5, 5, 10, 20, 25, 50, 100};
    double step = 0;
    for (size_t i = 0; i < PV_ARRAY_LEN(steps); i++) {
        double s = steps[i] * mag;
        if ((steps[i] == 2.5 || steps[i] == 25) && s < 1)
            continue;
        if (s + 1e-12 < raw)
            continue;
        double a = floor_d(lo / s + 1e-9) * s, b = ceil_d(hi / s - 1e-9) * s;
        step = s;
        if ((b - a) / s <= 4.0 + 1e-9)
            break;
    }
    sc->step = step;
    sc->lo = floor_d(lo / step + 1e-9) * step;
    sc->hi = ceil_d(hi / step - 1e-9) * step;
}

static double scale_at(const scale *sc, double v)
{
    return sc->from + (v - sc->lo) / (sc->hi - sc->lo) * (sc->to - sc->from);
}

static size_t tick_count(const scale *sc)
{
    return (size_t)round_ll((sc->hi - sc->lo) / sc->step) + 1;
}

static double tick_value(const scale *sc, size_t i)
{
    double v = sc->lo + (double)i * sc->step;
    return fabs(v) < sc->step * 1e-9 ? 0 : v;
}

static double text_width(const char *s)
{
    return (double)utf8_length(s, strlen(s)) * CHAR_W;
}

/* ---------------------------------------------------------------- pieces */

static void open_svg(buf *b, const chart *c, double height)
{
    buf_puts(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-labelledby=\"");
    buf_printf(b, "%s-title %s-desc\" viewBox=\"0 0 ", c->id, c->id);
    put_coord(b, WIDTH);
    buf_putc(b, ' ');
    put_coord(b, height);
    buf_printf(b, "\" class=\"chart\" font-size=\"12\" fill=\"%s\">", TEXT_COLOUR);
    buf_printf(b, "<title id=\"%s-title\">", c->id);
    put_text(b, c->title);
    buf_printf(b, "</title><desc id=\"%s-desc\">", c->id);
    put_text(b, c->desc);
    buf_puts(b, "</desc>");
}

static void put_line(buf *b, double x1, double y1, double x2, double y2, const char *stroke)
{
    buf_puts(b, "<line x1=\"");
    put_coord(b, x1);
    buf_puts(b, "\" y1=\"");
    put_coord(b, y1);
    buf_puts(b, "\" x2=\"");
    put_coord(b, x2);
    buf_puts(b, "\" y2=\"");
    put_coord(b, y2);
    buf_printf(b, "\" stroke=\"%s\"/>", stroke);
}

static void put_text_at(buf *b, double x, double y, const char *anchor, const char *cls,
                        const char *s)
{
    buf_puts(b, "<text x=\"");
    put_coord(b, x);
    buf_puts(b, "\" y=\"");
    put_coord(b, y);
    buf_printf(b, "\" text-anchor=\"%s\" class=\"%s\">", anchor, cls);
    put_text(b, s);
    buf_puts(b, "</text>");
}

/* The legend, flowing in lines from y; returns its height. Only measures when b is NULL. */
static double legend(buf *b, const chart *c, double y)
{
    double x = PAD, line = 0;
    if (b)
        buf_puts(b, "<g class=\"chart-legend\">");
    for (size_t s = 0; s < c->nser; s++) {
        json_t *ser = json_array_get(c->series, s);
        const char *label = json_string_value(json_object_get(ser, "label"));
        double w = 24 + text_width(label) + 16;
        if (x > PAD && x + w > WIDTH - PAD) {
            x = PAD;
            line++;
        }
        double cy = y + line * 20 + 10;
        if (b && c->lines) {
            bool dashed = json_is_true(json_object_get(ser, "dashed"));
            buf_puts(b, "<line x1=\"");
            put_coord(b, x);
            buf_puts(b, "\" y1=\"");
            put_coord(b, cy);
            buf_puts(b, "\" x2=\"");
            put_coord(b, x + 18);
            buf_puts(b, "\" y2=\"");
            put_coord(b, cy);
            buf_printf(b, "\" stroke=\"%s\" stroke-width=\"2\"%s/>", colour(s),
                       dashed ? " stroke-dasharray=\"6 4\"" : "");
        } else if (b) {
            buf_puts(b, "<rect x=\"");
            put_coord(b, x + 2);
            buf_puts(b, "\" y=\"");
            put_coord(b, cy - 6);
            buf_printf(b, "\" width=\"12\" height=\"12\" fill=\"%s\"/>", colour(s));
        }
        if (b)
            put_text_at(b, x + 24, cy + 4, "start", "chart-legend-label", label);
        x += w;
    }
    if (b)
        buf_puts(b, "</g>");
    return (line + 1) * 20 + 4;
}

/* ---------------------------------------------------------------- bars */

static double bar_total(const chart *c, size_t k, double *neg, double *pos)
{
    double total = 0, n = 0, p = 0;
    for (size_t s = 0; s < c->nser; s++) {
        double v = c->values[s * c->ncat + k];
        if (isnan(v))
            continue;
        total += v;
        if (v < 0)
            n += v;
        else
            p += v;
    }
    if (neg)
        *neg = n;
    if (pos)
        *pos = p;
    return total;
}

static void draw_segment(buf *b, const chart *c, size_t s, size_t k, double x0, double x1,
                         double y, double h)
{
    const char *cat = json_string_value(json_array_get(c->categories, k));
    const char *label = json_string_value(json_object_get(json_array_get(c->series, s), "label"));
    char text[NUMBER_MAX + CHART_LABEL_MAX + 8];
    value_text(c, c->values[s * c->ncat + k], text, sizeof text);
    buf_puts(b, "<rect x=\"");
    put_coord(b, x0 < x1 ? x0 : x1);
    buf_puts(b, "\" y=\"");
    put_coord(b, y);
    buf_puts(b, "\" width=\"");
    put_coord(b, fabs(x1 - x0));
    buf_puts(b, "\" height=\"");
    put_coord(b, h);
    buf_printf(b, "\" fill=\"%s\" stroke=\"#ffffff\" stroke-width=\"1\"><title>", colour(s));
    put_text(b, cat);
    if (c->nser > 1) {
        buf_puts(b, ", ");
        put_text(b, label);
    }
    buf_puts(b, ": ");
    put_text(b, text);
    buf_puts(b, "</title></rect>");
}

static void draw_bars(buf *b, const chart *c)
{
    double lo = 0, hi = 0, label_w = 0, value_w = 0;
    char num[NUMBER_MAX];
    for (size_t k = 0; k < c->ncat; k++) {
        double neg, pos, total = bar_total(c, k, &neg, &pos);
        lo = dmin(lo, neg);
        hi = dmax(hi, pos);
        label_w = dmax(label_w, text_width(json_string_value(json_array_get(c->categories, k))));
        svg_chart_number(total, c->decimal, num, sizeof num);
        value_w = dmax(value_w, text_width(num) + 8);
    }
    /* short labels go left of the bars, long ones above them */
    bool beside = label_w <= 18 * CHAR_W;
    double row = beside ? 30 : 46, bar_h = 20, top = PAD;
    scale sc;
    nice_scale(lo, hi, &sc);
    sc.from = PAD + (beside ? label_w + 10 : 0) + (lo < 0 ? value_w : 0);
    sc.to = WIDTH - PAD - value_w;
    double axis_y = top + row * (double)c->ncat + 4;
    double legend_h = c->nser > 1 ? legend(NULL, c, 0) : 0;
    double height = axis_y + 22 + legend_h + PAD;
    open_svg(b, c, height);

    buf_puts(b, "<g class=\"chart-axis\">");
    for (size_t i = 0; i < tick_count(&sc); i++) {
        double v = tick_value(&sc, i), x = scale_at(&sc, v);
        put_line(b, x, top, x, axis_y, v == 0 ? AXIS_COLOUR : GRID_COLOUR);
        svg_chart_number(v, c->decimal, num, sizeof num);
        put_text_at(b, x, axis_y + 16, "middle", "chart-tick", num);
    }
    buf_puts(b, "</g><g class=\"chart-bars\">");
    double zero = scale_at(&sc, 0);
    for (size_t k = 0; k < c->ncat; k++) {
        double y = top + row * (double)k + (beside ? 5 : 21);
        const char *cat = json_string_value(json_array_get(c->categories, k));
        buf_puts(b, "<g class=\"chart-bar\">");
        if (beside)
            put_text_at(b, PAD + label_w, y + bar_h / 2 + 4, "end", "chart-category", cat);
        else
            put_text_at(b, sc.from, y - 5, "start", "chart-category", cat);
        double at_pos = 0, at_neg = 0;
        for (size_t s = 0; s < c->nser; s++) {
            double v = c->values[s * c->ncat + k];
            if (isnan(v))
                continue;
            double *at = v < 0 ? &at_neg : &at_pos;
            draw_segment(b, c, s, k, scale_at(&sc, *at), scale_at(&sc, *at + v), y, bar_h);
            *at += v;
        }
        double total = bar_total(c, k, NULL, NULL);
        svg_chart_number(total, c->decimal, num, sizeof num);
        if (total < 0)
            put_text_at(b, scale_at(&sc, at_neg) - 4, y + bar_h / 2 + 4, "end", "chart-value",
                        num);
        else
            put_text_at(b, dmax(scale_at(&sc, at_pos), zero) + 4, y + bar_h / 2 + 4, "start",
                        "chart-value", num);
        buf_puts(b, "</g>");
    }
    buf_puts(b, "</g>");
    if (c->nser > 1)
        legend(b, c, axis_y + 22);
    buf_puts(b, "</svg>");
}

int svg_chart_bars(json_t *j, buf *out)
{
    chart c;
    int rc = parse_bars(j, &c);
    if (rc == 0 && out)
        draw_bars(out, &c);
    chart_finish(&c);
    return rc == 0 ? 0 : PV_EINVAL;
}

/* ---------------------------------------------------------------- lines */

/* The time axis: the days d0..d1 drawn from left to right (one day: in the middle). */
typedef struct time_axis {
    long d0, d1;
    double left, right;
} time_axis;

static double x_of_day(const time_axis *ax, long d)
{
    if (ax->d1 == ax->d0)
        return (ax->left + ax->right) / 2;
    return ax->left + (double)(d - ax->d0) / (double)(ax->d1 - ax->d0) * (ax->right - ax->left);
}

/* Ticks on the 1 January of each year between the first and the last point (at most 7, every
 * n-th year), or else the first and the last date written out. */
static void draw_time_axis(buf *b, const time_axis *ax, const point *first, const point *last,
                           double y)
{
    int y0 = first->d.month == 1 && first->d.day == 1 ? first->d.year : first->d.year + 1;
    int y1 = last->d.year;
    if (y1 >= y0) {
        int every = (y1 - y0) / 7 + 1;
        for (int year = y0; year <= y1; year += every) {
            double x = x_of_day(ax, day_number((pv_date){year, 1, 1}));
            char label[8];
            snprintf(label, sizeof label, "%d", year);
            put_line(b, x, y - 16, x, y - 12, AXIS_COLOUR);
            put_text_at(b, x, y, "middle", "chart-tick", label);
        }
        return;
    }
    bool one = ax->d0 == ax->d1;
    put_text_at(b, x_of_day(ax, ax->d0), y, one ? "middle" : "start", "chart-tick", first->date);
    if (!one)
        put_text_at(b, x_of_day(ax, ax->d1), y, "end", "chart-tick", last->date);
}

static void draw_lines(buf *b, const chart *c)
{
    double lo = 0, hi = 0;
    const point *first = NULL, *last = NULL;
    for (size_t s = 0; s < c->nser; s++)
        for (size_t i = 0; i < c->npoints[s]; i++) {
            const point *p = &c->points[s][i];
            lo = first ? dmin(lo, p->value) : p->value;
            hi = first ? dmax(hi, p->value) : p->value;
            if (!first || p->day < first->day)
                first = p;
            if (!last || p->day > last->day)
                last = p;
        }
    /* 0 is on the axis when the values lie no further from it than their own spread */
    if (lo > 0 && lo <= hi / 2)
        lo = 0;
    if (hi < 0 && hi >= lo / 2)
        hi = 0;
    scale sc;
    nice_scale(lo, hi, &sc);
    char num[NUMBER_MAX];
    double tick_w = 0;
    for (size_t i = 0; i < tick_count(&sc); i++) {
        svg_chart_number(tick_value(&sc, i), c->decimal, num, sizeof num);
        tick_w = dmax(tick_w, text_width(num));
    }
    double top = PAD + 6, bottom = top + 220;
    sc.from = bottom;
    sc.to = top;
    /* the x range leaves room for the edge labels of the time axis */
    double left = PAD + tick_w + 8, right = WIDTH - PAD - 40;
    double height = bottom + 24 + legend(NULL, c, 0) + PAD;
    open_svg(b, c, height);
    buf_puts(b, "<g class=\"chart-axis\">");
    for (size_t i = 0; i < tick_count(&sc); i++) {
        double v = tick_value(&sc, i), y = scale_at(&sc, v);
        put_line(b, left, y, WIDTH - PAD, y, v == 0 ? AXIS_COLOUR : GRID_COLOUR);
        svg_chart_number(v, c->decimal, num, sizeof num);
        put_text_at(b, left - 6, y + 4, "end", "chart-tick", num);
    }
    time_axis ax = {first->day, last->day, left + 40, right};
    draw_time_axis(b, &ax, first, last, bottom + 18);
    buf_puts(b, "</g>");
    for (size_t s = 0; s < c->nser; s++) {
        json_t *ser = json_array_get(c->series, s);
        const char *label = json_string_value(json_object_get(ser, "label"));
        bool dashed = json_is_true(json_object_get(ser, "dashed"));
        buf_printf(b, "<g class=\"chart-series\" stroke=\"%s\">", colour(s));
        if (c->npoints[s] > 1) {
            buf_puts(b, "<polyline fill=\"none\" stroke-width=\"2\" points=\"");
            for (size_t i = 0; i < c->npoints[s]; i++) {
                if (i)
                    buf_putc(b, ' ');
                put_coord(b, x_of_day(&ax, c->points[s][i].day));
                buf_putc(b, ',');
                put_coord(b, scale_at(&sc, c->points[s][i].value));
            }
            buf_printf(b, "\"%s/>", dashed ? " stroke-dasharray=\"6 4\"" : "");
        }
        for (size_t i = 0; i < c->npoints[s]; i++) {
            const point *p = &c->points[s][i];
            char text[NUMBER_MAX + CHART_LABEL_MAX + 8];
            value_text(c, p->value, text, sizeof text);
            buf_puts(b, "<circle cx=\"");
            put_coord(b, x_of_day(&ax, p->day));
            buf_puts(b, "\" cy=\"");
            put_coord(b, scale_at(&sc, p->value));
            /* a target path's points are hollow: told apart without colour */
            buf_printf(b, "\" r=\"4\" stroke-width=\"2\" fill=\"%s\"><title>",
                       dashed ? "#ffffff" : colour(s));
            put_text(b, label);
            buf_puts(b, ", ");
            put_text(b, p->date);
            buf_puts(b, ": ");
            put_text(b, text);
            buf_puts(b, "</title></circle>");
        }
        buf_puts(b, "</g>");
    }
    legend(b, c, bottom + 24);
    buf_puts(b, "</svg>");
}

int svg_chart_lines(json_t *j, buf *out)
{
    chart c;
    int rc = parse_lines(j, &c);
    if (rc == 0 && out)
        draw_lines(out, &c);
    chart_finish(&c);
    return rc == 0 ? 0 : PV_EINVAL;
}

/* ---------------------------------------------------------------- the table */

static json_t *table_head(const chart *c)
{
    json_t *columns = json_array();
    for (size_t s = 0; s < c->nser; s++)
        json_array_append(columns, json_object_get(json_array_get(c->series, s), "label"));
    return json_pack("{s:s, s:o, s:[]}", "caption", c->title, "columns", columns, "rows");
}

static json_t *cell(const chart *c, double v)
{
    char text[NUMBER_MAX + CHART_LABEL_MAX + 8];
    if (isnan(v))
        return json_string("");
    value_text(c, v, text, sizeof text);
    return json_string(text);
}

static json_t *bars_table(const chart *c)
{
    json_t *t = table_head(c), *rows = json_object_get(t, "rows");
    for (size_t k = 0; k < c->ncat; k++) {
        json_t *cells = json_array();
        for (size_t s = 0; s < c->nser; s++)
            json_array_append_new(cells, cell(c, c->values[s * c->ncat + k]));
        json_array_append_new(rows, json_pack("{s:O, s:o}", "label",
                                              json_array_get(c->categories, k), "cells", cells));
    }
    return t;
}

static json_t *lines_table(const chart *c)
{
    json_t *t = table_head(c), *rows = json_object_get(t, "rows");
    size_t *at = pv_calloc(c->nser, sizeof *at); /* the next point of each series */
    for (;;) {
        const point *next = NULL;
        for (size_t s = 0; s < c->nser; s++)
            if (at[s] < c->npoints[s] && (!next || c->points[s][at[s]].day < next->day))
                next = &c->points[s][at[s]];
        if (!next)
            break;
        long day = next->day;
        json_t *cells = json_array();
        json_t *row = json_pack("{s:s, s:o}", "label", next->date, "cells", cells);
        for (size_t s = 0; s < c->nser; s++) {
            double v = NAN;
            while (at[s] < c->npoints[s] && c->points[s][at[s]].day == day)
                v = c->points[s][at[s]++].value; /* the last of a day counts */
            json_array_append_new(cells, cell(c, v));
        }
        json_array_append_new(rows, row);
    }
    free(at);
    return t;
}

json_t *svg_chart_table(json_t *j)
{
    chart c;
    json_t *t = NULL;
    bool bars = json_is_object(j) && json_object_get(j, "categories");
    if (bars ? parse_bars(j, &c) == 0 : parse_lines(j, &c) == 0)
        t = bars ? bars_table(&c) : lines_table(&c);
    chart_finish(&c);
    return t;
}
