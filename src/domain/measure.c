/* (stub: being written)
 * Layer: domain. */
#include <stddef.h>
