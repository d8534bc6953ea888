#include "mana_utf8.h"


int
mana_utf8_valid(const char *s, size_t n)
{
    size_t               i, need;
    unsigned int         cp, min;
    const unsigned char *p = (const unsigned char *) s;

    for (i = 0; i < n; /* void */) {

        if (p[i] < 0x80) {
            i++;
            continue;
        }

        if ((p[i] & 0xe0) == 0xc0) {
            need = 1; cp = p[i] & 0x1f; min = 0x80;

        } else if ((p[i] & 0xf0) == 0xe0) {
            need = 2; cp = p[i] & 0x0f; min = 0x800;

        } else if ((p[i] & 0xf8) == 0xf0) {
            need = 3; cp = p[i] & 0x07; min = 0x10000;

        } else {
            return 0;
        }

        if (n - i <= need) {
            return 0;
        }

        for (i++; need; need--, i++) {
            if ((p[i] & 0xc0) != 0x80) {
                return 0;
            }

            cp = cp << 6 | (p[i] & 0x3f);
        }

        if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
            return 0;
        }
    }

    return 1;
}


size_t
mana_utf8_len(const char *s, size_t n)
{
    size_t  i, len;

    len = 0;

    for (i = 0; i < n; i++) {
        if (((unsigned char) s[i] & 0xc0) != 0x80) {
            len++;
        }
    }

    return len;
}


size_t
mana_utf8_prefix(const char *s, size_t n, size_t max)
{
    size_t  i, len;

    len = 0;

    for (i = 0; i < n; i++) {
        if (((unsigned char) s[i] & 0xc0) != 0x80) {
            if (len == max) {
                return i;
            }

            len++;
        }
    }

    return n;
}
