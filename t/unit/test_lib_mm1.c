/*
 * MM1 certificates: Ed25519 against RFC 8032, the COSE_Sign1 bytes
 * against an encoding written out by hand here, the QR text, every bit
 * flipped, wrong keys, key statuses and windows, expiry, and inputs that
 * are cut, too long, garbage or signed but malformed.
 */

#define _GNU_SOURCE         /* memmem */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "tap.h"
#include "mana_base32.h"
#include "mana_cbor.h"
#include "mana_ed25519.h"
#include "mana_hex.h"
#include "mana_mm1.h"
#include "mana_utf8.h"


/* RFC 8032, section 7.1, TEST 1 */
#define RFC8032_SEED                                                         \
    "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"
#define RFC8032_PUB                                                          \
    "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"
#define RFC8032_SIG                                                          \
    "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555"      \
    "fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"

/* the first 8 bytes of SHA-256 of RFC8032_PUB (sha256sum) */
#define RFC8032_KID   "21fe31dfa154a261"


static unsigned char  vec_seed[32], vec_pub[32];
static EVP_PKEY      *vec_key;


static size_t
unhex(unsigned char *dst, const char *hex)
{
    size_t  n;

    n = strlen(hex) / 2;

    if (mana_hex_decode(dst, hex, n) != 0) {
        printf("# bad hex in the test\n");
        exit(2);
    }

    return n;
}


static void
print_hex(const char *label, const void *p, size_t n)
{
    size_t               i;
    const unsigned char *b = p;

    printf("# %s (%zu bytes):", label, n);

    for (i = 0; i < n; i++) {
        printf("%s%02x", i % 32 ? "" : "\n#   ", b[i]);
    }

    printf("\n");
}


#define S(s)  { (s), sizeof(s) - 1 }


/* the example of docs/certificates.md */

static const mana_mm1_fact_t  example_facts[] = {
    { S("income"), S("120000") },
    { S("year"), S("2026-27") },
};

static const unsigned char  example_cti[12] = {
    0x5c, 0x0e, 0x3b, 0x91, 0x27, 0xd4, 0x6a, 0xf0, 0x88, 0x13, 0x4e, 0xa2
};

#define EXAMPLE_IAT  1795753800     /* 2026-11-27 10:00 IST */
#define EXAMPLE_EXP  1827289800     /* a year later */

static void
example_claims(mana_mm1_claims_t *c)
{
    memset(c, 0, sizeof(*c));
    c->iss = (mana_mm1_str_t) S("AP-REV-TPT");
    c->iat = EXAMPLE_IAT;
    c->exp = EXAMPLE_EXP;
    memcpy(c->cti, example_cti, 12);
    c->schema = MANA_MM1_SCHEMA;
    c->doctype = 2;
    c->number = (mana_mm1_str_t) S("INC-TPT-2026-004512");
    c->holder = (mana_mm1_str_t) S("రవి కుమార్");
    c->relation = (mana_mm1_str_t) S("వెంకట రావు");
    c->facts = example_facts;
    c->nfacts = 2;
    c->log_index = 4511;
}


/* a realistic income certificate: a long Telugu name, several facts */

static const mana_mm1_fact_t  income_facts[] = {
    { S("income"), S("1,20,000") },
    { S("year"), S("2026-27") },
    { S("source"), S("వ్యవసాయం") },
    { S("purpose"), S("Scholarship") },
};

static void
income_claims(mana_mm1_claims_t *c, const unsigned char cti[12])
{
    memset(c, 0, sizeof(*c));
    c->iss = (mana_mm1_str_t) S("AP-REV-TPT");
    c->iat = EXAMPLE_IAT;
    c->exp = EXAMPLE_EXP;
    memcpy(c->cti, cti, 12);
    c->schema = MANA_MM1_SCHEMA;
    c->doctype = 2;
    c->number = (mana_mm1_str_t) S("INC-TPT-2026-004512");
    c->holder = (mana_mm1_str_t) S("కె. వెంకట లక్ష్మి");
    c->relation = (mana_mm1_str_t) S("కె. శ్రీనివాస రావు");
    c->facts = income_facts;
    c->nfacts = sizeof(income_facts) / sizeof(income_facts[0]);
    c->log_index = 1048576;
}


static int
str_is(mana_mm1_str_t s, mana_mm1_str_t want)
{
    return s.len == want.len && memcmp(s.data, want.data, s.len) == 0;
}


static int
claims_equal(const mana_mm1_claims_t *a, const mana_mm1_claims_t *b)
{
    size_t  i, j, found;

    if (!str_is(a->iss, b->iss) || a->iat != b->iat || a->exp != b->exp
        || memcmp(a->cti, b->cti, 12) != 0 || a->schema != b->schema
        || a->doctype != b->doctype || !str_is(a->number, b->number)
        || !str_is(a->holder, b->holder) || a->relation.len != b->relation.len
        || (a->relation.len && !str_is(a->relation, b->relation))
        || a->nfacts != b->nfacts || a->log_index != b->log_index)
    {
        return 0;
    }

    /* the same facts, in whatever order */
    for (i = 0; i < a->nfacts; i++) {
        found = 0;

        for (j = 0; j < b->nfacts; j++) {
            if (str_is(a->facts[i].key, b->facts[j].key)
                && str_is(a->facts[i].value, b->facts[j].value))
            {
                found++;
            }
        }

        if (found != 1) {
            return 0;
        }
    }

    return 1;
}


