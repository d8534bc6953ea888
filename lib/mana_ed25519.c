#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "mana_ed25519.h"


int
mana_ed25519_keygen(unsigned char seed[MANA_ED25519_SEED_LEN],
    unsigned char pub[MANA_ED25519_PUB_LEN])
{
    /* RAND_priv_bytes: the generator OpenSSL keeps for long-term secrets */
    if (RAND_priv_bytes(seed, MANA_ED25519_SEED_LEN) != 1
        || mana_ed25519_public_of(pub, seed) != 0)
    {
        OPENSSL_cleanse(seed, MANA_ED25519_SEED_LEN);
        return -1;
    }

    return 0;
}


int
mana_ed25519_public_of(unsigned char pub[MANA_ED25519_PUB_LEN],
    const unsigned char seed[MANA_ED25519_SEED_LEN])
{
    int        rc;
    EVP_PKEY  *key;

    key = mana_ed25519_private_key(seed);
    if (key == NULL) {
        return -1;
    }

    rc = mana_ed25519_raw_public(key, pub);
    EVP_PKEY_free(key);

    return rc;
}


EVP_PKEY *
mana_ed25519_private_key(const unsigned char seed[MANA_ED25519_SEED_LEN])
{
    return EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, seed,
                                        MANA_ED25519_SEED_LEN);
}


EVP_PKEY *
mana_ed25519_public_key(const unsigned char pub[MANA_ED25519_PUB_LEN])
{
    return EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, pub,
                                       MANA_ED25519_PUB_LEN);
}


int
mana_ed25519_raw_public(EVP_PKEY *key, unsigned char pub[MANA_ED25519_PUB_LEN])
{
    size_t  len;

    len = MANA_ED25519_PUB_LEN;

    if (key == NULL || EVP_PKEY_get_id(key) != EVP_PKEY_ED25519
        || EVP_PKEY_get_raw_public_key(key, pub, &len) != 1
        || len != MANA_ED25519_PUB_LEN)
    {
        return -1;
    }

    return 0;
}


int
mana_ed25519_sign(unsigned char sig[MANA_ED25519_SIG_LEN], EVP_PKEY *key,
    const unsigned char *msg, size_t n)
{
    int          rc;
    size_t       len;
    EVP_MD_CTX  *ctx;

    if (key == NULL || EVP_PKEY_get_id(key) != EVP_PKEY_ED25519) {
        return -1;
    }

    ctx = EVP_MD_CTX_new();
    if (ctx == NULL) {
        return -1;
    }

    len = MANA_ED25519_SIG_LEN;

    rc = EVP_DigestSignInit(ctx, NULL, NULL, NULL, key) == 1
         && EVP_DigestSign(ctx, sig, &len, msg, n) == 1
         && len == MANA_ED25519_SIG_LEN;

    EVP_MD_CTX_free(ctx);

    return rc ? 0 : -1;
}


int
mana_ed25519_verify(EVP_PKEY *key, const unsigned char *msg, size_t n,
    const unsigned char *sig, size_t sig_len)
{
    int          rc;
    EVP_MD_CTX  *ctx;

    if (key == NULL || EVP_PKEY_get_id(key) != EVP_PKEY_ED25519
        || sig_len != MANA_ED25519_SIG_LEN)
    {
        return 0;
    }

    ctx = EVP_MD_CTX_new();
    if (ctx == NULL) {
        return 0;
    }

    rc = EVP_DigestVerifyInit(ctx, NULL, NULL, NULL, key) == 1
         && EVP_DigestVerify(ctx, sig, sig_len, msg, n) == 1;

    EVP_MD_CTX_free(ctx);

    return rc;
}
