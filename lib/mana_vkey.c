#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "mana_base64.h"
#include "mana_hex.h"
#include "mana_vkey.h"


int
mana_vkey_name_ok(const char *name, size_t n)
{
    size_t  i;

    if (n == 0 || n > MANA_VKEY_NAME_MAX) {
        return 0;
    }

    for (i = 0; i < n; i++) {
        if (name[i] <= ' ' || name[i] > '~' || name[i] == '+') {
            return 0;
        }
    }

    return 1;
}


int
mana_vkey_hash(unsigned char hash[MANA_VKEY_HASH_LEN], const char *name,
    size_t n, const unsigned char pub[32])
{
    int            ok;
    unsigned char  md[EVP_MAX_MD_SIZE], alg;
    EVP_MD_CTX    *ctx;

    if (!mana_vkey_name_ok(name, n)) {
        return -1;
    }

    ctx = EVP_MD_CTX_new();
    if (ctx == NULL) {
        return -1;
    }

    alg = MANA_VKEY_ALG_ED25519;

    ok = EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) == 1
         && EVP_DigestUpdate(ctx, name, n) == 1
         && EVP_DigestUpdate(ctx, "\n", 1) == 1
         && EVP_DigestUpdate(ctx, &alg, 1) == 1
         && EVP_DigestUpdate(ctx, pub, 32) == 1
         && EVP_DigestFinal_ex(ctx, md, NULL) == 1;

    EVP_MD_CTX_free(ctx);

    if (!ok) {
        return -1;
    }

    memcpy(hash, md, MANA_VKEY_HASH_LEN);

    return 0;
}


int
mana_vkey_format(mana_buf_t *out, const char *name, size_t n,
    const unsigned char pub[32])
{
    char           hex[2 * MANA_VKEY_HASH_LEN];
    unsigned char  hash[MANA_VKEY_HASH_LEN], key[33];

    if (mana_vkey_hash(hash, name, n, pub) != 0) {
        return -1;
    }

    mana_hex_encode(hex, hash, sizeof(hash));

    key[0] = MANA_VKEY_ALG_ED25519;
    memcpy(key + 1, pub, 32);

    mana_buf_add(out, name, n);
    mana_buf_add(out, "+", 1);
    mana_buf_add(out, hex, sizeof(hex));
    mana_buf_add(out, "+", 1);
    mana_base64_encode_buf(MANA_BASE64_STD, out, key, sizeof(key));

    return mana_buf_failed(out) ? -1 : 0;
}


int
mana_vkey_parse(const char *s, size_t n, const char **name,
    size_t *name_len, unsigned char pub[32])
{
    size_t          len, nlen;
    const char     *p1, *p2;
    unsigned char   want[MANA_VKEY_HASH_LEN], got[MANA_VKEY_HASH_LEN];
    unsigned char   key[33];

    /* the name holds no '+': the first two split the three parts */
    p1 = memchr(s, '+', n);
    if (p1 == NULL) {
        return -1;
    }

    nlen = (size_t) (p1 - s);
    p2 = p1 + 1;

    if ((size_t) (s + n - p2) < 2 * MANA_VKEY_HASH_LEN + 1
        || p2[2 * MANA_VKEY_HASH_LEN] != '+'
        || mana_hex_decode(got, p2, MANA_VKEY_HASH_LEN) != 0)
    {
        return -1;
    }

    p2 += 2 * MANA_VKEY_HASH_LEN + 1;

    if (mana_base64_decode(MANA_BASE64_STD, key, sizeof(key), &len, p2,
                           (size_t) (s + n - p2)) != 0
        || len != sizeof(key) || key[0] != MANA_VKEY_ALG_ED25519)
    {
        return -1;
    }

    if (mana_vkey_hash(want, s, nlen, key + 1) != 0
        || CRYPTO_memcmp(want, got, sizeof(want)) != 0)
    {
        return -1;
    }

    memcpy(pub, key + 1, 32);
    *name = s;
    *name_len = nlen;

    return 0;
}
