#include <stddef.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "mana_base32.h"
#include "mana_cbor.h"
#include "mana_ed25519.h"
#include "mana_mm1.h"
#include "mana_utf8.h"


/* COSE header parameters and CWT claims (RFC 9052, RFC 8392) */
#define MANA_COSE_TAG_SIGN1    18
#define MANA_COSE_HDR_ALG      1
#define MANA_COSE_HDR_KID      4
#define MANA_CWT_ISS           1
#define MANA_CWT_EXP           4
#define MANA_CWT_IAT           6
#define MANA_CWT_CTI           7

/* the keys of the MANA_MM1_CLAIM_MANA map */
#define MANA_MM1_SCHEMA_KEY    1
#define MANA_MM1_DOCTYPE       2
#define MANA_MM1_NUMBER        3
#define MANA_MM1_HOLDER        4
#define MANA_MM1_RELATION      5
#define MANA_MM1_FACTS         6
#define MANA_MM1_LOG_INDEX     7

/* "Signature1" as a CBOR text string */
static const unsigned char  mana_mm1_context[] = {
    0x6a, 'S', 'i', 'g', 'n', 'a', 't', 'u', 'r', 'e', '1'
};


int
mana_mm1_kid(unsigned char kid[MANA_MM1_KID_LEN], const unsigned char pub[32])
{
    unsigned char  md[EVP_MAX_MD_SIZE];

    if (EVP_Digest(pub, 32, md, NULL, EVP_sha256(), NULL) != 1) {
        return -1;
    }

    memcpy(kid, md, MANA_MM1_KID_LEN);

    return 0;
}


/* signing */


static int
mana_mm1_text_ok(const mana_mm1_str_t *s)
{
    return s->len > 0 && s->data != NULL && mana_utf8_valid(s->data, s->len);
}


static const char *
mana_mm1_check_claims(const mana_mm1_claims_t *c)
{
    size_t  i;

    if (!mana_mm1_text_ok(&c->iss)) {
        return "no issuing office, or not UTF-8";
    }

    if (c->iat < 0 || c->exp < 0) {
        return "a negative time";
    }

    if (c->schema != MANA_MM1_SCHEMA) {
        return "an unknown schema version";
    }

    if (!mana_mm1_text_ok(&c->number)) {
        return "no certificate number, or not UTF-8";
    }

    if (!mana_mm1_text_ok(&c->holder)) {
        return "no holder name, or not UTF-8";
    }

    if (c->relation.len > 0 && !mana_mm1_text_ok(&c->relation)) {
        return "a relation name that is not UTF-8";
    }

    if (c->nfacts > MANA_MM1_MAX_FACTS) {
        return "too many facts";
    }

    for (i = 0; i < c->nfacts; i++) {
        if (!mana_mm1_text_ok(&c->facts[i].key)
            || !mana_mm1_text_ok(&c->facts[i].value))
        {
            return "an empty fact, or not UTF-8";
        }
    }

    return NULL;
}


