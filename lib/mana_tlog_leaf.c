/*
 * The issuance log's two leaf formats. A leaf names a certificate only by
 * hashes, so the public log carries no personal data; a verifier who holds
 * the COSE bytes (from the QR) rebuilds the issuance leaf and asks for its
 * inclusion proof.
 */

#include <string.h>

#include <openssl/evp.h>

#include "mana_tlog.h"


static const char  *mana_tlog_reason_names[MANA_TLOG_REASON_COUNT] = {
    "unspecified",
    "key_compromise",
    "superseded",
    "issued_in_error",
    "withdrawn"
};


static void
mana_tlog_put_u64(unsigned char *p, uint64_t v)
{
    int  i;

    for (i = 7; i >= 0; i--) {
        p[i] = (unsigned char) v;
        v >>= 8;
    }
}


static uint64_t
mana_tlog_get_u64(const unsigned char *p)
{
    int       i;
    uint64_t  v;

    v = 0;

    for (i = 0; i < 8; i++) {
        v = v << 8 | p[i];
    }

    return v;
}


static int
mana_tlog_sha256(unsigned char out[32], const unsigned char *p, size_t len)
{
    unsigned int  n;

    return EVP_Digest(p, len, out, &n, EVP_sha256(), NULL) == 1 && n == 32
           ? 0 : -1;
}


int
mana_tlog_issuance_leaf(unsigned char out[MANA_TLOG_ISSUANCE_LEAF_LEN],
    const unsigned char kid[MANA_TLOG_KID_LEN], const unsigned char *cose,
    size_t cose_len, uint64_t iat, unsigned doctype)
{
    if (cose_len == 0 || doctype > 0xffff) {
        return -1;
    }

    out[0] = MANA_TLOG_LEAF_ISSUANCE;
    memcpy(out + 1, kid, MANA_TLOG_KID_LEN);

    if (mana_tlog_sha256(out + 9, cose, cose_len) != 0) {
        return -1;
    }

    mana_tlog_put_u64(out + 41, iat);
    out[49] = (unsigned char) (doctype >> 8);
    out[50] = (unsigned char) doctype;

    return 0;
}


int
mana_tlog_revocation_leaf(unsigned char out[MANA_TLOG_REVOCATION_LEAF_LEN],
    const unsigned char kid[MANA_TLOG_KID_LEN], const unsigned char *cti,
    size_t cti_len, uint64_t revoked_at, unsigned reason)
{
    if (cti_len == 0 || reason >= MANA_TLOG_REASON_COUNT) {
        return -1;
    }

    out[0] = MANA_TLOG_LEAF_REVOCATION;
    memcpy(out + 1, kid, MANA_TLOG_KID_LEN);

    if (mana_tlog_sha256(out + 9, cti, cti_len) != 0) {
        return -1;
    }

    mana_tlog_put_u64(out + 41, revoked_at);
    out[49] = (unsigned char) reason;

    return 0;
}


int
mana_tlog_leaf_parse(mana_tlog_leaf_t *leaf, const unsigned char *p,
    size_t len)
{
    if (len == 0) {
        return -1;
    }

    switch (p[0]) {

    case MANA_TLOG_LEAF_ISSUANCE:
        if (len != MANA_TLOG_ISSUANCE_LEAF_LEN) {
            return -1;
        }

        leaf->doctype = (unsigned) p[49] << 8 | p[50];
        leaf->reason = 0;
        break;

    case MANA_TLOG_LEAF_REVOCATION:
        /* an unknown reason is refused, not shown as something it is not */
        if (len != MANA_TLOG_REVOCATION_LEAF_LEN
            || p[49] >= MANA_TLOG_REASON_COUNT)
        {
            return -1;
        }

        leaf->doctype = 0;
        leaf->reason = p[49];
        break;

    default:
        return -1;
    }

    leaf->type = p[0];
    memcpy(leaf->kid, p + 1, MANA_TLOG_KID_LEN);
    memcpy(leaf->digest, p + 9, 32);
    leaf->time = mana_tlog_get_u64(p + 41);

    return 0;
}


const char *
mana_tlog_reason_name(unsigned reason)
{
    return reason < MANA_TLOG_REASON_COUNT ? mana_tlog_reason_names[reason]
                                           : NULL;
}


int
mana_tlog_reason_code(const char *name, size_t len)
{
    int  i;

    for (i = 0; i < MANA_TLOG_REASON_COUNT; i++) {
        if (strlen(mana_tlog_reason_names[i]) == len
            && memcmp(mana_tlog_reason_names[i], name, len) == 0)
        {
            return i;
        }
    }

    return -1;
}