static void
key_record(mana_mm1_key_t *k, const unsigned char pub[32])
{
    memcpy(k->pub, pub, 32);
    k->status = MANA_MM1_STATUS_ACTIVE;
    k->revoked_at = 0;
    k->valid_from = EXAMPLE_IAT - 86400 * 30;
    k->valid_until = 0;
}


/* Ed25519 */


static void
test_rfc8032(void)
{
    int             rc;
    size_t          n;
    EVP_PKEY       *pk;
    unsigned char   pub[32], sig[64], want[64], kid[8], want_kid[8];

    unhex(vec_seed, RFC8032_SEED);
    unhex(vec_pub, RFC8032_PUB);
    unhex(want, RFC8032_SIG);

    ok(mana_ed25519_public_of(pub, vec_seed) == 0
       && memcmp(pub, vec_pub, 32) == 0,
       "RFC 8032 test 1: the public key of the secret key");

    vec_key = mana_ed25519_private_key(vec_seed);
    ok(vec_key != NULL && mana_ed25519_raw_public(vec_key, pub) == 0
       && memcmp(pub, vec_pub, 32) == 0,
       "RFC 8032 test 1: the signing key holds that public key");

    ok(mana_ed25519_sign(sig, vec_key, (const unsigned char *) "", 0) == 0
       && memcmp(sig, want, 64) == 0,
       "RFC 8032 test 1: the signature of the empty message");

    pk = mana_ed25519_public_key(vec_pub);
    ok(pk != NULL && mana_ed25519_verify(pk, (const unsigned char *) "", 0,
                                         want, 64) == 1,
       "RFC 8032 test 1: verifies with the public key alone");

    want[17] ^= 0x04;
    ok(mana_ed25519_verify(pk, (const unsigned char *) "", 0, want, 64) == 0,
       "RFC 8032 test 1: a changed signature does not");
    want[17] ^= 0x04;

    ok(mana_ed25519_verify(pk, (const unsigned char *) "x", 1, want, 64)
       == 0, "RFC 8032 test 1: nor another message");
    ok(mana_ed25519_verify(pk, (const unsigned char *) "", 0, want, 63)
       == 0, "RFC 8032 test 1: nor a signature of 63 bytes");
    EVP_PKEY_free(pk);

    n = unhex(want_kid, RFC8032_KID);
    rc = mana_mm1_kid(kid, vec_pub);
    ok(rc == 0 && n == 8 && memcmp(kid, want_kid, 8) == 0,
       "kid: SHA-256 of the RFC 8032 public key, first 8 bytes");
}


static void
test_keygen(void)
{
    EVP_PKEY       *key, *pk;
    unsigned char   seed[32], pub[32], seed2[32], pub2[32], again[32];
    unsigned char   sig[64];

    ok(mana_ed25519_keygen(seed, pub) == 0
       && mana_ed25519_keygen(seed2, pub2) == 0
       && memcmp(seed, seed2, 32) != 0 && memcmp(pub, pub2, 32) != 0,
       "keygen: two key pairs differ");

    ok(mana_ed25519_public_of(again, seed) == 0
       && memcmp(again, pub, 32) == 0, "keygen: the public key is the seed's");

    key = mana_ed25519_private_key(seed);
    pk = mana_ed25519_public_key(pub);
    ok(key && pk
       && mana_ed25519_sign(sig, key, (const unsigned char *) "abc", 3) == 0
       && mana_ed25519_verify(pk, (const unsigned char *) "abc", 3, sig, 64)
          == 1, "keygen: the pair signs and verifies");

    EVP_PKEY_free(key);
    EVP_PKEY_free(pk);
    OPENSSL_cleanse(seed, sizeof(seed));
    OPENSSL_cleanse(seed2, sizeof(seed2));
}


/*
 * The documentation's example as the RFC 8032 key signs it (Ed25519 and
 * deterministic CBOR leave one possible encoding): the dump in
 * docs/certificates.md.
 */
static const char  example_hex[] =
    "d2844da20132044821fe31dfa154a261a058a5a5016a41502d5245562d545054"
    "041a6cea3ac8061a6b090748074c5c0e3b9127d46af088134ea23a00011170a7"
    "010102020373494e432d5450542d323032362d30303435313204781ce0b0b0e0"
    "b0b5e0b0bf20e0b095e0b181e0b0aee0b0bee0b0b0e0b18d05781ce0b0b5e0b1"
    "86e0b082e0b095e0b09f20e0b0b0e0b0bee0b0b5e0b18106a264796561726732"
    "3032362d323766696e636f6d65663132303030300719119f584009fcaa650d94"
    "aaa9eb95d5173f5ce5f0d203a8c0b56ae118c97010c5b560d1ea4a41e23b34e9"
    "38a4d8c651f5b30c5e0cc5de59fbe1c02f8ac7bbec761d713b0a";


/* the certificate, written out by hand from the documentation */


enum {
    T_NONE = 0,
    T_EXTRA_CLAIM, T_NO_IAT, T_CTI_16, T_SCHEMA_2, T_FACT_INT,
    T_FACTS_EMPTY, T_NO_HOLDER, T_EMPTY_HOLDER, T_UNSORTED, T_NEG_IAT,
    T_EXP_ZERO, T_MANA_KEY_8, T_TRAILING, T_ISS_BYTES, T_LONG_IAT,
    T_FACTS_UNSORTED, T_NO_CTI,
    T_LAST
};

static const char  *tweak_names[] = {
    "as documented",
    "an unknown claim 8", "no iat", "a cti of 16 bytes", "schema 2",
    "a fact that is an integer", "an empty facts map", "no holder",
    "an empty holder", "iat before exp", "a negative iat", "exp 0",
    "an unknown key 8 in -70001", "a byte after the claims",
    "an issuer as bytes", "iat in a longer head than needed",
    "facts out of order", "no cti",
};


