/* Secrets: random tokens, their hashes, and password hashing with Argon2id (libsodium).
 * Layer: core. A token is 32 random bytes written as 43 characters of base64url; only its
 * SHA-256 is ever stored, so a stolen database signs nothing in. */
#ifndef PV_SECRET_H
#define PV_SECRET_H

#include <stdint.h>

#include "core/pv.h"

#define SECRET_TOKEN_BYTES 32
#define SECRET_TOKEN_CHARS 43 /* base64url without padding */
#define SECRET_HASH_BYTES 32
#define SECRET_PASSWORD_HASH_MAX 128 /* crypto_pwhash_STRBYTES */
#define SECRET_PASSWORD_MIN_CHARS 12
#define SECRET_PASSWORD_MAX_BYTES 1024

/* Call once at start-up, before threads. Returns PV_EIO when libsodium cannot start. */
int secret_init(void) PV_NODISCARD;

/* Writes a new random token (NUL-terminated, SECRET_TOKEN_CHARS long) into out. */
void secret_token(char out[SECRET_TOKEN_CHARS + 1]);
/* Fills out with n random bytes. */
void secret_random(void *out, size_t n);
/* SHA-256 of a token as presented. */
void secret_token_hash(const char *token, uint8_t out[SECRET_HASH_BYTES]);
/* True when s has the shape of a token (43 base64url characters). */
bool secret_token_shape(const char *s);

/* Hashes a password with Argon2id (interactive limits: ~64 MiB, a fraction of a second).
 * Returns PV_ELIMIT when the machine lacks the memory. Slow: not on an event loop. */
int secret_password_hash(const char *password, char out[SECRET_PASSWORD_HASH_MAX]) PV_NODISCARD;
/* Verifies a password against a stored hash in constant time for equal inputs. */
bool secret_password_verify(const char *stored_hash, const char *password);

/* Overwrites memory that held a secret (not optimised away). */
void secret_wipe(void *p, size_t len);

/* Compares two equal-length byte strings in constant time. */
bool secret_equal(const void *a, const void *b, size_t len);

#endif
