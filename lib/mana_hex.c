#include "mana_hex.h"


void
mana_hex_encode(char *dst, const unsigned char *src, size_t n)
{
    size_t             i;
    static const char  hex[] = "0123456789abcdef";

    for (i = 0; i < n; i++) {
        dst[2 * i] = hex[src[i] >> 4];
        dst[2 * i + 1] = hex[src[i] & 0xf];
    }
}


static int
mana_hex_digit(char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }

    c |= 0x20;

    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }

    return -1;
}


int
mana_hex_decode(unsigned char *dst, const char *src, size_t n)
{
    int     hi, lo;
    size_t  i;

    for (i = 0; i < n; i++) {
        hi = mana_hex_digit(src[2 * i]);
        lo = mana_hex_digit(src[2 * i + 1]);

        if (hi < 0 || lo < 0) {
            return -1;
        }

        dst[i] = (unsigned char) (hi << 4 | lo);
    }

    return 0;
}