static int
mana_mm1_encode_mana(mana_buf_t *out, const mana_mm1_claims_t *c)
{
    size_t           i;
    mana_cbor_map_t  m, facts;

    mana_cbor_map_init(&m);

    mana_cbor_uint(mana_cbor_map_key(&m), MANA_MM1_SCHEMA_KEY);
    mana_cbor_uint(mana_cbor_map_value(&m), c->schema);
    mana_cbor_uint(mana_cbor_map_key(&m), MANA_MM1_DOCTYPE);
    mana_cbor_uint(mana_cbor_map_value(&m), c->doctype);
    mana_cbor_uint(mana_cbor_map_key(&m), MANA_MM1_NUMBER);
    mana_cbor_text(mana_cbor_map_value(&m), c->number.data, c->number.len);
    mana_cbor_uint(mana_cbor_map_key(&m), MANA_MM1_HOLDER);
    mana_cbor_text(mana_cbor_map_value(&m), c->holder.data, c->holder.len);

    if (c->relation.len > 0) {
        mana_cbor_uint(mana_cbor_map_key(&m), MANA_MM1_RELATION);
        mana_cbor_text(mana_cbor_map_value(&m), c->relation.data,
                       c->relation.len);
    }

    if (c->nfacts > 0) {
        mana_cbor_map_init(&facts);

        for (i = 0; i < c->nfacts; i++) {
            mana_cbor_text(mana_cbor_map_key(&facts), c->facts[i].key.data,
                           c->facts[i].key.len);
            mana_cbor_text(mana_cbor_map_value(&facts),
                           c->facts[i].value.data, c->facts[i].value.len);
        }

        mana_cbor_uint(mana_cbor_map_key(&m), MANA_MM1_FACTS);

        /* fails on two facts with one key */
        if (mana_cbor_map_end(&facts, mana_cbor_map_value(&m)) != 0) {
            mana_cbor_map_free(&m);
            return -1;
        }
    }

    if (c->log_index >= 0) {
        mana_cbor_uint(mana_cbor_map_key(&m), MANA_MM1_LOG_INDEX);
        mana_cbor_uint(mana_cbor_map_value(&m), (uint64_t) c->log_index);
    }

    return mana_cbor_map_end(&m, out);
}


static int
mana_mm1_encode_payload(mana_buf_t *out, const mana_mm1_claims_t *c)
{
    mana_cbor_map_t  m;

    mana_cbor_map_init(&m);

    mana_cbor_uint(mana_cbor_map_key(&m), MANA_CWT_ISS);
    mana_cbor_text(mana_cbor_map_value(&m), c->iss.data, c->iss.len);

    if (c->exp > 0) {
        mana_cbor_uint(mana_cbor_map_key(&m), MANA_CWT_EXP);
        mana_cbor_uint(mana_cbor_map_value(&m), (uint64_t) c->exp);
    }

    mana_cbor_uint(mana_cbor_map_key(&m), MANA_CWT_IAT);
    mana_cbor_uint(mana_cbor_map_value(&m), (uint64_t) c->iat);
    mana_cbor_uint(mana_cbor_map_key(&m), MANA_CWT_CTI);
    mana_cbor_bytes(mana_cbor_map_value(&m), c->cti, MANA_MM1_CTI_LEN);
    mana_cbor_int(mana_cbor_map_key(&m), MANA_MM1_CLAIM_MANA);

    if (mana_mm1_encode_mana(mana_cbor_map_value(&m), c) != 0) {
        mana_cbor_map_free(&m);
        return -1;
    }

    return mana_cbor_map_end(&m, out);
}


/* ["Signature1", protected, h'', payload], from their encodings as bstr */
static void
mana_mm1_sig_structure(mana_buf_t *out, const mana_buf_t *protected,
    const mana_buf_t *payload)
{
    mana_cbor_array(out, 4);
    mana_buf_add(out, mana_mm1_context, sizeof(mana_mm1_context));
    mana_cbor_bytes(out, protected->data, protected->len);
    mana_cbor_bytes(out, "", 0);
    mana_cbor_bytes(out, payload->data, payload->len);
}


