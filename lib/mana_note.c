/*
 * Signed notes. Parsing follows Go's note.Open rule for rule, so that a
 * note one accepts the other accepts too; every length is checked before
 * anything is copied.
 */

#include <string.h>

#include <openssl/evp.h>

#include "mana_base64.h"
#include "mana_hex.h"
#include "mana_note.h"
#include "mana_utf8.h"


/* U+2014 EM DASH and a space: the start of every signature line */
#define MANA_NOTE_SIG_PREFIX      "\xe2\x80\x94 "
#define MANA_NOTE_SIG_PREFIX_LEN  4
#define MANA_NOTE_SIG_LEN         64
/* a signature of any type we may meet (post-quantum ones are a few kB) */
#define MANA_NOTE_SIG_MAX         8192


/* the code point at s[0..n) (well-formed UTF-8), and its length */
static uint32_t
mana_note_utf8_next(const unsigned char *s, size_t n, size_t *len)
{
    if (s[0] < 0x80 || n < 2) {
        *len = 1;
        return s[0];
    }

    if (s[0] < 0xe0) {
        *len = 2;
        return (uint32_t) (s[0] & 0x1f) << 6 | (s[1] & 0x3f);
    }

    if (s[0] < 0xf0 || n < 4) {
        *len = 3;
        return (uint32_t) (s[0] & 0x0f) << 12 | (uint32_t) (s[1] & 0x3f) << 6
               | (s[2] & 0x3f);
    }

    *len = 4;
    return (uint32_t) (s[0] & 0x07) << 18 | (uint32_t) (s[1] & 0x3f) << 12
           | (uint32_t) (s[2] & 0x3f) << 6 | (s[3] & 0x3f);
}


/* Unicode White_Space, as Go's unicode.IsSpace */
static int
mana_note_is_space(uint32_t c)
{
    return (c >= 0x09 && c <= 0x0d) || c == 0x20 || c == 0x85 || c == 0xa0
           || c == 0x1680 || (c >= 0x2000 && c <= 0x200a) || c == 0x2028
           || c == 0x2029 || c == 0x202f || c == 0x205f || c == 0x3000;
}


int
mana_note_name_valid(const char *name, size_t len)
{
    size_t    i, n;
    uint32_t  c;

    if (len == 0 || !mana_utf8_valid(name, len)) {
        return 0;
    }

    for (i = 0; i < len; i += n) {
        c = mana_note_utf8_next((const unsigned char *) name + i, len - i, &n);

        if (c < 0x20 || c == '+' || mana_note_is_space(c)) {
            return 0;
        }
    }

    return 1;
}


int
mana_note_key_id(uint32_t *id, const char *name, size_t len,
    const unsigned char pub[MANA_NOTE_KEY_LEN])
{
    int             rc;
    unsigned int    n;
    EVP_MD_CTX     *ctx;
    unsigned char   sum[32];
    unsigned char   sep[2] = { '\n', MANA_NOTE_ED25519 };

    ctx = EVP_MD_CTX_new();
    if (ctx == NULL) {
        return -1;
    }

    rc = EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) == 1
         && EVP_DigestUpdate(ctx, name, len) == 1
         && EVP_DigestUpdate(ctx, sep, sizeof(sep)) == 1
         && EVP_DigestUpdate(ctx, pub, MANA_NOTE_KEY_LEN) == 1
         && EVP_DigestFinal_ex(ctx, sum, &n) == 1;

    EVP_MD_CTX_free(ctx);

    if (!rc) {
        return -1;
    }

    *id = (uint32_t) sum[0] << 24 | (uint32_t) sum[1] << 16
          | (uint32_t) sum[2] << 8 | sum[3];

    return 0;
}


static int
mana_note_key_name(mana_note_key_t *key, const char *name, size_t len)
{
    memset(key, 0, sizeof(*key));

    if (len > MANA_NOTE_NAME_MAX || !mana_note_name_valid(name, len)) {
        return -1;
    }

    memcpy(key->name, name, len);
    key->name[len] = '\0';
    key->name_len = len;

    return 0;
}


int
mana_note_key_from_seed(mana_note_key_t *key, const char *name, size_t len,
    const unsigned char seed[MANA_NOTE_KEY_LEN])
{
    size_t  n;

    if (mana_note_key_name(key, name, len) != 0) {
        return -1;
    }

    key->pkey = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, seed,
                                             MANA_NOTE_KEY_LEN);
    if (key->pkey == NULL) {
        return -1;
    }

    n = MANA_NOTE_KEY_LEN;

    if (EVP_PKEY_get_raw_public_key(key->pkey, key->pub, &n) != 1
        || n != MANA_NOTE_KEY_LEN
        || mana_note_key_id(&key->id, name, len, key->pub) != 0)
    {
        mana_note_key_free(key);
        return -1;
    }

    key->can_sign = 1;

    return 0;
}


