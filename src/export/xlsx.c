/* (stub: being written)
 * Layer: export. */
#include <stddef.h>
