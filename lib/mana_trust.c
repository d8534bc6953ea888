#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "mana_base64.h"
#include "mana_ed25519.h"
#include "mana_hex.h"
#include "mana_json_depth.h"
#include "mana_time.h"
#include "mana_trust.h"


#define MANA_TRUST_PUB_B64_LEN  43      /* 32 bytes, base64url, no padding */
#define MANA_TRUST_SIG_B64_LEN  86      /* 64 bytes */
#define MANA_TRUST_KID_HEX_LEN  (2 * MANA_MM1_KID_LEN)

/* envelope > signatures > signature; list > keys > key */
#define MANA_TRUST_MAX_DEPTH    4


static const char  *mana_trust_status_names[] = {
    "active", "retired", "revoked"
};


const char *
mana_trust_status_name(mana_mm1_key_status_e s)
{
    if ((size_t) s >= sizeof(mana_trust_status_names) / sizeof(char *)) {
        return NULL;
    }

    return mana_trust_status_names[s];
}


int
mana_trust_status_parse(const char *s, size_t n)
{
    size_t  i;

    for (i = 0; i < sizeof(mana_trust_status_names) / sizeof(char *); i++) {
        if (strlen(mana_trust_status_names[i]) == n
            && memcmp(mana_trust_status_names[i], s, n) == 0)
        {
            return (int) i;
        }
    }

    return -1;
}


/*
 * A name or a department code: printable ASCII without space, which keeps
 * the payload ASCII and a name one word in a table.
 */

static int
mana_trust_word_ok(const char *s, size_t n, size_t max)
{
    size_t  i;

    if (n == 0 || n > max) {
        return 0;
    }

    for (i = 0; i < n; i++) {
        if (s[i] <= ' ' || s[i] > '~') {
            return 0;
        }
    }

    return 1;
}


/* building */


static void
mana_trust_add_time(mana_buf_t *b, int64_t t)
{
    char  text[MANA_TIME_LEN + 1];

    /* the caller checked the range */
    (void) mana_time_format(text, t);

    mana_buf_add(b, "\"", 1);
    mana_buf_add(b, text, MANA_TIME_LEN);
    mana_buf_add(b, "\"", 1);
}


static const char *
mana_trust_key_check(const mana_trust_key_t *k, int issuer)
{
    unsigned char  kid[MANA_MM1_KID_LEN];

    if (mana_mm1_kid(kid, k->pub) != 0
        || memcmp(kid, k->kid, MANA_MM1_KID_LEN) != 0)
    {
        return "a key's kid is not the kid of its public key";
    }

    if (!mana_trust_word_ok(k->name, strlen(k->name), MANA_TRUST_NAME_MAX)) {
        return "a key's name is not 1 to 191 printable ASCII characters "
               "without space";
    }

    if (issuer && k->department[0] != '\0'
        && !mana_trust_word_ok(k->department, strlen(k->department),
                               MANA_TRUST_DEPT_MAX))
    {
        return "a key's department is not 1 to 16 printable ASCII "
               "characters without space";
    }

    if (mana_trust_status_name(k->status) == NULL) {
        return "a key's status is unknown";
    }

    if (k->valid_from < 0 || k->valid_until > MANA_TIME_MAX
        || k->valid_until <= k->valid_from)
    {
        return "a key's window is not from a time to a later one";
    }

    if (k->status == MANA_MM1_STATUS_REVOKED
        && (k->revoked_at < 0 || k->revoked_at > MANA_TIME_MAX))
    {
        return "a revoked key's revoked_at is out of range";
    }

    return NULL;
}


static void
mana_trust_add_key(mana_buf_t *b, const mana_trust_key_t *k, int issuer)
{
    char  hex[MANA_TRUST_KID_HEX_LEN];

    mana_hex_encode(hex, k->kid, MANA_MM1_KID_LEN);

    mana_buf_adds(b, "{\"kid\":\"");
    mana_buf_add(b, hex, sizeof(hex));
    mana_buf_adds(b, "\",\"pub\":\"");
    mana_base64_encode_buf(MANA_BASE64_URL, b, k->pub, 32);
    mana_buf_adds(b, issuer ? "\",\"office\":" : "\",\"name\":");
    mana_buf_add_json_str(b, k->name, strlen(k->name));

    if (issuer) {
        mana_buf_adds(b, ",\"department\":");

        if (k->department[0] == '\0') {
            mana_buf_adds(b, "null");

        } else {
            mana_buf_add_json_str(b, k->department, strlen(k->department));
        }
    }

    mana_buf_adds(b, ",\"status\":\"");
    mana_buf_adds(b, mana_trust_status_name(k->status));
    mana_buf_adds(b, "\",\"valid_from\":");
    mana_trust_add_time(b, k->valid_from);
    mana_buf_adds(b, ",\"valid_until\":");
    mana_trust_add_time(b, k->valid_until);
    mana_buf_adds(b, ",\"revoked_at\":");

    if (k->status == MANA_MM1_STATUS_REVOKED) {
        mana_trust_add_time(b, k->revoked_at);

    } else {
        mana_buf_adds(b, "null");
    }

    mana_buf_adds(b, "}");
}


