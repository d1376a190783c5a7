/* Mustache templates: a compiler that turns template source into a flat list of ops once, and a
 * renderer that walks that list against jansson values, read-only and so thread-safe.
 * Layer: web. Follows the official spec, ~inheritance included (see mustache.h). */
#include "web/mustache.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A runaway template (loops nested over the same list, or partials that branch at every level)
 * can ask for astronomically much work without breaking any compile-time limit. Rendering
 * stops with PV_ELIMIT past these budgets; a real page uses well under 1% of them. */
#define RENDER_MAX_OUTPUT ((size_t)64 << 20) /* bytes appended by one render */
#define RENDER_MAX_STEPS ((size_t)1 << 23)   /* ops run, loop turns and context frames searched */

/*
 * The compiled form. A template is one array of ops in source order. Containers (sections,
 * inverted sections, blocks, parents) are followed by their children and record how many ops
 * those are in `span`, so a container is skipped with `op + 1 + span` and no pointers need
 * fixing when the array grows. Every string an op refers to (literal text, tag names, indents)
 * lives in the template's arena and is addressed by offset.
 *
 * Indentation. The spec says a standalone partial's indentation is "prepended to each line"
 * of the partial, and blocks are re-indented where they are expanded. We never rewrite text
 * at render time: instead each op that starts a line of the template carries `bol`, and the
 * renderer writes the current chain of indents there (and after every inner newline of a text
 * op). BOL_FIRST marks the first line of a block's content, which is indented only when the
 * block's opening tag stood on a line of its own (otherwise the content continues a line that
 * already has its indentation). Without any indentation in play this costs one test per op.
 */
enum op_type {
    OP_TEXT,     /* literal text */
    OP_ESCAPED,  /* {{name}} */
    OP_RAW,      /* {{{name}}} and {{&name}} */
    OP_SECTION,  /* {{#name}}: children are the body */
    OP_INVERTED, /* {{^name}} */
    OP_PARTIAL,  /* {{>name}} */
    OP_PARENT,   /* {{<name}}: children are its argument blocks, nothing else */
    OP_BLOCK,    /* {{$name}}: children are the default content (or the argument) */
    OP_INDENT,   /* writes nothing but its line start: a close tag that begins a line */
};

enum { BOL_NONE, BOL_NEXT, BOL_FIRST };

enum {
    OPF_STANDALONE = 1, /* partial/parent: on a line of its own, so it keeps the indentation */
    OPF_FIRST_LINE = 2, /* block: its content's first line gets the indentation too */
};

struct op {
    uint8_t type;
    uint8_t bol;
    uint8_t flags;
    uint32_t str, len;     /* text, or the tag name (also NUL-terminated in the arena) */
    uint32_t ind, ind_len; /* indentation added inside a partial, parent or block */
    uint32_t span;         /* ops nested inside a container */
};

struct mustache_tpl {
    struct op *ops;
    size_t n_ops;
    char *arena;
};

/* ---------------------------------------------------------------------------------------- */
/* Compiler                                                                                 */
/* ---------------------------------------------------------------------------------------- */

#define NO_OP UINT32_MAX

/* A tag that is still open (section, inverted section, block or parent), or the root. */
struct frame {
    uint8_t type;         /* OP_SECTION, OP_INVERTED, OP_BLOCK, OP_PARENT; OP_TEXT for the root */
    bool emit;            /* its op is in the list */
    bool content;         /* text and tags inside are kept: false directly inside a parent */
    bool is_arg;          /* a block directly inside a parent: an argument, not a parameter */
    bool open_left;       /* only whitespace before the opening tag on its line */
    bool open_alone;      /* block: the opening tag had its line to itself */
    uint32_t op;          /* its op, when emit */
    uint32_t tail_op;     /* parent: the text op holding the whitespace before it, or NO_OP */
    size_t tail_from;     /* that whitespace, in the source */
    size_t tail_to;
    const char *name;     /* in the source, to match the closing tag */
    size_t name_len;
    size_t open_pos;      /* for error messages */
    const char *dedent;   /* indentation taken off each line inside (a block's intrinsic one) */
    size_t dedent_len;
};

struct compiler {
    const char *src;
    size_t len;
    size_t pos; /* everything before has been compiled */
    const char *otag, *ctag;
    size_t otag_len, ctag_len;
    size_t line_start;  /* start of the line pos is on */
    bool line_tag_seen; /* a tag already stood on that line */
    bool pending;       /* a line has started and no op has taken its indentation yet */
    uint8_t pending_kind;
    bool merge_ok; /* the next text may extend the last op */
    struct frame frames[MUSTACHE_MAX_DEPTH + 1];
    size_t depth; /* frames[depth] is the innermost */
    struct op *ops;
    size_t n_ops, cap_ops;
    buf arena;
    char *err;
    size_t err_size;
};