static void
example_payload(mana_buf_t *b, int t)
{
    size_t          pairs;
    unsigned char   cti16[16];

    pairs = 5 + (t == T_EXTRA_CLAIM) - (t == T_NO_IAT) - (t == T_NO_CTI);
    mana_cbor_head(b, MANA_CBOR_MAP, pairs);

    mana_cbor_uint(b, 1);
    if (t == T_ISS_BYTES) {
        mana_cbor_bytes(b, "AP-REV-TPT", 10);
    } else {
        mana_cbor_text(b, "AP-REV-TPT", 10);
    }

    if (t == T_UNSORTED) {
        mana_cbor_uint(b, 6);
        mana_cbor_uint(b, EXAMPLE_IAT);
    }

    mana_cbor_uint(b, 4);
    mana_cbor_uint(b, t == T_EXP_ZERO ? 0 : EXAMPLE_EXP);

    if (t == T_NEG_IAT) {
        mana_cbor_uint(b, 6);
        mana_cbor_int(b, -5);

    } else if (t == T_LONG_IAT) {
        mana_cbor_uint(b, 6);
        /* 1b and 8 bytes where 1a and 4 do */
        mana_buf_add(b, "\x1b\x00\x00\x00\x00", 5);
        mana_buf_add(b, "\x6b\x09\x07\x48", 4);

    } else if (t != T_NO_IAT && t != T_UNSORTED) {
        mana_cbor_uint(b, 6);
        mana_cbor_uint(b, EXAMPLE_IAT);
    }

    if (t == T_CTI_16) {
        memset(cti16, 7, sizeof(cti16));
        mana_cbor_uint(b, 7);
        mana_cbor_bytes(b, cti16, 16);

    } else if (t != T_NO_CTI) {
        mana_cbor_uint(b, 7);
        mana_cbor_bytes(b, example_cti, 12);
    }

    if (t == T_EXTRA_CLAIM) {
        mana_cbor_uint(b, 8);
        mana_cbor_uint(b, 0);
    }

    mana_cbor_int(b, -70001);

    pairs = 7 + (t == T_MANA_KEY_8) - (t == T_NO_HOLDER);
    mana_cbor_head(b, MANA_CBOR_MAP, pairs);
    mana_cbor_uint(b, 1);
    mana_cbor_uint(b, t == T_SCHEMA_2 ? 2 : 1);
    mana_cbor_uint(b, 2);
    mana_cbor_uint(b, 2);
    mana_cbor_uint(b, 3);
    mana_cbor_text(b, "INC-TPT-2026-004512", 19);

    if (t == T_EMPTY_HOLDER) {
        mana_cbor_uint(b, 4);
        mana_cbor_text(b, "", 0);

    } else if (t != T_NO_HOLDER) {
        mana_cbor_uint(b, 4);
        mana_cbor_text(b, "రవి కుమార్", strlen("రవి కుమార్"));
    }

    mana_cbor_uint(b, 5);
    mana_cbor_text(b, "వెంకట రావు", strlen("వెంకట రావు"));

    /* "year" sorts before "income": a shorter encoding first */
    mana_cbor_uint(b, 6);

    if (t == T_FACTS_EMPTY) {
        mana_cbor_head(b, MANA_CBOR_MAP, 0);

    } else if (t == T_FACTS_UNSORTED) {
        mana_cbor_head(b, MANA_CBOR_MAP, 2);
        mana_cbor_text(b, "income", 6);
        mana_cbor_text(b, "120000", 6);
        mana_cbor_text(b, "year", 4);
        mana_cbor_text(b, "2026-27", 7);

    } else {
        mana_cbor_head(b, MANA_CBOR_MAP, 2);
        mana_cbor_text(b, "year", 4);
        if (t == T_FACT_INT) {
            mana_cbor_uint(b, 2026);
        } else {
            mana_cbor_text(b, "2026-27", 7);
        }
        mana_cbor_text(b, "income", 6);
        mana_cbor_text(b, "120000", 6);
    }

    mana_cbor_uint(b, 7);
    mana_cbor_uint(b, 4511);

    if (t == T_MANA_KEY_8) {
        mana_cbor_uint(b, 8);
        mana_cbor_uint(b, 0);
    }

    if (t == T_TRAILING) {
        mana_cbor_uint(b, 0);
    }
}


enum {
    P_ED25519 = 0, P_EDDSA, P_ES256, P_EXTRA, P_KID9, P_LONG_ALG, P_NO_KID,
    P_KID_TEXT, P_UNPROT_KID, P_UNTAGGED, P_TAG17, P_SIG63, P_FIVE,
    P_LAST
};

static const char  *hdr_names[] = {
    "alg -19", "alg -8", "alg -7 (ES256)", "a content type in the header",
    "a kid of 9 bytes", "alg in a longer head than needed", "no kid",
    "a kid as text", "a kid in the unprotected header", "no tag 18",
    "tag 17", "a signature of 63 bytes", "an array of five",
};