int
mana_mm1_sign(mana_buf_t *out, const mana_mm1_claims_t *claims,
    EVP_PKEY *key, const char **err)
{
    const char    *why;
    mana_buf_t     protected, payload, tbs, cose;
    unsigned char  pub[32], kid[MANA_MM1_KID_LEN], sig[MANA_MM1_SIG_LEN];

    mana_buf_init(&protected);
    mana_buf_init(&payload);
    mana_buf_init(&tbs);
    mana_buf_init(&cose);

    why = mana_mm1_check_claims(claims);
    if (why != NULL) {
        goto done;
    }

    if (mana_ed25519_raw_public(key, pub) != 0 || mana_mm1_kid(kid, pub) != 0)
    {
        why = "not an Ed25519 key";
        goto done;
    }

    why = "out of memory";

    /* {1: -19, 4: kid}: sorted as it stands */
    mana_cbor_head(&protected, MANA_CBOR_MAP, 2);
    mana_cbor_uint(&protected, MANA_COSE_HDR_ALG);
    mana_cbor_int(&protected, MANA_MM1_ALG_ED25519);
    mana_cbor_uint(&protected, MANA_COSE_HDR_KID);
    mana_cbor_bytes(&protected, kid, sizeof(kid));

    if (mana_mm1_encode_payload(&payload, claims) != 0) {
        if (!mana_buf_failed(&payload)) {
            why = "two facts with one key";
        }

        goto done;
    }

    mana_mm1_sig_structure(&tbs, &protected, &payload);

    if (mana_buf_failed(&protected) || mana_buf_failed(&tbs)) {
        goto done;
    }

    if (mana_ed25519_sign(sig, key, (unsigned char *) tbs.data, tbs.len)
        != 0)
    {
        why = "signing failed";
        goto done;
    }

    mana_cbor_tag(&cose, MANA_COSE_TAG_SIGN1);
    mana_cbor_array(&cose, 4);
    mana_cbor_bytes(&cose, protected.data, protected.len);
    mana_cbor_head(&cose, MANA_CBOR_MAP, 0);
    mana_cbor_bytes(&cose, payload.data, payload.len);
    mana_cbor_bytes(&cose, sig, sizeof(sig));

    if (mana_buf_failed(&cose)) {
        goto done;
    }

    /* never issue what a verifier would refuse to read */
    if (cose.len > MANA_MM1_MAX_LEN) {
        why = "the certificate is too long for a QR code";
        goto done;
    }

    mana_buf_add(out, cose.data, cose.len);

    if (!mana_buf_failed(out)) {
        why = NULL;
    }

done:

    mana_buf_free(&protected);
    mana_buf_free(&payload);
    mana_buf_free(&tbs);
    mana_buf_free(&cose);

    if (why != NULL && err != NULL) {
        *err = why;
    }

    return why == NULL ? 0 : -1;
}


int
mana_mm1_qr_text(mana_buf_t *out, const char *host,
    const unsigned char *cose, size_t n)
{
    char    c;
    size_t  i, len;

    len = strlen(host);

    /* a DNS name (253) and a port */
    if (len == 0 || len > 253 + 6) {
        return -1;
    }

    mana_buf_adds(out, "HTTPS://");

    for (i = 0; i < len; i++) {
        c = host[i];

        if (c >= 'a' && c <= 'z') {
            c = (char) (c - 'a' + 'A');

        } else if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                     || c == '-' || c == '.' || c == ':'))
        {
            return -1;
        }

        mana_buf_add(out, &c, 1);
    }

    mana_buf_adds(out, "/C/");
    mana_base32_encode_buf(out, cose, n);

    return mana_buf_failed(out) ? -1 : 0;
}


/* parsing */


/* the decoder's reason when it has one: it says more than ours */
#define mana_mm1_fail(d, reason)                                             \
    do {                                                                     \
        *err = (d)->err ? (d)->err : (reason);                               \
        return -1;                                                           \
    } while (0)


static int
mana_mm1_get_text(mana_cbor_dec_t *d, mana_mm1_str_t *s)
{
    return mana_cbor_get_text(d, &s->data, &s->len) == 0 && s->len > 0
           ? 0 : -1;
}


static int
mana_mm1_get_uint63(mana_cbor_dec_t *d, int64_t *t)
{
    uint64_t  v;

    if (mana_cbor_get_uint(d, &v) != 0 || v > INT64_MAX) {
        return -1;
    }

    *t = (int64_t) v;

    return 0;
}


