#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "mana_hex.h"
#include "mana_hmac.h"


#define MANA_SIG_PREFIX      "sha256="
#define MANA_SIG_PREFIX_LEN  (sizeof(MANA_SIG_PREFIX) - 1)


mana_sig_rc_e
mana_hub_signature_check(const unsigned char *secret, size_t secret_len,
    const unsigned char *body, size_t body_len, const char *header,
    size_t header_len)
{
    unsigned int   n;
    unsigned char  want[32], got[32];

    if (header_len != MANA_SIG_PREFIX_LEN + 64
        || memcmp(header, MANA_SIG_PREFIX, MANA_SIG_PREFIX_LEN) != 0
        || mana_hex_decode(got, header + MANA_SIG_PREFIX_LEN, 32) != 0)
    {
        return MANA_SIG_MALFORMED;
    }

    if (HMAC(EVP_sha256(), secret, (int) secret_len, body, body_len, want, &n)
        == NULL || n != sizeof(want))
    {
        return MANA_SIG_MISMATCH;
    }

    /* constant time: the comparison must not tell how much matched */
    return CRYPTO_memcmp(want, got, sizeof(want)) == 0 ? MANA_SIG_OK
                                                       : MANA_SIG_MISMATCH;
}


int
mana_hub_signature(char out[72], const unsigned char *secret,
    size_t secret_len, const unsigned char *body, size_t body_len)
{
    unsigned int   n;
    unsigned char  mac[32];

    if (HMAC(EVP_sha256(), secret, (int) secret_len, body, body_len, mac, &n)
        == NULL)
    {
        return -1;
    }

    memcpy(out, MANA_SIG_PREFIX, MANA_SIG_PREFIX_LEN);
    mana_hex_encode(out + MANA_SIG_PREFIX_LEN, mac, sizeof(mac));
    out[MANA_SIG_PREFIX_LEN + 64] = '\0';

    return 0;
}
