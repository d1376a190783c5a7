/* Pages of feedback to senders from templates, and the feedback API.
 * Layer: pages. */
#ifndef PV_PAGES_FEEDBACK_H
#define PV_PAGES_FEEDBACK_H

#include "web/router.h"

#endif
