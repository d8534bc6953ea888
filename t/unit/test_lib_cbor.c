/*
 * Base32 (RFC 4648) and deterministic CBOR (RFC 8949): the standards'
 * own examples, the key order of section 4.2.1, and every input the strict
 * decoders refuse.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "mana_base32.h"
#include "mana_cbor.h"
#include "mana_hex.h"


static size_t
unhex(unsigned char *dst, const char *hex)
{
    size_t  n;

    n = strlen(hex) / 2;

    if (mana_hex_decode(dst, hex, n) != 0) {
        printf("# bad hex in the test: %s\n", hex);
        exit(2);
    }

    return n;
}


static int
buf_is_hex(const mana_buf_t *b, const char *hex)
{
    char  got[1024];

    if (mana_buf_failed(b) || b->len * 2 + 1 > sizeof(got)) {
        return 0;
    }

    mana_hex_encode(got, (const unsigned char *) b->data, b->len);
    got[b->len * 2] = '\0';

    if (strcmp(got, hex) != 0) {
        printf("#   got:      %s\n#   expected: %s\n", got, hex);
        return 0;
    }

    return 1;
}


/* Base32 */


static const struct {
    const char  *plain;
    const char  *b32;
} rfc4648[] = {
    { "", "" },
    { "f", "MY" },
    { "fo", "MZXQ" },
    { "foo", "MZXW6" },
    { "foob", "MZXW6YQ" },
    { "fooba", "MZXW6YTB" },
    { "foobar", "MZXW6YTBOI" },
};


static void
test_base32_vectors(void)
{
    char            enc[32];
    size_t          i, n, len;
    mana_buf_t      b;
    unsigned char   dec[32];

    for (i = 0; i < sizeof(rfc4648) / sizeof(rfc4648[0]); i++) {
        n = strlen(rfc4648[i].plain);

        memset(enc, 0, sizeof(enc));
        mana_base32_encode(enc, (const unsigned char *) rfc4648[i].plain, n);
        ok(mana_base32_encoded_len(n) == strlen(rfc4648[i].b32)
           && strcmp(enc, rfc4648[i].b32) == 0,
           "base32 \"%s\" -> \"%s\"", rfc4648[i].plain, rfc4648[i].b32);

        mana_buf_init(&b);
        mana_base32_encode_buf(&b, (const unsigned char *) rfc4648[i].plain,
                               n);
        ok(!mana_buf_failed(&b) && b.len == strlen(rfc4648[i].b32)
           && memcmp(b.data, rfc4648[i].b32, b.len) == 0,
           "base32 into a buffer: \"%s\"", rfc4648[i].b32);
        mana_buf_free(&b);

        ok(mana_base32_decode(dec, sizeof(dec), &len, rfc4648[i].b32,
                              strlen(rfc4648[i].b32)) == MANA_BASE32_OK
           && len == n && memcmp(dec, rfc4648[i].plain, n) == 0,
           "base32 decode \"%s\"", rfc4648[i].b32);
    }

    ok(mana_base32_decode(dec, sizeof(dec), &len, "mzxw6ytboi", 10)
       == MANA_BASE32_OK && len == 6 && memcmp(dec, "foobar", 6) == 0,
       "base32: lower case decodes as upper case");
    ok(mana_base32_decode(dec, sizeof(dec), &len, "MzXw6yTbOi", 10)
       == MANA_BASE32_OK && len == 6 && memcmp(dec, "foobar", 6) == 0,
       "base32: mixed case too");
}


