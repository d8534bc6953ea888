
/*
 * "mmctl cert verify": a certificate checked offline, as any verifier
 * would check it, with nothing but its QR text and a signed trust list:
 * the list's signature by a pinned root key first (lib/mana_trust.c),
 * then the certificate's against the list (mana_mm1_verdict).  The
 * certificate's own row is never read: what is checked is what the
 * holder shows.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "mmctl_cert.h"
#include "mmctl_key.h"
#include "mmctl_text.h"
#include "mmctl_catalogue.h"
#include "mana_base32.h"
#include "mana_base64.h"
#include "mana_hex.h"
#include "mana_time.h"
#include "mana_trust.h"


enum {
    MMCTL_CERT_VER_TRUST_LIST = 0,
    MMCTL_CERT_VER_ROOT
};


/* the verdicts by the names the verification page gives them */

static const char *
mmctl_cert_verdict_name(mana_mm1_verdict_e v)
{
    switch (v) {
    case MANA_MM1_VALID:
        return "genuine";
    case MANA_MM1_TAMPERED:
        return "tampered";
    case MANA_MM1_UNKNOWN_KEY:
        return "unknown_key";
    case MANA_MM1_KEY_REVOKED:
        return "key_revoked";
    case MANA_MM1_KEY_NOT_VALID_AT_IAT:
        return "key_not_valid";
    case MANA_MM1_EXPIRED:
        return "expired";
    }

    return "malformed";
}


/*
 * The certificate's bytes from a QR text: "HTTPS://HOST/C/BASE32" in
 * either case, or the Base32 alone.  -1 for anything else.
 */

static int
mmctl_cert_qr_bytes(const char *text, unsigned char *cose, size_t *n)
{
    char        b32[2 * MANA_MM1_MAX_LEN];
    size_t      len, i;
    const char *p, *c;

    p = text;

    for (c = text; *c; c++) {
        if (c[0] == '/' && (c[1] == 'C' || c[1] == 'c') && c[2] == '/') {
            p = c + 3;
        }
    }

    if (p == text && strchr(text, '/') != NULL) {
        return -1;
    }

    len = strlen(p);

    if (len == 0 || len >= sizeof(b32)) {
        return -1;
    }

    /* a camera app may hand the URL over in lower case */
    for (i = 0; i < len; i++) {
        b32[i] = (p[i] >= 'a' && p[i] <= 'z') ? p[i] - 'a' + 'A' : p[i];
    }

    if (mana_base32_decode(cose, MANA_MM1_MAX_LEN, n, b32, len)
        != MANA_BASE32_OK)
    {
        return -1;
    }

    return 0;
}


/* reads the whole file, at most max bytes: MMCTL_OK or an error */

static int
mmctl_cert_read_file(mmctl_ctx_t *ctx, const char *path, size_t max,
    mana_buf_t *out)
{
    int     ok;
    char    chunk[8192];
    size_t  n;
    FILE   *f;

    f = fopen(path, "rb");
    if (f == NULL) {
        return mmctl_error(ctx, MMCTL_FAILED, "failed", "cannot read the "
                           "trust list %s: %s", path, strerror(errno));
    }

    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
        if (out->len + n > max) {
            fclose(f);
            return mmctl_error(ctx, MMCTL_FAILED, "failed", "the trust list "
                               "%s is longer than %zu bytes", path, max);
        }

        mana_buf_add(out, chunk, n);
    }

    ok = !ferror(f);
    fclose(f);

    if (!ok || mana_buf_failed(out)) {
        return mmctl_error(ctx, MMCTL_FAILED, "failed", "cannot read the "
                           "trust list %s", path);
    }

    return MMCTL_OK;
}


/*
 * The root keys to pin: those given with --root (base64url of the 32-byte
 * public key), or else the root keys of the database that are not
 * revoked, for an administrator checking the list this installation
 * wrote.
 */

