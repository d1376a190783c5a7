/* Whole-file reading.
 * Layer: core. */
#include "core/file.h"

#include <stdio.h>

int pv_read_file(const char *path, size_t max, buf *out)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return PV_ENOTFOUND;
    size_t start = out->len;
    char chunk[65536];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0 && out->len - start <= max)
        buf_append(out, chunk, got);
    int rc = ferror(f) ? PV_EIO : out->len - start > max ? PV_ELIMIT : PV_OK;
    fclose(f);
    return rc;
}