static const char *
mana_trust_add_keys(mana_buf_t *b, const char *member,
    const mana_trust_key_t *keys, size_t n, int issuer)
{
    size_t       i;
    const char  *why;

    mana_buf_addf(b, ",\"%s\":[", member);

    for (i = 0; i < n; i++) {
        why = mana_trust_key_check(&keys[i], issuer);
        if (why) {
            return why;
        }

        if (i) {
            mana_buf_add(b, ",", 1);
        }

        mana_trust_add_key(b, &keys[i], issuer);
    }

    mana_buf_add(b, "]", 1);

    return NULL;
}


int
mana_trust_payload(mana_buf_t *out, const mana_trust_list_t *list,
    const char **err)
{
    size_t       start, n;
    const char  *why;

    start = out->len;

    why = NULL;

    if (list->nkeys > MANA_TRUST_MAX_KEYS
        || list->nroots > MANA_TRUST_MAX_ROOTS)
    {
        why = "more keys than a verifier reads";
        goto failed;
    }

    if (list->issued_at < 0 || list->issued_at > MANA_TIME_MAX) {
        why = "issued_at is out of range";
        goto failed;
    }

    mana_buf_addf(out, "{\"format\":\"" MANA_TRUST_FORMAT "\","
                  "\"version\":%llu,\"issued_at\":",
                  (unsigned long long) list->version);
    mana_trust_add_time(out, list->issued_at);
    mana_buf_adds(out, ",\"log\":");

    if (list->has_log) {
        n = strlen(list->log_origin);

        if (!mana_vkey_name_ok(list->log_origin, n)) {
            why = "the log's origin is no signed-note key name";
            goto failed;
        }

        mana_buf_adds(out, "{\"origin\":");
        mana_buf_add_json_str(out, list->log_origin, n);
        mana_buf_adds(out, ",\"key\":\"");

        if (mana_vkey_format(out, list->log_origin, n, list->log_pub) != 0) {
            why = "out of memory";
            goto failed;
        }

        mana_buf_adds(out, "\"}");

    } else {
        mana_buf_adds(out, "null");
    }

    why = mana_trust_add_keys(out, "roots", list->roots, list->nroots, 0);
    if (why) {
        goto failed;
    }

    why = mana_trust_add_keys(out, "keys", list->keys, list->nkeys, 1);
    if (why) {
        goto failed;
    }

    mana_buf_add(out, "}", 1);

    if (mana_buf_failed(out)) {
        why = "out of memory";
        goto failed;
    }

    return 0;

failed:

    /* nothing half written stays behind */
    if (!mana_buf_failed(out)) {
        out->len = start;
        if (out->data) {
            out->data[start] = '\0';
        }
    }

    *err = why;

    return -1;
}


int
mana_trust_sign(mana_buf_t *out, const mana_trust_list_t *list,
    EVP_PKEY *const *signers, size_t nsigners, const char **err)
{
    int             rc;
    char            hex[MANA_TRUST_KID_HEX_LEN];
    size_t          i;
    mana_buf_t      payload;
    unsigned char   pub[32], kid[MANA_MM1_KID_LEN];
    unsigned char   sig[MANA_ED25519_SIG_LEN];

    if (nsigners == 0 || nsigners > MANA_TRUST_MAX_SIGS) {
        *err = "a trust list needs 1 to 16 signers";
        return -1;
    }

    mana_buf_init(&payload);

    if (mana_trust_payload(&payload, list, err) != 0) {
        mana_buf_free(&payload);
        return -1;
    }

    rc = -1;

    /* a verifier refuses what it cannot read: so does the signer */
    if (payload.len > MANA_TRUST_MAX_LEN / 2) {
        *err = "the list is longer than a verifier reads";
        goto done;
    }

    mana_buf_adds(out, "{\"payload\":");
    mana_buf_add_json_str(out, payload.data, payload.len);
    mana_buf_adds(out, ",\"signatures\":[");

    for (i = 0; i < nsigners; i++) {
        if (mana_ed25519_raw_public(signers[i], pub) != 0
            || mana_mm1_kid(kid, pub) != 0)
        {
            *err = "a signer is not an Ed25519 key";
            goto done;
        }

        if (mana_ed25519_sign(sig, signers[i],
                              (const unsigned char *) payload.data,
                              payload.len)
            != 0)
        {
            *err = "signing failed";
            goto done;
        }

        mana_hex_encode(hex, kid, sizeof(kid));

        mana_buf_adds(out, i ? ",{\"kid\":\"" : "{\"kid\":\"");
        mana_buf_add(out, hex, sizeof(hex));
        mana_buf_adds(out, "\",\"alg\":\"Ed25519\",\"sig\":\"");
        mana_base64_encode_buf(MANA_BASE64_URL, out, sig, sizeof(sig));
        mana_buf_adds(out, "\"}");
    }

    mana_buf_adds(out, "]}\n");

    if (mana_buf_failed(out)) {
        *err = "out of memory";
        goto done;
    }

    rc = 0;

done:

    mana_buf_free(&payload);

    return rc;
}