static int
mmctl_cert_roots(mmctl_ctx_t *ctx, mmctl_args_t *args,
    unsigned char (*roots)[32], size_t *nroots)
{
    int            rc, i;
    size_t         n, j;
    const char    *v;
    mmctl_keys_t   keys;

    *nroots = 0;

    for (i = 0; (v = mmctl_args_next(args, MMCTL_CERT_VER_ROOT, &i)); ) {
        if (*nroots == MANA_TRUST_MAX_ROOTS) {
            return mmctl_usage_error(ctx, "--root: at most %d keys",
                                     MANA_TRUST_MAX_ROOTS);
        }

        if (mana_base64_decode(MANA_BASE64_URL, roots[*nroots], 32, &n, v,
                               strlen(v))
            != 0 || n != 32)
        {
            return mmctl_usage_error(ctx, "--root \"%s\": expected a public "
                                     "key, 43 base64url characters (\"mmctl "
                                     "key show KID\" prints it)", v);
        }

        (*nroots)++;
    }

    if (*nroots > 0) {
        return MMCTL_OK;
    }

    rc = mmctl_catalogue_connect(ctx);
    if (rc != MMCTL_OK) {
        mmctl_note("without --root, the root keys come from the database");
        return rc;
    }

    rc = mmctl_key_read(ctx, "purpose = 'root' AND status <> 'revoked'", 0,
                        &keys);
    if (rc != MMCTL_OK) {
        return rc;
    }

    for (j = 0; j < keys.n && *nroots < MANA_TRUST_MAX_ROOTS; j++) {
        memcpy(roots[*nroots], keys.v[j].pub, 32);
        (*nroots)++;
    }

    mmctl_keys_free(&keys);

    if (*nroots == 0) {
        return mmctl_error(ctx, MMCTL_FAILED, "failed", "no root key to "
                           "check the trust list with: give --root KEY");
    }

    return MMCTL_OK;
}


static json_t *
mmctl_cert_verify_time(int64_t t)
{
    char  text[MANA_TIME_LEN + 1];

    if (mana_time_format(text, t) != 0) {
        return json_null();
    }

    return json_string(text);
}


static json_t *
mmctl_cert_verify_str(const mana_mm1_str_t *s)
{
    return s->len ? json_stringn(s->data, s->len) : json_null();
}


/* what the verdict rests on: the claims only once the signature held */

static json_t *
mmctl_cert_verify_json(mana_mm1_verdict_e verdict, int parsed,
    const mana_mm1_parsed_t *p, const mana_trust_key_t *k,
    const mana_trust_list_t *list)
{
    char     kid[2 * MANA_MM1_KID_LEN + 1], cti[2 * MANA_MM1_CTI_LEN + 1];
    size_t   i;
    json_t  *obj, *fields;
    int      trusted;

    obj = json_object();
    if (obj == NULL) {
        return NULL;
    }

    json_object_set_new(obj, "verdict",
                        json_string(parsed ? mmctl_cert_verdict_name(verdict)
                                           : "malformed"));
    json_object_set_new(obj, "valid",
                        json_boolean(parsed && verdict == MANA_MM1_VALID));

    trusted = parsed && verdict != MANA_MM1_TAMPERED
              && verdict != MANA_MM1_UNKNOWN_KEY;

    if (trusted) {
        mana_hex_encode(cti, p->claims.cti, MANA_MM1_CTI_LEN);
        cti[2 * MANA_MM1_CTI_LEN] = '\0';

        fields = json_object();
        for (i = 0; fields && i < p->claims.nfacts; i++) {
            json_object_setn_new(fields, p->claims.facts[i].key.data,
                                 p->claims.facts[i].key.len,
                                 json_stringn(p->claims.facts[i].value.data,
                                              p->claims.facts[i].value.len));
        }

        json_object_set_new(obj, "id", json_string(cti));
        json_object_set_new(obj, "office",
                            mmctl_cert_verify_str(&p->claims.iss));
        json_object_set_new(obj, "number",
                            mmctl_cert_verify_str(&p->claims.number));
        json_object_set_new(obj, "holder",
                            mmctl_cert_verify_str(&p->claims.holder));
        json_object_set_new(obj, "relation",
                            mmctl_cert_verify_str(&p->claims.relation));
        json_object_set_new(obj, "fields", fields ? fields : json_null());
        json_object_set_new(obj, "issued_at",
                            mmctl_cert_verify_time(p->claims.iat));
        json_object_set_new(obj, "expires_at",
                            p->claims.exp
                            ? mmctl_cert_verify_time(p->claims.exp)
                            : json_null());
        json_object_set_new(obj, "log_index",
                            p->claims.log_index >= 0
                            ? json_integer(p->claims.log_index)
                            : json_null());
    }

    if (parsed) {
        mana_hex_encode(kid, p->kid, MANA_MM1_KID_LEN);
        kid[2 * MANA_MM1_KID_LEN] = '\0';
        json_object_set_new(obj, "kid", json_string(kid));
    }

    json_object_set_new(obj, "key_status",
                        k ? json_string(mana_trust_status_name(k->status))
                          : json_null());
    json_object_set_new(obj, "trust_list_version",
                        json_integer((json_int_t) list->version));

    return obj;
}


