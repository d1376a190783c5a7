/* Pages of the public summary «dette sa dere – dette gjorde vi» and the merknadsbehandling (HTML, print, CSV).
 * Layer: pages. */
#ifndef PV_PAGES_SUMMARY_H
#define PV_PAGES_SUMMARY_H

#include "web/router.h"

#endif