/* reading */


static int
mana_trust_get_str(json_t *obj, const char *member, const char **s,
    size_t *n)
{
    json_t  *v;

    v = json_object_get(obj, member);
    if (!json_is_string(v)) {
        return -1;
    }

    *s = json_string_value(v);
    *n = json_string_length(v);

    return 0;
}


static int
mana_trust_get_time(json_t *obj, const char *member, int64_t *t)
{
    size_t       n;
    const char  *s;

    if (mana_trust_get_str(obj, member, &s, &n) != 0) {
        return -1;
    }

    return mana_time_parse(s, n, t);
}


/* exactly 16 lower case hex digits, the one spelling the signer writes */

static int
mana_trust_get_kid(json_t *obj, unsigned char kid[MANA_MM1_KID_LEN])
{
    size_t       n, i;
    const char  *s;

    if (mana_trust_get_str(obj, "kid", &s, &n) != 0
        || n != MANA_TRUST_KID_HEX_LEN)
    {
        return -1;
    }

    for (i = 0; i < n; i++) {
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f'))) {
            return -1;
        }
    }

    return mana_hex_decode(kid, s, MANA_MM1_KID_LEN);
}


static const char *
mana_trust_read_key(json_t *obj, mana_trust_key_t *k, int issuer)
{
    int            st;
    size_t         n, len;
    json_t        *v;
    const char    *s;
    unsigned char  kid[MANA_MM1_KID_LEN];

    if (!json_is_object(obj)) {
        return "a key is not an object";
    }

    memset(k, 0, sizeof(mana_trust_key_t));

    if (mana_trust_get_kid(obj, k->kid) != 0) {
        return "a key's kid is not 16 lower case hexadecimal digits";
    }

    if (mana_trust_get_str(obj, "pub", &s, &n) != 0
        || n != MANA_TRUST_PUB_B64_LEN
        || mana_base64_decode(MANA_BASE64_URL, k->pub, sizeof(k->pub), &len,
                              s, n) != 0
        || len != sizeof(k->pub))
    {
        return "a key's pub is not 32 bytes in base64url";
    }

    if (mana_mm1_kid(kid, k->pub) != 0
        || memcmp(kid, k->kid, MANA_MM1_KID_LEN) != 0)
    {
        return "a key's kid is not the kid of its pub";
    }

    if (mana_trust_get_str(obj, issuer ? "office" : "name", &s, &n) != 0
        || !mana_trust_word_ok(s, n, MANA_TRUST_NAME_MAX))
    {
        return issuer ? "a key's office is missing or malformed"
                      : "a root key's name is missing or malformed";
    }

    memcpy(k->name, s, n);
    k->name[n] = '\0';

    if (issuer) {
        v = json_object_get(obj, "department");

        if (json_is_string(v)) {
            s = json_string_value(v);
            n = json_string_length(v);

            if (!mana_trust_word_ok(s, n, MANA_TRUST_DEPT_MAX)) {
                return "a key's department is malformed";
            }

            memcpy(k->department, s, n);
            k->department[n] = '\0';

        } else if (!json_is_null(v)) {
            return "a key's department is neither a string nor null";
        }
    }

    st = (mana_trust_get_str(obj, "status", &s, &n) == 0)
         ? mana_trust_status_parse(s, n) : -1;
    if (st < 0) {
        return "a key's status is not active, retired or revoked";
    }

    k->status = (mana_mm1_key_status_e) st;

    if (mana_trust_get_time(obj, "valid_from", &k->valid_from) != 0
        || mana_trust_get_time(obj, "valid_until", &k->valid_until) != 0)
    {
        return "a key's valid_from or valid_until is no RFC 3339 UTC time";
    }

    if (k->valid_until <= k->valid_from) {
        return "a key's valid_until is not after its valid_from";
    }

    v = json_object_get(obj, "revoked_at");

    if (k->status == MANA_MM1_STATUS_REVOKED) {
        if (mana_trust_get_time(obj, "revoked_at", &k->revoked_at) != 0) {
            return "a revoked key's revoked_at is no RFC 3339 UTC time";
        }

    } else if (!json_is_null(v)) {
        return "a key that is not revoked has a revoked_at";
    }

    return NULL;
}


