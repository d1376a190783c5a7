/* cmark-gfm wrapper.
 * Layer: web. */
#include "web/markdown.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm-extension_api.h>
#include <cmark-gfm.h>
#include <stdlib.h>

#include "core/pv.h"

static const char *const extensions[] = {"table", "autolink", "strikethrough", "tagfilter"};

void markdown_init(void)
{
    cmark_gfm_core_extensions_ensure_registered();
}

char *markdown_to_html(const char *md, size_t len)
{
    /* CMARK_OPT_UNSAFE is never set: raw HTML and dangerous URLs are left out. */
    int options = CMARK_OPT_HARDBREAKS | CMARK_OPT_VALIDATE_UTF8;
    cmark_parser *parser = cmark_parser_new(options);
    if (!parser)
        pv_die("cmark_parser_new failed");
    for (size_t i = 0; i < PV_ARRAY_LEN(extensions); i++) {
        cmark_syntax_extension *ext = cmark_find_syntax_extension(extensions[i]);
        if (ext)
            cmark_parser_attach_syntax_extension(parser, ext);
    }
    cmark_parser_feed(parser, md, len);
    cmark_node *doc = cmark_parser_finish(parser);
    char *html = cmark_render_html(doc, options, cmark_parser_get_syntax_extensions(parser));
    cmark_node_free(doc);
    cmark_parser_free(parser);
    if (!html)
        pv_die("cmark_render_html failed");
    return html;
}
