/* libsodium wrappers.
 * Layer: core. */
#include "core/secret.h"

#include <sodium.h>
#include <string.h>

int secret_init(void)
{
    return sodium_init() < 0 ? PV_EIO : PV_OK;
}

void secret_token(char out[SECRET_TOKEN_CHARS + 1])
{
    unsigned char raw[SECRET_TOKEN_BYTES];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2base64(out, SECRET_TOKEN_CHARS + 1, raw, sizeof raw,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(raw, sizeof raw);
}

void secret_random(void *out, size_t n)
{
    randombytes_buf(out, n);
}

void secret_token_hash(const char *token, uint8_t out[SECRET_HASH_BYTES])
{
    crypto_hash_sha256(out, (const unsigned char *)token, strlen(token));
}

bool secret_token_shape(const char *s)
{
    size_t n = 0;
    for (; s[n]; n++) {
        char c = s[n];
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_') || n >= SECRET_TOKEN_CHARS)
            return false;
    }
    return n == SECRET_TOKEN_CHARS;
}

int secret_password_hash(const char *password, char out[SECRET_PASSWORD_HASH_MAX])
{
    _Static_assert(crypto_pwhash_STRBYTES <= SECRET_PASSWORD_HASH_MAX, "hash buffer");
    if (crypto_pwhash_str(out, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        return PV_ELIMIT;
    return PV_OK;
}

bool secret_password_verify(const char *stored_hash, const char *password)
{
    return crypto_pwhash_str_verify(stored_hash, password, strlen(password)) == 0;
}

void secret_wipe(void *p, size_t len)
{
    sodium_memzero(p, len);
}

bool secret_equal(const void *a, const void *b, size_t len)
{
    return sodium_memcmp(a, b, len) == 0;
}