/* One tag as found in the source. */
struct tag {
    char kind;          /* '#', '^', '/', '>', '<', '$', '!', '=', '{', '&', or 0 for {{name}} */
    size_t start, end;  /* the whole tag */
    const char *name;   /* trimmed content */
    size_t name_len;
    bool left;          /* only whitespace (and no other tag) before it on its line */
    bool right;         /* only whitespace after it up to the end of its line */
    size_t tail;        /* where that leading whitespace starts, when left */
    size_t line_end;    /* just past the newline ending its line, when right */
};

static bool is_blank(char ch)
{
    return ch == ' ' || ch == '\t';
}

static bool is_space(char ch)
{
    return is_blank(ch) || ch == '\n' || ch == '\r' || ch == '\v' || ch == '\f';
}

static size_t line_of(const struct compiler *c, size_t at)
{
    size_t line = 1;
    for (size_t i = 0; i < at && i < c->len; i++)
        line += c->src[i] == '\n';
    return line;
}

/* Writes "line N: message" into the caller's err; returns -1. */
static PV_PRINTF(3, 4) int fail(struct compiler *c, size_t at, const char *fmt, ...)
{
    if (!c->err || !c->err_size)
        return -1;
    int n = snprintf(c->err, c->err_size, "line %zu: ", line_of(c, at));
    if (n >= 0 && (size_t)n < c->err_size) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(c->err + n, c->err_size - (size_t)n, fmt, ap);
        va_end(ap);
    }
    return -1;
}

static struct frame *top(struct compiler *c)
{
    return &c->frames[c->depth];
}

static uint32_t arena_off(const struct compiler *c)
{
    return (uint32_t)c->arena.len;
}

static uint32_t new_op(struct compiler *c, uint8_t type)
{
    if (c->n_ops == c->cap_ops) {
        c->cap_ops = c->cap_ops ? c->cap_ops * 2 : 64;
        c->ops = pv_realloc(c->ops, c->cap_ops * sizeof(*c->ops));
    }
    c->ops[c->n_ops] = (struct op){.type = type};
    c->merge_ok = false;
    return (uint32_t)c->n_ops++;
}

/* The indentation owed to the line being started, if no op has written it yet. */
static uint8_t take_bol(struct compiler *c)
{
    uint8_t kind = c->pending ? c->pending_kind : BOL_NONE;
    c->pending = false;
    return kind;
}

/* How much of the whitespace at src[at..to) matches the dedent prefix d. */
static size_t dedent_match(const struct compiler *c, size_t at, size_t to, const char *d, size_t dn)
{
    size_t k = 0;
    while (k < dn && at + k < to && c->src[at + k] == d[k])
        k++;
    return k;
}

/* Copies src[from..to) into the arena, taking the current block's intrinsic indentation off
 * the start of each source line ("Block indentation is removed at the site of definition"). */
static void append_dedented(struct compiler *c, size_t from, size_t to)
{
    const struct frame *f = top(c);
    if (!f->dedent_len) {
        buf_append(&c->arena, c->src + from, to - from);
        return;
    }
    size_t p = from;
    while (p < to) {
        if (p == 0 || c->src[p - 1] == '\n')
            p += dedent_match(c, p, to, f->dedent, f->dedent_len);
        const char *nl = memchr(c->src + p, '\n', to - p);
        size_t e = nl ? (size_t)(nl - c->src) + 1 : to;
        buf_append(&c->arena, c->src + p, e - p);
        p = e;
    }
}

/* Stores an indentation string (whitespace from the source, minus the dedent prefix). */
static void set_indent(struct compiler *c, struct op *op, size_t from, size_t to,
                       const struct frame *f)
{
    from += dedent_match(c, from, to, f->dedent, f->dedent_len);
    op->ind = arena_off(c);
    op->ind_len = (uint32_t)(to - from);
    buf_append(&c->arena, c->src + from, to - from);
}

static void emit_text(struct compiler *c, size_t from, size_t to)
{
    if (from >= to || !top(c)->content)
        return;
    uint32_t off = arena_off(c);
    append_dedented(c, from, to);
    uint32_t n = arena_off(c) - off;
    if (!n)
        return; /* only indentation, and it was taken off: the line start is still pending */
    struct op *last = c->n_ops ? &c->ops[c->n_ops - 1] : NULL;
    /* Text after a newline may join the previous op: the renderer indents after inner
     * newlines exactly as it would at the start of an op. */
    if (c->merge_ok && last && last->type == OP_TEXT && last->str + last->len == off &&
        (!c->pending || c->pending_kind == BOL_NEXT)) {
        last->len += n;
        c->pending = false;
    } else {
        uint32_t i = new_op(c, OP_TEXT);
        c->ops[i].bol = take_bol(c);
        c->ops[i].str = off;
        c->ops[i].len = n;
    }
    c->merge_ok = true;
    if (c->arena.data[c->arena.len - 1] == '\n') {
        c->pending = true;
        c->pending_kind = BOL_NEXT;
    }
}

