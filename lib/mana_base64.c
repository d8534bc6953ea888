#include "mana_base64.h"


static const char  mana_base64_std[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
static const char  mana_base64_url[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";


size_t
mana_base64_encoded_len(mana_base64_e v, size_t n)
{
    if (v == MANA_BASE64_STD) {
        return (n + 2) / 3 * 4;
    }

    return n / 3 * 4 + (n % 3 ? n % 3 + 1 : 0);
}


void
mana_base64_encode(mana_base64_e v, char *dst, const unsigned char *src,
    size_t n)
{
    size_t       i;
    unsigned     w;
    const char  *a;

    a = (v == MANA_BASE64_STD) ? mana_base64_std : mana_base64_url;

    for (i = 0; i + 3 <= n; i += 3) {
        w = (unsigned) src[i] << 16 | (unsigned) src[i + 1] << 8 | src[i + 2];
        *dst++ = a[w >> 18];
        *dst++ = a[(w >> 12) & 0x3f];
        *dst++ = a[(w >> 6) & 0x3f];
        *dst++ = a[w & 0x3f];
    }

    if (n - i == 0) {
        return;
    }

    w = (unsigned) src[i] << 16;

    if (n - i == 2) {
        w |= (unsigned) src[i + 1] << 8;
    }

    *dst++ = a[w >> 18];
    *dst++ = a[(w >> 12) & 0x3f];

    if (n - i == 2) {
        *dst++ = a[(w >> 6) & 0x3f];

    } else if (v == MANA_BASE64_STD) {
        *dst++ = '=';
    }

    if (v == MANA_BASE64_STD) {
        *dst = '=';
    }
}


void
mana_base64_encode_buf(mana_base64_e v, mana_buf_t *b,
    const unsigned char *src, size_t n)
{
    char    tmp[64];
    size_t  chunk;

    /* 48 bytes are exactly 64 characters: only the last chunk is partial */
    do {
        chunk = n < 48 ? n : 48;
        mana_base64_encode(v, tmp, src, chunk);
        mana_buf_add(b, tmp, mana_base64_encoded_len(v, chunk));
        src += chunk;
        n -= chunk;
    } while (n);
}


static int
mana_base64_value(mana_base64_e v, char c)
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

    if (c == (v == MANA_BASE64_STD ? '+' : '-')) {
        return 62;
    }

    if (c == (v == MANA_BASE64_STD ? '/' : '_')) {
        return 63;
    }

    return -1;
}


int
mana_base64_decode(mana_base64_e v, unsigned char *dst, size_t max,
    size_t *len, const char *src, size_t n)
{
    int       d;
    size_t    i, out, pad;
    unsigned  acc, bits;

    *len = 0;
    pad = 0;

    if (v == MANA_BASE64_STD) {
        if (n % 4 != 0) {
            return -1;
        }

        while (pad < 2 && n > 0 && src[n - 1] == '=') {
            n--;
            pad++;
        }

        /* "xx==" holds one byte, "xxx=" two: the padding must agree */
        if (pad && n % 4 != 4 - pad) {
            return -1;
        }

    } else if (n % 4 == 1) {
        return -1;
    }

    if (n / 4 * 3 + (n % 4 ? n % 4 - 1 : 0) > max) {
        return -1;
    }

    acc = 0;
    bits = 0;
    out = 0;

    for (i = 0; i < n; i++) {
        d = mana_base64_value(v, src[i]);
        if (d < 0) {
            return -1;
        }

        acc = (acc << 6 | (unsigned) d) & 0xfff;
        bits += 6;

        if (bits >= 8) {
            bits -= 8;
            dst[out++] = (unsigned char) (acc >> bits);
        }
    }

    if (acc & ((1u << bits) - 1)) {
        return -1;
    }

    *len = out;

    return 0;
}
