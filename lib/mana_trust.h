/*
 * The trust list, /.well-known/mana/trust.json (docs/certificates.md,
 * "Keys and the trust list"): every key that signs certificates (its kid,
 * public key, office, window and status), the root keys, and the issuance
 * log's origin and verifier key, signed with the root key:
 *
 *   {"payload":"<the list: JSON text, as a string>",
 *    "signatures":[{"kid":"<16 hex>","alg":"Ed25519","sig":"<base64url>"}]}
 *
 * A signature is Ed25519 over the exact bytes of the payload string (its
 * UTF-8, which is ASCII: the list holds nothing else).  A verifier checks
 * the bytes it was given and parses them only then: nothing has to be
 * canonicalised, and nothing is read before the signature holds.
 */

#ifndef MANA_TRUST_H
#define MANA_TRUST_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>

#include "mana_buf.h"
#include "mana_mm1.h"
#include "mana_vkey.h"


#define MANA_TRUST_FORMAT     "mana-trust/1"

/* bounds on what a verifier reads: a list of 4,096 keys is about 1.3 MB */
#define MANA_TRUST_MAX_LEN    (2 * 1024 * 1024)
#define MANA_TRUST_MAX_KEYS   4096
#define MANA_TRUST_MAX_ROOTS  16
#define MANA_TRUST_MAX_SIGS   16

#define MANA_TRUST_NAME_MAX   MANA_VKEY_NAME_MAX
#define MANA_TRUST_DEPT_MAX   16


/*
 * One key.  name is the office code (the certificates' iss) of an issuer
 * key, the label of a root key: 1 to 191 printable ASCII characters.
 */
typedef struct {
    unsigned char           kid[MANA_MM1_KID_LEN];
    unsigned char           pub[32];
    char                    name[MANA_TRUST_NAME_MAX + 1];
    char                    department[MANA_TRUST_DEPT_MAX + 1]; /* "": none */
    mana_mm1_key_status_e   status;
    int64_t                 valid_from;     /* unix seconds */
    int64_t                 valid_until;    /* after valid_from */
    int64_t                 revoked_at;     /* when status is revoked */
} mana_trust_key_t;


typedef struct {
    uint64_t                version;        /* key_version: never goes back */
    int64_t                 issued_at;
    unsigned                has_log:1;
    char                    log_origin[MANA_TRUST_NAME_MAX + 1];
    unsigned char           log_pub[32];
    mana_trust_key_t       *roots;
    size_t                  nroots;
    mana_trust_key_t       *keys;          /* the issuer keys */
    size_t                  nkeys;
} mana_trust_list_t;


/*
 * Appends the payload of list: compact JSON, members in a fixed order, all
 * ASCII.  0, or -1 with the reason in *err (a constant string): a kid that
 * is not its key's, a name or time out of its rules, too many keys.
 */
int mana_trust_payload(mana_buf_t *out, const mana_trust_list_t *list,
    const char **err);

/*
 * Appends the signed document: the payload of list, signed by every key
 * of signers (Ed25519 private keys), and a newline.  0, or -1 with *err.
 */
int mana_trust_sign(mana_buf_t *out, const mana_trust_list_t *list,
    EVP_PKEY *const *signers, size_t nsigners, const char **err);

/*
 * Opens a signed document: checks its form within the bounds above, looks
 * for a signature by one of the trusted root public keys (pinned by the
 * verifier) that holds over the payload, and only then parses the payload
 * into list (mana_trust_free() it).  0, or -1 with *err (a constant string
 * that quotes nothing of the document) and list empty.
 *
 * The payload is checked as strictly as it is written: the format, every
 * member's type and spelling, kids that are their keys', no kid twice,
 * revoked_at exactly on revoked keys; members it does not know are
 * ignored, for lists written by later versions.
 */
int mana_trust_open(mana_trust_list_t *list, const char *doc, size_t n,
    const unsigned char (*roots)[32], size_t nroots, const char **err);

void mana_trust_free(mana_trust_list_t *list);

/* the issuer key with this kid, or NULL */
const mana_trust_key_t *mana_trust_find(const mana_trust_list_t *list,
    const unsigned char kid[MANA_MM1_KID_LEN]);

/* what mana_mm1_verdict() wants to know of a key */
void mana_trust_mm1_key(const mana_trust_key_t *k, mana_mm1_key_t *out);

/* "active", "retired", "revoked"; -1 for another string */
const char *mana_trust_status_name(mana_mm1_key_status_e s);
int mana_trust_status_parse(const char *s, size_t n);

#endif /* MANA_TRUST_H */