static int
mana_mm1_parse_protected(mana_mm1_parsed_t *p, const unsigned char *hdr,
    size_t n, const char **err)
{
    size_t                pairs, kid_len;
    int64_t               key;
    mana_cbor_dec_t       d;
    const unsigned char  *kid;

    mana_cbor_dec_init(&d, hdr, n, 1, 2);

    /* exactly {1: alg, 4: kid}, keys in that order (the decoder checks) */
    if (mana_cbor_get_map(&d, &pairs) != 0 || pairs != 2
        || mana_cbor_get_int(&d, &key) != 0 || key != MANA_COSE_HDR_ALG
        || mana_cbor_get_int(&d, &p->alg) != 0
        || mana_cbor_get_int(&d, &key) != 0 || key != MANA_COSE_HDR_KID
        || mana_cbor_get_bytes(&d, &kid, &kid_len) != 0
        || mana_cbor_dec_finish(&d) != 0)
    {
        mana_mm1_fail(&d, "a protected header other than {1: alg, 4: kid}");
    }

    if (p->alg != MANA_MM1_ALG_ED25519 && p->alg != MANA_MM1_ALG_EDDSA) {
        mana_mm1_fail(&d, "an algorithm other than Ed25519");
    }

    if (kid_len != MANA_MM1_KID_LEN) {
        mana_mm1_fail(&d, "a kid that is not 8 bytes");
    }

    memcpy(p->kid, kid, MANA_MM1_KID_LEN);

    return 0;
}


static int
mana_mm1_parse_facts(mana_mm1_parsed_t *p, mana_cbor_dec_t *d,
    const char **err)
{
    size_t            i, n;
    mana_mm1_fact_t  *f;

    if (mana_cbor_get_map(d, &n) != 0 || n == 0 || n > MANA_MM1_MAX_FACTS) {
        mana_mm1_fail(d, "facts that are not a map of 1 to 24 entries");
    }

    for (i = 0; i < n; i++) {
        f = &p->facts[i];

        if (mana_mm1_get_text(d, &f->key) != 0
            || mana_mm1_get_text(d, &f->value) != 0)
        {
            mana_mm1_fail(d, "a fact that is not a pair of non-empty texts");
        }
    }

    p->claims.facts = p->facts;
    p->claims.nfacts = n;

    return 0;
}


static int
mana_mm1_parse_mana(mana_mm1_parsed_t *p, mana_cbor_dec_t *d,
    const char **err)
{
    size_t              i, n;
    int64_t             key;
    unsigned            seen;
    mana_mm1_claims_t  *c;

    c = &p->claims;
    seen = 0;

    if (mana_cbor_get_map(d, &n) != 0) {
        mana_mm1_fail(d, "claim -70001 is not a map");
    }

    for (i = 0; i < n; i++) {
        if (mana_cbor_get_int(d, &key) != 0) {
            mana_mm1_fail(d, "a key in claim -70001 that is not an integer");
        }

        /* the decoder has checked the order: each key comes once */
        switch (key) {

        case MANA_MM1_SCHEMA_KEY:
            if (mana_cbor_get_uint(d, &c->schema) != 0) {
                mana_mm1_fail(d, "a schema version that is not an integer");
            }

            if (c->schema != MANA_MM1_SCHEMA) {
                mana_mm1_fail(d, "an unknown schema version");
            }

            break;

        case MANA_MM1_DOCTYPE:
            if (mana_cbor_get_uint(d, &c->doctype) != 0) {
                mana_mm1_fail(d, "a document type that is not an integer");
            }
            break;

        case MANA_MM1_NUMBER:
            if (mana_mm1_get_text(d, &c->number) != 0) {
                mana_mm1_fail(d, "a certificate number that is not "
                                 "non-empty text");
            }
            break;

        case MANA_MM1_HOLDER:
            if (mana_mm1_get_text(d, &c->holder) != 0) {
                mana_mm1_fail(d, "a holder name that is not non-empty text");
            }
            break;

        case MANA_MM1_RELATION:
            if (mana_mm1_get_text(d, &c->relation) != 0) {
                mana_mm1_fail(d, "a relation name that is not non-empty text");
            }
            break;

        case MANA_MM1_FACTS:
            if (mana_mm1_parse_facts(p, d, err) != 0) {
                return -1;
            }
            break;

        case MANA_MM1_LOG_INDEX:
            if (mana_mm1_get_uint63(d, &c->log_index) != 0) {
                mana_mm1_fail(d, "a log index that is not an integer");
            }
            break;

        default:
            mana_mm1_fail(d, "an unknown key in claim -70001");
        }

        seen |= 1u << key;
    }

    if ((seen & 0x1e) != 0x1e) {
        mana_mm1_fail(d, "a required field missing from claim -70001");
    }

    return 0;
}


