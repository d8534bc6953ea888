/*
 * Secrets at rest (signing keys' seeds, TOTP secrets): AES-256-GCM under
 * the master key, bound to the row they belong to.
 *
 *   sealed = version (1) || nonce (12, random) || ciphertext || tag (16)
 *
 * The associated data is the caller's: give what identifies the secret's
 * place (a signing key's kid), so that a sealed value copied onto another
 * row does not open there.  The version byte is authenticated with it.
 *
 * The master key file holds the 32-byte key as 64 hexadecimal digits
 * (either case), optionally followed by one newline, and nothing else.  It
 * must be a regular file with no permission for group or others (0600 or
 * 0400).  To create one:
 *
 *     (umask 077 && openssl rand -hex 32 > /etc/mana/master.key)
 */

#ifndef MANA_SEAL_H
#define MANA_SEAL_H

#include <stddef.h>

#include "mana_buf.h"


#define MANA_SEAL_KEY_LEN    32
#define MANA_SEAL_VERSION    1
#define MANA_SEAL_NONCE_LEN  12
#define MANA_SEAL_TAG_LEN    16
#define MANA_SEAL_OVERHEAD   (1 + MANA_SEAL_NONCE_LEN + MANA_SEAL_TAG_LEN)


/* appends the sealed secret to out: 0, or -1 with out failed or unchanged */
int mana_seal(mana_buf_t *out, const unsigned char key[MANA_SEAL_KEY_LEN],
    const void *aad, size_t aad_len, const void *secret, size_t n);

/*
 * Opens sealed into secret, which holds size bytes; *n is the secret's
 * length.  -1 (and nothing in secret) on a wrong key, wrong associated
 * data, an unknown version, any altered byte or too small a buffer.
 */
int mana_unseal(void *secret, size_t size, size_t *n,
    const unsigned char key[MANA_SEAL_KEY_LEN], const void *aad,
    size_t aad_len, const unsigned char *sealed, size_t sealed_len);

/*
 * Reads the master key file: 0, or -1 with the reason in err (the file's
 * path and what is wrong with it; never any of its content).
 */
int mana_master_key_load(const char *path,
    unsigned char key[MANA_SEAL_KEY_LEN], char *err, size_t err_size);

#endif /* MANA_SEAL_H */
