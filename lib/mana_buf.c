#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mana_buf.h"
#include "mana_hex.h"


void
mana_buf_init(mana_buf_t *b)
{
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    b->failed = 0;
}


void
mana_buf_free(mana_buf_t *b)
{
    free(b->data);
    mana_buf_init(b);
}


static int
mana_buf_reserve(mana_buf_t *b, size_t n)
{
    size_t   cap;
    char    *p;

    if (b->failed) {
        return -1;
    }

    if (b->len + n + 1 <= b->cap) {
        return 0;
    }

    cap = b->cap ? b->cap : 256;

    while (cap < b->len + n + 1) {
        cap *= 2;
    }

    p = realloc(b->data, cap);
    if (p == NULL) {
        b->failed = 1;
        return -1;
    }

    b->data = p;
    b->cap = cap;

    return 0;
}


void
mana_buf_add(mana_buf_t *b, const void *p, size_t n)
{
    if (mana_buf_reserve(b, n) != 0) {
        return;
    }

    memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
}


void
mana_buf_adds(mana_buf_t *b, const char *s)
{
    mana_buf_add(b, s, strlen(s));
}


void
mana_buf_addf(mana_buf_t *b, const char *fmt, ...)
{
    int      n;
    va_list  ap;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);

    if (n < 0 || mana_buf_reserve(b, (size_t) n) != 0) {
        b->failed = 1;
        return;
    }

    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t) n + 1, fmt, ap);
    va_end(ap);

    b->len += (size_t) n;
}


void
mana_buf_add_sql_text(mana_buf_t *b, const char *s, size_t n)
{
    /*
     * A hex literal cannot break out of its quotes whatever the input, and
     * needs no connection to escape against (lib/ has none).
     */

    mana_buf_adds(b, "_utf8mb4 ");
    mana_buf_add_sql_bytes(b, s, n);
}


void
mana_buf_add_sql_bytes(mana_buf_t *b, const void *p, size_t n)
{
    mana_buf_adds(b, "X'");

    if (mana_buf_reserve(b, 2 * n) != 0) {
        return;
    }

    mana_hex_encode(b->data + b->len, (const unsigned char *) p, n);
    b->len += 2 * n;
    mana_buf_add(b, "'", 1);
}


void
mana_buf_add_json_str(mana_buf_t *b, const char *s, size_t n)
{
    size_t                i;
    unsigned char         c;
    static const char     hex[] = "0123456789abcdef";

    mana_buf_add(b, "\"", 1);

    for (i = 0; i < n; i++) {
        c = (unsigned char) s[i];

        switch (c) {
        case '"':
            mana_buf_add(b, "\\\"", 2);
            break;
        case '\\':
            mana_buf_add(b, "\\\\", 2);
            break;
        case '\n':
            mana_buf_add(b, "\\n", 2);
            break;
        case '\r':
            mana_buf_add(b, "\\r", 2);
            break;
        case '\t':
            mana_buf_add(b, "\\t", 2);
            break;
        default:
            if (c < 0x20) {
                char  esc[6] = { '\\', 'u', '0', '0',
                                 hex[c >> 4], hex[c & 0xf] };
                mana_buf_add(b, esc, 6);

            } else {
                mana_buf_add(b, &s[i], 1);
            }
        }
    }

    mana_buf_add(b, "\"", 1);
}


void
mana_buf_add_html(mana_buf_t *b, const char *s, size_t n)
{
    size_t  i, from;

    for (i = 0, from = 0; i < n; i++) {
        const char  *esc;

        switch (s[i]) {
        case '&':  esc = "&amp;"; break;
        case '<':  esc = "&lt;"; break;
        case '>':  esc = "&gt;"; break;
        case '"':  esc = "&quot;"; break;
        case '\'': esc = "&#39;"; break;
        default:   continue;
        }

        mana_buf_add(b, s + from, i - from);
        mana_buf_adds(b, esc);
        from = i + 1;
    }

    mana_buf_add(b, s + from, n - from);
}