static uint32_t add_name(struct compiler *c, const char *name, size_t n)
{
    uint32_t off = arena_off(c);
    buf_append(&c->arena, name, n);
    buf_putc(&c->arena, '\0');
    return off;
}

/* Appends an op for a tag (name set), or returns NO_OP where content is being dropped. */
static uint32_t tag_op(struct compiler *c, uint8_t type, const struct tag *tg, bool keep)
{
    if (!keep)
        return NO_OP;
    uint32_t i = new_op(c, type);
    c->ops[i].str = add_name(c, tg->name, tg->name_len);
    c->ops[i].len = (uint32_t)tg->name_len;
    return i;
}

static void keep_tail(struct compiler *c, const struct tag *tg)
{
    if (tg->left)
        emit_text(c, tg->tail, tg->start);
}

static void finish_inline(struct compiler *c, const struct tag *tg)
{
    c->pos = tg->end;
    c->line_tag_seen = true;
}

/* The tag's line disappears from the output, newline included. */
static void finish_standalone(struct compiler *c, const struct tag *tg)
{
    c->pos = tg->line_end;
    c->line_start = c->pos;
    c->line_tag_seen = false;
}

/* Finds the closing delimiter from `from`; with `before` set, it must directly follow that
 * character (the '}' of {{{x}}} or the '=' of {{=a b=}}). Returns where the match starts
 * (at `before` if given) or SIZE_MAX. */
static size_t find_close(const struct compiler *c, size_t from, char before)
{
    size_t p = from;
    while (p < c->len) {
        const char *m = memmem(c->src + p, c->len - p, c->ctag, c->ctag_len);
        if (!m)
            return SIZE_MAX;
        size_t at = (size_t)(m - c->src);
        if (!before)
            return at;
        if (at > from && c->src[at - 1] == before)
            return at - 1;
        p = at + 1;
    }
    return SIZE_MAX;
}

static int parse_tag(struct compiler *c, size_t start, struct tag *tg)
{
    size_t p = start + c->otag_len;
    char kind = p < c->len ? c->src[p] : 0;
    if (!strchr("#^/><$!={&", kind) || !kind)
        kind = 0;
    else
        p++;
    char before = kind == '{' ? '}' : kind == '=' ? '=' : 0;
    size_t close = find_close(c, p, before);
    if (close == SIZE_MAX)
        return fail(c, start, "unclosed tag");
    tg->kind = kind;
    tg->start = start;
    tg->end = close + (before ? 1 : 0) + c->ctag_len;
    const char *s = c->src + p;
    size_t n = close - p;
    while (n && is_space(*s))
        s++, n--;
    while (n && is_space(s[n - 1]))
        n--;
    tg->name = s;
    tg->name_len = n;
    if (!n && kind != '!')
        return fail(c, start, "empty tag");
    return 0;
}

/* Whether only blanks follow the tag up to the end of its line; sets line_end. */
static bool clears_right(const struct compiler *c, struct tag *tg)
{
    size_t p = tg->end;
    while (p < c->len && is_blank(c->src[p]))
        p++;
    if (p == c->len) {
        tg->line_end = p;
        return true;
    }
    if (c->src[p] == '\n' || (c->src[p] == '\r' && p + 1 < c->len && c->src[p + 1] == '\n')) {
        tg->line_end = p + (c->src[p] == '\r' ? 2 : 1);
        return true;
    }
    return false;
}

static bool only_blanks(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!is_blank(s[i]))
            return false;
    return true;
}

static int set_delimiters(struct compiler *c, const struct tag *tg)
{
    const char *s = tg->name;
    size_t n = tg->name_len, a = 0;
    while (a < n && !is_space(s[a]))
        a++;
    size_t b = a;
    while (b < n && is_space(s[b]))
        b++;
    if (!a || b == n || b == a)
        return fail(c, tg->start, "bad delimiter change (want {{=open close=}})");
    for (size_t i = b; i < n; i++)
        if (is_space(s[i]))
            return fail(c, tg->start, "bad delimiter change (want {{=open close=}})");
    c->otag = s;
    c->otag_len = a;
    c->ctag = s + b;
    c->ctag_len = n - b;
    return 0;
}

/* Comments and delimiter changes write nothing; on a line of their own they take it away. */
static int tag_silent(struct compiler *c, const struct tag *tg)
{
    if (tg->left && tg->right) {
        finish_standalone(c, tg);
    } else {
        keep_tail(c, tg);
        finish_inline(c, tg);
    }
    return tg->kind == '=' ? set_delimiters(c, tg) : 0;
}

