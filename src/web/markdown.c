/* cmark-gfm wrapper.
 * Layer: web. */
#include "web/markdown.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm-extension_api.h>
#include <cmark-gfm.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/pv.h"

static const char *const extensions[] = {"table", "autolink", "strikethrough", "tagfilter"};

void markdown_init(void)
{
    cmark_gfm_core_extensions_ensure_registered();
}

/* The schemes cmark-gfm's safe mode blanks (it keeps the element with an empty URL, which
 * leaves a link to the page itself and an <img src=""> that is invalid HTML). */
static bool url_unsafe(const char *url)
{
    while (*url == ' ' || *url == '\t')
        url++;
    static const char *const bad[] = {"javascript:", "vbscript:", "file:", "data:"};
    for (size_t i = 0; i < PV_ARRAY_LEN(bad); i++)
        if (strncasecmp(url, bad[i], strlen(bad[i])) == 0)
            return true;
    return false;
}

/* Replaces each link or image with an unsafe URL by its content (text, alt text). */
static void drop_unsafe_links(cmark_node *doc)
{
    cmark_node **victims = NULL;
    size_t n = 0;
    cmark_iter *it = cmark_iter_new(doc);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *node = cmark_iter_get_node(it);
        cmark_node_type type = cmark_node_get_type(node);
        if (ev == CMARK_EVENT_ENTER && (type == CMARK_NODE_LINK || type == CMARK_NODE_IMAGE) &&
            url_unsafe(cmark_node_get_url(node) ? cmark_node_get_url(node) : "")) {
            victims = pv_realloc(victims, (n + 1) * sizeof *victims);
            victims[n++] = node;
        }
    }
    cmark_iter_free(it);
    for (size_t i = n; i-- > 0;) { /* innermost first */
        cmark_node *child;
        while ((child = cmark_node_first_child(victims[i])) != NULL)
            cmark_node_insert_before(victims[i], child);
        cmark_node_free(victims[i]);
    }
    free(victims);
}

/* cmark's own allocator aborts when memory runs out; ours returns to the request's recovery
 * point (core/pv.h). */
static void *mem_calloc(size_t n, size_t size)
{
    return pv_calloc(n, size);
}

static void *mem_realloc(void *p, size_t n)
{
    return pv_realloc(p, n);
}

static cmark_mem recoverable_mem = {mem_calloc, mem_realloc, free};

char *markdown_to_html(const char *md, size_t len)
{
    /* CMARK_OPT_UNSAFE is never set: raw HTML and dangerous URLs are left out. */
    int options = CMARK_OPT_HARDBREAKS | CMARK_OPT_VALIDATE_UTF8;
    cmark_parser *parser = cmark_parser_new_with_mem(options, &recoverable_mem);
    for (size_t i = 0; i < PV_ARRAY_LEN(extensions); i++) {
        cmark_syntax_extension *ext = cmark_find_syntax_extension(extensions[i]);
        if (ext)
            cmark_parser_attach_syntax_extension(parser, ext);
    }
    cmark_parser_feed(parser, md, len);
    cmark_node *doc = cmark_parser_finish(parser);
    drop_unsafe_links(doc);
    char *html = cmark_render_html_with_mem(doc, options,
                                            cmark_parser_get_syntax_extensions(parser),
                                            &recoverable_mem);
    cmark_node_free(doc);
    cmark_parser_free(parser);
    return html;
}
