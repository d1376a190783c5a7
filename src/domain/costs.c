/* Cost sums.
 * Layer: domain (pure). */
#include "domain/costs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmp_year(const void *a, const void *b)
{
    json_int_t x = *(const json_int_t *)a, y = *(const json_int_t *)b;
    return (x > y) - (x < y);
}

json_t *costs_years(json_t *measures)
{
    json_int_t seen[64];
    size_t n = 0;
    size_t i, j;
    json_t *m, *cell;
    json_array_foreach(measures, i, m) {
        json_array_foreach(json_object_get(m, "costs"), j, cell) {
            json_int_t y = json_integer_value(json_object_get(cell, "year"));
            bool known = false;
            for (size_t k = 0; k < n && !known; k++)
                known = seen[k] == y;
            if (!known && n < PV_ARRAY_LEN(seen))
                seen[n++] = y;
        }
    }
    qsort(seen, n, sizeof seen[0], cmp_year);
    json_t *years = json_array();
    for (size_t k = 0; k < n; k++)
        json_array_append_new(years, json_integer(seen[k]));
    return years;
}

static json_t *cell_for(json_t *measure, json_int_t year)
{
    size_t j;
    json_t *cell;
    json_array_foreach(json_object_get(measure, "costs"), j, cell)
        if (json_integer_value(json_object_get(cell, "year")) == year)
            return cell;
    return NULL;
}

json_t *costs_sum(json_t *measures, json_t *years)
{
    json_t *sums = json_array();
    size_t k, i;
    json_t *y, *m;
    json_array_foreach(years, k, y) {
        json_int_t total = 0;
        json_array_foreach(measures, i, m) {
            json_t *cell = cell_for(m, json_integer_value(y));
            if (cell && json_is_integer(json_object_get(cell, "amount")))
                total += json_integer_value(json_object_get(cell, "amount"));
        }
        json_array_append_new(sums, json_pack("{s:O, s:I}", "year", y, "amount", total));
    }
    return sums;
}

json_t *costs_row(json_t *measure, json_t *years)
{
    json_t *row = json_array();
    size_t k;
    json_t *y;
    json_array_foreach(years, k, y) {
        json_t *cell = cell_for(measure, json_integer_value(y));
        json_t *amount = cell ? json_object_get(cell, "amount") : NULL;
        json_t *note = cell ? json_object_get(cell, "note") : NULL;
        json_array_append_new(row, json_pack("{s:O, s:O, s:O}", "year", y, "amount",
                                             amount ? amount : json_null(), "note",
                                             note ? note : json_null()));
    }
    return row;
}

void costs_format(long long amount, char *out, size_t out_size)
{
    char digits[32];
    bool negative = amount < 0;
    unsigned long long v = negative ? 0ULL - (unsigned long long)amount
                                    : (unsigned long long)amount;
    snprintf(digits, sizeof digits, "%llu", v);
    size_t n = strlen(digits), o = 0;
    if (negative && o + 1 < out_size)
        out[o++] = '-';
    for (size_t i = 0; i < n; i++) {
        bool group = i > 0 && (n - i) % 3 == 0;
        if (o + (group ? 3 : 1) >= out_size) /* room for the space, the digit and the NUL */
            break;
        if (group) { /* U+00A0 NO-BREAK SPACE */
            memcpy(out + o, "\xC2\xA0", 2);
            o += 2;
        }
        out[o++] = digits[i];
    }
    out[o] = '\0';
}