static int
mana_mm1_parse_payload(mana_mm1_parsed_t *p, const unsigned char *payload,
    size_t len, const char **err)
{
    size_t                i, n, cti_len;
    int64_t               key;
    unsigned              seen;
    mana_cbor_dec_t       d;
    mana_mm1_claims_t    *c;
    const unsigned char  *cti;

    c = &p->claims;
    seen = 0;

    /* the claims, claim -70001, its facts */
    mana_cbor_dec_init(&d, payload, len, 3, MANA_MM1_MAX_FACTS);

    if (mana_cbor_get_map(&d, &n) != 0) {
        mana_mm1_fail(&d, "claims that are not a map");
    }

    for (i = 0; i < n; i++) {
        if (mana_cbor_get_int(&d, &key) != 0) {
            mana_mm1_fail(&d, "a claim key that is not an integer");
        }

        switch (key) {

        case MANA_CWT_ISS:
            if (mana_mm1_get_text(&d, &c->iss) != 0) {
                mana_mm1_fail(&d, "an issuer that is not non-empty text");
            }
            seen |= 1;
            break;

        case MANA_CWT_EXP:
            if (mana_mm1_get_uint63(&d, &c->exp) != 0 || c->exp == 0) {
                mana_mm1_fail(&d, "an expiry that is not a time");
            }
            break;

        case MANA_CWT_IAT:
            if (mana_mm1_get_uint63(&d, &c->iat) != 0) {
                mana_mm1_fail(&d, "an issue time that is not a time");
            }
            seen |= 2;
            break;

        case MANA_CWT_CTI:
            if (mana_cbor_get_bytes(&d, &cti, &cti_len) != 0
                || cti_len != MANA_MM1_CTI_LEN)
            {
                mana_mm1_fail(&d, "a cti that is not 12 bytes");
            }
            memcpy(c->cti, cti, MANA_MM1_CTI_LEN);
            seen |= 4;
            break;

        case MANA_MM1_CLAIM_MANA:
            if (mana_mm1_parse_mana(p, &d, err) != 0) {
                return -1;
            }
            seen |= 8;
            break;

        default:
            mana_mm1_fail(&d, "an unknown claim");
        }
    }

    if (seen != 15) {
        mana_mm1_fail(&d, "a required claim missing");
    }

    if (mana_cbor_dec_finish(&d) != 0) {
        mana_mm1_fail(&d, "bytes after the claims");
    }

    return 0;
}


