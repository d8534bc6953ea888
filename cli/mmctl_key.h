
/*
 * What the "key" noun's files share: a signing key as mmctl reads it from
 * signing_key, the statements that change keys (each bumps key_version in
 * its transaction), and the master key that seals their private halves.
 */

#ifndef _MMCTL_KEY_H_INCLUDED_
#define _MMCTL_KEY_H_INCLUDED_


#include <stdint.h>

#include <openssl/evp.h>

#include "mmctl.h"
#include "mana_mm1.h"
#include "mana_seal.h"
#include "mana_trust.h"


typedef enum {
    MMCTL_KEY_ROOT = 0,
    MMCTL_KEY_ISSUER,
    MMCTL_KEY_LOG
} mmctl_key_purpose_e;

/* a revocation reason: 255 code points of at most 4 bytes */
#define MMCTL_KEY_REASON_MAX  1020
#define MMCTL_KEY_SEALED_MAX  128


typedef struct {
    unsigned long long      id;
    unsigned char           kid[MANA_MM1_KID_LEN];
    char                    kid_hex[2 * MANA_MM1_KID_LEN + 1];
    mmctl_key_purpose_e     purpose;
    char                    name[MANA_TRUST_NAME_MAX + 1];
    char                    department[MANA_TRUST_DEPT_MAX + 1]; /* "": none */
    unsigned char           pub[32];
    unsigned char           sealed[MMCTL_KEY_SEALED_MAX];
    size_t                  sealed_len;
    mana_mm1_key_status_e   status;
    int64_t                 valid_from;
    int64_t                 valid_until;
    int64_t                 revoked_at;     /* -1: not revoked */
    char                    reason[MMCTL_KEY_REASON_MAX + 1];
    unsigned                has_reason:1;
    int64_t                 created_at;
} mmctl_key_t;


typedef struct {
    mmctl_key_t            *v;
    size_t                  n;
} mmctl_keys_t;


/* mmctl_key.c */

/* the time, unix seconds: every "now" of the key commands */
int64_t mmctl_key_now(void);


/* mmctl_key_trust.c: "key trust-list [-o FILE]", FILE its first option */
int mmctl_key_trust_list(mmctl_ctx_t *ctx, mmctl_args_t *args);


/* mmctl_key_db.c */

/* "root", "issuer", "log"; and back, -1 for anything else */
const char *mmctl_key_purpose_name(mmctl_key_purpose_e p);
int mmctl_key_purpose_parse(const char *s);

/*
 * Reads the keys that match where (an SQL condition on signing_key, or
 * NULL for all), ordered by purpose, name, valid_from and id; with
 * for_update, under row locks (in the caller's transaction).  A row that
 * breaks the schema's promises (a kid that is not its key's, a sealed key
 * longer than it can be) is an error that names it.
 */
int mmctl_key_read(mmctl_ctx_t *ctx, const char *where, int for_update,
    mmctl_keys_t *keys);
void mmctl_keys_free(mmctl_keys_t *keys);

/* the key with this kid: *key points into keys, NULL when there is none */
int mmctl_key_read_kid(mmctl_ctx_t *ctx, const unsigned char *kid,
    int for_update, mmctl_keys_t *keys, mmctl_key_t **key);

/*
 * START TRANSACTION and lock key_version's row: every writer of keys
 * takes it first, so writers follow one another.  *version is its value.
 */
int mmctl_key_begin(mmctl_ctx_t *ctx, long long *version);
/* key_version + 1, in the transaction; *version is the new value */
int mmctl_key_bump(mmctl_ctx_t *ctx, long long *version);
int mmctl_key_commit(mmctl_ctx_t *ctx);
void mmctl_key_rollback(mmctl_ctx_t *ctx);

int mmctl_key_insert(mmctl_ctx_t *ctx, const mmctl_key_t *k);
/* status, revoked_at and revoke_reason of the key with k->id */
int mmctl_key_update_status(mmctl_ctx_t *ctx, const mmctl_key_t *k);

/* the office's department code (size bytes of room); 0 when no office */
int mmctl_key_office(mmctl_ctx_t *ctx, const char *office, char *dept,
    size_t size, int *found);

/* key_version's value, read without a lock */
int mmctl_key_version(mmctl_ctx_t *ctx, long long *version);


/* mmctl_master_key.c */

/*
 * Loads the master key named by --master-key-file, MANA_MASTER_KEY_FILE or
 * master_key_file: MMCTL_OK, or MMCTL_CONFIG with a message that names the
 * file and what is wrong with it (missing, open to group or others, not 64
 * hex digits).  *path is the file's name, for later messages.
 */
int mmctl_master_key_load(mmctl_ctx_t *ctx,
    unsigned char key[MANA_SEAL_KEY_LEN], const char **path);

/* writes a new master key file, mode 0600; an existing file is an error */
int mmctl_master_key_create(mmctl_ctx_t *ctx, const char *path);

/*
 * When keys exist, the master key must open at least one of them: a wrong
 * master key file would seal new keys that the module cannot open.
 * MMCTL_OK, or MMCTL_CONFIG.
 */
int mmctl_master_key_check(mmctl_ctx_t *ctx,
    const unsigned char master[MANA_SEAL_KEY_LEN], const char *path,
    const mmctl_keys_t *keys);

/*
 * Seals seed for the key kid into k->sealed, and checks that it opens
 * again to the same public key.
 */
int mmctl_master_key_seal(mmctl_ctx_t *ctx,
    const unsigned char master[MANA_SEAL_KEY_LEN], mmctl_key_t *k,
    const unsigned char seed[32]);

/*
 * Opens k's private key into *pkey (EVP_PKEY_free() it), checking that it
 * is k's public key's.  When it does not open: MMCTL_CONFIG if the master
 * key opens none of keys (the wrong file), MMCTL_FAILED if it opens others
 * (this row was altered or its sealed key moved from another row).
 */
int mmctl_master_key_open(mmctl_ctx_t *ctx,
    const unsigned char master[MANA_SEAL_KEY_LEN], const char *path,
    const mmctl_key_t *k, const mmctl_keys_t *keys, EVP_PKEY **pkey);


#endif /* _MMCTL_KEY_H_INCLUDED_ */