/* a COSE_Sign1 built here, signed with key, whatever it holds */
static void
craft(mana_buf_t *out, int hv, int pv, EVP_PKEY *key, const unsigned char *kid)
{
    mana_buf_t      prot, payload, tbs;
    unsigned char   sig[64];

    mana_buf_init(&prot);
    mana_buf_init(&payload);
    mana_buf_init(&tbs);

    mana_cbor_head(&prot, MANA_CBOR_MAP,
                   hv == P_EXTRA ? 3 : hv == P_NO_KID ? 1 : 2);
    mana_cbor_uint(&prot, 1);

    switch (hv) {
    case P_EDDSA:
        mana_cbor_int(&prot, -8);
        break;
    case P_ES256:
        mana_cbor_int(&prot, -7);
        break;
    case P_LONG_ALG:
        mana_buf_add(&prot, "\x38\x12", 2);
        break;
    default:
        mana_cbor_int(&prot, -19);
    }

    if (hv == P_EXTRA) {
        mana_cbor_uint(&prot, 3);
        mana_cbor_uint(&prot, 60);
    }

    if (hv == P_KID9) {
        mana_cbor_uint(&prot, 4);
        mana_cbor_bytes(&prot, "123456789", 9);

    } else if (hv == P_KID_TEXT) {
        mana_cbor_uint(&prot, 4);
        mana_cbor_text(&prot, (const char *) kid, 8);

    } else if (hv != P_NO_KID) {
        mana_cbor_uint(&prot, 4);
        mana_cbor_bytes(&prot, kid, 8);
    }

    example_payload(&payload, pv);

    mana_cbor_array(&tbs, 4);
    mana_cbor_text(&tbs, "Signature1", 10);
    mana_cbor_bytes(&tbs, prot.data, prot.len);
    mana_cbor_bytes(&tbs, "", 0);
    mana_cbor_bytes(&tbs, payload.data, payload.len);

    if (mana_ed25519_sign(sig, key, (unsigned char *) tbs.data, tbs.len)
        != 0)
    {
        printf("# signing failed\n");
        exit(2);
    }

    if (hv == P_TAG17) {
        mana_cbor_tag(out, 17);
    } else if (hv != P_UNTAGGED) {
        mana_cbor_tag(out, 18);
    }

    mana_cbor_array(out, hv == P_FIVE ? 5 : 4);
    mana_cbor_bytes(out, prot.data, prot.len);

    if (hv == P_UNPROT_KID) {
        mana_cbor_head(out, MANA_CBOR_MAP, 1);
        mana_cbor_uint(out, 4);
        mana_cbor_bytes(out, kid, 8);
    } else {
        mana_cbor_head(out, MANA_CBOR_MAP, 0);
    }

    mana_cbor_bytes(out, payload.data, payload.len);
    mana_cbor_bytes(out, sig, hv == P_SIG63 ? 63 : 64);

    if (hv == P_FIVE) {
        mana_cbor_uint(out, 0);
    }

    mana_buf_free(&prot);
    mana_buf_free(&payload);
    mana_buf_free(&tbs);
}


static void
test_sign_as_documented(void)
{
    int                 rc;
    char                hex[2 * MANA_MM1_MAX_LEN + 1];
    const char         *err;
    mana_buf_t          signed_buf, hand;
    mana_mm1_claims_t   c;
    mana_mm1_fact_t     reversed[2];

    example_claims(&c);

    mana_buf_init(&signed_buf);
    rc = mana_mm1_sign(&signed_buf, &c, vec_key, &err);
    ok(rc == 0, "sign: the documentation's example (%s)",
       rc ? err : "signed");

    mana_buf_init(&hand);
    craft(&hand, P_ED25519, T_NONE, vec_key, (const unsigned char *)
          "\x21\xfe\x31\xdf\xa1\x54\xa2\x61");
    ok(signed_buf.len == hand.len
       && memcmp(signed_buf.data, hand.data, hand.len) == 0,
       "sign: byte for byte the encoding written out by hand");

    mana_hex_encode(hex, (unsigned char *) signed_buf.data, signed_buf.len);
    hex[2 * signed_buf.len] = '\0';
    is_str(hex, example_hex, "sign: the bytes shown in docs/certificates.md");
    print_hex("the documentation's example", signed_buf.data,
              signed_buf.len);

    /* the same claims with the facts given the other way round */
    reversed[0] = example_facts[1];
    reversed[1] = example_facts[0];
    c.facts = reversed;
    mana_buf_free(&hand);
    mana_buf_init(&hand);
    ok(mana_mm1_sign(&hand, &c, vec_key, &err) == 0
       && hand.len == signed_buf.len
       && memcmp(signed_buf.data, hand.data, hand.len) == 0,
       "sign: the order the facts are given in changes no byte");

    mana_buf_free(&signed_buf);
    mana_buf_free(&hand);
}


static void
test_signature_structure(void)
{
    size_t              plen;
    EVP_PKEY           *pk;
    mana_buf_t          cose, tbs;
    mana_mm1_claims_t   c;
    const unsigned char *b, *payload;

    /*
     * The signature checked over a Sig_structure assembled here from the
     * COSE bytes' known offsets, not by the parser.
     */
    example_claims(&c);
    mana_buf_init(&cose);
    mana_buf_init(&tbs);

    if (mana_mm1_sign(&cose, &c, vec_key, NULL) != 0) {
        ok(0, "sign failed");
        return;
    }

    b = (const unsigned char *) cose.data;

    /* d2 84 4d <13 bytes of header> a0 58 <length> <payload> 58 40 <sig> */
    plen = b[18];
    payload = b + 19;
    ok(b[2] == 0x4d && b[16] == 0xa0 && b[17] == 0x58
       && 19 + plen + 2 + 64 == cose.len && payload[plen] == 0x58
       && payload[plen + 1] == 0x40,
       "cose: a 13-byte protected header, an empty map, the payload, "
       "a 64-byte signature");

    if (19 + plen + 2 + 64 != cose.len) {
        mana_buf_free(&cose);
        return;
    }

    mana_buf_add(&tbs, "\x84\x6aSignature1", 12);
    mana_buf_add(&tbs, b + 2, 14);
    mana_buf_add(&tbs, "\x40", 1);
    mana_buf_add(&tbs, b + 17, 2 + plen);

    pk = mana_ed25519_public_key(vec_pub);
    ok(mana_ed25519_verify(pk, (unsigned char *) tbs.data, tbs.len,
                           payload + plen + 2, 64) == 1,
       "cose: Ed25519 over [\"Signature1\", protected, h'', payload]");
    EVP_PKEY_free(pk);

    mana_buf_free(&cose);
    mana_buf_free(&tbs);
}


