/*
 * The trust list and what it is made of: Base64 (RFC 4648 vectors and the
 * strict decoder), RFC 3339 times, signed-note verifier keys (the vectors
 * of Go's golang.org/x/mod/sumdb/note), and the signed list itself: a
 * document computed elsewhere, every byte of its payload changed, wrong
 * roots, crafted payloads that are signed but wrong, and a certificate
 * checked against the list with mana_mm1_verdict().
 */

#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "tap.h"
#include "mana_base64.h"
#include "mana_ed25519.h"
#include "mana_hex.h"
#include "mana_mm1.h"
#include "mana_time.h"
#include "mana_trust.h"
#include "mana_vkey.h"


/* RFC 8032's test vectors 1, 2 and 3 */
static const char  *root_seed_hex =
    "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
static const char  *issuer_seed_hex =
    "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb";
static const char  *log_seed_hex =
    "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7";

static unsigned char  root_seed[32], root_pub[32];
static unsigned char  issuer_seed[32], issuer_pub[32];
static unsigned char  log_seed[32], log_pub[32];
static EVP_PKEY      *root_key, *issuer_key;


static void
unhex(unsigned char *dst, const char *hex, size_t n)
{
    if (strlen(hex) != 2 * n || mana_hex_decode(dst, hex, n) != 0) {
        printf("# bad hex in the test\n");
        exit(2);
    }
}


static int
b64_is(mana_base64_e v, const char *in, const char *want)
{
    char    out[64];
    size_t  n;

    n = mana_base64_encoded_len(v, strlen(in));
    mana_base64_encode(v, out, (const unsigned char *) in, strlen(in));
    out[n] = '\0';

    if (strcmp(out, want) != 0) {
        printf("#   got '%s', expected '%s'\n", out, want);
        return 0;
    }

    return 1;
}


static int
b64_decodes(mana_base64_e v, const char *in, const char *want)
{
    size_t         len;
    unsigned char  out[64];

    if (mana_base64_decode(v, out, sizeof(out), &len, in, strlen(in)) != 0) {
        return 0;
    }

    return len == strlen(want) && memcmp(out, want, len) == 0;
}


static int
b64_refused(mana_base64_e v, const char *in, size_t max)
{
    size_t         len;
    unsigned char  out[64];

    return mana_base64_decode(v, out, max, &len, in, strlen(in)) == -1
           && len == 0;
}


static void
test_base64(void)
{
    size_t       i;
    static const char  *vec[][3] = {
        { "", "", "" },
        { "f", "Zg==", "Zg" },
        { "fo", "Zm8=", "Zm8" },
        { "foo", "Zm9v", "Zm9v" },
        { "foob", "Zm9vYg==", "Zm9vYg" },
        { "fooba", "Zm9vYmE=", "Zm9vYmE" },
        { "foobar", "Zm9vYmFy", "Zm9vYmFy" },
    };

    for (i = 0; i < sizeof(vec) / sizeof(vec[0]); i++) {
        ok(b64_is(MANA_BASE64_STD, vec[i][0], vec[i][1])
           && b64_decodes(MANA_BASE64_STD, vec[i][1], vec[i][0]),
           "base64: RFC 4648 \"%s\" <-> \"%s\"", vec[i][0], vec[i][1]);
        ok(b64_is(MANA_BASE64_URL, vec[i][0], vec[i][2])
           && b64_decodes(MANA_BASE64_URL, vec[i][2], vec[i][0]),
           "base64url: \"%s\" <-> \"%s\"", vec[i][0], vec[i][2]);
    }

    ok(b64_is(MANA_BASE64_STD, "\xfb\xff\xbf", "+/+/")
       && b64_is(MANA_BASE64_URL, "\xfb\xff\xbf", "-_-_"),
       "base64: the two alphabets differ in 62 and 63");

    ok(b64_refused(MANA_BASE64_STD, "Zg", 64),
       "base64: the standard variant wants its padding");
    ok(b64_refused(MANA_BASE64_URL, "Zg==", 64),
       "base64url: padding refused");
    ok(b64_refused(MANA_BASE64_STD, "Zh==", 64)
       && b64_refused(MANA_BASE64_URL, "Zh", 64),
       "base64: non-zero bits after the last byte refused");
    ok(b64_refused(MANA_BASE64_STD, "-_-_", 64)
       && b64_refused(MANA_BASE64_URL, "+/+/", 64),
       "base64: a character of the other alphabet refused");
    ok(b64_refused(MANA_BASE64_STD, "Zm9v\n", 64)
       && b64_refused(MANA_BASE64_STD, "Zm 9v", 64)
       && b64_refused(MANA_BASE64_STD, "Z===", 64)
       && b64_refused(MANA_BASE64_STD, "Zg=v", 64)
       && b64_refused(MANA_BASE64_URL, "Zm9vY", 64),
       "base64: white space, three '=', '=' inside, 1 mod 4 refused");
    ok(b64_refused(MANA_BASE64_URL, "Zm9vYmFy", 5)
       && b64_decodes(MANA_BASE64_URL, "Zm9vYmE", "fooba"),
       "base64: more than max bytes refused before decoding");
}


