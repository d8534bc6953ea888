/*
 * Signs an MM1 certificate for the tests of the verification endpoints,
 * with lib/'s own code, and prints what a test needs to store it as
 * issued:
 *
 *   mm1_issue <seed hex> <iss> <iat> <exp|0> <doctype> <number> <holder>
 *             <relation|-> <log index> [key=value ...]
 *
 *   kid=<hex> pub=<hex> cti=<hex> cose=<hex> leaf=<hex> b32=<text>
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/rand.h>

#include "mana_base32.h"
#include "mana_buf.h"
#include "mana_ed25519.h"
#include "mana_hex.h"
#include "mana_mm1.h"
#include "mana_tlog.h"


static mana_mm1_str_t
str(const char *s)
{
    mana_mm1_str_t  v = { s, strlen(s) };

    return v;
}


static void
hex(const char *name, const unsigned char *p, size_t n)
{
    char  *h;

    h = malloc(2 * n + 1);
    mana_hex_encode(h, p, n);
    h[2 * n] = '\0';
    printf("%s=%s ", name, h);
    free(h);
}


int
main(int argc, char **argv)
{
    int                 i;
    char               *eq;
    const char         *err;
    EVP_PKEY           *key;
    mana_buf_t          cose, b32;
    unsigned char       seed[32], pub[32], kid[8], leaf[51];
    mana_mm1_fact_t     facts[MANA_MM1_MAX_FACTS];
    mana_mm1_claims_t   c;

    if (argc < 10 || strlen(argv[1]) != 64
        || mana_hex_decode(seed, argv[1], 32) != 0)
    {
        fprintf(stderr, "usage: see the top of t/unit/mm1_issue.c\n");
        return 2;
    }

    memset(&c, 0, sizeof(c));
    c.iss = str(argv[2]);
    c.iat = atoll(argv[3]);
    c.exp = atoll(argv[4]);
    c.schema = MANA_MM1_SCHEMA;
    c.doctype = (uint64_t) atoll(argv[5]);
    c.number = str(argv[6]);
    c.holder = str(argv[7]);
    c.relation = strcmp(argv[8], "-") == 0 ? str("") : str(argv[8]);
    c.log_index = atoll(argv[9]);

    for (i = 10; i < argc && c.nfacts < MANA_MM1_MAX_FACTS; i++) {
        eq = strchr(argv[i], '=');
        if (eq == NULL) {
            return 2;
        }

        *eq = '\0';
        facts[c.nfacts].key = str(argv[i]);
        facts[c.nfacts].value = str(eq + 1);
        c.nfacts++;
    }

    c.facts = facts;

    if (RAND_bytes(c.cti, sizeof(c.cti)) != 1
        || mana_ed25519_public_of(pub, seed) != 0
        || mana_mm1_kid(kid, pub) != 0
        || (key = mana_ed25519_private_key(seed)) == NULL)
    {
        fprintf(stderr, "mm1_issue: key\n");
        return 1;
    }

    mana_buf_init(&cose);
    mana_buf_init(&b32);

    if (mana_mm1_sign(&cose, &c, key, &err) != 0) {
        fprintf(stderr, "mm1_issue: %s\n", err);
        return 1;
    }

    mana_tlog_issuance_leaf(leaf, kid, (unsigned char *) cose.data, cose.len,
                            (uint64_t) c.iat, (unsigned) c.doctype);
    mana_base32_encode_buf(&b32, (unsigned char *) cose.data, cose.len);

    hex("kid", kid, sizeof(kid));
    hex("pub", pub, sizeof(pub));
    hex("cti", c.cti, sizeof(c.cti));
    hex("cose", (unsigned char *) cose.data, cose.len);
    hex("leaf", leaf, sizeof(leaf));
    printf("b32=%.*s\n", (int) b32.len, b32.data);

    EVP_PKEY_free(key);
    mana_buf_free(&cose);
    mana_buf_free(&b32);

    return 0;
}