/* the realistic certificate: sign, QR text, back, parse, verify */


static unsigned char  real_seed[32], real_pub[32];
static EVP_PKEY      *real_key;
static mana_buf_t     real_cose;
static unsigned char  real_cti[12];


static int
qr_alphanumeric(const char *s, size_t n)
{
    size_t  i;

    for (i = 0; i < n; i++) {
        if (strchr("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:", s[i])
            == NULL || s[i] == '\0')
        {
            return 0;
        }
    }

    return 1;
}


static void
test_round_trip(void)
{
    int                 rc;
    size_t              len, i;
    const char         *err, *prefix;
    mana_buf_t          qr;
    mana_mm1_key_t      k;
    mana_mm1_claims_t   c;
    unsigned char       kid[8], back[MANA_MM1_MAX_LEN];
    static mana_mm1_parsed_t  p;

    if (mana_ed25519_keygen(real_seed, real_pub) != 0) {
        ok(0, "keygen");
        return;
    }

    real_key = mana_ed25519_private_key(real_seed);

    for (i = 0; i < 12; i++) {
        real_cti[i] = (unsigned char) (0xa0 + 7 * i);
    }

    income_claims(&c, real_cti);

    mana_buf_init(&real_cose);
    rc = mana_mm1_sign(&real_cose, &c, real_key, &err);
    ok(rc == 0, "income certificate signed (%s)", rc ? err : "ok");

    mana_buf_init(&qr);
    ok(mana_mm1_qr_text(&qr, "verify.ap.gov.in", (unsigned char *)
                        real_cose.data, real_cose.len) == 0,
       "the QR text");

    prefix = "HTTPS://VERIFY.AP.GOV.IN/C/";
    ok(qr.len > strlen(prefix) && memcmp(qr.data, prefix, strlen(prefix)) == 0,
       "QR text: HTTPS://VERIFY.AP.GOV.IN/C/...");
    ok(qr_alphanumeric(qr.data, qr.len),
       "QR text: every character in the QR alphanumeric set");

    printf("# an income certificate: %zu bytes of COSE (holder %zu code "
           "points, %zu facts), QR text %zu characters (the reference "
           "measured 329)\n", real_cose.len,
           mana_utf8_len(c.holder.data, c.holder.len), c.nfacts, qr.len);
    printf("# %.*s\n", (int) qr.len, qr.data);

    ok(mana_base32_decode(back, sizeof(back), &len, qr.data + strlen(prefix),
                          qr.len - strlen(prefix)) == MANA_BASE32_OK
       && len == real_cose.len && memcmp(back, real_cose.data, len) == 0,
       "QR text: its Base32 gives back the certificate");

    rc = mana_mm1_parse(&p, back, len, &err);
    ok(rc == 0, "parse (%s)", rc ? err : "ok");
    ok(claims_equal(&p.claims, &c), "parse: the claims that were signed");
    ok(p.alg == MANA_MM1_ALG_ED25519, "parse: alg -19");
    ok(mana_mm1_kid(kid, real_pub) == 0 && memcmp(kid, p.kid, 8) == 0,
       "parse: the signing key's kid");
    ok(mana_mm1_verify_sig(&p, real_pub) == 1, "the signature holds");

    key_record(&k, real_pub);
    ok(mana_mm1_verdict(&p, &k, EXAMPLE_IAT + 3600) == MANA_MM1_VALID,
       "verdict: valid");

    /* the facts come back in the map's order: by their keys' encodings */
    for (i = 1; i < p.claims.nfacts; i++) {
        const mana_mm1_str_t  *a = &p.claims.facts[i - 1].key;
        const mana_mm1_str_t  *b = &p.claims.facts[i].key;

        if (a->len > b->len
            || (a->len == b->len && memcmp(a->data, b->data, a->len) >= 0))
        {
            break;
        }
    }
    ok(i == p.claims.nfacts, "parse: facts by length, then bytes of key");

    mana_buf_free(&qr);
}


static void
test_qr_host(void)
{
    mana_buf_t  b;

    mana_buf_init(&b);
    ok(mana_mm1_qr_text(&b, "Verify-1.ap.gov.in:8443", (unsigned char *)
                        "\x00\xff", 2) == 0
       && strcmp(b.data, "HTTPS://VERIFY-1.AP.GOV.IN:8443/C/AD7Q") == 0,
       "QR text: host upper-cased, a port kept");
    mana_buf_free(&b);

    mana_buf_init(&b);
    ok(mana_mm1_qr_text(&b, "verify_ap.gov.in", (unsigned char *) "x", 1)
       == -1, "QR text: '_' is not alphanumeric in a QR code");
    mana_buf_free(&b);

    mana_buf_init(&b);
    ok(mana_mm1_qr_text(&b, "verify.ap.gov.in/x", (unsigned char *) "x", 1)
       == -1, "QR text: a path in the host refused");
    mana_buf_free(&b);

    mana_buf_init(&b);
    ok(mana_mm1_qr_text(&b, "", (unsigned char *) "x", 1) == -1,
       "QR text: no host refused");
    mana_buf_free(&b);
}


