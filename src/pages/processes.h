/* The staff's planning of participation processes (hvorfor, hvem, når, hvordan), the ladder
 * and the venues.
 * Layer: pages. */
#ifndef PV_PAGES_PROCESSES_H
#define PV_PAGES_PROCESSES_H

#include "web/router.h"

/* Who plans and runs processes: the advisor has all of them … */
#define PROCESS_EDIT_ROLES (ROLE_RADGIVER | ROLE_ADMIN)
/* … a process owner those they own or were added to (process_member_of). */
#define PROCESS_OWNER_ROLES ROLE_PROSESSEIER

/* Object check for routes /arbeid/prosesser/{slug}/…: the signed-in user owns the process
 * params[0] or was added to it. */
bool process_member_of(pv_req *r);

#endif