static const char *
mana_trust_read_keys(json_t *payload, const char *member,
    mana_trust_key_t **keys, size_t *n, size_t max, int issuer)
{
    size_t       i, j;
    json_t      *arr;
    const char  *why;

    arr = json_object_get(payload, member);

    if (!json_is_array(arr)) {
        return issuer ? "keys is not an array" : "roots is not an array";
    }

    *n = json_array_size(arr);

    if (*n > max) {
        return "more keys than a verifier reads";
    }

    if (*n == 0) {
        return NULL;
    }

    *keys = calloc(*n, sizeof(mana_trust_key_t));
    if (*keys == NULL) {
        return "out of memory";
    }

    for (i = 0; i < *n; i++) {
        why = mana_trust_read_key(json_array_get(arr, i), &(*keys)[i],
                                  issuer);
        if (why) {
            return why;
        }

        /* one kid, one key: a lookup must not depend on the order */
        for (j = 0; j < i; j++) {
            if (memcmp((*keys)[j].kid, (*keys)[i].kid, MANA_MM1_KID_LEN)
                == 0)
            {
                return "a kid appears twice";
            }
        }
    }

    return NULL;
}


static const char *
mana_trust_read_log(json_t *payload, mana_trust_list_t *list)
{
    size_t       n, klen, nlen;
    json_t      *log;
    const char  *origin, *key, *name;

    log = json_object_get(payload, "log");

    if (json_is_null(log)) {
        return NULL;
    }

    if (!json_is_object(log)) {
        return "log is neither an object nor null";
    }

    if (mana_trust_get_str(log, "origin", &origin, &n) != 0
        || !mana_vkey_name_ok(origin, n))
    {
        return "the log's origin is missing or no signed-note key name";
    }

    if (mana_trust_get_str(log, "key", &key, &klen) != 0
        || mana_vkey_parse(key, klen, &name, &nlen, list->log_pub) != 0)
    {
        return "the log's key is not a signed-note Ed25519 verifier key";
    }

    if (nlen != n || memcmp(name, origin, n) != 0) {
        return "the log's key is not named after its origin";
    }

    memcpy(list->log_origin, origin, n);
    list->log_origin[n] = '\0';
    list->has_log = 1;

    return NULL;
}


static const char *
mana_trust_read_payload(mana_trust_list_t *list, const char *p, size_t n)
{
    size_t        len;
    json_t       *payload, *v;
    const char   *s, *why;
    json_error_t  jerr;

    if (!mana_json_depth_ok(p, n, MANA_TRUST_MAX_DEPTH)) {
        return "the payload nests too deep";
    }

    payload = json_loadb(p, n, JSON_REJECT_DUPLICATES, &jerr);
    if (!json_is_object(payload)) {
        json_decref(payload);
        return "the payload is not one JSON object without repeated "
               "members";
    }

    why = NULL;

    if (mana_trust_get_str(payload, "format", &s, &len) != 0
        || len != sizeof(MANA_TRUST_FORMAT) - 1
        || memcmp(s, MANA_TRUST_FORMAT, len) != 0)
    {
        why = "the payload's format is not " MANA_TRUST_FORMAT;
        goto done;
    }

    v = json_object_get(payload, "version");

    if (!json_is_integer(v) || json_integer_value(v) < 0) {
        why = "the version is not an integer of 0 or more";
        goto done;
    }

    list->version = (uint64_t) json_integer_value(v);

    if (mana_trust_get_time(payload, "issued_at", &list->issued_at) != 0) {
        why = "issued_at is no RFC 3339 UTC time";
        goto done;
    }

    why = mana_trust_read_log(payload, list);
    if (why) {
        goto done;
    }

    why = mana_trust_read_keys(payload, "roots", &list->roots, &list->nroots,
                               MANA_TRUST_MAX_ROOTS, 0);
    if (why) {
        goto done;
    }

    why = mana_trust_read_keys(payload, "keys", &list->keys, &list->nkeys,
                               MANA_TRUST_MAX_KEYS, 1);

done:

    json_decref(payload);

    return why;
}