int
mana_mm1_parse(mana_mm1_parsed_t *p, const unsigned char *cose, size_t n,
    const char **err)
{
    size_t                items, pairs, hdr_len, payload_len, sig_len;
    uint64_t              tag;
    unsigned char        *t;
    const char           *why;
    mana_cbor_dec_t       d;
    const unsigned char  *hdr, *payload, *sig, *hdr_start, *payload_start;

    if (err == NULL) {
        err = &why;
    }

    memset(p, 0, offsetof(mana_mm1_parsed_t, tbs));
    p->claims.log_index = -1;
    p->tbs_len = 0;

    if (n > MANA_MM1_MAX_LEN) {
        *err = "longer than any certificate";
        return -1;
    }

    mana_cbor_dec_init(&d, cose, n, 2, 4);

    if (mana_cbor_get_tag(&d, &tag) != 0 || tag != MANA_COSE_TAG_SIGN1
        || mana_cbor_get_array(&d, &items) != 0 || items != 4)
    {
        mana_mm1_fail(&d, "not a tagged COSE_Sign1");
    }

    hdr_start = d.p;

    if (mana_cbor_get_bytes(&d, &hdr, &hdr_len) != 0
        || mana_cbor_get_map(&d, &pairs) != 0 || pairs != 0)
    {
        mana_mm1_fail(&d, "not a COSE_Sign1 with an empty unprotected "
                          "header");
    }

    payload_start = d.p;

    if (mana_cbor_get_bytes(&d, &payload, &payload_len) != 0
        || mana_cbor_get_bytes(&d, &sig, &sig_len) != 0
        || mana_cbor_dec_finish(&d) != 0)
    {
        mana_mm1_fail(&d, "not a COSE_Sign1 with a payload and signature");
    }

    if (sig_len != MANA_MM1_SIG_LEN) {
        mana_mm1_fail(&d, "a signature that is not 64 bytes");
    }

    if (mana_mm1_parse_protected(p, hdr, hdr_len, err) != 0
        || mana_mm1_parse_payload(p, payload, payload_len, err) != 0)
    {
        return -1;
    }

    p->signature = sig;

    /*
     * The protected header and the payload go into the Sig_structure as
     * the bstr encodings they came in: the decoder accepted only the
     * shortest heads, which are the ones the signer wrote.
     */
    t = p->tbs;
    *t++ = 0x84;
    memcpy(t, mana_mm1_context, sizeof(mana_mm1_context));
    t += sizeof(mana_mm1_context);
    memcpy(t, hdr_start, (size_t) (hdr + hdr_len - hdr_start));
    t += hdr + hdr_len - hdr_start;
    *t++ = 0x40;
    memcpy(t, payload_start, (size_t) (payload + payload_len - payload_start));
    t += payload + payload_len - payload_start;
    p->tbs_len = (size_t) (t - p->tbs);

    return 0;
}


int
mana_mm1_verify_sig(const mana_mm1_parsed_t *p, const unsigned char pub[32])
{
    int            rc;
    EVP_PKEY      *key;
    unsigned char  kid[MANA_MM1_KID_LEN];

    if (p->tbs_len == 0 || mana_mm1_kid(kid, pub) != 0
        || CRYPTO_memcmp(kid, p->kid, MANA_MM1_KID_LEN) != 0)
    {
        return 0;
    }

    key = mana_ed25519_public_key(pub);
    if (key == NULL) {
        return 0;
    }

    rc = mana_ed25519_verify(key, p->tbs, p->tbs_len, p->signature,
                             MANA_MM1_SIG_LEN);
    EVP_PKEY_free(key);

    return rc;
}


mana_mm1_verdict_e
mana_mm1_verdict(const mana_mm1_parsed_t *p, const mana_mm1_key_t *key,
    int64_t now)
{
    unsigned char  kid[MANA_MM1_KID_LEN];
    int64_t        iat;

    if (key == NULL || mana_mm1_kid(kid, key->pub) != 0
        || memcmp(kid, p->kid, MANA_MM1_KID_LEN) != 0)
    {
        return MANA_MM1_UNKNOWN_KEY;
    }

    if (!mana_mm1_verify_sig(p, key->pub)) {
        return MANA_MM1_TAMPERED;
    }

    iat = p->claims.iat;

    if (key->status == MANA_MM1_STATUS_REVOKED && key->revoked_at <= iat) {
        return MANA_MM1_KEY_REVOKED;
    }

    if (iat < key->valid_from
        || (key->valid_until != 0 && iat >= key->valid_until))
    {
        return MANA_MM1_KEY_NOT_VALID_AT_IAT;
    }

    if (p->claims.exp != 0 && now >= p->claims.exp) {
        return MANA_MM1_EXPIRED;
    }

    return MANA_MM1_VALID;
}


const char *
mana_mm1_verdict_name(mana_mm1_verdict_e v)
{
    switch (v) {
    case MANA_MM1_VALID:
        return "valid";
    case MANA_MM1_TAMPERED:
        return "tampered";
    case MANA_MM1_UNKNOWN_KEY:
        return "unknown key";
    case MANA_MM1_KEY_REVOKED:
        return "key revoked";
    case MANA_MM1_KEY_NOT_VALID_AT_IAT:
        return "key not valid at iat";
    case MANA_MM1_EXPIRED:
        return "expired";
    }

    return "unknown";
}