static void
test_time(void)
{
    size_t   i;
    char     text[MANA_TIME_LEN + 1];
    int64_t  t;
    static const struct {
        const char  *text;
        int64_t      t;
    } vec[] = {
        { "1970-01-01T00:00:00Z", 0 },
        { "2000-02-29T00:00:00Z", 951782400 },
        { "2026-11-27T04:30:00Z", 1795753800 },
        { "2026-06-30T18:30:00Z", 1782844200 },
        { "9999-12-31T23:59:59Z", MANA_TIME_MAX },
    };
    static const char  *bad[] = {
        "1969-12-31T23:59:59Z", "2025-02-29T00:00:00Z",
        "2100-02-29T00:00:00Z", "2026-04-31T00:00:00Z",
        "2026-13-01T00:00:00Z", "2026-00-01T00:00:00Z",
        "2026-01-00T00:00:00Z", "2026-01-01T24:00:00Z",
        "2026-01-01T00:60:00Z", "2026-01-01T00:00:60Z",
        "2026-01-01t00:00:00Z", "2026-01-01T00:00:00z",
        "2026-01-01T00:00:00", "2026-01-01 00:00:00Z",
        "2026-01-01T00:00:00+00:00", "2026-1-01T00:00:00Z",
        "+026-01-01T00:00:00Z", "2026-01-01T00:00:00.0Z",
    };

    for (i = 0; i < sizeof(vec) / sizeof(vec[0]); i++) {
        ok(mana_time_format(text, vec[i].t) == 0
           && strcmp(text, vec[i].text) == 0
           && mana_time_parse(vec[i].text, MANA_TIME_LEN, &t) == 0
           && t == vec[i].t,
           "time: %s <-> %lld", vec[i].text, (long long) vec[i].t);
    }

    ok(mana_time_format(text, -1) == -1
       && mana_time_format(text, MANA_TIME_MAX + 1) == -1,
       "time: before 1970 and after 9999 not written");

    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        ok(mana_time_parse(bad[i], strlen(bad[i]), &t) == -1,
           "time: \"%s\" refused", bad[i]);
    }

    /* every day of four centuries, both ways */
    for (t = mana_time_days(1999, 1, 1) * 86400;
         t < mana_time_days(2401, 1, 1) * 86400; t += 86400 + 3661)
    {
        int64_t  back;

        if (mana_time_format(text, t) != 0
            || mana_time_parse(text, MANA_TIME_LEN, &back) != 0
            || back != t)
        {
            break;
        }
    }

    ok(t >= mana_time_days(2401, 1, 1) * 86400,
       "time: format and parse agree from 1999 to 2400 (stopped at %s)",
       text);
}