/* every bit of the certificate flipped, one at a time */
static void
test_bit_flips(void)
{
    size_t              i, n, at_parse, at_sig, at_kid, valid;
    mana_mm1_key_t      k;
    mana_mm1_verdict_e  v;
    unsigned char       copy[MANA_MM1_MAX_LEN];
    static mana_mm1_parsed_t  p;

    n = real_cose.len;
    memcpy(copy, real_cose.data, n);
    key_record(&k, real_pub);

    at_parse = 0;
    at_sig = 0;
    at_kid = 0;
    valid = 0;

    for (i = 0; i < 8 * n; i++) {
        copy[i / 8] ^= (unsigned char) (1 << (i % 8));

        if (mana_mm1_parse(&p, copy, n, NULL) != 0) {
            at_parse++;

        } else {
            v = mana_mm1_verdict(&p, &k, EXAMPLE_IAT + 3600);

            if (v == MANA_MM1_VALID) {
                printf("# bit %zu of byte %zu flipped: still valid\n",
                       i % 8, i / 8);
                valid++;

            } else if (v == MANA_MM1_UNKNOWN_KEY) {
                at_kid++;

            } else {
                at_sig++;
            }
        }

        copy[i / 8] ^= (unsigned char) (1 << (i % 8));
    }

    ok(valid == 0, "every one of %zu bits flipped is refused: %zu at parse, "
       "%zu by the kid, %zu at the signature", 8 * n, at_parse, at_kid,
       at_sig);
    ok(at_kid == 64, "... each of the kid's 64 bits by the kid");
    ok(memcmp(copy, real_cose.data, n) == 0
       && mana_mm1_parse(&p, copy, n, NULL) == 0
       && mana_mm1_verdict(&p, &k, EXAMPLE_IAT) == MANA_MM1_VALID,
       "... and the certificate, flipped back, is valid again");
}


static void
test_wrong_key(void)
{
    mana_mm1_key_t      k;
    unsigned char       seed[32], pub[32];
    static mana_mm1_parsed_t  p;

    if (mana_mm1_parse(&p, (unsigned char *) real_cose.data, real_cose.len,
                       NULL) != 0
        || mana_ed25519_keygen(seed, pub) != 0)
    {
        ok(0, "parse or keygen");
        return;
    }

    OPENSSL_cleanse(seed, sizeof(seed));

    ok(mana_mm1_verify_sig(&p, pub) == 0,
       "another key does not verify the certificate");
    ok(mana_mm1_verify_sig(&p, vec_pub) == 0, "nor the RFC 8032 key");

    key_record(&k, pub);
    ok(mana_mm1_verdict(&p, &k, EXAMPLE_IAT) == MANA_MM1_UNKNOWN_KEY,
       "verdict: another key's record is no record of this kid");
    ok(mana_mm1_verdict(&p, NULL, EXAMPLE_IAT) == MANA_MM1_UNKNOWN_KEY,
       "verdict: no record, unknown key");
}


/* a changed field that still parses: the signature must catch it */
static void
test_tampered_fields(void)
{
    size_t              n;
    unsigned char       copy[MANA_MM1_MAX_LEN], *at;
    mana_mm1_key_t      k;
    mana_mm1_claims_t   c;
    static mana_mm1_parsed_t  p;

    n = real_cose.len;
    key_record(&k, real_pub);

    memcpy(copy, real_cose.data, n);
    at = memmem(copy, n, "1,20,000", 8);
    if (at) {
        at[0] = '9';
    }
    ok(at && mana_mm1_parse(&p, copy, n, NULL) == 0
       && mana_mm1_verdict(&p, &k, EXAMPLE_IAT) == MANA_MM1_TAMPERED,
       "income 1,20,000 made 9,20,000: parses, verdict tampered");

    /* 6: iat, a 4-byte unsigned integer */
    memcpy(copy, real_cose.data, n);
    at = memmem(copy, n, "\x06\x1a\x6b\x09\x07\x48", 6);
    if (at) {
        at[5]++;
    }
    ok(at && mana_mm1_parse(&p, copy, n, NULL) == 0
       && p.claims.iat == EXAMPLE_IAT + 1
       && mana_mm1_verdict(&p, &k, EXAMPLE_IAT) == MANA_MM1_TAMPERED,
       "iat a second later: tampered");

    /* the signature of another certificate of the same key */
    income_claims(&c, real_cti);
    c.holder = (mana_mm1_str_t) S("కె. వెంకట లక్ష్మా");
    {
        mana_buf_t  other;

        mana_buf_init(&other);
        if (mana_mm1_sign(&other, &c, real_key, NULL) == 0
            && other.len == n)
        {
            memcpy(copy, real_cose.data, n);
            memcpy(copy + n - 64, other.data + n - 64, 64);
            ok(mana_mm1_parse(&p, copy, n, NULL) == 0
               && mana_mm1_verdict(&p, &k, EXAMPLE_IAT)
                  == MANA_MM1_TAMPERED,
               "another certificate's signature: tampered");

        } else {
            ok(0, "another certificate of the same length");
        }

        mana_buf_free(&other);
    }
}


