/* Public participation: the list of processes, a process's page with its input form, the
 * receipt, and the JSON API for other front ends.
 * Layer: pages. */
#ifndef PV_PAGES_PARTICIPATION_H
#define PV_PAGES_PARTICIPATION_H

#include "web/router.h"

#endif
