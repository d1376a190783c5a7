/* The staff's planning of participation processes.
 * Layer: pages. */
#include "pages/processes.h"

#include "domain/plan.h"
#include "store/processes.h"

bool process_member_of(pv_req *r)
{
    return r->user && r->n_params > 0 && plan_id_valid(r->params[0]) &&
           store_process_member(r->w->db, r->params[0], r->user->id);
}