static void
test_vkey(void)
{
    size_t          len, nlen;
    mana_buf_t      b;
    EVP_PKEY       *key;
    const char     *name;
    unsigned char   skey[40], seed[32], pub[32], blob[80], sig[64];
    unsigned char   hash[4];
    const char     *text = "If you think cryptography is the answer to your "
                           "problem,\nthen you don't know what your problem "
                           "is.\n";
    static const char  peter[] =
        "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
    static const char  enoch[] =
        "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop";

    /* Go's example signer: PRIVATE+KEY+PeterNeumann+c74f20a3+<this> */
    ok(mana_base64_decode(MANA_BASE64_STD, skey, sizeof(skey), &len,
                          "AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz", 44)
       == 0 && len == 33 && skey[0] == 1,
       "vkey: Go's example private key is 0x01 and a seed");

    memcpy(seed, skey + 1, 32);
    mana_buf_init(&b);

    ok(mana_ed25519_public_of(pub, seed) == 0
       && mana_vkey_format(&b, "PeterNeumann", 12, pub) == 0
       && b.len == strlen(peter) && memcmp(b.data, peter, b.len) == 0,
       "vkey: the seed gives Go's verifier key %s", peter);

    /* the note's signature line: key hash, then the Ed25519 signature */
    key = mana_ed25519_private_key(seed);
    ok(mana_base64_decode(MANA_BASE64_STD, blob, sizeof(blob), &len,
                          "x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgY"
                          "N1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=", 92) == 0
       && len == 68
       && mana_vkey_hash(hash, "PeterNeumann", 12, pub) == 0
       && memcmp(blob, hash, 4) == 0
       && mana_ed25519_sign(sig, key, (const unsigned char *) text,
                            strlen(text)) == 0
       && memcmp(blob + 4, sig, 64) == 0,
       "vkey: Go's signed note: the key hash and signature computed here");
    EVP_PKEY_free(key);

    ok(mana_vkey_parse(peter, strlen(peter), &name, &nlen, blob) == 0
       && nlen == 12 && memcmp(name, "PeterNeumann", 12) == 0
       && memcmp(blob, pub, 32) == 0,
       "vkey: parse gives the name and the key back");
    ok(mana_vkey_parse(enoch, strlen(enoch), &name, &nlen, blob) == 0
       && nlen == 9, "vkey: Go's other test key parses (its hash holds)");

    ok(mana_vkey_parse("PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVk"
                       "mqq/LDE4izWy10TW", 66, &name, &nlen, blob) == -1,
       "vkey: a hash that is not the key's refused");
    ok(mana_vkey_parse("PeterNeumann+c74f20a3+AhpcQcUPDhMQegwxbzhKqiBfsVkm"
                       "qq/LDE4izWy10TW", 65, &name, &nlen, blob) == -1
       && mana_vkey_parse("PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKq", 44,
                          &name, &nlen, blob) == -1
       && mana_vkey_parse("PeterNeumann+c74f20a3", 21, &name, &nlen,
                          blob) == -1
       && mana_vkey_parse("PeterNeumann", 12, &name, &nlen, blob) == -1,
       "vkey: malformed, cut short, no key, no parts refused");

    ok(!mana_vkey_name_ok("a+b", 3) && !mana_vkey_name_ok("a b", 3)
       && !mana_vkey_name_ok("", 0) && !mana_vkey_name_ok("\xc3\xa9", 2)
       && mana_vkey_name_ok("mana.example.gov.in/log", 23),
       "vkey: a name has no '+', no space, no byte outside ASCII");

    mana_buf_free(&b);
}


/* the list the known answer was computed for (by another Ed25519) */

static mana_trust_key_t  roots[1], keys[1];

static void
example_list(mana_trust_list_t *l)
{
    memset(l, 0, sizeof(mana_trust_list_t));
    memset(roots, 0, sizeof(roots));
    memset(keys, 0, sizeof(keys));

    l->version = 7;
    l->issued_at = 1795753800;
    l->has_log = 1;
    strcpy(l->log_origin, "mana.example.gov.in/log");
    memcpy(l->log_pub, log_pub, 32);

    memcpy(roots[0].pub, root_pub, 32);
    mana_mm1_kid(roots[0].kid, root_pub);
    strcpy(roots[0].name, "mana-root-2026");
    roots[0].status = MANA_MM1_STATUS_ACTIVE;
    roots[0].valid_from = 1767225600;
    roots[0].valid_until = 1924992000;

    memcpy(keys[0].pub, issuer_pub, 32);
    mana_mm1_kid(keys[0].kid, issuer_pub);
    strcpy(keys[0].name, "AP-REV-TPT");
    strcpy(keys[0].department, "REV");
    keys[0].status = MANA_MM1_STATUS_REVOKED;
    keys[0].valid_from = 1767225600;
    keys[0].valid_until = 1798761600;
    keys[0].revoked_at = 1782844200;

    l->roots = roots;
    l->nroots = 1;
    l->keys = keys;
    l->nkeys = 1;
}