int
mana_note_key_from_public(mana_note_key_t *key, const char *name, size_t len,
    const unsigned char pub[MANA_NOTE_KEY_LEN])
{
    if (mana_note_key_name(key, name, len) != 0) {
        return -1;
    }

    memcpy(key->pub, pub, MANA_NOTE_KEY_LEN);

    key->pkey = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, pub,
                                            MANA_NOTE_KEY_LEN);
    if (key->pkey == NULL) {
        return -1;
    }

    if (mana_note_key_id(&key->id, name, len, pub) != 0) {
        mana_note_key_free(key);
        return -1;
    }

    return 0;
}


int
mana_note_key_parse(mana_note_key_t *key, const char *vkey, size_t len)
{
    size_t          n;
    uint32_t        id;
    const char     *plus1, *plus2, *end;
    unsigned char   hex[4], raw[1 + MANA_NOTE_KEY_LEN];

    end = vkey + len;

    /* <name>+<id>+<key>: the name holds no '+', base64 may */
    plus1 = memchr(vkey, '+', len);
    if (plus1 == NULL || end - plus1 < 10 || plus1[9] != '+') {
        return -1;
    }

    plus2 = plus1 + 9;

    if (mana_hex_decode(hex, plus1 + 1, 4) != 0) {
        return -1;
    }

    if (mana_base64_decode(MANA_BASE64_STD, raw, sizeof(raw), &n, plus2 + 1,
                           (size_t) (end - plus2 - 1))
        != 0
        || n != sizeof(raw) || raw[0] != MANA_NOTE_ED25519)
    {
        return -1;
    }

    if (mana_note_key_from_public(key, vkey, (size_t) (plus1 - vkey), raw + 1)
        != 0)
    {
        return -1;
    }

    id = (uint32_t) hex[0] << 24 | (uint32_t) hex[1] << 16
         | (uint32_t) hex[2] << 8 | hex[3];

    if (id != key->id) {
        mana_note_key_free(key);
        return -1;
    }

    return 0;
}


int
mana_note_key_format(char buf[MANA_NOTE_VKEY_MAX], const mana_note_key_t *key)
{
    size_t          len;
    unsigned char   id[4], raw[1 + MANA_NOTE_KEY_LEN];

    if (key->name_len == 0 || key->name_len > MANA_NOTE_NAME_MAX) {
        return -1;
    }

    id[0] = (unsigned char) (key->id >> 24);
    id[1] = (unsigned char) (key->id >> 16);
    id[2] = (unsigned char) (key->id >> 8);
    id[3] = (unsigned char) key->id;

    raw[0] = MANA_NOTE_ED25519;
    memcpy(raw + 1, key->pub, MANA_NOTE_KEY_LEN);

    len = key->name_len;
    memcpy(buf, key->name, len);
    buf[len++] = '+';
    mana_hex_encode(buf + len, id, sizeof(id));
    len += 2 * sizeof(id);
    buf[len++] = '+';
    mana_base64_encode(MANA_BASE64_STD, buf + len, raw, sizeof(raw));
    len += mana_base64_encoded_len(MANA_BASE64_STD, sizeof(raw));
    buf[len] = '\0';

    return (int) len;
}


void
mana_note_key_free(mana_note_key_t *key)
{
    EVP_PKEY_free(key->pkey);
    key->pkey = NULL;
    key->can_sign = 0;
}


/* valid UTF-8 with no ASCII control character but the newline */
static int
mana_note_text_valid(const char *s, size_t len)
{
    size_t  i;

    for (i = 0; i < len; i++) {
        if ((unsigned char) s[i] < 0x20 && s[i] != '\n') {
            return 0;
        }
    }

    return mana_utf8_valid(s, len);
}


int
mana_note_sign(mana_buf_t *out, const char *text, size_t len,
    const mana_note_key_t *keys, size_t n_keys)
{
    int             rc;
    size_t          i, siglen;
    EVP_MD_CTX     *ctx;
    unsigned char   sig[4 + MANA_NOTE_SIG_LEN];
    char            b64[(sizeof(sig) + 2) / 3 * 4];

    if (len == 0 || len > MANA_NOTE_MAX_LEN || text[len - 1] != '\n'
        || !mana_note_text_valid(text, len) || n_keys == 0)
    {
        return -1;
    }

    mana_buf_add(out, text, len);
    mana_buf_add(out, "\n", 1);

    for (i = 0; i < n_keys; i++) {
        if (!keys[i].can_sign || keys[i].pkey == NULL) {
            return -1;
        }

        ctx = EVP_MD_CTX_new();
        if (ctx == NULL) {
            return -1;
        }

        siglen = MANA_NOTE_SIG_LEN;

        /* Ed25519 is one-shot: no digest of its own */
        rc = EVP_DigestSignInit(ctx, NULL, NULL, NULL, keys[i].pkey) == 1
             && EVP_DigestSign(ctx, sig + 4, &siglen,
                               (const unsigned char *) text, len) == 1
             && siglen == MANA_NOTE_SIG_LEN;

        EVP_MD_CTX_free(ctx);

        if (!rc) {
            return -1;
        }

        sig[0] = (unsigned char) (keys[i].id >> 24);
        sig[1] = (unsigned char) (keys[i].id >> 16);
        sig[2] = (unsigned char) (keys[i].id >> 8);
        sig[3] = (unsigned char) keys[i].id;

        mana_base64_encode(MANA_BASE64_STD, b64, sig, sizeof(sig));

        mana_buf_add(out, MANA_NOTE_SIG_PREFIX, MANA_NOTE_SIG_PREFIX_LEN);
        mana_buf_add(out, keys[i].name, keys[i].name_len);
        mana_buf_add(out, " ", 1);
        mana_buf_add(out, b64, sizeof(b64));
        mana_buf_add(out, "\n", 1);
    }

    return mana_buf_failed(out) ? -1 : 0;
}


