#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "mana_base64.h"
#include "mana_doclink.h"


#define MANA_DOCLINK_RAW_LEN  32
#define MANA_DOCLINK_MAC_LEN  16

static const char  mana_doclink_label[] = "mana-doclink/1";


/* the mac over label, NUL, cti and the four expiry bytes of raw */
static int
mana_doclink_mac(unsigned char mac[MANA_DOCLINK_MAC_LEN],
    const unsigned char *key, size_t key_len, const unsigned char *raw)
{
    unsigned int   n;
    unsigned char  msg[sizeof(mana_doclink_label) + MANA_MM1_CTI_LEN + 4];
    unsigned char  full[EVP_MAX_MD_SIZE];

    memcpy(msg, mana_doclink_label, sizeof(mana_doclink_label));
    memcpy(msg + sizeof(mana_doclink_label), raw, MANA_MM1_CTI_LEN + 4);

    if (HMAC(EVP_sha256(), key, (int) key_len, msg, sizeof(msg), full, &n)
        == NULL || n < MANA_DOCLINK_MAC_LEN)
    {
        return -1;
    }

    memcpy(mac, full, MANA_DOCLINK_MAC_LEN);
    OPENSSL_cleanse(full, sizeof(full));

    return 0;
}


int
mana_doclink_token(char out[MANA_DOCLINK_TOKEN_LEN + 1],
    const unsigned char *key, size_t key_len,
    const unsigned char cti[MANA_MM1_CTI_LEN], int64_t expires)
{
    unsigned char  raw[MANA_DOCLINK_RAW_LEN], *e;

    if (key_len < MANA_DOCLINK_KEY_MIN || expires <= 0
        || expires > (int64_t) UINT32_MAX)
    {
        return -1;
    }

    memcpy(raw, cti, MANA_MM1_CTI_LEN);
    e = raw + MANA_MM1_CTI_LEN;
    e[0] = (unsigned char) (expires >> 24);
    e[1] = (unsigned char) (expires >> 16);
    e[2] = (unsigned char) (expires >> 8);
    e[3] = (unsigned char) expires;

    if (mana_doclink_mac(raw + MANA_MM1_CTI_LEN + 4, key, key_len, raw) != 0)
    {
        return -1;
    }

    mana_base64_encode(MANA_BASE64_URL, out, raw, sizeof(raw));
    out[MANA_DOCLINK_TOKEN_LEN] = '\0';

    return 0;
}


mana_doclink_rc_e
mana_doclink_check(const char *token, size_t n, const unsigned char *key,
    size_t key_len, int64_t now, unsigned char cti[MANA_MM1_CTI_LEN],
    int64_t *expires)
{
    size_t         len;
    unsigned char  raw[MANA_DOCLINK_RAW_LEN], mac[MANA_DOCLINK_MAC_LEN], *e;

    if (n != MANA_DOCLINK_TOKEN_LEN
        || mana_base64_decode(MANA_BASE64_URL, raw, sizeof(raw), &len, token,
                              n) != 0
        || len != sizeof(raw))
    {
        return MANA_DOCLINK_MALFORMED;
    }

    if (key_len < MANA_DOCLINK_KEY_MIN
        || mana_doclink_mac(mac, key, key_len, raw) != 0
        || CRYPTO_memcmp(mac, raw + MANA_MM1_CTI_LEN + 4, sizeof(mac)) != 0)
    {
        return MANA_DOCLINK_FORGED;
    }

    e = raw + MANA_MM1_CTI_LEN;
    memcpy(cti, raw, MANA_MM1_CTI_LEN);
    *expires = ((int64_t) e[0] << 24) | ((int64_t) e[1] << 16)
               | ((int64_t) e[2] << 8) | (int64_t) e[3];

    return now < *expires ? MANA_DOCLINK_OK : MANA_DOCLINK_EXPIRED;
}


int
mana_doclink_key_read(const char *path, unsigned char *key, size_t max,
    char *err, size_t errlen)
{
    int     c;
    size_t  n;
    FILE   *f;

    f = fopen(path, "rb");
    if (f == NULL) {
        snprintf(err, errlen, "cannot read %s: %s", path, strerror(errno));
        return -1;
    }

    n = 0;

    while ((c = getc(f)) != EOF) {
        if (n == max) {
            fclose(f);
            OPENSSL_cleanse(key, max);
            snprintf(err, errlen, "%s: the key is longer than %zu bytes",
                     path, max);
            return -1;
        }

        key[n++] = (unsigned char) c;
    }

    if (ferror(f)) {
        fclose(f);
        OPENSSL_cleanse(key, max);
        snprintf(err, errlen, "cannot read %s: %s", path, strerror(errno));
        return -1;
    }

    fclose(f);

    while (n > 0 && (key[n - 1] == '\n' || key[n - 1] == '\r'
                     || key[n - 1] == ' ' || key[n - 1] == '\t'))
    {
        n--;
    }

    if (n < MANA_DOCLINK_KEY_MIN) {
        OPENSSL_cleanse(key, max);
        snprintf(err, errlen, "%s: a document key has at least %d bytes "
                 "(head -c 32 /dev/urandom | base64 makes one)", path,
                 MANA_DOCLINK_KEY_MIN);
        return -1;
    }

    return (int) n;
}
