/*
 * C2SP signed notes (c2sp.org/signed-note) with Ed25519 keys, as Go's
 * golang.org/x/mod/sumdb/note writes and reads them, and the checkpoint
 * (c2sp.org/tlog-checkpoint) that the issuance log signs with them:
 *
 *   <origin>\n<tree size>\n<base64 root hash>\n      the text
 *   \n                                               a blank line
 *   — <key name> <base64(key id[4] || signature[64])>\n   one per signer
 *
 * The key id is the first 4 bytes of SHA-256(name || "\n" || 0x01 ||
 * public key), big-endian; a verifier key is written
 * <name>+<8 hex digits of the id>+<base64(0x01 || public key)>.
 */

#ifndef MANA_NOTE_H
#define MANA_NOTE_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>

#include "mana_buf.h"


#define MANA_NOTE_KEY_LEN      32          /* Ed25519 public key or seed */
#define MANA_NOTE_ED25519      0x01        /* the signature type byte */
#define MANA_NOTE_NAME_MAX     255         /* bytes of a key name we hold */
#define MANA_NOTE_MAX_LEN      65536       /* a note's whole length */
#define MANA_NOTE_MAX_SIGS     100         /* signature lines in a note */
#define MANA_NOTE_MAX_KNOWN    64          /* keys one open() checks */
/* name, "+", 8 hex digits, "+", base64 of 33 bytes, NUL */
#define MANA_NOTE_VKEY_MAX     (MANA_NOTE_NAME_MAX + 1 + 8 + 1 + 44 + 1)


typedef enum {
    MANA_NOTE_OK = 0,
    MANA_NOTE_MALFORMED,        /* not a note, or a line out of place */
    MANA_NOTE_BAD_SIGNATURE,    /* a known key's signature does not verify */
    MANA_NOTE_UNVERIFIED,       /* well-formed, but no known key signed it */
    MANA_NOTE_AMBIGUOUS_KEY,    /* two known keys share name and id */
    MANA_NOTE_ERROR             /* OpenSSL failed, or too many known keys */
} mana_note_rc_e;


/*
 * A key: loaded once (key loading in OpenSSL 3 is slow), then used for
 * any number of notes. A key made from a seed also signs.
 */
typedef struct {
    char           name[MANA_NOTE_NAME_MAX + 1];    /* NUL-ended */
    size_t         name_len;
    uint32_t       id;
    unsigned char  pub[MANA_NOTE_KEY_LEN];
    EVP_PKEY      *pkey;
    int            can_sign;
} mana_note_key_t;


/* non-empty UTF-8 without spaces (Unicode's too), controls or '+' */
int mana_note_name_valid(const char *name, size_t len);
int mana_note_key_id(uint32_t *id, const char *name, size_t len,
    const unsigned char pub[MANA_NOTE_KEY_LEN]);

/* 0, or -1 for a bad name or key; free with mana_note_key_free() */
int mana_note_key_from_seed(mana_note_key_t *key, const char *name,
    size_t len, const unsigned char seed[MANA_NOTE_KEY_LEN]);
int mana_note_key_from_public(mana_note_key_t *key, const char *name,
    size_t len, const unsigned char pub[MANA_NOTE_KEY_LEN]);
/* a verifier key string; -1 unless it is well-formed and its id matches */
int mana_note_key_parse(mana_note_key_t *key, const char *vkey, size_t len);
/* writes the NUL-ended verifier key string; its length, or -1 */
int mana_note_key_format(char buf[MANA_NOTE_VKEY_MAX],
    const mana_note_key_t *key);
void mana_note_key_free(mana_note_key_t *key);

/*
 * Appends the signed note: text (non-empty, ending in a newline, UTF-8
 * without other control characters), a blank line, one line per key.
 * On -1, out holds a partial note: discard it.
 */
int mana_note_sign(mana_buf_t *out, const char *text, size_t len,
    const mana_note_key_t *keys, size_t n_keys);

/*
 * Opens a note against the keys the caller trusts. Signatures by other
 * keys are skipped, as the spec says; every known key's signature must
 * verify, and at least one must be there. On MANA_NOTE_OK, *text_len is
 * the length of the signed text (from note[0], final newline included)
 * and, when verified is not NULL, verified[i] tells whether known[i]
 * signed.
 */
mana_note_rc_e mana_note_open(const char *note, size_t len,
    const mana_note_key_t *known, size_t n_known, size_t *text_len,
    unsigned char *verified);


/* a checkpoint's text, parsed: pointers into the text */
typedef struct {
    const char     *origin;
    size_t          origin_len;
    int64_t         size;
    unsigned char   root[32];
    const char     *extensions;     /* lines after the root, or NULL */
    size_t          extensions_len;
} mana_note_checkpoint_t;


/* writes the checkpoint text (no terminator); its length, or -1 */
int mana_note_checkpoint_format(char *buf, size_t cap, const char *origin,
    size_t origin_len, int64_t size, const unsigned char root[32]);
/*
 * Parses a checkpoint text (a verified note's text): the origin line, the
 * size in decimal without leading zeroes (at most MANA_TLOG_MAX_SIZE), the
 * root hash in canonical base64, optional non-empty extension lines; 0 or
 * -1.
 */
int mana_note_checkpoint_parse(mana_note_checkpoint_t *cp, const char *text,
    size_t len);

#endif /* MANA_NOTE_H */
