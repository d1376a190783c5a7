/* Reading a whole file into memory, with a size limit.
 * Layer: core. */
#ifndef PV_FILE_H
#define PV_FILE_H

#include "core/buf.h"

/* Appends the contents of path to out. Returns 0; PV_ENOTFOUND when it cannot be opened
 * (errno tells why); PV_EIO on a read error; PV_ELIMIT when it is larger than max bytes
 * (out then holds a part). */
int pv_read_file(const char *path, size_t max, buf *out) PV_NODISCARD;

#endif