static int
mana_note_verify(const mana_note_key_t *key, const char *text, size_t len,
    const unsigned char *sig, size_t siglen)
{
    int          rc;
    EVP_MD_CTX  *ctx;

    if (siglen != MANA_NOTE_SIG_LEN) {
        return 0;
    }

    ctx = EVP_MD_CTX_new();
    if (ctx == NULL) {
        return -1;
    }

    if (EVP_DigestVerifyInit(ctx, NULL, NULL, NULL, key->pkey) != 1) {
        EVP_MD_CTX_free(ctx);
        return -1;
    }

    rc = EVP_DigestVerify(ctx, sig, siglen, (const unsigned char *) text,
                          len) == 1;

    EVP_MD_CTX_free(ctx);

    return rc;
}


/* the one known key with this name and id: its index, -1 none, -2 many */
static int
mana_note_find_key(const mana_note_key_t *known, size_t n_known,
    const char *name, size_t len, uint32_t id)
{
    int     found;
    size_t  i;

    found = -1;

    for (i = 0; i < n_known; i++) {
        if (known[i].id == id && known[i].name_len == len
            && memcmp(known[i].name, name, len) == 0)
        {
            if (found >= 0) {
                return -2;
            }

            found = (int) i;
        }
    }

    return found;
}


mana_note_rc_e
mana_note_open(const char *note, size_t len, const mana_note_key_t *known,
    size_t n_known, size_t *text_len, unsigned char *verified)
{
    int             k, rc;
    size_t          siglen;
    size_t          split, nsigs, i;
    uint32_t        id;
    uint64_t        seen;
    const char     *p, *end, *eol, *name, *b64;
    unsigned char   sig[MANA_NOTE_SIG_MAX];

    if (n_known > MANA_NOTE_MAX_KNOWN) {
        return MANA_NOTE_ERROR;
    }

    if (len > MANA_NOTE_MAX_LEN || !mana_note_text_valid(note, len)) {
        return MANA_NOTE_MALFORMED;
    }

    /* the text ends at the last blank line; signatures follow it */
    for (split = len; split >= 2; split--) {
        if (note[split - 2] == '\n' && note[split - 1] == '\n') {
            break;
        }
    }

    if (split < 2 || split == len || note[len - 1] != '\n') {
        return MANA_NOTE_MALFORMED;
    }

    p = note + split;
    end = note + len;
    nsigs = 0;
    seen = 0;

    while (p < end) {
        eol = memchr(p, '\n', (size_t) (end - p));

        if (++nsigs > MANA_NOTE_MAX_SIGS
            || eol - p < MANA_NOTE_SIG_PREFIX_LEN
            || memcmp(p, MANA_NOTE_SIG_PREFIX, MANA_NOTE_SIG_PREFIX_LEN) != 0)
        {
            return MANA_NOTE_MALFORMED;
        }

        name = p + MANA_NOTE_SIG_PREFIX_LEN;
        b64 = memchr(name, ' ', (size_t) (eol - name));

        if (b64 == NULL || !mana_note_name_valid(name, (size_t) (b64 - name)))
        {
            return MANA_NOTE_MALFORMED;
        }

        b64++;
        if (mana_base64_decode(MANA_BASE64_STD, sig, sizeof(sig), &siglen,
                               b64, (size_t) (eol - b64))
            != 0
            || siglen < 5)
        {
            return MANA_NOTE_MALFORMED;
        }

        p = eol + 1;

        id = (uint32_t) sig[0] << 24 | (uint32_t) sig[1] << 16
             | (uint32_t) sig[2] << 8 | sig[3];

        k = mana_note_find_key(known, n_known, name, (size_t) (b64 - 1 - name),
                               id);

        if (k == -1) {
            continue;
        }

        if (k == -2) {
            return MANA_NOTE_AMBIGUOUS_KEY;
        }

        /* a key's second signature adds nothing: verify each key once */
        if (seen & (uint64_t) 1 << k) {
            continue;
        }

        rc = mana_note_verify(&known[k], note, split - 1, sig + 4,
                              (size_t) siglen - 4);
        if (rc < 0) {
            return MANA_NOTE_ERROR;
        }

        if (rc == 0) {
            return MANA_NOTE_BAD_SIGNATURE;
        }

        seen |= (uint64_t) 1 << k;
    }

    if (seen == 0) {
        return MANA_NOTE_UNVERIFIED;
    }

    *text_len = split - 1;

    if (verified) {
        for (i = 0; i < n_known; i++) {
            verified[i] = (seen >> i) & 1;
        }
    }

    return MANA_NOTE_OK;
}
