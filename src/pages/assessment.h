/* Pages of assessing inputs (one, or several together), and the assessments API.
 * Layer: pages. */
#ifndef PV_PAGES_ASSESSMENT_H
#define PV_PAGES_ASSESSMENT_H

#include "web/router.h"

#endif