static void tag_variable(struct compiler *c, const struct tag *tg)
{
    keep_tail(c, tg);
    bool keep = top(c)->content;
    uint32_t i = tag_op(c, tg->kind == 0 ? OP_ESCAPED : OP_RAW, tg, keep);
    if (i != NO_OP)
        c->ops[i].bol = take_bol(c);
    finish_inline(c, tg);
}

static void tag_partial(struct compiler *c, const struct tag *tg)
{
    bool alone = tg->left && tg->right;
    if (!alone)
        keep_tail(c, tg);
    uint32_t i = tag_op(c, OP_PARTIAL, tg, top(c)->content);
    if (i != NO_OP && alone) {
        c->ops[i].flags = OPF_STANDALONE;
        set_indent(c, &c->ops[i], tg->tail, tg->start, top(c));
    } else if (i != NO_OP) {
        c->ops[i].bol = take_bol(c);
    }
    if (alone) {
        finish_standalone(c, tg);
        c->pending = true;
        c->pending_kind = BOL_NEXT;
    } else {
        finish_inline(c, tg);
    }
}

static struct frame *push_frame(struct compiler *c, const struct tag *tg, uint8_t type)
{
    if (c->depth == MUSTACHE_MAX_DEPTH) {
        fail(c, tg->start, "tags nested deeper than %d", MUSTACHE_MAX_DEPTH);
        return NULL;
    }
    const struct frame *outer = top(c);
    struct frame *f = &c->frames[++c->depth];
    *f = (struct frame){.type = type, .emit = outer->content, .content = outer->content,
                        .op = NO_OP, .tail_op = NO_OP, .name = tg->name,
                        .name_len = tg->name_len, .open_pos = tg->start,
                        .dedent = outer->dedent, .dedent_len = outer->dedent_len};
    return f;
}

static int open_section(struct compiler *c, const struct tag *tg)
{
    bool alone = tg->left && tg->right;
    if (!alone)
        keep_tail(c, tg);
    bool keep = top(c)->content;
    uint32_t i = tag_op(c, tg->kind == '#' ? OP_SECTION : OP_INVERTED, tg, keep);
    if (i != NO_OP && !alone)
        c->ops[i].bol = take_bol(c);
    struct frame *f = push_frame(c, tg, tg->kind == '#' ? OP_SECTION : OP_INVERTED);
    if (!f)
        return -1;
    f->op = i;
    if (alone)
        finish_standalone(c, tg); /* a pending line start passes into the body */
    else
        finish_inline(c, tg);
    return 0;
}

static int open_parent(struct compiler *c, const struct tag *tg)
{
    bool keep = top(c)->content;
    uint32_t tail_op = NO_OP;
    /* The whitespace before it is indentation if the closing tag ends its line: keep it in
     * an op of its own that the closing tag can blank out. */
    if (tg->left && keep) {
        size_t before = c->n_ops;
        c->merge_ok = false;
        emit_text(c, tg->tail, tg->start);
        if (c->n_ops > before)
            tail_op = (uint32_t)before;
    }
    uint32_t i = tag_op(c, OP_PARENT, tg, keep);
    if (i != NO_OP)
        c->ops[i].bol = take_bol(c);
    struct frame *f = push_frame(c, tg, OP_PARENT);
    if (!f)
        return -1;
    f->op = i;
    f->content = false;
    f->open_left = tg->left;
    f->tail_op = tail_op;
    f->tail_from = tg->tail;
    f->tail_to = tg->start;
    finish_inline(c, tg);
    return 0;
}

/* Leading blanks of the line starting at p: a block's intrinsic indentation. */
static size_t blanks_at(const struct compiler *c, size_t p)
{
    size_t k = 0;
    while (p + k < c->len && is_blank(c->src[p + k]))
        k++;
    return k;
}

/*
 * Blocks, after the rules of mustache/spec#130/#131 that the spec's tests encode:
 * - An opening tag that ends its line takes the newline with it, and the indentation of the
 *   next line is the content's intrinsic indentation, taken off every line of the content.
 *   Arguments (blocks inside a parent) always do this; parameters only when the tag is
 *   alone on its line, and then that indentation is added back where the content lands.
 *   (#130 also asks the closing tag to end its line; deciding at the opening tag keeps the
 *   compiler single-pass and differs only for odd layouts like "{{/b}} text".)
 * - A parameter whose opening tag starts a line and whose closing tag ends one (even the
 *   same line) is indented by the whitespace before its opening tag.
 */
