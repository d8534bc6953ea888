#include <string.h>

#include <openssl/evp.h>

#include "mana_hex.h"
#include "mana_records.h"


#define MANA_RECORD_KEY_TAG  "mana-record-key/1"


/* a string and its terminating NUL: the NUL keeps "ab"+"c" from "a"+"bc" */
static int
mana_record_add(EVP_MD_CTX *md, const char *s)
{
    return EVP_DigestUpdate(md, s, strlen(s) + 1) == 1 ? 0 : -1;
}


int
mana_record_key(const char *service, const char *const *names,
    const char *const *values, size_t n, unsigned char *key)
{
    int           rc;
    size_t        i;
    unsigned int  len;
    EVP_MD_CTX   *md;

    if (service == NULL || key == NULL || (n && (!names || !values))) {
        return -1;
    }

    md = EVP_MD_CTX_new();
    if (md == NULL) {
        return -1;
    }

    rc = EVP_DigestInit_ex(md, EVP_sha256(), NULL) == 1 ? 0 : -1;

    if (rc == 0) {
        rc = mana_record_add(md, MANA_RECORD_KEY_TAG);
    }

    if (rc == 0) {
        rc = mana_record_add(md, service);
    }

    for (i = 0; rc == 0 && i < n; i++) {
        if (names[i] == NULL || values[i] == NULL) {
            rc = -1;
            break;
        }

        rc = mana_record_add(md, names[i]);

        if (rc == 0) {
            rc = mana_record_add(md, values[i]);
        }
    }

    if (rc == 0
        && (EVP_DigestFinal_ex(md, key, &len) != 1
            || len != MANA_RECORD_KEY_LEN))
    {
        rc = -1;
    }

    EVP_MD_CTX_free(md);

    return rc;
}


int
mana_record_key_hex(const char *service, const char *const *names,
    const char *const *values, size_t n, char *hex)
{
    unsigned char  key[MANA_RECORD_KEY_LEN];

    if (hex == NULL
        || mana_record_key(service, names, values, n, key) != 0)
    {
        return -1;
    }

    mana_hex_encode(hex, key, MANA_RECORD_KEY_LEN);
    hex[2 * MANA_RECORD_KEY_LEN] = '\0';

    return 0;
}