static const char  example_payload[] =
    "{\"format\":\"mana-trust/1\",\"version\":7,"
    "\"issued_at\":\"2026-11-27T04:30:00Z\","
    "\"log\":{\"origin\":\"mana.example.gov.in/log\","
    "\"key\":\"mana.example.gov.in/log+f9d3cdcb+"
    "AfxRzY5iGKGjjaR+0AIw8FgIFu0TujMDrF3rkRVIkIAl\"},"
    "\"roots\":[{\"kid\":\"21fe31dfa154a261\","
    "\"pub\":\"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo\","
    "\"name\":\"mana-root-2026\",\"status\":\"active\","
    "\"valid_from\":\"2026-01-01T00:00:00Z\","
    "\"valid_until\":\"2031-01-01T00:00:00Z\",\"revoked_at\":null}],"
    "\"keys\":[{\"kid\":\"39f713d0a644253f\","
    "\"pub\":\"PUAXw-hDiVqStwqnTRt-vJyYLM8uxJaMwM1V8Sr0Zgw\","
    "\"office\":\"AP-REV-TPT\",\"department\":\"REV\","
    "\"status\":\"revoked\",\"valid_from\":\"2026-01-01T00:00:00Z\","
    "\"valid_until\":\"2027-01-01T00:00:00Z\","
    "\"revoked_at\":\"2026-06-30T18:30:00Z\"}]}";

static const char  example_sig[] =
    "KTj9-YdhaeZ8uj8zhV_o2cBkvcgD_59pO9GZRdFoPTygMiQC0e_L3-tSTO3UmqYo1DWkmmh5"
    "lHqpA_HtMYMbAQ";


static void
test_known_answer(void)
{
    mana_buf_t          b, want;
    const char         *err;
    mana_trust_list_t   l, got;

    example_list(&l);
    mana_buf_init(&b);
    mana_buf_init(&want);

    err = NULL;
    ok(mana_trust_payload(&b, &l, &err) == 0
       && b.len == strlen(example_payload)
       && memcmp(b.data, example_payload, b.len) == 0,
       "payload: the bytes of the documented example");
    if (b.data && strcmp(b.data, example_payload) != 0) {
        printf("#   got %s\n", b.data);
    }

    mana_buf_free(&b);

    mana_buf_adds(&want, "{\"payload\":");
    mana_buf_add_json_str(&want, example_payload, strlen(example_payload));
    mana_buf_adds(&want, ",\"signatures\":[{\"kid\":\"21fe31dfa154a261\","
                  "\"alg\":\"Ed25519\",\"sig\":\"");
    mana_buf_adds(&want, example_sig);
    mana_buf_adds(&want, "\"}]}\n");

    ok(mana_trust_sign(&b, &l, &root_key, 1, &err) == 0
       && b.len == want.len && memcmp(b.data, want.data, b.len) == 0,
       "sign: the document another Ed25519 signed, byte for byte");

    ok(mana_trust_open(&got, want.data, want.len,
                       (const unsigned char (*)[32]) root_pub, 1, &err) == 0,
       "open: the example verifies with the root's public key");

    ok(got.version == 7 && got.issued_at == 1795753800 && got.has_log
       && strcmp(got.log_origin, "mana.example.gov.in/log") == 0
       && memcmp(got.log_pub, log_pub, 32) == 0,
       "open: version, issued_at, the log's origin and key");
    ok(got.nroots == 1 && memcmp(got.roots[0].pub, root_pub, 32) == 0
       && strcmp(got.roots[0].name, "mana-root-2026") == 0
       && got.roots[0].status == MANA_MM1_STATUS_ACTIVE,
       "open: the root key");
    ok(got.nkeys == 1 && memcmp(got.keys[0].pub, issuer_pub, 32) == 0
       && memcmp(got.keys[0].kid, keys[0].kid, 8) == 0
       && strcmp(got.keys[0].name, "AP-REV-TPT") == 0
       && strcmp(got.keys[0].department, "REV") == 0
       && got.keys[0].status == MANA_MM1_STATUS_REVOKED
       && got.keys[0].valid_from == 1767225600
       && got.keys[0].valid_until == 1798761600
       && got.keys[0].revoked_at == 1782844200,
       "open: the issuer key, every field");
    ok(mana_trust_find(&got, keys[0].kid) == &got.keys[0]
       && mana_trust_find(&got, roots[0].kid) == NULL,
       "find: an issuer kid, and not a root's");

    mana_trust_free(&got);
    mana_buf_free(&b);
    mana_buf_free(&want);
}


