/*
 * MM1, the signed certificate in a QR code (docs/certificates.md, "MM1
 * format"): CWT claims in a COSE_Sign1 (tag 18) signed with Ed25519, in
 * deterministic CBOR, carried as HTTPS://<HOST>/C/<BASE32>.
 *
 * Parsing is bounded and strict: one encoding per certificate, every field
 * of the protected header and of the claims checked for its type, nothing
 * unknown accepted.  Parsing trusts nothing: the decoded claims mean
 * something only once mana_mm1_verify_sig() (or mana_mm1_verdict()) says
 * the signature holds.
 */

#ifndef MANA_MM1_H
#define MANA_MM1_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>

#include "mana_buf.h"


#define MANA_MM1_KID_LEN       8
#define MANA_MM1_CTI_LEN       12
#define MANA_MM1_SIG_LEN       64
#define MANA_MM1_SCHEMA        1
#define MANA_MM1_MAX_FACTS     24

/*
 * The largest certificate, in bytes: about what a version 40 QR code holds
 * at error correction level Q as Base32 (2,420 alphanumeric characters).
 */
#define MANA_MM1_MAX_LEN       1536

/* COSE algorithms: Ed25519 (RFC 9864), and EdDSA, which verifiers accept */
#define MANA_MM1_ALG_ED25519   (-19)
#define MANA_MM1_ALG_EDDSA     (-8)

/* the claim holding this project's fields (a private-use CWT key) */
#define MANA_MM1_CLAIM_MANA    (-70001)


typedef struct {
    const char     *data;
    size_t          len;
} mana_mm1_str_t;

typedef struct {
    mana_mm1_str_t  key;
    mana_mm1_str_t  value;
} mana_mm1_fact_t;

/*
 * The claims.  Text is UTF-8, not NUL-terminated.  Signing writes the
 * facts as a CBOR map, whose keys deterministic CBOR sorts: a parsed
 * certificate returns them in that order, not in the order given.
 */
typedef struct {
    mana_mm1_str_t          iss;        /* issuing office code */
    int64_t                 iat;        /* issue time, unix seconds */
    int64_t                 exp;        /* expiry; 0: does not expire */
    unsigned char           cti[MANA_MM1_CTI_LEN];

    uint64_t                schema;     /* MANA_MM1_SCHEMA */
    uint64_t                doctype;
    mana_mm1_str_t          number;     /* certificate number as printed */
    mana_mm1_str_t          holder;     /* holder's name as printed */
    mana_mm1_str_t          relation;   /* len 0: none */
    const mana_mm1_fact_t  *facts;
    size_t                  nfacts;
    int64_t                 log_index;  /* < 0: none */
} mana_mm1_claims_t;


/*
 * A parsed certificate.  Its strings and signature point into the bytes
 * that were parsed, which must outlive it; tbs is a copy.
 */
typedef struct {
    mana_mm1_claims_t       claims;
    mana_mm1_fact_t         facts[MANA_MM1_MAX_FACTS];
    int64_t                 alg;
    unsigned char           kid[MANA_MM1_KID_LEN];
    const unsigned char    *signature;
    /* the signed bytes: ["Signature1", protected, h'', payload] */
    size_t                  tbs_len;
    unsigned char           tbs[MANA_MM1_MAX_LEN + 16];
} mana_mm1_parsed_t;


/* the first 8 bytes of SHA-256 of the raw public key: 0 or -1 */
int mana_mm1_kid(unsigned char kid[MANA_MM1_KID_LEN],
    const unsigned char pub[32]);

/*
 * Appends the COSE_Sign1 bytes of the claims, signed with key (Ed25519;
 * the kid is the key's own), to out.  0, or -1 with the reason in *err
 * (a constant string) when a claim is missing or not UTF-8, two facts
 * share a key, the result would exceed MANA_MM1_MAX_LEN, or signing fails.
 */
int mana_mm1_sign(mana_buf_t *out, const mana_mm1_claims_t *claims,
    EVP_PKEY *key, const char **err);

/*
 * Appends "HTTPS://<HOST>/C/<BASE32>" to out, host upper-cased.  -1 when a
 * character of host is not a letter, digit, '-', '.' or ':' (the QR code's
 * alphanumeric set holds no other host character).
 */
int mana_mm1_qr_text(mana_buf_t *out, const char *host,
    const unsigned char *cose, size_t n);

/*
 * Decodes and checks the structure: 0, or -1 with the reason in *err (a
 * constant string that quotes nothing of the input).
 */
int mana_mm1_parse(mana_mm1_parsed_t *p, const unsigned char *cose,
    size_t n, const char **err);

/* 1 when pub's kid is the certificate's and the signature is pub's */
int mana_mm1_verify_sig(const mana_mm1_parsed_t *p,
    const unsigned char pub[32]);


/* what the trust list says about a signing key */
typedef enum {
    MANA_MM1_STATUS_ACTIVE = 0,
    MANA_MM1_STATUS_RETIRED,    /* signs no more; what it signed stands */
    MANA_MM1_STATUS_REVOKED     /* nothing it signed from revoked_at on */
} mana_mm1_key_status_e;

typedef struct {
    unsigned char           pub[32];
    mana_mm1_key_status_e   status;
    int64_t                 revoked_at;
    int64_t                 valid_from;     /* it signs from ... */
    int64_t                 valid_until;    /* ... until before; 0: open */
} mana_mm1_key_t;

typedef enum {
    MANA_MM1_VALID = 0,
    MANA_MM1_TAMPERED,              /* the signature does not hold */
    MANA_MM1_UNKNOWN_KEY,           /* no such kid in the trust list */
    MANA_MM1_KEY_REVOKED,           /* revoked at or before iat */
    MANA_MM1_KEY_NOT_VALID_AT_IAT,  /* iat outside the key's window */
    MANA_MM1_EXPIRED                /* exp has passed */
} mana_mm1_verdict_e;

/*
 * The verifier's decision over a parsed certificate and the trust list's
 * record for its kid (NULL: not found), in this order: the key is known
 * (and is the kid's), the signature holds, then the key's status and window
 * against iat, then exp against now.  The signature comes before anything
 * that reads iat, since iat means nothing until then.
 *
 * A key revoked after iat still verifies what it signed before: a stolen
 * key could backdate iat, which is why a certificate also has to be found
 * in the issuance log.  Revocation of a single certificate (by cti) is the
 * caller's to check.
 */
mana_mm1_verdict_e mana_mm1_verdict(const mana_mm1_parsed_t *p,
    const mana_mm1_key_t *key, int64_t now);
/* "valid", "tampered", "unknown key", ... */
const char *mana_mm1_verdict_name(mana_mm1_verdict_e v);

#endif /* MANA_MM1_H */
