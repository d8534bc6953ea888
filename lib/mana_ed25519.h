/*
 * Ed25519 keys as raw bytes, the form they are stored in: the 32-byte
 * seed (RFC 8032's "secret key") and the 32-byte public key.  Building an
 * EVP_PKEY from raw bytes skips OpenSSL 3's slow decoders and costs a few
 * percent of a verification, so a key may be built per use.
 */

#ifndef MANA_ED25519_H
#define MANA_ED25519_H

#include <stddef.h>

#include <openssl/evp.h>


#define MANA_ED25519_SEED_LEN  32
#define MANA_ED25519_PUB_LEN   32
#define MANA_ED25519_SIG_LEN   64


/*
 * A new key pair from OpenSSL's generator for private values.  0, or -1
 * with nothing written.  The caller wipes seed (OPENSSL_cleanse) after use.
 */
int mana_ed25519_keygen(unsigned char seed[MANA_ED25519_SEED_LEN],
    unsigned char pub[MANA_ED25519_PUB_LEN]);
/* the public key of a seed: 0 or -1 */
int mana_ed25519_public_of(unsigned char pub[MANA_ED25519_PUB_LEN],
    const unsigned char seed[MANA_ED25519_SEED_LEN]);

/* keys for signing and verifying, or NULL; EVP_PKEY_free() them */
EVP_PKEY *mana_ed25519_private_key(
    const unsigned char seed[MANA_ED25519_SEED_LEN]);
EVP_PKEY *mana_ed25519_public_key(
    const unsigned char pub[MANA_ED25519_PUB_LEN]);
/* the raw public key of either kind of key: 0, or -1 if not Ed25519 */
int mana_ed25519_raw_public(EVP_PKEY *key,
    unsigned char pub[MANA_ED25519_PUB_LEN]);

/* pure Ed25519 (one-shot EVP_DigestSign, no digest): 0 or -1 */
int mana_ed25519_sign(unsigned char sig[MANA_ED25519_SIG_LEN], EVP_PKEY *key,
    const unsigned char *msg, size_t n);
/* 1 when sig is key's signature of msg, 0 otherwise */
int mana_ed25519_verify(EVP_PKEY *key, const unsigned char *msg, size_t n,
    const unsigned char *sig, size_t sig_len);

#endif /* MANA_ED25519_H */