static void
test_every_byte(void)
{
    int                 opened;
    char               *copy, *p, *end;
    size_t              i, tried;
    mana_buf_t          b;
    const char         *err;
    mana_trust_list_t   l, got;

    example_list(&l);
    mana_buf_init(&b);
    mana_trust_sign(&b, &l, &root_key, 1, &err);

    copy = malloc(b.len);
    memcpy(copy, b.data, b.len);

    /* the payload string: from its opening quote to its closing one */
    p = strstr(copy, "\"payload\":\"") + 11;
    end = strstr(copy, "\",\"signatures\"");

    opened = 0;
    tried = 0;

    for (i = (size_t) (p - copy); i < (size_t) (end - copy); i++) {
        copy[i] ^= 0x01;
        tried++;

        if (mana_trust_open(&got, copy, b.len,
                            (const unsigned char (*)[32]) root_pub, 1, &err)
            == 0)
        {
            printf("# byte %zu changed: opened\n", i);
            opened++;
            mana_trust_free(&got);
        }

        copy[i] ^= 0x01;
    }

    ok(tried > 500 && opened == 0,
       "open: each of the payload's %zu bytes changed refused", tried);

    /* and the signature's */
    p = strstr(copy, "\"sig\":\"") + 7;
    opened = 0;

    for (i = 0; i < 86; i++) {
        p[i] = (char) (p[i] == 'A' ? 'B' : 'A');
        opened += mana_trust_open(&got, copy, b.len,
                                  (const unsigned char (*)[32]) root_pub, 1,
                                  &err) == 0;
        mana_trust_free(&got);
        memcpy(copy, b.data, b.len);
    }

    ok(opened == 0, "open: each of the signature's 86 characters changed "
       "refused");

    ok(mana_trust_open(&got, copy, b.len,
                       (const unsigned char (*)[32]) root_pub, 1, &err) == 0,
       "open: the untouched document still opens");
    mana_trust_free(&got);

    free(copy);
    mana_buf_free(&b);
}


static void
test_roots(void)
{
    mana_buf_t          b;
    EVP_PKEY           *signers[2];
    const char         *err;
    unsigned char       both[2][32];
    mana_trust_list_t   l, got;

    example_list(&l);
    mana_buf_init(&b);
    mana_trust_sign(&b, &l, &root_key, 1, &err);

    err = NULL;
    ok(mana_trust_open(&got, b.data, b.len,
                       (const unsigned char (*)[32]) issuer_pub, 1, &err)
       == -1 && err && strstr(err, "no signature by a trusted root") != NULL,
       "open: signed by a root that is not trusted: refused (%s)", err);
    ok(got.nkeys == 0 && got.keys == NULL, "open: ... and nothing returned");

    ok(mana_trust_open(&got, b.data, b.len, NULL, 0, &err) == -1,
       "open: no trusted root at all: refused");

    /* a root rotation: the list is signed by the old root and the new */
    mana_buf_free(&b);
    signers[0] = issuer_key;
    signers[1] = root_key;
    ok(mana_trust_sign(&b, &l, signers, 2, &err) == 0
       && strstr(b.data, "\"kid\":\"39f713d0a644253f\"") != NULL,
       "sign: two signers, two signatures");

    ok(mana_trust_open(&got, b.data, b.len,
                       (const unsigned char (*)[32]) root_pub, 1, &err) == 0,
       "open: with two signatures, either root that is trusted will do");
    mana_trust_free(&got);

    memcpy(both[0], log_pub, 32);
    memcpy(both[1], issuer_pub, 32);
    ok(mana_trust_open(&got, b.data, b.len,
                       (const unsigned char (*)[32]) both, 2, &err) == 0,
       "open: ... the other one too, among several pinned");
    mana_trust_free(&got);

    ok(mana_trust_sign(&b, &l, signers, 0, &err) == -1,
       "sign: no signer refused");

    mana_buf_free(&b);
}


