/* Dates in local time (see date.h).
 * Layer: core. */
#include "core/date.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static bool leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && leap(y) ? 29 : days[m - 1];
}

int pv_parse_date(const char *s, pv_date *out)
{
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return PV_EINVAL;
    char part[5];
    long y, m, d;
    memcpy(part, s, 4), part[4] = '\0';
    if (pv_parse_long(part, 1800, 2200, &y) != 0)
        return PV_EINVAL;
    memcpy(part, s + 5, 2), part[2] = '\0';
    if (pv_parse_long(part, 1, 12, &m) != 0)
        return PV_EINVAL;
    memcpy(part, s + 8, 2), part[2] = '\0';
    if (pv_parse_long(part, 1, days_in_month((int)y, (int)m), &d) != 0)
        return PV_EINVAL;
    if (out)
        *out = (pv_date){(int)y, (int)m, (int)d};
    return PV_OK;
}

void pv_date_format(pv_date d, char out[11])
{
    snprintf(out, 11, "%04d-%02d-%02d", d.year % 10000, d.month % 100, d.day % 100);
}

int64_t pv_date_local(pv_date d, int hour, int minute, int second)
{
    struct tm tm = {.tm_year = d.year - 1900, .tm_mon = d.month - 1, .tm_mday = d.day,
                    .tm_hour = hour, .tm_min = minute, .tm_sec = second, .tm_isdst = -1};
    return (int64_t)mktime(&tm);
}

pv_date pv_date_of(int64_t t)
{
    time_t tt = (time_t)t;
    struct tm tm;
    localtime_r(&tt, &tm);
    return (pv_date){tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday};
}

pv_date pv_date_add_days(pv_date d, int n)
{
    /* Noon never falls in a daylight-saving gap; mktime normalises the day of month. */
    struct tm tm = {.tm_year = d.year - 1900, .tm_mon = d.month - 1, .tm_mday = d.day + n,
                    .tm_hour = 12, .tm_isdst = -1};
    mktime(&tm);
    return (pv_date){tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday};
}

int pv_date_compare(pv_date a, pv_date b)
{
    if (a.year != b.year)
        return a.year < b.year ? -1 : 1;
    if (a.month != b.month)
        return a.month < b.month ? -1 : 1;
    return (a.day > b.day) - (a.day < b.day);
}