static int open_block(struct compiler *c, const struct tag *tg)
{
    const struct frame *outer = top(c);
    bool arg = outer->type == OP_PARENT;
    bool keep = arg ? outer->emit : outer->content;
    bool alone = tg->left && tg->right;
    if (!arg && !alone)
        keep_tail(c, tg);
    uint32_t i = tag_op(c, OP_BLOCK, tg, keep);
    if (i != NO_OP && !arg && !alone)
        c->ops[i].bol = take_bol(c);
    struct frame *f = push_frame(c, tg, OP_BLOCK);
    if (!f)
        return -1;
    f->op = i;
    f->emit = f->content = keep;
    f->is_arg = arg;
    f->open_left = tg->left;
    f->open_alone = alone && !arg;
    f->tail_from = tg->tail;
    f->tail_to = tg->start;
    if (tg->right) {
        finish_standalone(c, tg);
        size_t w = blanks_at(c, c->pos);
        if (arg || alone) {
            if (i != NO_OP && !arg) {
                set_indent(c, &c->ops[i], c->pos, c->pos + w, outer);
                c->ops[i].flags = OPF_FIRST_LINE;
            }
            f->dedent = c->src + c->pos;
            f->dedent_len = w;
        }
    } else {
        finish_inline(c, tg);
    }
    c->pending = true;
    c->pending_kind = BOL_FIRST;
    c->merge_ok = false;
    return 0;
}

static void close_span(struct compiler *c, const struct frame *f)
{
    if (f->op != NO_OP)
        c->ops[f->op].span = (uint32_t)(c->n_ops - f->op - 1);
    c->merge_ok = false;
}

static void close_section(struct compiler *c, const struct tag *tg)
{
    bool alone = tg->left && tg->right;
    if (!alone) {
        keep_tail(c, tg);
        /* The close tag starts a line: that line's indentation belongs to the body. */
        if (c->pending && top(c)->content) {
            uint32_t i = new_op(c, OP_INDENT);
            c->ops[i].bol = take_bol(c);
        }
    }
    close_span(c, top(c));
    c->depth--;
    if (alone)
        finish_standalone(c, tg);
    else
        finish_inline(c, tg);
}

static void close_parent(struct compiler *c, const struct tag *tg)
{
    const struct frame *f = top(c);
    bool alone = f->open_left && tg->right;
    close_span(c, f);
    if (f->op != NO_OP && alone) {
        struct op *op = &c->ops[f->op];
        op->flags = OPF_STANDALONE;
        op->bol = BOL_NONE;
        if (f->tail_op != NO_OP) {
            c->ops[f->tail_op].len = 0;
            c->ops[f->tail_op].bol = BOL_NONE;
        }
    }
    c->depth--;
    if (f->op != NO_OP && alone)
        set_indent(c, &c->ops[f->op], f->tail_from, f->tail_to, top(c));
    if (alone) {
        finish_standalone(c, tg);
        c->pending = true;
        c->pending_kind = BOL_NEXT;
    } else {
        finish_inline(c, tg);
        c->pending = false;
    }
}

static void close_block(struct compiler *c, const struct tag *tg)
{
    const struct frame *f = top(c);
    if (f->is_arg) {
        /* Whitespace before the closing tag on its line is not part of the argument. */
        close_span(c, f);
        c->depth--;
        if (tg->left && tg->right)
            finish_standalone(c, tg);
        else
            finish_inline(c, tg);
        return;
    }
    bool alone = tg->left && tg->right;
    if (!alone)
        keep_tail(c, tg);
    bool pass_line = !alone && c->pending && tg->left;
    close_span(c, f);
    c->depth--;
    if (f->op != NO_OP && !f->open_alone && f->open_left && tg->right)
        set_indent(c, &c->ops[f->op], f->tail_from, f->tail_to, top(c));
    if (alone) {
        finish_standalone(c, tg);
        c->pending = true;
    } else {
        finish_inline(c, tg);
        c->pending = pass_line;
    }
    c->pending_kind = BOL_NEXT;
}

static int close_tag(struct compiler *c, const struct tag *tg)
{
    if (!c->depth)
        return fail(c, tg->start, "closing tag '%.*s' without an opening tag",
                    (int)tg->name_len, tg->name);
    const struct frame *f = top(c);
    if (f->name_len != tg->name_len || memcmp(f->name, tg->name, tg->name_len))
        return fail(c, tg->start, "closing tag '%.*s' does not match '%.*s' opened on line %zu",
                    (int)tg->name_len, tg->name, (int)f->name_len, f->name,
                    line_of(c, f->open_pos));
    switch (f->type) {
    case OP_PARENT: close_parent(c, tg); break;
    case OP_BLOCK: close_block(c, tg); break;
    default: close_section(c, tg); break;
    }
    return 0;
}

/* Notes the line starts in the text before a tag at `start`. */
static void note_lines(struct compiler *c, size_t start)
{
    const char *nl = memrchr(c->src + c->pos, '\n', start - c->pos);
    if (nl) {
        c->line_start = (size_t)(nl - c->src) + 1;
        c->line_tag_seen = false;
    }
}

