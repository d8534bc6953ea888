#include "mana_base32.h"


static const char  mana_base32_alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";


size_t
mana_base32_encoded_len(size_t n)
{
    return n / 5 * 8 + (n % 5 * 8 + 4) / 5;
}


void
mana_base32_encode(char *dst, const unsigned char *src, size_t n)
{
    size_t    i;
    unsigned  acc, bits;

    acc = 0;
    bits = 0;

    for (i = 0; i < n; i++) {
        acc = (acc << 8 | src[i]) & 0xfff;
        bits += 8;

        while (bits >= 5) {
            bits -= 5;
            *dst++ = mana_base32_alphabet[(acc >> bits) & 0x1f];
        }
    }

    if (bits) {
        *dst = mana_base32_alphabet[(acc << (5 - bits)) & 0x1f];
    }
}


void
mana_base32_encode_buf(mana_buf_t *b, const unsigned char *src, size_t n)
{
    char    tmp[64];
    size_t  chunk;

    /* 40 bytes are exactly 64 characters: only the last chunk is partial */
    do {
        chunk = n < 40 ? n : 40;
        mana_base32_encode(tmp, src, chunk);
        mana_buf_add(b, tmp, mana_base32_encoded_len(chunk));
        src += chunk;
        n -= chunk;
    } while (n);
}


static int
mana_base32_value(char c)
{
    if (c >= 'A' && c <= 'Z') {
        return c - 'A';
    }

    if (c >= 'a' && c <= 'z') {
        return c - 'a';
    }

    if (c >= '2' && c <= '7') {
        return c - '2' + 26;
    }

    return -1;
}


mana_base32_rc_e
mana_base32_decode(unsigned char *dst, size_t max, size_t *len,
    const char *src, size_t n)
{
    int       v;
    size_t    i, out;
    unsigned  acc, bits;

    *len = 0;

    switch (n % 8) {
    case 1:
    case 3:
    case 6:
        return MANA_BASE32_LENGTH;
    }

    if (n / 8 * 5 + n % 8 * 5 / 8 > max) {
        return MANA_BASE32_TOO_LONG;
    }

    acc = 0;
    bits = 0;
    out = 0;

    for (i = 0; i < n; i++) {
        v = mana_base32_value(src[i]);
        if (v < 0) {
            return MANA_BASE32_CHAR;
        }

        acc = (acc << 5 | (unsigned) v) & 0xfff;
        bits += 5;

        if (bits >= 8) {
            bits -= 8;
            dst[out++] = (unsigned char) (acc >> bits);
        }
    }

    if (acc & ((1u << bits) - 1)) {
        return MANA_BASE32_NONCANONICAL;
    }

    *len = out;

    return MANA_BASE32_OK;
}