static void
test_base32_long(void)
{
    char            enc[200];
    size_t          n, i, len, bad;
    mana_buf_t      b;
    unsigned char   src[100], dec[100];

    for (i = 0; i < sizeof(src); i++) {
        src[i] = (unsigned char) (i * 37 + 11);
    }

    /* every length, and so every final group and chunk boundary */
    bad = 0;

    for (n = 0; n <= sizeof(src); n++) {
        mana_buf_init(&b);
        mana_base32_encode_buf(&b, src, n);
        mana_base32_encode(enc, src, n);

        if (mana_buf_failed(&b) || b.len != mana_base32_encoded_len(n)
            || memcmp(b.data, enc, b.len) != 0
            || strspn(b.data, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") != b.len
            || mana_base32_decode(dec, sizeof(dec), &len, b.data, b.len)
               != MANA_BASE32_OK
            || len != n || memcmp(dec, src, n) != 0)
        {
            printf("# round trip failed at %zu bytes\n", n);
            bad++;
        }

        mana_buf_free(&b);
    }

    ok(bad == 0, "base32: 0 to 100 bytes encode to the alphabet and back");
}


static void
test_base32_rejects(void)
{
    char            enc[16];
    size_t          n, len, bad;
    unsigned char   dec[32], src[4] = { 0xa5, 0x5a, 0xc3, 0x3c };
    static char     big[16] = "AAAAAAAAAAAAAAAA";

    ok(mana_base32_decode(dec, sizeof(dec), &len, "MY======", 8)
       == MANA_BASE32_CHAR, "base32: padding refused");
    ok(mana_base32_decode(dec, sizeof(dec), &len, "MZXW6YQ=", 8)
       == MANA_BASE32_CHAR, "base32: one '=' refused");
    ok(mana_base32_decode(dec, sizeof(dec), &len, "MZXW6YT0", 8)
       == MANA_BASE32_CHAR, "base32: '0' is not in the alphabet");
    ok(mana_base32_decode(dec, sizeof(dec), &len, "MZXW6YT1", 8)
       == MANA_BASE32_CHAR, "base32: '1' is not either");
    ok(mana_base32_decode(dec, sizeof(dec), &len, "MZXW6YT8", 8)
       == MANA_BASE32_CHAR, "base32: nor '8'");
    ok(mana_base32_decode(dec, sizeof(dec), &len, "MZXW 6YTB", 9)
       == MANA_BASE32_LENGTH
       && mana_base32_decode(dec, sizeof(dec), &len, "MZX W6YTB", 9)
       == MANA_BASE32_LENGTH,
       "base32: an impossible length is refused before the characters");
    ok(mana_base32_decode(dec, sizeof(dec), &len, "MZXW6 YT", 8)
       == MANA_BASE32_CHAR, "base32: white space refused");
    ok(mana_base32_decode(dec, sizeof(dec), &len, "MZXW6YT\n", 8)
       == MANA_BASE32_CHAR, "base32: a newline refused");
    ok(mana_base32_decode(dec, sizeof(dec), &len, "MZ\0XW6YT", 8)
       == MANA_BASE32_CHAR, "base32: a NUL refused");
    ok(mana_base32_decode(dec, sizeof(dec), &len, "MZXW6YT\xc3", 8)
       == MANA_BASE32_CHAR, "base32: a non-ASCII byte refused");

    ok(mana_base32_decode(dec, sizeof(dec), &len, "M", 1)
       == MANA_BASE32_LENGTH, "base32: 1 character is no length");
    ok(mana_base32_decode(dec, sizeof(dec), &len, "MZX", 3)
       == MANA_BASE32_LENGTH, "base32: 3 characters are no length");
    ok(mana_base32_decode(dec, sizeof(dec), &len, "MZXW6Y", 6)
       == MANA_BASE32_LENGTH, "base32: 6 characters are no length");
    ok(mana_base32_decode(dec, sizeof(dec), &len, "MZXW6YTBO", 9)
       == MANA_BASE32_LENGTH, "base32: 9 (1 mod 8) characters neither");

    ok(mana_base32_decode(dec, sizeof(dec), &len, "MZ", 2)
       == MANA_BASE32_NONCANONICAL,
       "base32: \"MZ\" is \"f\" with a trailing 1 bit: refused");

    /* each final group length: set its lowest unused bit */
    bad = 0;

    for (n = 1; n <= 4; n++) {
        mana_base32_encode(enc, src, n);
        len = mana_base32_encoded_len(n);

        /* 'A'..'Z', '2'..'7' are 0..31: the last character's value + 1 */
        enc[len - 1] = enc[len - 1] == 'Z' ? '2' : enc[len - 1] + 1;

        if (mana_base32_decode(dec, sizeof(dec), &len, enc,
                               mana_base32_encoded_len(n))
            != MANA_BASE32_NONCANONICAL)
        {
            printf("# not refused: %zu bytes with a trailing bit\n", n);
            bad++;
        }
    }

    ok(bad == 0, "base32: non-zero trailing bits refused for 1-4 bytes");

    ok(mana_base32_decode(dec, 5, &len, "MZXW6YTBOI", 10)
       == MANA_BASE32_TOO_LONG && len == 0,
       "base32: 6 bytes into 5 refused");
    ok(mana_base32_decode(dec, 6, &len, "MZXW6YTBOI", 10)
       == MANA_BASE32_OK && len == 6, "base32: 6 bytes into 6 decoded");

    /* refused from the length alone: the 2^40 characters are never read */
    ok(mana_base32_decode(dec, sizeof(dec), &len, big, (size_t) 1 << 40)
       == MANA_BASE32_TOO_LONG, "base32: a huge input refused unread");
}


/* CBOR encoding: RFC 8949 Appendix A, the types supported */


typedef enum { V_UINT, V_INT, V_NEG_RAW, V_BYTES, V_TEXT } vkind_t;

static const struct {
    vkind_t      kind;
    uint64_t     u;
    int64_t      i;
    const char  *s;        /* bytes or text (hex for bytes) */
    const char  *hex;
} appendix_a[] = {
    { V_UINT, 0, 0, NULL, "00" },
    { V_UINT, 1, 0, NULL, "01" },
    { V_UINT, 10, 0, NULL, "0a" },
    { V_UINT, 23, 0, NULL, "17" },
    { V_UINT, 24, 0, NULL, "1818" },
    { V_UINT, 25, 0, NULL, "1819" },
    { V_UINT, 100, 0, NULL, "1864" },
    { V_UINT, 1000, 0, NULL, "1903e8" },
    { V_UINT, 1000000, 0, NULL, "1a000f4240" },
    { V_UINT, 1000000000000ULL, 0, NULL, "1b000000e8d4a51000" },
    { V_UINT, 18446744073709551615ULL, 0, NULL, "1bffffffffffffffff" },
    { V_NEG_RAW, 18446744073709551615ULL, 0, NULL, "3bffffffffffffffff" },
    { V_INT, 0, -1, NULL, "20" },
    { V_INT, 0, -10, NULL, "29" },
    { V_INT, 0, -100, NULL, "3863" },
    { V_INT, 0, -1000, NULL, "3903e7" },
    { V_INT, 0, 1000000, NULL, "1a000f4240" },
    { V_INT, 0, INT64_MIN, NULL, "3b7fffffffffffffff" },
    { V_BYTES, 0, 0, "", "40" },
    { V_BYTES, 0, 0, "01020304", "4401020304" },
    { V_TEXT, 0, 0, "", "60" },
    { V_TEXT, 0, 0, "a", "6161" },
    { V_TEXT, 0, 0, "IETF", "6449455446" },
    { V_TEXT, 0, 0, "\"\\", "62225c" },
    { V_TEXT, 0, 0, "\xc3\xbc", "62c3bc" },
    { V_TEXT, 0, 0, "\xe6\xb0\xb4", "63e6b0b4" },
    { V_TEXT, 0, 0, "\xf0\x90\x85\x91", "64f0908591" },
};


static void
test_cbor_scalars(void)
{
    size_t          i, n;
    mana_buf_t      b;
    unsigned char   bytes[16];

    for (i = 0; i < sizeof(appendix_a) / sizeof(appendix_a[0]); i++) {
        mana_buf_init(&b);

        switch (appendix_a[i].kind) {
        case V_UINT:
            mana_cbor_uint(&b, appendix_a[i].u);
            break;
        case V_INT:
            mana_cbor_int(&b, appendix_a[i].i);
            break;
        case V_NEG_RAW:
            mana_cbor_head(&b, MANA_CBOR_NINT, appendix_a[i].u);
            break;
        case V_BYTES:
            n = unhex(bytes, appendix_a[i].s);
            mana_cbor_bytes(&b, bytes, n);
            break;
        case V_TEXT:
            mana_cbor_text(&b, appendix_a[i].s, strlen(appendix_a[i].s));
            break;
        }

        ok(buf_is_hex(&b, appendix_a[i].hex), "cbor encodes %s",
           appendix_a[i].hex);
        mana_buf_free(&b);
    }
}


static void
test_cbor_containers(void)
{
    int              i;
    mana_buf_t       b, *v;
    mana_cbor_map_t  m, inner;
    const char      *letters = "abcde";
    char             upper;

    mana_buf_init(&b);
    mana_cbor_array(&b, 0);
    ok(buf_is_hex(&b, "80"), "cbor: []");
    mana_buf_free(&b);

    mana_buf_init(&b);
    mana_cbor_array(&b, 3);
    mana_cbor_uint(&b, 1);
    mana_cbor_array(&b, 2);
    mana_cbor_uint(&b, 2);
    mana_cbor_uint(&b, 3);
    mana_cbor_array(&b, 2);
    mana_cbor_uint(&b, 4);
    mana_cbor_uint(&b, 5);
    ok(buf_is_hex(&b, "8301820203820405"), "cbor: [1, [2, 3], [4, 5]]");
    mana_buf_free(&b);

    mana_buf_init(&b);
    mana_cbor_array(&b, 25);
    for (i = 1; i <= 25; i++) {
        mana_cbor_uint(&b, (uint64_t) i);
    }
    ok(buf_is_hex(&b, "98190102030405060708090a0b0c0d0e0f101112131415161718"
                      "181819"), "cbor: [1, 2, ..., 25]");
    mana_buf_free(&b);

    mana_buf_init(&b);
    mana_cbor_map_init(&m);
    ok(mana_cbor_map_end(&m, &b) == 0 && buf_is_hex(&b, "a0"), "cbor: {}");
    mana_buf_free(&b);

    /* entries added out of order come out sorted */
    mana_buf_init(&b);
    mana_cbor_map_init(&m);
    mana_cbor_uint(mana_cbor_map_key(&m), 3);
    mana_cbor_uint(mana_cbor_map_value(&m), 4);
    mana_cbor_uint(mana_cbor_map_key(&m), 1);
    mana_cbor_uint(mana_cbor_map_value(&m), 2);
    ok(mana_cbor_map_end(&m, &b) == 0 && buf_is_hex(&b, "a201020304"),
       "cbor: {1: 2, 3: 4}, given as {3: 4, 1: 2}");
    mana_buf_free(&b);

    mana_buf_init(&b);
    mana_cbor_map_init(&m);
    mana_cbor_text(mana_cbor_map_key(&m), "b", 1);
    v = mana_cbor_map_value(&m);
    mana_cbor_array(v, 2);
    mana_cbor_uint(v, 2);
    mana_cbor_uint(v, 3);
    mana_cbor_text(mana_cbor_map_key(&m), "a", 1);
    mana_cbor_uint(mana_cbor_map_value(&m), 1);
    ok(mana_cbor_map_end(&m, &b) == 0
       && buf_is_hex(&b, "a26161016162820203"),
       "cbor: {\"a\": 1, \"b\": [2, 3]}, with a value of several items");
    mana_buf_free(&b);

    mana_buf_init(&b);
    mana_cbor_array(&b, 2);
    mana_cbor_text(&b, "a", 1);
    mana_cbor_map_init(&inner);
    mana_cbor_text(mana_cbor_map_key(&inner), "b", 1);
    mana_cbor_text(mana_cbor_map_value(&inner), "c", 1);
    ok(mana_cbor_map_end(&inner, &b) == 0
       && buf_is_hex(&b, "826161a161626163"), "cbor: [\"a\", {\"b\": \"c\"}]");
    mana_buf_free(&b);

    mana_buf_init(&b);
    mana_cbor_map_init(&m);
    for (i = 4; i >= 0; i--) {
        upper = (char) (letters[i] - 'a' + 'A');
        mana_cbor_text(mana_cbor_map_key(&m), &letters[i], 1);
        mana_cbor_text(mana_cbor_map_value(&m), &upper, 1);
    }
    ok(mana_cbor_map_end(&m, &b) == 0
       && buf_is_hex(&b, "a56161614161626142616361436164614461656145"),
       "cbor: {\"a\": \"A\", ..., \"e\": \"E\"}, given backwards");
    mana_buf_free(&b);

    /* tags */
    mana_buf_init(&b);
    mana_cbor_tag(&b, 0);
    mana_cbor_text(&b, "2013-03-21T20:04:00Z", 20);
    ok(buf_is_hex(&b, "c074323031332d30332d32315432303a30343a30305a"),
       "cbor: 0(\"2013-03-21T20:04:00Z\")");
    mana_buf_free(&b);

    mana_buf_init(&b);
    mana_cbor_tag(&b, 1);
    mana_cbor_uint(&b, 1363896240);
    ok(buf_is_hex(&b, "c11a514b67b0"), "cbor: 1(1363896240)");
    mana_buf_free(&b);

    mana_buf_init(&b);
    mana_cbor_tag(&b, 23);
    mana_cbor_bytes(&b, "\x01\x02\x03\x04", 4);
    ok(buf_is_hex(&b, "d74401020304"), "cbor: 23(h'01020304')");
    mana_buf_free(&b);

    mana_buf_init(&b);
    mana_cbor_tag(&b, 24);
    mana_cbor_bytes(&b, "\x64IETF", 5);
    ok(buf_is_hex(&b, "d818456449455446"), "cbor: 24(h'6449455446')");
    mana_buf_free(&b);

    mana_buf_init(&b);
    mana_cbor_tag(&b, 32);
    mana_cbor_text(&b, "http://www.example.com", 22);
    ok(buf_is_hex(&b, "d82076687474703a2f2f7777772e6578616d706c652e636f6d"),
       "cbor: 32(\"http://www.example.com\")");
    mana_buf_free(&b);
}


static void
test_cbor_key_order(void)
{
    size_t           i;
    mana_buf_t       b;
    mana_cbor_map_t  m;
    static const int order[] = { 5, 2, 6, 0, 3, 1, 4 };

    /*
     * RFC 8949 4.2.1's example: 10, 100, -1, "z", "aa", [100], [-1] in
     * bytewise order of their encodings (so 100 before -1, unlike the
     * length-first order of RFC 7049).  Added scrambled, valued by rank.
     */
    mana_buf_init(&b);
    mana_cbor_map_init(&m);

    for (i = 0; i < 7; i++) {
        mana_buf_t  *k = mana_cbor_map_key(&m);

        switch (order[i]) {
        case 0: mana_cbor_uint(k, 10); break;
        case 1: mana_cbor_uint(k, 100); break;
        case 2: mana_cbor_int(k, -1); break;
        case 3: mana_cbor_text(k, "z", 1); break;
        case 4: mana_cbor_text(k, "aa", 2); break;
        case 5: mana_cbor_array(k, 1); mana_cbor_uint(k, 100); break;
        case 6: mana_cbor_array(k, 1); mana_cbor_int(k, -1); break;
        }

        mana_cbor_uint(mana_cbor_map_value(&m), (uint64_t) order[i]);
    }

    ok(mana_cbor_map_end(&m, &b) == 0
       && buf_is_hex(&b, "a70a001864012002617a03626161048118640581200"
                         "6"), "cbor: RFC 8949 4.2.1 key order");
    mana_buf_free(&b);

    mana_buf_init(&b);
    mana_cbor_map_init(&m);
    mana_cbor_text(mana_cbor_map_key(&m), "k", 1);
    mana_cbor_uint(mana_cbor_map_value(&m), 1);
    mana_cbor_text(mana_cbor_map_key(&m), "k", 1);
    mana_cbor_uint(mana_cbor_map_value(&m), 2);
    ok(mana_cbor_map_end(&m, &b) == -1 && b.len == 0,
       "cbor: a repeated key fails the map, nothing written");
    mana_buf_free(&b);

    mana_buf_init(&b);
    mana_cbor_map_init(&m);
    mana_cbor_uint(mana_cbor_map_key(&m), 1);
    ok(mana_cbor_map_end(&m, &b) == -1, "cbor: a key without a value fails");
    mana_buf_free(&b);

    mana_buf_init(&b);
    mana_cbor_map_init(&m);
    mana_cbor_uint(mana_cbor_map_value(&m), 1);
    ok(mana_cbor_map_end(&m, &b) == -1, "cbor: a value without a key fails");
    mana_buf_free(&b);

    mana_buf_init(&b);
    mana_cbor_map_init(&m);
    mana_cbor_uint(mana_cbor_map_key(&m), 1);
    mana_cbor_uint(mana_cbor_map_value(&m), 1);
    mana_cbor_uint(mana_cbor_map_value(&m), 2);
    ok(mana_cbor_map_end(&m, &b) == -1, "cbor: two values for a key fail");
    mana_buf_free(&b);

    mana_buf_init(&b);
    mana_cbor_map_init(&m);
    mana_cbor_map_key(&m);
    mana_cbor_uint(mana_cbor_map_value(&m), 1);
    ok(mana_cbor_map_end(&m, &b) == -1, "cbor: an empty key fails");
    mana_buf_free(&b);

    /* a map large enough to regrow its bookkeeping */
    mana_buf_init(&b);
    mana_cbor_map_init(&m);
    for (i = 40; i > 0; i--) {
        mana_cbor_uint(mana_cbor_map_key(&m), i);
        mana_cbor_uint(mana_cbor_map_value(&m), 0);
    }
    ok(mana_cbor_map_end(&m, &b) == 0 && b.len == 2 + 23 * 2 + 17 * 3
       && memcmp(b.data, "\xb8\x28\x01\x00\x02\x00", 6) == 0
       && memcmp(b.data + b.len - 3, "\x18\x28\x00", 3) == 0,
       "cbor: 40 keys given backwards come out sorted");
    mana_buf_free(&b);
}


/* decoding */


/* re-encodes one item from the decoder: the round trip of the encoder */
static int
reencode(mana_cbor_dec_t *d, mana_buf_t *b)
{
    int                   t;
    size_t                n, i;
    int64_t               v;
    uint64_t              u;
    const char           *s;
    const unsigned char  *p;

    t = mana_cbor_peek(d);

    switch (t) {
    case MANA_CBOR_UINT:
        if (mana_cbor_get_uint(d, &u) != 0) {
            return -1;
        }
        mana_cbor_uint(b, u);
        return 0;

    case MANA_CBOR_NINT:
        if (mana_cbor_get_int(d, &v) != 0) {
            return -1;
        }
        mana_cbor_int(b, v);
        return 0;

    case MANA_CBOR_BYTES:
        if (mana_cbor_get_bytes(d, &p, &n) != 0) {
            return -1;
        }
        mana_cbor_bytes(b, p, n);
        return 0;

    case MANA_CBOR_TEXT:
        if (mana_cbor_get_text(d, &s, &n) != 0) {
            return -1;
        }
        mana_cbor_text(b, s, n);
        return 0;

    case MANA_CBOR_ARRAY:
        if (mana_cbor_get_array(d, &n) != 0) {
            return -1;
        }
        mana_cbor_array(b, n);
        for (i = 0; i < n; i++) {
            if (reencode(d, b) != 0) {
                return -1;
            }
        }
        return 0;

    case MANA_CBOR_MAP:
        if (mana_cbor_get_map(d, &n) != 0) {
            return -1;
        }
        mana_cbor_head(b, MANA_CBOR_MAP, n);
        for (i = 0; i < 2 * n; i++) {
            if (reencode(d, b) != 0) {
                return -1;
            }
        }
        return 0;

    case MANA_CBOR_TAG:
        if (mana_cbor_get_tag(d, &u) != 0) {
            return -1;
        }
        mana_cbor_tag(b, u);
        return reencode(d, b);
    }

    return -1;
}


static const char  *decodable[] = {
    "00", "17", "1818", "1bffffffffffffffff", "20", "3903e7",
    "3b7fffffffffffffff", "40", "4401020304", "60", "64f0908591",
    "80", "8301820203820405",
    "98190102030405060708090a0b0c0d0e0f101112131415161718181819",
    "a0", "a201020304", "a26161016162820203", "826161a161626163",
    "a56161614161626142616361436164614461656145",
    "c074323031332d30332d32315432303a30343a30305a", "c11a514b67b0",
    "d74401020304", "d818456449455446",
    "d82076687474703a2f2f7777772e6578616d706c652e636f6d",
    "a21864002000",         /* {100: 0, -1: 0}: bytewise, not by length */
    "a201a1020002a10100",   /* {1: {2: 0}, 2: {1: 0}}: an order per map */
    "a26161006162a0",
};


static void
test_cbor_decode(void)
{
    size_t           i, n;
    mana_buf_t       b;
    unsigned char    in[128];
    mana_cbor_dec_t  d;

    for (i = 0; i < sizeof(decodable) / sizeof(decodable[0]); i++) {
        n = unhex(in, decodable[i]);

        mana_cbor_dec_init(&d, in, n, 4, 64);
        mana_buf_init(&b);
        ok(reencode(&d, &b) == 0 && mana_cbor_dec_finish(&d) == 0
           && buf_is_hex(&b, decodable[i]), "cbor decodes and re-encodes %s",
           decodable[i]);
        if (d.err) {
            printf("#   %s\n", d.err);
        }
        mana_buf_free(&b);

        mana_cbor_dec_init(&d, in, n, 4, 64);
        ok(mana_cbor_skip(&d) == 0 && mana_cbor_dec_finish(&d) == 0,
           "cbor skips %s whole", decodable[i]);
    }
}


static void
test_cbor_decode_values(void)
{
    size_t           n;
    int64_t          v;
    uint64_t         u;
    const char      *s;
    unsigned char    in[32];
    mana_cbor_dec_t  d;

    n = unhex(in, "1bffffffffffffffff");
    mana_cbor_dec_init(&d, in, n, 1, 1);
    ok(mana_cbor_get_uint(&d, &u) == 0 && u == UINT64_MAX,
       "cbor: the largest unsigned integer");

    mana_cbor_dec_init(&d, in, n, 1, 1);
    ok(mana_cbor_get_int(&d, &v) == -1
       && strcmp(d.err, "an integer out of range") == 0,
       "cbor: ... which is no int64_t");

    n = unhex(in, "3bffffffffffffffff");
    mana_cbor_dec_init(&d, in, n, 1, 1);
    ok(mana_cbor_get_int(&d, &v) == -1
       && strcmp(d.err, "an integer out of range") == 0,
       "cbor: -2^64 is no int64_t either");

    n = unhex(in, "3b7fffffffffffffff");
    mana_cbor_dec_init(&d, in, n, 1, 1);
    ok(mana_cbor_get_int(&d, &v) == 0 && v == INT64_MIN,
       "cbor: -2^63 is INT64_MIN");

    n = unhex(in, "3903e7");
    mana_cbor_dec_init(&d, in, n, 1, 1);
    ok(mana_cbor_get_int(&d, &v) == 0 && v == -1000, "cbor: -1000");

    n = unhex(in, "64f0908591");
    mana_cbor_dec_init(&d, in, n, 1, 1);
    ok(mana_cbor_get_text(&d, &s, &n) == 0 && n == 4
       && memcmp(s, "\xf0\x90\x85\x91", 4) == 0
       && mana_cbor_dec_finish(&d) == 0, "cbor: text of four bytes");

    n = unhex(in, "20");
    mana_cbor_dec_init(&d, in, n, 1, 1);
    ok(mana_cbor_get_uint(&d, &u) == -1
       && strcmp(d.err, "an item of another type") == 0,
       "cbor: -1 is not an unsigned integer");

    n = unhex(in, "6161");
    mana_cbor_dec_init(&d, in, n, 1, 1);
    ok(mana_cbor_peek(&d) == MANA_CBOR_TEXT
       && mana_cbor_get_uint(&d, &u) == -1
       && mana_cbor_peek(&d) == -1 && mana_cbor_dec_finish(&d) == -1,
       "cbor: the first error sticks");
}


static const struct {
    const char  *hex;
    const char  *err;
    const char  *what;
} refused[] = {
    { "", "unexpected end of input", "nothing" },
    { "0000", "trailing bytes", "a second item" },
    { "8201", "more items than the input holds", "an array cut short" },
    { "820102", NULL, "an array read half" },
    { "1901", "unexpected end of input", "a head cut short" },
    { "1b00000000000000", "unexpected end of input", "an 8-byte head cut" },
    { "6261", "a string longer than the input", "a text cut short" },
    { "5affffffff00", "a string longer than the input", "a 4 GB bstr" },
    { "5bffffffffffffffff00", "a string longer than the input",
      "a 2^64 - 1 byte bstr" },
    { "9bffffffffffffffff", "too many items", "2^64 - 1 items" },
    { "99ffff00", "too many items", "65535 items" },
    { "bbffffffffffffffff", "too many items", "2^64 - 1 pairs" },
    { "a30102", "more items than the input holds", "a map cut short" },

    { "5f42010243030405ff", "an indefinite length", "an indefinite bstr" },
    { "7f657374726561646d696e67ff", "an indefinite length",
      "an indefinite text" },
    { "9fff", "an indefinite length", "an indefinite array" },
    { "bf61610161629f0203ffff", "an indefinite length",
      "an indefinite map" },
    { "ff", "a float or simple value", "a lone break" },

    { "1817", "a head longer than needed", "23 in two bytes" },
    { "1900ff", "a head longer than needed", "255 in three bytes" },
    { "1a0000ffff", "a head longer than needed", "65535 in five bytes" },
    { "1b00000000ffffffff", "a head longer than needed",
      "2^32 - 1 in nine bytes" },
    { "3817", "a head longer than needed", "-24 in two bytes" },
    { "580100", "a head longer than needed", "a bstr length too long" },
    { "78016100", "a head longer than needed", "a text length too long" },
    { "9800", "a head longer than needed", "an array length too long" },
    { "b800", "a head longer than needed", "a map length too long" },
    { "d80001", "a head longer than needed", "a tag too long" },

    { "1c", "reserved additional information", "additional info 28" },
    { "3d", "reserved additional information", "additional info 29" },
    { "5e", "reserved additional information", "additional info 30" },

    { "f4", "a float or simple value", "false" },
    { "f5", "a float or simple value", "true" },
    { "f6", "a float or simple value", "null" },
    { "f7", "a float or simple value", "undefined" },
    { "f820", "a float or simple value", "simple(32)" },
    { "f93c00", "a float or simple value", "a half float" },
    { "fa47c35000", "a float or simple value", "a single float" },
    { "fb3ff199999999999a", "a float or simple value", "a double" },
    { "81f4", "a float or simple value", "false in an array" },
    { "8201f4", "a float or simple value", "false after an item" },

    { "a2020001 00", "map keys out of order", "{2: 0, 1: 0}" },
    { "a201000100", "a repeated map key", "{1: 0, 1: 0}" },
    { "a220001864 00", "map keys out of order",
      "{-1: 0, 100: 0} (the length-first order)" },
    { "a2626161006161 00", "map keys out of order",
      "{\"aa\": 0, \"a\": 0}" },
    { "a2616100616100", "a repeated map key", "{\"a\": 0, \"a\": 0}" },
    { "a1800000", "a map key that is not an integer or a string",
      "an array as a key" },
    { "a1a00000", "a map key that is not an integer or a string",
      "a map as a key" },
    { "a1c10000", "a map key that is not an integer or a string",
      "a tagged key" },

    { "62c328", "text that is not UTF-8", "a broken sequence" },
    { "62c080", "text that is not UTF-8", "an overlong NUL" },
    { "63eda080", "text that is not UTF-8", "a surrogate" },
    { "a162c32800", "text that is not UTF-8", "a bad key" },

    { "818181818181818181818181818181818101", "nested too deep",
      "17 arrays for a depth of 16" },
    { "c1", "unexpected end of input", "a tag of nothing" },
};


static void
test_cbor_refused(void)
{
    char             hex[64];
    size_t           i, j, n;
    unsigned char    in[64];
    mana_cbor_dec_t  d;

    for (i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {

        /* the table's spaces are for reading */
        for (j = 0, n = 0; refused[i].hex[j]; j++) {
            if (refused[i].hex[j] != ' ') {
                hex[n++] = refused[i].hex[j];
            }
        }
        hex[n] = '\0';
        n = unhex(in, hex);

        mana_cbor_dec_init(&d, in, n, 16, 1000);

        if (strcmp(hex, "820102") == 0) {
            /* read the array and one item, then claim to be done */
            size_t    items;
            uint64_t  u;

            ok(mana_cbor_get_array(&d, &items) == 0
               && mana_cbor_get_uint(&d, &u) == 0
               && mana_cbor_dec_finish(&d) == -1
               && strcmp(d.err, "an unfinished item") == 0,
               "cbor refuses %s: %s", refused[i].what, d.err);
            continue;
        }

        ok((mana_cbor_skip(&d) != 0 || mana_cbor_dec_finish(&d) != 0)
           && d.err != NULL && strcmp(d.err, refused[i].err) == 0,
           "cbor refuses %s (%s): %s", refused[i].what, hex,
           d.err ? d.err : "accepted");
    }
}


static void
test_cbor_limits(void)
{
    size_t           n;
    unsigned char    in[32];
    mana_cbor_dec_t  d;

    n = unhex(in, "8181818101");
    mana_cbor_dec_init(&d, in, n, 4, 8);
    ok(mana_cbor_skip(&d) == 0 && mana_cbor_dec_finish(&d) == 0,
       "cbor: 4 arrays deep within a depth of 4");

    mana_cbor_dec_init(&d, in, n, 3, 8);
    ok(mana_cbor_skip(&d) == -1 && strcmp(d.err, "nested too deep") == 0,
       "cbor: not within a depth of 3");

    n = unhex(in, "83010203");
    mana_cbor_dec_init(&d, in, n, 1, 3);
    ok(mana_cbor_skip(&d) == 0, "cbor: 3 items within a limit of 3");
    mana_cbor_dec_init(&d, in, n, 1, 2);
    ok(mana_cbor_skip(&d) == -1 && strcmp(d.err, "too many items") == 0,
       "cbor: not within a limit of 2");

    n = unhex(in, "a201020304");
    mana_cbor_dec_init(&d, in, n, 1, 2);
    ok(mana_cbor_skip(&d) == 0, "cbor: a map of 2 pairs within 2 items");
    mana_cbor_dec_init(&d, in, n, 1, 1);
    ok(mana_cbor_skip(&d) == -1, "cbor: not within 1");
}


int
main(void)
{
    test_base32_vectors();
    test_base32_long();
    test_base32_rejects();
    test_cbor_scalars();
    test_cbor_containers();
    test_cbor_key_order();
    test_cbor_decode();
    test_cbor_decode_values();
    test_cbor_refused();
    test_cbor_limits();

    return done_testing();
}
