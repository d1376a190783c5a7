/* (stub: being written)
 * Layer: store. */
#include <stddef.h>