/* a document around any payload, signed by the root: for crafted lists */

static void
signed_doc(mana_buf_t *b, const char *payload, const char *alg)
{
    unsigned char  sig[64];

    mana_buf_free(b);
    mana_ed25519_sign(sig, root_key, (const unsigned char *) payload,
                      strlen(payload));

    mana_buf_adds(b, "{\"payload\":");
    mana_buf_add_json_str(b, payload, strlen(payload));
    mana_buf_addf(b, ",\"signatures\":[{\"kid\":\"21fe31dfa154a261\","
                  "\"alg\":\"%s\",\"sig\":\"", alg);
    mana_base64_encode_buf(MANA_BASE64_URL, b, sig, 64);
    mana_buf_adds(b, "\"}]}");
}


static char *
replaced(const char *s, const char *from, const char *to)
{
    char        *out;
    const char  *at;

    at = strstr(s, from);
    if (at == NULL) {
        printf("# \"%s\" is not in the example\n", from);
        exit(2);
    }

    out = malloc(strlen(s) + strlen(to) + 1);
    memcpy(out, s, (size_t) (at - s));
    strcpy(out + (at - s), to);
    strcat(out, at + strlen(from));

    return out;
}


static void
test_crafted(void)
{
    char               *p;
    size_t              i;
    mana_buf_t          b;
    const char         *err;
    mana_trust_list_t   got;
    static const struct {
        const char  *from, *to, *what;
    } bad[] = {
        { "mana-trust/1", "mana-trust/2", "another format" },
        { "\"version\":7", "\"version\":-1", "a negative version" },
        { "\"version\":7", "\"version\":\"7\"", "a version as a string" },
        { "2026-11-27T04:30:00Z", "2026-11-27 04:30:00", "a time spelt "
          "otherwise" },
        { "\"kid\":\"39f713d0a644253f\"", "\"kid\":\"39f713d0a644253e\"",
          "a kid that is not its key's" },
        { "\"kid\":\"39f713d0a644253f\"", "\"kid\":\"39F713D0A644253F\"",
          "a kid in upper case" },
        { "\"status\":\"revoked\"", "\"status\":\"active\"",
          "revoked_at on an active key" },
        { "\"revoked_at\":\"2026-06-30T18:30:00Z\"", "\"revoked_at\":null",
          "a revoked key without revoked_at" },
        { "\"status\":\"revoked\"", "\"status\":\"suspended\"",
          "an unknown status" },
        { "\"valid_until\":\"2027-01-01T00:00:00Z\"",
          "\"valid_until\":\"2026-01-01T00:00:00Z\"",
          "an empty window" },
        { "PUAXw-hDiVqStwqnTRt-vJyYLM8uxJaMwM1V8Sr0Zgw",
          "PUAXw+hDiVqStwqnTRt+vJyYLM8uxJaMwM1V8Sr0Zgw",
          "pub in the standard alphabet" },
        { "\"office\":\"AP-REV-TPT\"", "\"office\":\"AP REV\"",
          "an office with a space" },
        { "\"office\":\"AP-REV-TPT\"", "\"issuer\":\"AP-REV-TPT\"",
          "a key without office" },
        { "f9d3cdcb", "f9d3cdcc", "a log key whose hash does not hold" },
        { "\"origin\":\"mana.example.gov.in/log\"",
          "\"origin\":\"mana.example.gov.in/log2\"",
          "a log key named after another origin" },
        { "\"keys\":[", "\"keys\":\"none\",\"k\":[", "keys not an array" },
        { "\"department\":\"REV\",", "\"department\":\"REV\","
          "\"department\":\"AGR\",", "a member twice" },
    };
    static const struct {
        const char  *doc, *what;
    } malformed[] = {
        { "{\"payload\":\"{}\",\"signatures\":[]}", "no signature" },
        { "{\"payload\":\"{}\"}", "no signatures member" },
        { "[[[[[[[[[[]]]]]]]]]]", "deep nesting" },
        { "{\"payload\":\"x\"", "a document cut short" },
        { "{\"payload\":{},\"signatures\":[]}", "a payload that is no string" },
        { "{\"payload\":\"{}\",\"signatures\":[{\"kid\":\"21fe31dfa154a261\","
          "\"alg\":\"Ed25519\",\"sig\":\"AAAA\"}]}", "a short signature" },
    };

    mana_buf_init(&b);

    signed_doc(&b, example_payload, "Ed25519");
    ok(mana_trust_open(&got, b.data, b.len,
                       (const unsigned char (*)[32]) root_pub, 1, &err) == 0,
       "crafted: the example, signed here, opens");
    mana_trust_free(&got);

    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        p = replaced(example_payload, bad[i].from, bad[i].to);
        signed_doc(&b, p, "Ed25519");
        err = NULL;
        ok(mana_trust_open(&got, b.data, b.len,
                           (const unsigned char (*)[32]) root_pub, 1, &err)
           == -1 && got.keys == NULL,
           "crafted, and signed: %s refused (%s)", bad[i].what, err);
        free(p);
    }

    /* two keys with one kid */
    p = replaced(example_payload, "\"keys\":[{",
                 "\"keys\":[{\"kid\":\"39f713d0a644253f\","
                 "\"pub\":\"PUAXw-hDiVqStwqnTRt-vJyYLM8uxJaMwM1V8Sr0Zgw\","
                 "\"office\":\"AP-REV-GNT\",\"department\":null,"
                 "\"status\":\"active\",\"valid_from\":\"2026-01-01T00:00:00Z\","
                 "\"valid_until\":\"2027-01-01T00:00:00Z\","
                 "\"revoked_at\":null},{");
    signed_doc(&b, p, "Ed25519");
    ok(mana_trust_open(&got, b.data, b.len,
                       (const unsigned char (*)[32]) root_pub, 1, &err) == -1,
       "crafted, and signed: one kid twice refused (%s)", err);
    free(p);

    /* a member a later version adds, and a log that is not there */
    p = replaced(example_payload, "\"log\":{\"origin\":\"mana.example.gov.in/"
                 "log\",\"key\":\"mana.example.gov.in/log+f9d3cdcb+AfxRzY5iGK"
                 "GjjaR+0AIw8FgIFu0TujMDrF3rkRVIkIAl\"}",
                 "\"log\":null,\"expires_at\":\"2027-01-01T00:00:00Z\"");
    signed_doc(&b, p, "Ed25519");
    ok(mana_trust_open(&got, b.data, b.len,
                       (const unsigned char (*)[32]) root_pub, 1, &err) == 0
       && !got.has_log && got.nkeys == 1,
       "crafted: no log and an unknown member: opens");
    mana_trust_free(&got);
    free(p);

    signed_doc(&b, example_payload, "Ed448");
    ok(mana_trust_open(&got, b.data, b.len,
                       (const unsigned char (*)[32]) root_pub, 1, &err) == -1,
       "crafted: the only signature of an unknown algorithm: refused (%s)",
       err);

    for (i = 0; i < sizeof(malformed) / sizeof(malformed[0]); i++) {
        err = NULL;
        ok(mana_trust_open(&got, malformed[i].doc, strlen(malformed[i].doc),
                           (const unsigned char (*)[32]) root_pub, 1, &err)
           == -1,
           "crafted: %s refused (%s)", malformed[i].what, err);
    }

    mana_buf_free(&b);
}


