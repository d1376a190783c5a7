/* The staff pages about people rather than plans: user administration (/arbeid/brukere,
 * pages/admin_users.c), the audit trail (/arbeid/logg, pages/audit_log.c) and the user's own
 * account — password and personal API tokens (/arbeid/meg, pages/account.c) — and the small
 * helpers they share for reading a form or JSON body and showing roles and field errors.
 * Layer: pages. */
#ifndef PV_PAGES_ADMIN_H
#define PV_PAGES_ADMIN_H

#include "web/router.h"

/* A one-time sign-in link made in the browser lives as long as one from the command line. */
#define ADMIN_LINK_SECONDS (72 * 3600)

/* /arbeid/brukere (pages/admin_users.c): admins only. */
int page_users(pv_req *r, json_t **vm);
int page_user_add(pv_req *r, json_t **vm);
int page_user(pv_req *r, json_t **vm);
int page_user_roles(pv_req *r, json_t **vm);
int page_user_disable(pv_req *r, json_t **vm);
int page_user_enable(pv_req *r, json_t **vm);
int page_user_unlock(pv_req *r, json_t **vm);
int page_user_link(pv_req *r, json_t **vm);

/* /arbeid/logg (pages/audit_log.c): admins and participation advisors. */
int page_audit_log(pv_req *r, json_t **vm);

/* /arbeid/meg (pages/account.c): every signed-in user. */
int page_account(pv_req *r, json_t **vm);
int page_account_password(pv_req *r, json_t **vm);
int page_token_create(pv_req *r, json_t **vm);
int page_token_revoke(pv_req *r, json_t **vm);

/* ---- shared by the three (defined in pages/admin_users.c) */

/* A field of the request body: the form field, or a string member of a JSON body; NULL when
 * absent. */
const char *admin_field(pv_req *r, const char *name);
/* A checkbox: present in the form with any value but "0", or true in a JSON body. */
bool admin_flag(pv_req *r, const char *name);

/* The roles as shown: [{value, label, description, checked}] for every role in the order
 * of enum role, checked where roles has the bit. */
json_t *admin_role_options(pv_req *r, unsigned roles);
/* The labels of roles joined by ", " in the user's language. */
json_t *admin_roles_label(pv_req *r, unsigned roles);

/* Field errors of a form: errors {field: message} for JSON clients and the templates, and
 * error_list [{href, message}] for the Designsystemet error summary. */
void admin_field_error(json_t *vm, const char *field, const char *anchor, const char *message);

/* The navigation between the staff pages of this group, as the caller's roles allow:
 * {overview, account, users, log} flags and the current page. */
json_t *admin_nav(pv_req *r, const char *current);

#endif