static int compile_tag(struct compiler *c, size_t start)
{
    struct tag tg;
    note_lines(c, start);
    if (parse_tag(c, start, &tg) < 0)
        return -1;
    tg.left = !c->line_tag_seen && only_blanks(c->src + c->line_start, start - c->line_start);
    tg.tail = tg.left ? c->line_start : start;
    tg.right = clears_right(c, &tg);
    /* The text before the tag; whitespace that may belong to the tag waits for its verdict. */
    emit_text(c, c->pos, tg.tail);
    switch (tg.kind) {
    case '!':
    case '=': return tag_silent(c, &tg);
    case '#':
    case '^': return open_section(c, &tg);
    case '/': return close_tag(c, &tg);
    case '>': tag_partial(c, &tg); return 0;
    case '<': return open_parent(c, &tg);
    case '$': return open_block(c, &tg);
    default: tag_variable(c, &tg); return 0;
    }
}

static int compile_all(struct compiler *c)
{
    while (c->pos < c->len) {
        const char *o = memmem(c->src + c->pos, c->len - c->pos, c->otag, c->otag_len);
        if (!o)
            break;
        if (compile_tag(c, (size_t)(o - c->src)) < 0)
            return -1;
    }
    emit_text(c, c->pos, c->len);
    if (c->depth) {
        const struct frame *f = top(c);
        return fail(c, f->open_pos, "'%.*s' is never closed", (int)f->name_len, f->name);
    }
    return 0;
}

mustache_tpl *mustache_compile(const char *src, size_t len, char *err, size_t err_size)
{
    if (err && err_size)
        err[0] = '\0';
    if (len > MUSTACHE_MAX_SOURCE) {
        if (err && err_size)
            snprintf(err, err_size, "template of %zu bytes is over the limit of %u", len,
                     MUSTACHE_MAX_SOURCE);
        return NULL;
    }
    struct compiler *c = pv_calloc(1, sizeof(*c));
    c->src = src ? src : "";
    c->len = src ? len : 0;
    c->otag = "{{";
    c->ctag = "}}";
    c->otag_len = c->ctag_len = 2;
    c->pending = true;
    c->pending_kind = BOL_NEXT;
    c->frames[0] = (struct frame){.type = OP_TEXT, .emit = true, .content = true, .op = NO_OP};
    c->err = err;
    c->err_size = err_size;
    buf_init(&c->arena);
    buf_putc(&c->arena, '\0'); /* offset 0 is never text, and the arena is never NULL */

    mustache_tpl *t = NULL;
    if (compile_all(c) == 0) {
        t = pv_malloc(sizeof(*t));
        t->ops = c->ops ? c->ops : pv_malloc(sizeof(*c->ops)); /* never NULL: ops + 0 is UB */
        t->n_ops = c->n_ops;
        t->arena = buf_steal(&c->arena);
    } else {
        free(c->ops);
        buf_finish(&c->arena);
    }
    free(c);
    return t;
}

void mustache_destroy(mustache_tpl *t)
{
    if (!t)
        return;
    free(t->ops);
    free(t->arena);
    free(t);
}

/* ---------------------------------------------------------------------------------------- */
/* Renderer                                                                                 */
/* ---------------------------------------------------------------------------------------- */

/* Everything below lives on the C stack: a render allocates nothing but output. */
struct ctx_frame { /* the context stack, innermost first */
    json_t *val;
    const struct ctx_frame *up;
};

#define FLAT_INDENT 120

struct indent { /* the indentation chain, innermost first */
    const char *s;
    size_t n;
    const struct indent *up;
    size_t flat_n;            /* the whole chain in `flat`, or SIZE_MAX when it does not fit */
    char flat[FLAT_INDENT];   /* so that a line costs one append, not one per link */
};

struct args { /* the arguments of the parents being rendered, innermost first */
    const mustache_tpl *t;
    const struct op *parent;
    const struct args *up;
};

struct render {
    buf *out;
    size_t out_start;
    mustache_lookup_fn lookup;
    void *lookup_ctx;
    json_t *const *base;
    size_t n_base;
    size_t depth;
    size_t steps;
};

struct scope {
    const mustache_tpl *t;
    const struct ctx_frame *ctx;
    const struct indent *ind;
    const struct args *args;
    bool first_ok; /* BOL_FIRST ops get the indentation */
};

static bool over_budget(const struct render *r)
{
    return r->steps > RENDER_MAX_STEPS || r->out->len - r->out_start > RENDER_MAX_OUTPUT;
}

static void put_indent(buf *out, const struct indent *in)
{
    if (!in)
        return;
    if (in->flat_n != SIZE_MAX) {
        buf_append(out, in->flat, in->flat_n);
        return;
    }
    put_indent(out, in->up);
    buf_append(out, in->s, in->n);
}

