/*
 * Verifier keys of C2SP signed notes (c2sp.org/signed-note), the form in
 * which the trust list names the issuance log's key and in which its
 * checkpoints are checked:
 *
 *     <name>+<key hash, 8 hex digits>+<base64(0x01 || Ed25519 public key)>
 *
 * key hash = the first 4 bytes of SHA-256(name || "\n" || 0x01 || public
 * key); a signature line of a note starts with the same 4 bytes.  The
 * base64 is the standard alphabet with padding.
 *
 * A name is what C2SP allows, narrowed to what the signing_key table
 * holds: 1 to 191 printable ASCII characters, no space and no '+'.
 */

#ifndef MANA_VKEY_H
#define MANA_VKEY_H

#include <stddef.h>

#include "mana_buf.h"


#define MANA_VKEY_ALG_ED25519  0x01
#define MANA_VKEY_NAME_MAX     191
#define MANA_VKEY_HASH_LEN     4


/* 1 when name can name a key, 0 otherwise */
int mana_vkey_name_ok(const char *name, size_t n);

/* the key hash: 0, or -1 when the name is not one */
int mana_vkey_hash(unsigned char hash[MANA_VKEY_HASH_LEN], const char *name,
    size_t n, const unsigned char pub[32]);

/* appends the verifier key: 0, or -1 (a name that is not one, memory) */
int mana_vkey_format(mana_buf_t *out, const char *name, size_t n,
    const unsigned char pub[32]);

/*
 * Parses a verifier key of an Ed25519 key: its name (pointing into s) and
 * public key.  0, or -1 when it is malformed, of another algorithm, or its
 * hash is not its name's and key's.
 */
int mana_vkey_parse(const char *s, size_t n, const char **name,
    size_t *name_len, unsigned char pub[32]);

#endif /* MANA_VKEY_H */
