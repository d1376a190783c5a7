/* The rules of following plans up (domain/followup.h) (stub: being written).
 * Layer: domain. */
#include "domain/followup.h"
