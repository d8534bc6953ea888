
/*
 * JSON strings.  Documents are small and flat, so callers print them with
 * stdio; only strings need care: server messages and names can hold quotes,
 * control characters and bytes that are not UTF-8, and any of those would
 * make the one document on stdout unparsable.
 */

#include <string.h>

#include "mmctl.h"


static size_t mmctl_utf8_len(const unsigned char *p, size_t left);


void
mmctl_json_str(FILE *f, const char *s)
{
    if (s == NULL) {
        fputs("null", f);
        return;
    }

    mmctl_json_strn(f, s, strlen(s));
}


void
mmctl_json_strn(FILE *f, const char *s, size_t len)
{
    size_t                n;
    const unsigned char  *p, *end;

    p = (const unsigned char *) s;
    end = p + len;

    fputc('"', f);

    while (p < end) {
        switch (*p) {
        case '"':
            fputs("\\\"", f);
            p++;
            continue;

        case '\\':
            fputs("\\\\", f);
            p++;
            continue;

        case '\n':
            fputs("\\n", f);
            p++;
            continue;

        case '\t':
            fputs("\\t", f);
            p++;
            continue;
        }

        if (*p < 0x20 || *p == 0x7f) {
            fprintf(f, "\\u%04x", *p++);
            continue;
        }

        n = mmctl_utf8_len(p, (size_t) (end - p));

        if (n == 0) {
            /* not UTF-8: keep the document valid, show that a byte was lost */
            fputs("\\ufffd", f);
            p++;
            continue;
        }

        fwrite(p, 1, n, f);
        p += n;
    }

    fputc('"', f);
}


/* the length of the well-formed UTF-8 sequence at p, or 0 */

static size_t
mmctl_utf8_len(const unsigned char *p, size_t left)
{
    size_t    n, i;
    unsigned  c, min;

    if (p[0] < 0x80) {
        return 1;
    }

    if ((p[0] & 0xe0) == 0xc0) {
        n = 2;
        c = p[0] & 0x1f;
        min = 0x80;

    } else if ((p[0] & 0xf0) == 0xe0) {
        n = 3;
        c = p[0] & 0x0f;
        min = 0x800;

    } else if ((p[0] & 0xf8) == 0xf0) {
        n = 4;
        c = p[0] & 0x07;
        min = 0x10000;

    } else {
        return 0;
    }

    if (n > left) {
        return 0;
    }

    for (i = 1; i < n; i++) {
        if ((p[i] & 0xc0) != 0x80) {
            return 0;
        }

        c = (c << 6) | (p[i] & 0x3f);
    }

    if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff)) {
        return 0;
    }

    return n;
}