static void
test_build_refusals(void)
{
    mana_buf_t          b;
    const char         *err;
    mana_trust_list_t   l;

    mana_buf_init(&b);

    example_list(&l);
    keys[0].kid[0] ^= 1;
    ok(mana_trust_payload(&b, &l, &err) == -1 && b.len == 0,
       "payload: a kid that is not its key's refused (%s)", err);

    example_list(&l);
    strcpy(keys[0].name, "AP-REV-\xc3\x89");
    ok(mana_trust_payload(&b, &l, &err) == -1 && b.len == 0,
       "payload: a name outside ASCII refused (%s)", err);

    example_list(&l);
    keys[0].valid_until = keys[0].valid_from;
    ok(mana_trust_payload(&b, &l, &err) == -1,
       "payload: an empty window refused (%s)", err);

    example_list(&l);
    strcpy(l.log_origin, "mana log");
    ok(mana_trust_payload(&b, &l, &err) == -1,
       "payload: a log origin with a space refused (%s)", err);

    example_list(&l);
    l.has_log = 0;
    keys[0].department[0] = '\0';
    keys[0].status = MANA_MM1_STATUS_RETIRED;
    ok(mana_trust_payload(&b, &l, &err) == 0
       && strstr(b.data, "\"log\":null") != NULL
       && strstr(b.data, "\"department\":null") != NULL
       && strstr(b.data, "\"status\":\"retired\",\"valid_from\"") != NULL
       && strstr(b.data, "\"revoked_at\":null}]}") != NULL,
       "payload: no log, no department, a retired key: nulls");

    mana_buf_free(&b);
}


