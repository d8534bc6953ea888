#include "mana_base64.h"


static const char  mana_base64_alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";


void
mana_base64_encode(char *dst, const unsigned char *src, size_t n)
{
    unsigned long  v;

    while (n >= 3) {
        v = (unsigned long) src[0] << 16 | src[1] << 8 | src[2];
        *dst++ = mana_base64_alphabet[v >> 18];
        *dst++ = mana_base64_alphabet[v >> 12 & 0x3f];
        *dst++ = mana_base64_alphabet[v >> 6 & 0x3f];
        *dst++ = mana_base64_alphabet[v & 0x3f];
        src += 3;
        n -= 3;
    }

    if (n == 0) {
        return;
    }

    v = (unsigned long) src[0] << 16 | (n == 2 ? src[1] << 8 : 0);
    *dst++ = mana_base64_alphabet[v >> 18];
    *dst++ = mana_base64_alphabet[v >> 12 & 0x3f];
    *dst++ = n == 2 ? mana_base64_alphabet[v >> 6 & 0x3f] : '=';
    *dst = '=';
}


static int
mana_base64_value(char c)
{
    if (c >= 'A' && c <= 'Z') {
        return c - 'A';
    }

    if (c >= 'a' && c <= 'z') {
        return c - 'a' + 26;
    }

    if (c >= '0' && c <= '9') {
        return c - '0' + 52;
    }

    if (c == '+') {
        return 62;
    }

    if (c == '/') {
        return 63;
    }

    return -1;
}


long
mana_base64_decode(unsigned char *dst, size_t cap, const char *src,
    size_t len)
{
    int            d[4], i, pad;
    size_t         q, out, bytes;
    unsigned long  v;

    if (len % 4 != 0) {
        return -1;
    }

    out = 0;

    for (q = 0; q < len; q += 4) {
        pad = 0;

        if (q + 4 == len) {
            if (src[q + 3] == '=') {
                pad = src[q + 2] == '=' ? 2 : 1;
            }
        }

        for (i = 0; i < 4 - pad; i++) {
            d[i] = mana_base64_value(src[q + i]);
            if (d[i] < 0) {
                return -1;
            }
        }

        for (; i < 4; i++) {
            d[i] = 0;
        }

        v = (unsigned long) d[0] << 18 | d[1] << 12 | d[2] << 6 | d[3];
        bytes = 3 - pad;

        /* the bits that padding drops must be zero: one spelling only */
        if ((pad == 1 && (v & 0xff) != 0) || (pad == 2 && (v & 0xffff) != 0))
        {
            return -1;
        }

        if (bytes > cap - out) {
            return -1;
        }

        dst[out] = (unsigned char) (v >> 16);
        if (bytes > 1) {
            dst[out + 1] = (unsigned char) (v >> 8);
        }
        if (bytes > 2) {
            dst[out + 2] = (unsigned char) v;
        }

        out += bytes;
    }

    return (long) out;
}
