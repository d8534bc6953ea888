/*
 * Document links (lib/mana_doclink.c): the token against bytes computed
 * here with OpenSSL, its expiry to the second, every bit and character
 * altered, other keys, bad lengths and alphabets, and the key file.
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "tap.h"
#include "mana_doclink.h"


static const unsigned char  key[] = "0123456789abcdef0123456789abcdef!";
static const unsigned char  cti[12] = {
    0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, 0xfe, 0xdc, 0xba, 0x98
};

#define KEY_LEN  (sizeof(key) - 1)


/* the token as the format says, from OpenSSL's HMAC and base64 */
static void
expected_token(char *out, const unsigned char *k, size_t klen,
    int64_t expires)
{
    char           b64[64], *p;
    unsigned int   n;
    unsigned char  msg[64], raw[32], mac[32];
    size_t         m;

    m = 0;
    memcpy(msg, "mana-doclink/1", 15);          /* with its NUL */
    m += 15;
    memcpy(msg + m, cti, 12);
    m += 12;
    msg[m++] = (unsigned char) (expires >> 24);
    msg[m++] = (unsigned char) (expires >> 16);
    msg[m++] = (unsigned char) (expires >> 8);
    msg[m++] = (unsigned char) expires;

    HMAC(EVP_sha256(), k, (int) klen, msg, m, mac, &n);

    memcpy(raw, msg + 15, 16);
    memcpy(raw + 16, mac, 16);

    EVP_EncodeBlock((unsigned char *) b64, raw, 32);

    /* base64url without padding */
    for (p = b64; *p; p++) {
        if (*p == '+') {
            *p = '-';
        } else if (*p == '/') {
            *p = '_';
        } else if (*p == '=') {
            *p = '\0';
            break;
        }
    }

    strcpy(out, b64);
}


static void
test_token(void)
{
    char                tok[MANA_DOCLINK_TOKEN_LEN + 1], want[64];
    int64_t             exp, got_exp;
    unsigned char       got[12];
    mana_doclink_rc_e   rc;

    exp = 1798761600;   /* 2027-01-01 */

    ok(mana_doclink_token(tok, key, KEY_LEN, cti, exp) == 0, "a token");
    expected_token(want, key, KEY_LEN, exp);
    is_str(tok, want, "its bytes are the format's, as OpenSSL computes them");
    ok(strlen(tok) == MANA_DOCLINK_TOKEN_LEN, "43 characters");
    ok(strspn(tok, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                   "0123456789-_") == MANA_DOCLINK_TOKEN_LEN,
       "all of them base64url");

    memset(got, 0, sizeof(got));
    rc = mana_doclink_check(tok, strlen(tok), key, KEY_LEN, exp - 1, got,
                            &got_exp);
    ok(rc == MANA_DOCLINK_OK, "it checks a second before its expiry");
    ok(memcmp(got, cti, 12) == 0, "and names the certificate");
    ok(got_exp == exp, "and its expiry");

    rc = mana_doclink_check(tok, strlen(tok), key, KEY_LEN, exp, got,
                            &got_exp);
    ok(rc == MANA_DOCLINK_EXPIRED, "at its expiry it has expired");
    ok(mana_doclink_check(tok, strlen(tok), key, KEY_LEN, exp + 86400 * 365,
                          got, &got_exp) == MANA_DOCLINK_EXPIRED,
       "and a year later");

    ok(mana_doclink_check(tok, strlen(tok), (const unsigned char *)
                          "0123456789abcdef0123456789abcdeF!", KEY_LEN,
                          exp - 1, got, &got_exp) == MANA_DOCLINK_FORGED,
       "another key's check refuses it");
    ok(mana_doclink_check(tok, strlen(tok), key, KEY_LEN - 2, exp - 1, got,
                          &got_exp) == MANA_DOCLINK_FORGED,
       "so does a short key's");
}