/*
 * *held = 1 when a signature of the envelope is a trusted key's over the
 * payload.  A malformed entry makes the whole document malformed; an entry
 * of an algorithm other than Ed25519 is passed over.
 */

static const char *
mana_trust_check_sigs(json_t *sigs, const unsigned char *payload, size_t n,
    const unsigned char (*roots)[32], size_t nroots, int *held)
{
    int             trusted;
    size_t          i, r, len, slen;
    json_t         *sig;
    EVP_PKEY       *key;
    const char     *alg, *s;
    unsigned char   kid[MANA_MM1_KID_LEN], root_kid[MANA_MM1_KID_LEN];
    unsigned char   raw[MANA_ED25519_SIG_LEN];

    *held = 0;

    if (!json_is_array(sigs) || json_array_size(sigs) == 0
        || json_array_size(sigs) > MANA_TRUST_MAX_SIGS)
    {
        return "signatures is not an array of 1 to 16 signatures";
    }

    json_array_foreach(sigs, i, sig) {
        if (!json_is_object(sig)
            || mana_trust_get_kid(sig, kid) != 0
            || mana_trust_get_str(sig, "alg", &alg, &len) != 0
            || mana_trust_get_str(sig, "sig", &s, &slen) != 0)
        {
            return "a signature lacks its kid, alg or sig";
        }

        /* another algorithm may come: a verifier that knows it checks it */
        if (len != 7 || memcmp(alg, "Ed25519", 7) != 0) {
            continue;
        }

        if (slen != MANA_TRUST_SIG_B64_LEN
            || mana_base64_decode(MANA_BASE64_URL, raw, sizeof(raw), &len,
                                  s, slen) != 0
            || len != sizeof(raw))
        {
            return "a signature is not 64 bytes in base64url";
        }

        for (r = 0; r < nroots && !*held; r++) {
            trusted = mana_mm1_kid(root_kid, roots[r]) == 0
                      && memcmp(root_kid, kid, sizeof(kid)) == 0;

            if (!trusted) {
                continue;
            }

            key = mana_ed25519_public_key(roots[r]);
            *held = mana_ed25519_verify(key, payload, n, raw, sizeof(raw));
            EVP_PKEY_free(key);
        }

        if (*held) {
            break;
        }
    }

    return NULL;
}


int
mana_trust_open(mana_trust_list_t *list, const char *doc, size_t n,
    const unsigned char (*roots)[32], size_t nroots, const char **err)
{
    int            held;
    size_t         plen;
    json_t        *env;
    const char    *payload, *why;
    json_error_t   jerr;

    memset(list, 0, sizeof(mana_trust_list_t));

    env = NULL;

    if (n > MANA_TRUST_MAX_LEN) {
        why = "the document is longer than 2 MiB";
        goto failed;
    }

    if (!mana_json_depth_ok(doc, n, MANA_TRUST_MAX_DEPTH)) {
        why = "the document nests too deep";
        goto failed;
    }

    env = json_loadb(doc, n, JSON_REJECT_DUPLICATES, &jerr);

    if (!json_is_object(env)
        || mana_trust_get_str(env, "payload", &payload, &plen) != 0)
    {
        why = "the document is not one JSON object with a payload "
              "string, without repeated members";
        goto failed;
    }

    why = mana_trust_check_sigs(json_object_get(env, "signatures"),
                                (const unsigned char *) payload, plen,
                                roots, nroots, &held);
    if (why) {
        goto failed;
    }

    if (!held) {
        why = "no signature by a trusted root key holds";
        goto failed;
    }

    why = mana_trust_read_payload(list, payload, plen);
    if (why) {
        goto failed;
    }

    json_decref(env);

    return 0;

failed:

    json_decref(env);
    mana_trust_free(list);
    *err = why;

    return -1;
}


void
mana_trust_free(mana_trust_list_t *list)
{
    free(list->roots);
    free(list->keys);
    memset(list, 0, sizeof(mana_trust_list_t));
}


const mana_trust_key_t *
mana_trust_find(const mana_trust_list_t *list,
    const unsigned char kid[MANA_MM1_KID_LEN])
{
    size_t  i;

    for (i = 0; i < list->nkeys; i++) {
        if (memcmp(list->keys[i].kid, kid, MANA_MM1_KID_LEN) == 0) {
            return &list->keys[i];
        }
    }

    return NULL;
}


void
mana_trust_mm1_key(const mana_trust_key_t *k, mana_mm1_key_t *out)
{
    memcpy(out->pub, k->pub, sizeof(out->pub));
    out->status = k->status;
    out->revoked_at = k->revoked_at;
    out->valid_from = k->valid_from;
    out->valid_until = k->valid_until;
}
