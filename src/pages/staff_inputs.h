/* The staff's work with inputs: a process's inputs, moderation, and registering inputs that
 * came by letter, e-mail, phone, meeting, workshop, council or survey.
 * Layer: pages. */
#ifndef PV_PAGES_STAFF_INPUTS_H
#define PV_PAGES_STAFF_INPUTS_H

#include "web/router.h"

#endif
