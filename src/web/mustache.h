/* Mustache templates: compiled once at start-up, rendered many times against jansson values.
 * Layer: web. Implements the official spec (../shared/conformance/mustache-spec): comments,
 * delimiters, interpolation, inverted, partials, sections and ~inheritance (parents/blocks).
 * Lambdas are not supported (view-models are plain JSON). */
#ifndef PV_MUSTACHE_H
#define PV_MUSTACHE_H

#include <jansson.h>

#include "core/buf.h"

typedef struct mustache_tpl mustache_tpl;

/* Resolves the name of a partial ({{>name}}) or parent ({{<name}}) to a compiled template,
 * or returns NULL (a missing partial renders as nothing, as the spec says). name[name_len] is
 * '\0', so name is also a C string. Called while rendering, from any thread. */
typedef const mustache_tpl *(*mustache_lookup_fn)(void *lookup_ctx, const char *name,
                                                  size_t name_len);

/* Limits that keep a hostile or broken template from exhausting the machine. */
#define MUSTACHE_MAX_SOURCE (1u << 20) /* bytes of template source */
#define MUSTACHE_MAX_DEPTH 64 /* nesting of tags in a template, and of partials, parents and
                               * block arguments expanding into each other while rendering */

/* Compiles src (len bytes, need not be NUL-terminated). Returns a new template that the caller
 * frees with mustache_destroy, or NULL with a one-line message (with line number) in err.
 * Errors: unclosed or mismatched sections, unclosed or empty tags, bad delimiter changes,
 * source over the limit, nesting over the limit. */
mustache_tpl *mustache_compile(const char *src, size_t len, char *err, size_t err_size);
void mustache_destroy(mustache_tpl *t); /* accepts NULL */

/* Renders t and appends the output to out. ctx[0..n_ctx-1] is the initial context stack,
 * ctx[n_ctx-1] being the innermost (looked up first). lookup may be NULL (no partials).
 * Returns 0, or PV_ELIMIT when partial recursion exceeds MUSTACHE_MAX_DEPTH or a runaway
 * template passes the render budget (64 MiB of output, or about 8 million steps, as loops
 * nested over the same list would); out then holds what was rendered so far. Thread-safe: a
 * compiled template is read-only while rendering, and a render allocates nothing but output.
 *
 * Values: {{x}} HTML-escapes & < > " ' ; {{{x}}} and {{&x}} do not. Strings print as is,
 * integers in base 10, reals in the shortest form that round-trips (1.21, not 1.2100000;
 * a whole real prints as 100, not 100.0), true/false as "true"/"false", null, objects, arrays
 * and misses as nothing. Falsey for sections: false, null, missing, empty array, empty string
 * (the spec leaves truthiness to the language and no spec test contradicts this); 0 and {}
 * are truthy.
 *
 * Indentation follows the spec: a partial or parent tag alone on its line indents every line
 * of what it includes by the whitespace before it; a block is re-indented where it lands
 * (mustache/spec#131). A block whose tags share one line, like `  {{$body}}{{/body}}\n`,
 * keeps that line's newline, so an argument for it should not end with one; in a layout
 * prefer the two-line form `{{$body}}\n{{/body}}\n`, whose lines vanish. */
int mustache_render(const mustache_tpl *t, json_t *const *ctx, size_t n_ctx,
                    mustache_lookup_fn lookup, void *lookup_ctx, buf *out);

#endif
