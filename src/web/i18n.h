/* Translations: gettext .mo catalogs loaded once, looked up per request (thread-safe, no
 * setlocale). Bokmål (nb) is the source language: a missing translation falls back to nb,
 * then to the msgid itself, never to a key. Layer: web. */
#ifndef PV_I18N_H
#define PV_I18N_H

#include "core/pv.h"

typedef struct i18n i18n;

/* The languages the UI offers, in the order the language switch lists them. */
extern const char *const i18n_languages[];
extern const size_t i18n_language_count;
#define I18N_SOURCE_LANG "nb"

/* Loads <mo_dir>/<lang>.mo for every language. A missing nb.mo is allowed (nb is the
 * source); any other missing or malformed catalog is an error with a message in err. */
i18n *i18n_create(const char *mo_dir, char *err, size_t err_size);
void i18n_destroy(i18n *t); /* accepts NULL */

/* Parses one .mo image (for tests and the fuzzer); returns NULL on malformed input. */
i18n *i18n_create_from_mo(const char *lang, const void *data, size_t size);

/* The translation of msgid into lang (never NULL). */
const char *i18n_get(const i18n *t, const char *lang, const char *msgid);
/* As i18n_get, with a msgctxt (e.g. "planstatus"). */
const char *i18n_pget(const i18n *t, const char *lang, const char *context, const char *msgid);
/* True when lang has its own translation of msgid (used by the catalog test). */
bool i18n_has(const i18n *t, const char *lang, const char *msgid);

/* The supported language code equal to code ("nb", "nn", "en"), or NULL. */
const char *i18n_supported(const char *code);
/* Picks the best supported language for an Accept-Language header; "no" and "nb-NO" mean
 * nb. Returns I18N_SOURCE_LANG when nothing matches or header is NULL. */
const char *i18n_negotiate(const char *accept_language);

#endif
