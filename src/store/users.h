/* Staff users, their roles, sessions, one-time sign-in links, the throttling of failed
 * sign-ins and personal API tokens. Every change writes its audit event in the same
 * transaction. Tokens arrive here already hashed (core/secret.h): this file never sees one.
 * Layer: store. */
#ifndef PV_STORE_USERS_H
#define PV_STORE_USERS_H

#include <jansson.h>
#include <stdint.h>

#include "core/secret.h"
#include "domain/auth.h"
#include "store/audit.h"
#include "store/db.h"

#define USER_EMAIL_MAX 254
#define USER_NAME_MAX 200

typedef struct user_row {
    int64_t id;
    char email[USER_EMAIL_MAX + 1];
    char name[USER_NAME_MAX + 1];
    char password_hash[SECRET_PASSWORD_HASH_MAX]; /* "" when no password is set */
    unsigned roles;                               /* enum role bits */
    bool disabled;
    auth_failures failures;
} user_row;

int store_user_by_email(store *s, const char *email, user_row *out) PV_NODISCARD;
int store_user_by_id(store *s, int64_t id, user_row *out) PV_NODISCARD;
/* [{id, email, name, roles[], disabled, locked_until, has_password, created_at}] by name. */
int store_users_list(store *s, json_t **out) PV_NODISCARD;
/* The number of users that are admins and not disabled. */
int store_active_admins(store *s, int64_t *count) PV_NODISCARD;

/* PV_ECONFLICT when the e-mail is taken. password_hash may be NULL. */
int store_user_add(store *s, const actor *who, int64_t now, const char *email,
                   const char *name, unsigned roles, const char *password_hash,
                   int64_t *id) PV_NODISCARD;
int store_user_set_roles(store *s, const actor *who, int64_t now, int64_t id,
                         unsigned roles) PV_NODISCARD;
/* Disabling also ends the user's sessions. */
int store_user_set_disabled(store *s, const actor *who, int64_t now, int64_t id,
                            bool disabled) PV_NODISCARD;
/* Sets the password and ends every session of the user except keep (may be NULL). */
int store_user_set_password(store *s, const actor *who, int64_t now, int64_t id,
                            const char *password_hash,
                            const uint8_t keep[SECRET_HASH_BYTES]) PV_NODISCARD;
/* As store_user_set_roles and store_user_set_disabled, but refused with PV_ECONFLICT, and
 * nothing changed, when no active admin would remain. The count is taken inside the same
 * transaction as the change, so two admins cannot take the role from each other at once. */
int store_user_set_roles_keep_admin(store *s, const actor *who, int64_t now, int64_t id,
                                    unsigned roles) PV_NODISCARD;
int store_user_set_disabled_keep_admin(store *s, const actor *who, int64_t now, int64_t id,
                                       bool disabled) PV_NODISCARD;
/* Lifts a lock and forgets the failures. */
int store_user_unlock(store *s, const actor *who, int64_t now, int64_t id) PV_NODISCARD;

/* ---- sign-in */

/* Records a failed sign-in: the account's failures (user_id 0: no such account), the
 * address's failures, and the audit event, in one transaction. */
int store_signin_failed(store *s, const actor *who, int64_t now, int64_t user_id,
                        const auth_failures *account, const char *address,
                        const auth_failures *by_address, const char *reason) PV_NODISCARD;
/* Records a sign-in: a new session, the account's failures forgotten, the audit event. */
int store_signin_ok(store *s, const actor *who, int64_t now,
                    const uint8_t session_hash[SECRET_HASH_BYTES], const char *csrf) PV_NODISCARD;
int store_address_failures(store *s, const char *address, auth_failures *out) PV_NODISCARD;
/* Records a wrong current password given by a signed-in user (who) changing their own: the
 * account's failures, so that guessing is throttled and locks as signing in does, and the
 * audit event «user.password_failed». */
int store_password_failed(store *s, const actor *who, int64_t now,
                          const auth_failures *account) PV_NODISCARD;

/* ---- sessions */

typedef struct session_row {
    int64_t user_id;
    char csrf[SECRET_TOKEN_CHARS + 1];
    int64_t created_at;
    int64_t last_seen_at;
} session_row;

int store_session_get(store *s, const uint8_t hash[SECRET_HASH_BYTES],
                      session_row *out) PV_NODISCARD;
int store_session_touch(store *s, const uint8_t hash[SECRET_HASH_BYTES], int64_t now) PV_NODISCARD;
/* Ends one session (sign-out) with its audit event. */
int store_session_end(store *s, const actor *who, int64_t now,
                      const uint8_t hash[SECRET_HASH_BYTES]) PV_NODISCARD;

/* ---- one-time sign-in links */

int store_link_create(store *s, const actor *who, int64_t now, int64_t user_id,
                      const uint8_t hash[SECRET_HASH_BYTES], int64_t expires_at) PV_NODISCARD;
/* The user of a link that exists, is unused and has not expired; PV_ENOTFOUND otherwise. */
int store_link_user(store *s, const uint8_t hash[SECRET_HASH_BYTES], int64_t now,
                    int64_t *user_id) PV_NODISCARD;
/* Uses the link: sets the password and starts a session, all in one transaction. */
int store_link_redeem(store *s, const actor *who, int64_t now,
                      const uint8_t link_hash[SECRET_HASH_BYTES], const char *password_hash,
                      const uint8_t session_hash[SECRET_HASH_BYTES], const char *csrf) PV_NODISCARD;

/* ---- API tokens */

int store_token_create(store *s, const actor *who, int64_t now, const char *name,
                       bool read_only, const uint8_t hash[SECRET_HASH_BYTES],
                       int64_t *id) PV_NODISCARD;
/* The tokens of a user: [{id, name, read_only, created_at, last_used_at, revoked_at}]. */
int store_tokens_list(store *s, int64_t user_id, json_t **out) PV_NODISCARD;
/* Revokes a token of who->user_id; PV_ENOTFOUND when it is not theirs or not active. */
int store_token_revoke(store *s, const actor *who, int64_t now, int64_t token_id) PV_NODISCARD;
/* Finds an active token; writes last_used_at at most once a minute. */
int store_token_lookup(store *s, const uint8_t hash[SECRET_HASH_BYTES], int64_t now,
                       int64_t *user_id, bool *read_only) PV_NODISCARD;

#endif
