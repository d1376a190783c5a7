/* Retention of contact data: the month arithmetic behind contact.erase_after.
 * Layer: domain. Local time comes from core/date (TZ is Europe/Oslo unless told). */
#include "domain/retention.h"

static bool leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && leap(y) ? 29 : days[m - 1];
}

pv_date retention_add_months(pv_date d, int months)
{
    int index = d.year * 12 + (d.month - 1) + months;
    pv_date out = {index / 12, index % 12 + 1, d.day};
    int last = days_in_month(out.year, out.month);
    if (out.day > last)
        out.day = last;
    return out;
}

int64_t retention_end(int64_t closed_at, int64_t deadline, int64_t received_at)
{
    return closed_at > 0 ? closed_at : deadline > 0 ? deadline : received_at;
}

int64_t retention_erase_after(int64_t end, int months)
{
    if (months < 0 || months > RETENTION_MAX_MONTHS)
        months = months < 0 ? RETENTION_DEFAULT_MONTHS : RETENTION_MAX_MONTHS;
    pv_date day = retention_add_months(pv_date_of(end), months);
    return pv_date_local(pv_date_add_days(day, 1), 0, 0, 0);
}

int retention_parse_months(const char *s, int *out)
{
    long v;
    if (!s || pv_parse_long(s, 0, RETENTION_MAX_MONTHS, &v) != 0)
        return PV_EINVAL;
    *out = (int)v;
    return PV_OK;
}
