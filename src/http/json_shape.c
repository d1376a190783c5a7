/* One pass over a JSON body counting depth, keys per object and values.
 * Layer: http. A stack of JSON_MAX_DEPTH levels is all the state; every byte is looked at
 * once (a string's bytes by the loop that skips it). */
#include "http/json_shape.h"

#include <stdbool.h>

typedef struct level {
    bool object;     /* an object (keys and values), else an array */
    bool expect_key; /* in an object: the next string is a key */
    unsigned keys;
} level;

static bool is_scalar_byte(char c)
{
    switch (c) {
    case '{': case '}': case '[': case ']': case ',': case ':': case '"':
    case ' ': case '\t': case '\r': case '\n':
        return false;
    default:
        return true;
    }
}

json_shape_error json_shape_check(const char *data, size_t len)
{
    level stack[JSON_MAX_DEPTH];
    size_t depth = 0, values = 0;
    for (size_t i = 0; i < len; i++) {
        char c = data[i];
        level *top = depth ? &stack[depth - 1] : NULL;
        switch (c) {
        case ' ': case '\t': case '\r': case '\n':
            break;
        case '{':
        case '[':
            if (++values > JSON_MAX_VALUES)
                return JSON_SHAPE_VALUES;
            if (depth == JSON_MAX_DEPTH)
                return JSON_SHAPE_DEPTH;
            stack[depth++] = (level){c == '{', c == '{', 0};
            break;
        case '}':
        case ']':
            if (!top || top->object != (c == '}'))
                return JSON_SHAPE_BROKEN;
            depth--;
            break;
        case ',':
            if (top && top->object)
                top->expect_key = true;
            break;
        case ':':
            if (top && top->object)
                top->expect_key = false;
            break;
        case '"':
            for (i++; i < len && data[i] != '"'; i++)
                if (data[i] == '\\')
                    i++; /* the escaped byte cannot end the string */
            if (i >= len)
                return JSON_SHAPE_BROKEN;
            if (top && top->object && top->expect_key) {
                if (++top->keys > JSON_MAX_KEYS)
                    return JSON_SHAPE_KEYS;
                top->expect_key = false;
            } else if (++values > JSON_MAX_VALUES) {
                return JSON_SHAPE_VALUES;
            }
            break;
        default: /* a number, true, false, null (or garbage jansson will refuse) */
            while (i + 1 < len && is_scalar_byte(data[i + 1]))
                i++;
            if (++values > JSON_MAX_VALUES)
                return JSON_SHAPE_VALUES;
            break;
        }
    }
    return depth == 0 ? JSON_SHAPE_OK : JSON_SHAPE_BROKEN;
}