/* every character replaced by every other base64url one: never accepted */
static void
test_altered(void)
{
    char           tok[MANA_DOCLINK_TOKEN_LEN + 1], t[MANA_DOCLINK_TOKEN_LEN + 1];
    size_t         i, j, tried, accepted;
    int64_t        exp, got_exp;
    unsigned char  got[12];
    static const char  alpha[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                 "abcdefghijklmnopqrstuvwxyz0123456789-_";

    exp = 1798761600;
    mana_doclink_token(tok, key, KEY_LEN, cti, exp);

    tried = 0;
    accepted = 0;

    for (i = 0; i < MANA_DOCLINK_TOKEN_LEN; i++) {
        for (j = 0; j < sizeof(alpha) - 1; j++) {
            if (alpha[j] == tok[i]) {
                continue;
            }

            memcpy(t, tok, sizeof(t));
            t[i] = alpha[j];
            tried++;

            if (mana_doclink_check(t, MANA_DOCLINK_TOKEN_LEN, key, KEY_LEN,
                                   exp - 1, got, &got_exp)
                == MANA_DOCLINK_OK
                || mana_doclink_check(t, MANA_DOCLINK_TOKEN_LEN, key,
                                      KEY_LEN, 0, got, &got_exp)
                   == MANA_DOCLINK_OK)
            {
                accepted++;
            }
        }
    }

    ok(tried == 43 * 63 && accepted == 0,
       "none of %zu one-character changes is accepted", tried);

    /* a later expiry, written into a copy of a genuine token */
    mana_doclink_token(t, key, KEY_LEN, cti, exp + 86400);
    memcpy(t + 22, tok + 22, MANA_DOCLINK_TOKEN_LEN - 22);
    ok(mana_doclink_check(t, MANA_DOCLINK_TOKEN_LEN, key, KEY_LEN, exp - 1,
                          got, &got_exp) == MANA_DOCLINK_FORGED,
       "an expiry moved later under the old mac is forged");
}


static void
test_malformed(void)
{
    char           tok[MANA_DOCLINK_TOKEN_LEN + 2];
    int64_t        got_exp;
    unsigned char  got[12];

    mana_doclink_token(tok, key, KEY_LEN, cti, 1798761600);

    ok(mana_doclink_check(tok, 42, key, KEY_LEN, 0, got, &got_exp)
       == MANA_DOCLINK_MALFORMED, "42 characters: malformed");
    tok[43] = 'A';
    tok[44] = '\0';
    ok(mana_doclink_check(tok, 44, key, KEY_LEN, 0, got, &got_exp)
       == MANA_DOCLINK_MALFORMED, "44 characters: malformed");
    ok(mana_doclink_check("", 0, key, KEY_LEN, 0, got, &got_exp)
       == MANA_DOCLINK_MALFORMED, "none: malformed");
    tok[43] = '\0';
    tok[5] = '+';
    ok(mana_doclink_check(tok, 43, key, KEY_LEN, 0, got, &got_exp)
       == MANA_DOCLINK_MALFORMED, "'+' (base64, not base64url): malformed");
    tok[5] = '%';
    ok(mana_doclink_check(tok, 43, key, KEY_LEN, 0, got, &got_exp)
       == MANA_DOCLINK_MALFORMED, "'%%': malformed");

    ok(mana_doclink_token(tok, key, 31, cti, 1798761600) == -1,
       "no token from a 31-byte key");
    ok(mana_doclink_token(tok, key, KEY_LEN, cti, (int64_t) UINT32_MAX + 1)
       == -1, "nor for an expiry past 2106");
    ok(mana_doclink_token(tok, key, KEY_LEN, cti, 0) == -1,
       "nor for none");
}


static void
test_key_file(void)
{
    int            n;
    char           path[] = "/tmp/mana-doclink-XXXXXX", err[256];
    FILE          *f;
    unsigned char  k[64];
    int            fd;

    fd = mkstemp(path);
    f = fdopen(fd, "w");
    fputs("c2VjcmV0IGtleSBvZiBhdCBsZWFzdCAzMiBieXRlcw==\n", f);
    fclose(f);

    n = mana_doclink_key_read(path, k, sizeof(k), err, sizeof(err));
    ok(n == 44 && memcmp(k, "c2VjcmV0IGtleSBvZiBhdCBsZWFzdCAzMiBieXRlcw==", 44)
       == 0, "a key file's text is the key, without its newline");

    f = fopen(path, "w");
    fputs("too short\n", f);
    fclose(f);
    n = mana_doclink_key_read(path, k, sizeof(k), err, sizeof(err));
    ok(n == -1 && strstr(err, "at least 32 bytes") != NULL,
       "a short key is refused: %s", err);

    f = fopen(path, "w");
    for (n = 0; n < 70; n++) {
        fputc('k', f);
    }
    fclose(f);
    n = mana_doclink_key_read(path, k, sizeof(k), err, sizeof(err));
    ok(n == -1 && strstr(err, "longer than") != NULL,
       "one longer than the room for it too: %s", err);

    unlink(path);
    n = mana_doclink_key_read(path, k, sizeof(k), err, sizeof(err));
    ok(n == -1 && strstr(err, "cannot read") != NULL,
       "a missing file says so: %s", err);
}


int
main(void)
{
    test_token();
    test_altered();
    test_malformed();
    test_key_file();

    return done_testing();
}