static void
test_statuses(void)
{
    int64_t             iat;
    mana_mm1_key_t      k;
    static mana_mm1_parsed_t  p;

    if (mana_mm1_parse(&p, (unsigned char *) real_cose.data, real_cose.len,
                       NULL) != 0)
    {
        ok(0, "parse");
        return;
    }

    iat = p.claims.iat;

    key_record(&k, real_pub);
    ok(mana_mm1_verdict(&p, &k, iat) == MANA_MM1_VALID, "active key: valid");

    k.status = MANA_MM1_STATUS_RETIRED;
    ok(mana_mm1_verdict(&p, &k, iat + 86400 * 200) == MANA_MM1_VALID,
       "retired key: what it signed is still valid");

    k.status = MANA_MM1_STATUS_REVOKED;
    k.revoked_at = iat - 1;
    ok(mana_mm1_verdict(&p, &k, iat) == MANA_MM1_KEY_REVOKED,
       "key revoked a second before iat: key revoked");
    k.revoked_at = iat;
    ok(mana_mm1_verdict(&p, &k, iat) == MANA_MM1_KEY_REVOKED,
       "key revoked at iat: key revoked");
    k.revoked_at = iat + 1;
    ok(mana_mm1_verdict(&p, &k, iat + 86400) == MANA_MM1_VALID,
       "key revoked a second after iat: what it signed before stands");

    key_record(&k, real_pub);
    k.valid_from = iat + 1;
    ok(mana_mm1_verdict(&p, &k, iat) == MANA_MM1_KEY_NOT_VALID_AT_IAT,
       "iat before the key's window: not valid at iat");
    k.valid_from = iat;
    ok(mana_mm1_verdict(&p, &k, iat) == MANA_MM1_VALID,
       "iat at the window's start: valid");
    k.valid_until = iat;
    ok(mana_mm1_verdict(&p, &k, iat) == MANA_MM1_KEY_NOT_VALID_AT_IAT,
       "iat at the window's end (exclusive): not valid at iat");
    k.valid_until = iat + 1;
    ok(mana_mm1_verdict(&p, &k, iat) == MANA_MM1_VALID,
       "iat a second before the window's end: valid");

    k.status = MANA_MM1_STATUS_RETIRED;
    k.valid_until = iat - 86400;
    ok(mana_mm1_verdict(&p, &k, iat) == MANA_MM1_KEY_NOT_VALID_AT_IAT,
       "a retired key's window still counts");

    key_record(&k, real_pub);
    ok(mana_mm1_verdict(&p, &k, EXAMPLE_EXP - 1) == MANA_MM1_VALID,
       "a second before exp: valid");
    ok(mana_mm1_verdict(&p, &k, EXAMPLE_EXP) == MANA_MM1_EXPIRED,
       "at exp: expired");
    ok(mana_mm1_verdict(&p, &k, EXAMPLE_EXP + 86400 * 400)
       == MANA_MM1_EXPIRED, "long after exp: expired");

    ok(strcmp(mana_mm1_verdict_name(MANA_MM1_KEY_NOT_VALID_AT_IAT),
              "key not valid at iat") == 0
       && strcmp(mana_mm1_verdict_name(MANA_MM1_VALID), "valid") == 0,
       "verdict names");
}


static void
test_no_expiry(void)
{
    mana_buf_t          b;
    mana_mm1_key_t      k;
    mana_mm1_claims_t   c;
    static mana_mm1_parsed_t  p;

    income_claims(&c, real_cti);
    c.exp = 0;
    c.relation = (mana_mm1_str_t) { NULL, 0 };
    c.nfacts = 0;
    c.log_index = -1;

    mana_buf_init(&b);
    ok(mana_mm1_sign(&b, &c, real_key, NULL) == 0
       && mana_mm1_parse(&p, (unsigned char *) b.data, b.len, NULL) == 0
       && p.claims.exp == 0 && p.claims.relation.len == 0
       && p.claims.nfacts == 0 && p.claims.log_index == -1,
       "no exp, relation, facts or log index: none comes back");

    key_record(&k, real_pub);
    ok(mana_mm1_verdict(&p, &k, EXAMPLE_EXP + 86400 * 3650)
       == MANA_MM1_VALID, "no exp: valid ten years on");

    mana_buf_free(&b);
}


static void
test_sign_refusals(void)
{
    int                 rc;
    char               *big;
    size_t              i;
    EVP_PKEY           *x25519;
    const char         *err;
    mana_buf_t          b;
    mana_mm1_claims_t   c;
    mana_mm1_fact_t     facts[MANA_MM1_MAX_FACTS + 1], dup[2];

    mana_buf_init(&b);

#define REFUSED(what)                                                        \
    err = NULL;                                                              \
    rc = mana_mm1_sign(&b, &c, real_key, &err);                              \
    ok(rc == -1 && err != NULL && b.len == 0, "sign refuses %s: %s", what,   \
       err ? err : "signed");                                                \
    income_claims(&c, real_cti)

    income_claims(&c, real_cti);

    c.iss.len = 0;
    REFUSED("no issuer");
    c.holder.len = 0;
    REFUSED("no holder");
    c.number = (mana_mm1_str_t) { NULL, 0 };
    REFUSED("no number");
    c.holder = (mana_mm1_str_t) S("Ravi \xc0\xaf");
    REFUSED("a holder that is not UTF-8");
    c.relation = (mana_mm1_str_t) S("\xed\xa0\x80");
    REFUSED("a relation that is not UTF-8");
    c.schema = 2;
    REFUSED("schema 2");
    c.iat = -1;
    REFUSED("a negative iat");

    dup[0] = income_facts[0];
    dup[1] = income_facts[0];
    dup[1].value = (mana_mm1_str_t) S("0");
    c.facts = dup;
    c.nfacts = 2;
    REFUSED("two facts with one key");

    dup[1] = income_facts[1];
    dup[1].value.len = 0;
    c.facts = dup;
    c.nfacts = 2;
    REFUSED("an empty fact");

    for (i = 0; i <= MANA_MM1_MAX_FACTS; i++) {
        facts[i] = income_facts[0];
    }
    c.facts = facts;
    c.nfacts = MANA_MM1_MAX_FACTS + 1;
    REFUSED("25 facts");

    big = malloc(MANA_MM1_MAX_LEN);
    memset(big, 'A', MANA_MM1_MAX_LEN);
    c.holder = (mana_mm1_str_t) { big, MANA_MM1_MAX_LEN - 200 };
    REFUSED("a certificate over the QR code's size");
    free(big);

    x25519 = EVP_PKEY_new_raw_private_key(EVP_PKEY_X25519, NULL, real_seed,
                                          32);
    err = NULL;
    ok(x25519 != NULL && mana_mm1_sign(&b, &c, x25519, &err) == -1
       && err != NULL && b.len == 0, "sign refuses an X25519 key: %s",
       err ? err : "signed");
    EVP_PKEY_free(x25519);

    ok(mana_mm1_sign(&b, &c, NULL, &err) == -1 && b.len == 0,
       "sign refuses no key");

#undef REFUSED

    mana_buf_free(&b);
}