/* Links `in` (indentation s/n) onto the chain `up`. */
static const struct indent *push_indent(struct indent *in, const char *s, size_t n,
                                        const struct indent *up)
{
    in->s = s;
    in->n = n;
    in->up = up;
    size_t up_n = up ? up->flat_n : 0;
    in->flat_n = SIZE_MAX;
    if (up_n <= FLAT_INDENT && n <= FLAT_INDENT - up_n) {
        if (up_n)
            memcpy(in->flat, up->flat, up_n);
        memcpy(in->flat + up_n, s, n);
        in->flat_n = up_n + n;
    }
    return in;
}

/* Literal text, indented after each inner newline when indentation is in play. */
static int put_text(struct render *r, const struct scope *sc, const char *s, size_t n)
{
    if (!sc->ind) {
        buf_append(r->out, s, n);
        return 0;
    }
    while (n) {
        const char *nl = memchr(s, '\n', n);
        size_t k = nl ? (size_t)(nl - s) + 1 : n;
        buf_append(r->out, s, k);
        s += k;
        n -= k;
        if (n)
            put_indent(r->out, sc->ind);
        if (over_budget(r))
            return PV_ELIMIT;
    }
    return 0;
}

static json_t *find_in_object(json_t *v, const char *key, size_t n)
{
    return json_is_object(v) ? json_object_getn(v, key, n) : NULL;
}

static json_t *find_in_stack(struct render *r, const struct scope *sc, const char *key, size_t n)
{
    json_t *v;
    for (const struct ctx_frame *f = sc->ctx; f; f = f->up) {
        r->steps++;
        if ((v = find_in_object(f->val, key, n)))
            return v;
    }
    for (size_t i = r->n_base; i-- > 0;) {
        r->steps++;
        if ((v = find_in_object(r->base[i], key, n)))
            return v;
    }
    return NULL;
}

/* Resolves a name as the spec says: "." is the top of the stack; the first part of a dotted
 * name is searched down the stack, the others only inside what the previous part found. */
static json_t *resolve(struct render *r, const struct scope *sc, const char *name, size_t n)
{
    if (n == 1 && name[0] == '.') {
        if (sc->ctx)
            return sc->ctx->val;
        return r->n_base ? r->base[r->n_base - 1] : NULL;
    }
    const char *dot = memchr(name, '.', n);
    size_t part = dot ? (size_t)(dot - name) : n;
    json_t *v = find_in_stack(r, sc, name, part);
    while (v && dot) {
        name += part + 1;
        n -= part + 1;
        dot = memchr(name, '.', n);
        part = dot ? (size_t)(dot - name) : n;
        v = find_in_object(v, name, part);
    }
    return v;
}

static bool is_falsey(const json_t *v)
{
    return !v || json_is_null(v) || json_is_false(v) ||
           (json_is_array(v) && json_array_size(v) == 0) ||
           (json_is_string(v) && json_string_length(v) == 0);
}

/* The shortest of %.15g, %.16g and %.17g that reads back as the same double. Any decimal of
 * at most 15 significant digits survives the round trip, and %g then prints it without
 * trailing zeros, so trying 15 first gives 1.21 and not 1.2100000000000000. */
static size_t format_real(double v, char *s, size_t size)
{
    int n = 0;
    if (v > -1e15 && v < 1e15 && v == (double)(long long)v) /* whole: skip the slow path */
        return (size_t)snprintf(s, size, "%lld", (long long)v);
    for (int prec = 15; prec <= 17; prec++) {
        n = snprintf(s, size, "%.*g", prec, v);
        if (strtod(s, NULL) == v)
            break;
    }
    for (char *p = s; *p; p++)
        if (*p == ',')
            *p = '.'; /* a locale with a decimal comma */
    return n > 0 ? (size_t)n : 0;
}

static void put_value(buf *out, const json_t *v, bool escape)
{
    char num[64];
    const char *s = NULL;
    size_t n = 0;
    if (!v)
        return;
    switch (json_typeof(v)) {
    case JSON_STRING:
        s = json_string_value(v);
        n = json_string_length(v);
        break;
    case JSON_INTEGER:
        n = (size_t)snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        s = num;
        break;
    case JSON_REAL:
        n = format_real(json_real_value(v), num, sizeof(num));
        s = num;
        break;
    case JSON_TRUE: s = "true", n = 4; break;
    case JSON_FALSE: s = "false", n = 5; break;
    default: return; /* null, objects and arrays print nothing */
    }
    if (escape)
        buf_append_html(out, s, n);
    else
        buf_append(out, s, n);
}

static int render_ops(struct render *r, const struct scope *sc, const struct op *op,
                      const struct op *end);

static int render_section(struct render *r, const struct scope *sc, const struct op *op)
{
    const char *name = sc->t->arena + op->str;
    json_t *v = resolve(r, sc, name, op->len);
    const struct op *body = op + 1, *end = op + 1 + op->span;
    if (op->type == OP_INVERTED)
        return is_falsey(v) ? render_ops(r, sc, body, end) : 0;
    if (is_falsey(v))
        return 0;
    struct scope inner = *sc;
    struct ctx_frame f = {v, sc->ctx};
    inner.ctx = &f;
    if (!json_is_array(v))
        return render_ops(r, &inner, body, end);
    size_t i;
    json_t *item;
    json_array_foreach(v, i, item) {
        f.val = item;
        r->steps++;
        int rc = render_ops(r, &inner, body, end);
        if (rc)
            return rc;
    }
    return 0;
}