/* a certificate checked against a list opened from its signed document */

static void
test_with_certificate(void)
{
    mana_buf_t               b, cose;
    const char              *err;
    mana_mm1_key_t           mk;
    mana_mm1_claims_t        c;
    mana_trust_list_t        l, got;
    mana_mm1_parsed_t       *p;
    const mana_trust_key_t  *k;

    mana_buf_init(&b);
    mana_buf_init(&cose);
    p = malloc(sizeof(mana_mm1_parsed_t));

    memset(&c, 0, sizeof(c));
    c.iss.data = "AP-REV-TPT";
    c.iss.len = 10;
    c.iat = 1780000000;                 /* 2026-05-28: before revoked_at */
    memset(c.cti, 0x42, sizeof(c.cti));
    c.schema = MANA_MM1_SCHEMA;
    c.doctype = 2;
    c.number.data = "INC-TPT-2026-000001";
    c.number.len = 19;
    c.holder.data = "Ravi Kumar";
    c.holder.len = 10;
    c.log_index = -1;

    example_list(&l);
    mana_trust_sign(&b, &l, &root_key, 1, &err);

    ok(mana_mm1_sign(&cose, &c, issuer_key, &err) == 0
       && mana_mm1_parse(p, (unsigned char *) cose.data, cose.len, &err) == 0
       && mana_trust_open(&got, b.data, b.len,
                          (const unsigned char (*)[32]) root_pub, 1, &err)
          == 0,
       "certificate: signed, parsed, and the list opened");

    k = mana_trust_find(&got, p->kid);
    ok(k != NULL, "certificate: its kid is in the list");

    if (k) {
        mana_trust_mm1_key(k, &mk);
        ok(mana_mm1_verdict(p, &mk, 1790000000) == MANA_MM1_VALID,
           "certificate: signed before the key's revocation: valid");
    }

    mana_trust_free(&got);

    /* signed after revoked_at */
    mana_buf_free(&cose);
    mana_buf_init(&cose);
    c.iat = 1790000000;
    mana_mm1_sign(&cose, &c, issuer_key, &err);
    mana_mm1_parse(p, (unsigned char *) cose.data, cose.len, &err);
    mana_trust_open(&got, b.data, b.len,
                    (const unsigned char (*)[32]) root_pub, 1, &err);
    k = mana_trust_find(&got, p->kid);

    if (k) {
        mana_trust_mm1_key(k, &mk);
    }

    ok(k && mana_mm1_verdict(p, &mk, 1790000000) == MANA_MM1_KEY_REVOKED,
       "certificate: signed after the key's revocation: key revoked");

    mana_trust_free(&got);
    mana_buf_free(&b);
    mana_buf_free(&cose);
    free(p);
}


int
main(void)
{
    unhex(root_seed, root_seed_hex, 32);
    unhex(issuer_seed, issuer_seed_hex, 32);
    unhex(log_seed, log_seed_hex, 32);

    if (mana_ed25519_public_of(root_pub, root_seed) != 0
        || mana_ed25519_public_of(issuer_pub, issuer_seed) != 0
        || mana_ed25519_public_of(log_pub, log_seed) != 0)
    {
        printf("# no Ed25519 here\n");
        return 2;
    }

    root_key = mana_ed25519_private_key(root_seed);
    issuer_key = mana_ed25519_private_key(issuer_seed);

    test_base64();
    test_time();
    test_vkey();
    test_known_answer();
    test_every_byte();
    test_roots();
    test_crafted();
    test_build_refusals();
    test_with_certificate();

    EVP_PKEY_free(root_key);
    EVP_PKEY_free(issuer_key);
    OPENSSL_cleanse(root_seed, sizeof(root_seed));
    OPENSSL_cleanse(issuer_seed, sizeof(issuer_seed));

    return done_testing();
}