static void
test_crafted(void)
{
    int                 hv, pv, rc;
    const char         *err;
    mana_buf_t          b;
    mana_mm1_key_t      k;
    static mana_mm1_parsed_t  p;
    const unsigned char *kid = (const unsigned char *)
                               "\x21\xfe\x31\xdf\xa1\x54\xa2\x61";

    key_record(&k, vec_pub);

    /* signed properly, so only the structure can refuse them */
    for (hv = 0; hv < P_LAST; hv++) {
        mana_buf_init(&b);
        craft(&b, hv, T_NONE, vec_key, kid);
        err = NULL;
        rc = mana_mm1_parse(&p, (unsigned char *) b.data, b.len, &err);

        if (hv == P_ED25519 || hv == P_EDDSA) {
            ok(rc == 0 && mana_mm1_verdict(&p, &k, EXAMPLE_IAT)
                          == MANA_MM1_VALID,
               "parse accepts and verifies %s", hdr_names[hv]);

        } else {
            ok(rc == -1 && err != NULL, "parse refuses %s: %s",
               hdr_names[hv], err ? err : "accepted");
        }

        mana_buf_free(&b);
    }

    for (pv = 1; pv < T_LAST; pv++) {
        mana_buf_init(&b);
        craft(&b, P_ED25519, pv, vec_key, kid);
        err = NULL;
        rc = mana_mm1_parse(&p, (unsigned char *) b.data, b.len, &err);
        ok(rc == -1 && err != NULL, "parse refuses claims with %s: %s",
           tweak_names[pv], err ? err : "accepted");
        mana_buf_free(&b);
    }
}


static void
test_bad_inputs(void)
{
    int                 rc;
    size_t              n, i, j, accepted;
    uint32_t            x;
    const char         *err;
    unsigned char       buf[MANA_MM1_MAX_LEN + 2];
    static mana_mm1_parsed_t  p;

    n = real_cose.len;

    accepted = 0;
    for (i = 0; i < n; i++) {
        if (mana_mm1_parse(&p, (unsigned char *) real_cose.data, i, NULL)
            == 0)
        {
            printf("# a certificate cut to %zu bytes parsed\n", i);
            accepted++;
        }
    }
    ok(accepted == 0, "each of the %zu shorter prefixes refused", n);

    memcpy(buf, real_cose.data, n);
    buf[n] = 0x00;
    err = NULL;
    ok(mana_mm1_parse(&p, buf, n + 1, &err) == -1 && err
       && strcmp(err, "trailing bytes") == 0,
       "a byte appended: trailing bytes");

    memset(buf, 0, sizeof(buf));
    memcpy(buf, real_cose.data, n);
    ok(mana_mm1_parse(&p, buf, MANA_MM1_MAX_LEN + 1, &err) == -1 && err
       && strcmp(err, "longer than any certificate") == 0,
       "over %d bytes: refused before decoding", MANA_MM1_MAX_LEN);

    /* garbage: random bytes, and random bytes behind a COSE_Sign1 head */
    x = 2463534242u;
    accepted = 0;

    for (i = 0; i < 4000; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        n = 1 + x % 400;

        for (j = 0; j < n; j++) {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            buf[j] = (unsigned char) x;
        }

        if (i % 2) {
            memcpy(buf, real_cose.data, 20);
        }

        rc = mana_mm1_parse(&p, buf, n, NULL);
        accepted += rc == 0;
    }
    ok(accepted == 0, "4000 garbage inputs refused");

    err = NULL;
    ok(mana_mm1_parse(&p, (unsigned char *) "", 0, &err) == -1 && err,
       "nothing refused: %s", err ? err : "accepted");
}


int
main(void)
{
    test_rfc8032();
    test_keygen();
    test_sign_as_documented();
    test_signature_structure();
    test_round_trip();
    test_qr_host();
    test_bit_flips();
    test_wrong_key();
    test_tampered_fields();
    test_statuses();
    test_no_expiry();
    test_sign_refusals();
    test_crafted();
    test_bad_inputs();

    EVP_PKEY_free(vec_key);
    EVP_PKEY_free(real_key);
    OPENSSL_cleanse(vec_seed, sizeof(vec_seed));
    OPENSSL_cleanse(real_seed, sizeof(real_seed));
    mana_buf_free(&real_cose);

    return done_testing();
}