int
mmctl_cert_verify(mmctl_ctx_t *ctx, mmctl_args_t *args)
{
    int                       rc, parsed;
    json_t                   *obj;
    size_t                    nroots, cose_len;
    const char               *path, *err;
    mana_buf_t                doc;
    mana_mm1_key_t            key;
    mana_mm1_parsed_t        *p;
    mana_trust_list_t         list;
    mana_mm1_verdict_e        verdict;
    const mana_trust_key_t   *k;
    unsigned char             roots[MANA_TRUST_MAX_ROOTS][32];
    unsigned char             cose[MANA_MM1_MAX_LEN];

    path = args->opt[MMCTL_CERT_VER_TRUST_LIST];

    if (path == NULL || *path == '\0') {
        return mmctl_usage_error(ctx, "--trust-list FILE is required (\"mmctl "
                                 "key trust-list -o FILE\" writes one)");
    }

    rc = mmctl_cert_roots(ctx, args, roots, &nroots);
    if (rc != MMCTL_OK) {
        return rc;
    }

    mana_buf_init(&doc);
    memset(&list, 0, sizeof(list));
    obj = NULL;

    p = malloc(sizeof(mana_mm1_parsed_t));
    if (p == NULL) {
        return mmctl_error(ctx, MMCTL_FAILED, "failed", "out of memory");
    }

    rc = mmctl_cert_read_file(ctx, path, MANA_TRUST_MAX_LEN, &doc);
    if (rc != MMCTL_OK) {
        goto done;
    }

    if (mana_trust_open(&list, doc.data, doc.len,
                        (const unsigned char (*)[32]) roots, nroots, &err)
        != 0)
    {
        rc = mmctl_error(ctx, MMCTL_FAILED, "failed", "the trust list %s is "
                         "not to be trusted: %s", path, err);
        goto done;
    }

    k = NULL;
    verdict = MANA_MM1_TAMPERED;
    parsed = mmctl_cert_qr_bytes(args->argv[0], cose, &cose_len) == 0
             && mana_mm1_parse(p, cose, cose_len, &err) == 0;

    if (parsed) {
        k = mana_trust_find(&list, p->kid);

        if (k) {
            mana_trust_mm1_key(k, &key);
        }

        verdict = mana_mm1_verdict(p, k ? &key : NULL, mmctl_key_now());
    }

    obj = mmctl_cert_verify_json(verdict, parsed, p, k, &list);
    if (obj == NULL) {
        rc = mmctl_error(ctx, MMCTL_FAILED, "failed", "out of memory");
        goto done;
    }

    if (ctx->json) {
        rc = mmctl_text_print_json(ctx, json_incref(obj));

    } else if (mmctl_text_print_fields(obj) != 0) {
        rc = mmctl_error(ctx, MMCTL_FAILED, "failed", "out of memory");
    }

    if (rc == MMCTL_OK && !(parsed && verdict == MANA_MM1_VALID)) {
        rc = mmctl_error(ctx, MMCTL_FAILED, "invalid", "the certificate is "
                         "not valid: %s",
                         parsed ? mmctl_cert_verdict_name(verdict)
                                : "not a readable certificate code");
    }

done:

    json_decref(obj);
    mana_trust_free(&list);
    mana_buf_free(&doc);
    free(p);

    return rc;
}