/* Partials and parents: another template, rendered in the current context. A standalone tag
 * adds its indentation to the chain; an inline one starts the template with none. Kept out of
 * line, like render_block, so that the indent link stays out of the frames of render_ops:
 * the worst nesting (64 partials of 64 sections) then needs well under 1 MB of stack. */
static __attribute__((noinline)) int render_include(struct render *r, const struct scope *sc, const struct op *op)
{
    if (!r->lookup)
        return 0;
    const mustache_tpl *t = r->lookup(r->lookup_ctx, sc->t->arena + op->str, op->len);
    if (!t)
        return 0;
    if (r->depth >= MUSTACHE_MAX_DEPTH)
        return PV_ELIMIT;
    struct scope inner = *sc;
    struct indent in;
    struct args a = {sc->t, op, sc->args};
    inner.t = t;
    inner.first_ok = true;
    if (!(op->flags & OPF_STANDALONE))
        inner.ind = NULL;
    else if (op->ind_len)
        inner.ind = push_indent(&in, sc->t->arena + op->ind, op->ind_len, sc->ind);
    if (op->type == OP_PARENT)
        inner.args = &a;
    r->depth++;
    int rc = render_ops(r, &inner, t->ops, t->ops + t->n_ops);
    r->depth--;
    return rc;
}

/* The argument for a block: the outermost parent that passes one wins ("Top-level
 * substitutions take precedence in multi-level inheritance"). */
static const struct op *find_argument(struct render *r, const struct scope *sc,
                                      const struct op *block, const mustache_tpl **owner)
{
    const char *name = sc->t->arena + block->str;
    const struct op *found = NULL;
    for (const struct args *a = sc->args; a; a = a->up) {
        const struct op *op = a->parent + 1, *end = a->parent + 1 + a->parent->span;
        for (; op < end; op += 1 + op->span) {
            r->steps++;
            if (op->type == OP_BLOCK && op->len == block->len &&
                !memcmp(a->t->arena + op->str, name, block->len)) {
                found = op;
                *owner = a->t;
                break;
            }
        }
    }
    return found;
}

static __attribute__((noinline)) int render_block(struct render *r, const struct scope *sc,
                                                   const struct op *op)
{
    const mustache_tpl *owner = sc->t;
    const struct op *content = find_argument(r, sc, op, &owner);
    if (content && r->depth >= MUSTACHE_MAX_DEPTH)
        return PV_ELIMIT; /* an argument that expands its own block, forever */
    if (!content)
        content = op;
    struct scope inner = *sc;
    struct indent in;
    inner.t = owner;
    inner.first_ok = op->flags & OPF_FIRST_LINE;
    if (op->ind_len)
        inner.ind = push_indent(&in, sc->t->arena + op->ind, op->ind_len, sc->ind);
    r->depth += content != op;
    int rc = render_ops(r, &inner, content + 1, content + 1 + content->span);
    r->depth -= content != op;
    return rc;
}

static int render_ops(struct render *r, const struct scope *sc, const struct op *op,
                      const struct op *end)
{
    int rc = 0;
    for (; op < end && !rc; op += 1 + op->span) {
        if (++r->steps, over_budget(r))
            return PV_ELIMIT;
        if (op->bol && sc->ind && (op->bol == BOL_NEXT || sc->first_ok))
            put_indent(r->out, sc->ind);
        const char *str = sc->t->arena + op->str;
        switch (op->type) {
        case OP_TEXT: rc = put_text(r, sc, str, op->len); break;
        case OP_ESCAPED:
        case OP_RAW: put_value(r->out, resolve(r, sc, str, op->len), op->type == OP_ESCAPED); break;
        case OP_SECTION:
        case OP_INVERTED: rc = render_section(r, sc, op); break;
        case OP_PARTIAL:
        case OP_PARENT: rc = render_include(r, sc, op); break;
        case OP_BLOCK: rc = render_block(r, sc, op); break;
        default: break;
        }
    }
    return rc;
}

int mustache_render(const mustache_tpl *t, json_t *const *ctx, size_t n_ctx,
                    mustache_lookup_fn lookup, void *lookup_ctx, buf *out)
{
    struct render r = {.out = out, .out_start = out->len, .lookup = lookup,
                       .lookup_ctx = lookup_ctx, .base = ctx, .n_base = ctx ? n_ctx : 0};
    struct scope sc = {.t = t, .first_ok = true};
    return render_ops(&r, &sc, t->ops, t->ops + t->n_ops);
}
