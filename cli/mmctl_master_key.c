
/*
 * The master key: the file it lives in (a setting like the connection's),
 * a new one for a new installation, and sealing and opening the signing
 * keys' private halves under it (lib/mana_seal.c, with the kid as the
 * associated data).  Only the commands that touch private keys load it.
 */

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "mmctl_key.h"
#include "mana_ed25519.h"
#include "mana_hex.h"


static int mmctl_master_key_opens(const unsigned char master[32],
    const mmctl_key_t *k);


int
mmctl_master_key_load(mmctl_ctx_t *ctx, unsigned char key[MANA_SEAL_KEY_LEN],
    const char **path)
{
    int    rc;
    char   source[512], err[1024];

    rc = mmctl_conf_setting(ctx, "master_key_file", path, source,
                            sizeof(source));
    if (rc != MMCTL_OK) {
        return rc;
    }

    if (*path == NULL) {
        return mmctl_error(ctx, MMCTL_CONFIG, "config",
                           "no master key file: give --master-key-file "
                           "FILE, MANA_MASTER_KEY_FILE or master_key_file "
                           "in the config file (\"mmctl key init-master "
                           "FILE\" makes a new one)");
    }

    if (mana_master_key_load(*path, key, err, sizeof(err)) != 0) {
        return mmctl_error(ctx, MMCTL_CONFIG, "config", "%s (from %s)", err,
                           source);
    }

    return MMCTL_OK;
}


int
mmctl_master_key_create(mmctl_ctx_t *ctx, const char *path)
{
    int            fd, err;
    char           text[2 * MANA_SEAL_KEY_LEN + 1], msg[1024];
    size_t         off;
    ssize_t        n;
    unsigned char  key[MANA_SEAL_KEY_LEN];

    if (RAND_priv_bytes(key, sizeof(key)) != 1) {
        return mmctl_error(ctx, MMCTL_FAILED, "failed", "the random "
                           "generator failed: no master key written");
    }

    mana_hex_encode(text, key, sizeof(key));
    text[2 * MANA_SEAL_KEY_LEN] = '\n';
    OPENSSL_cleanse(key, sizeof(key));

    /* O_EXCL: a master key in use is never replaced, keys die with it */
    fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
              S_IRUSR | S_IWUSR);

    if (fd == -1) {
        err = errno;
        OPENSSL_cleanse(text, sizeof(text));

        if (err == EEXIST) {
            return mmctl_error(ctx, MMCTL_FAILED, "failed",
                               "%s exists: a master key file is never "
                               "overwritten (the keys sealed under it would "
                               "be lost)", path);
        }

        return mmctl_error(ctx, MMCTL_FAILED, "failed", "cannot create %s: "
                           "%s", path, strerror(err));
    }

    err = 0;

    /* 0600 whatever the umask left: the module and mmctl must read it */
    if (fchmod(fd, S_IRUSR | S_IWUSR) != 0) {
        err = errno;
    }

    for (off = 0; err == 0 && off < sizeof(text); off += (size_t) n) {
        n = write(fd, text + off, sizeof(text) - off);

        if (n == -1 && errno == EINTR) {
            n = 0;
            continue;
        }

        if (n <= 0) {
            err = n == 0 ? EIO : errno;
        }
    }

    OPENSSL_cleanse(text, sizeof(text));

    if (err == 0 && fsync(fd) != 0) {
        err = errno;
    }

    if (close(fd) != 0 && err == 0) {
        err = errno;
    }

    if (err) {
        unlink(path);
        return mmctl_error(ctx, MMCTL_FAILED, "failed", "cannot write %s: "
                           "%s", path, strerror(err));
    }

    /* what was written is what every reader will accept */
    if (mana_master_key_load(path, key, msg, sizeof(msg)) != 0) {
        unlink(path);
        return mmctl_error(ctx, MMCTL_FAILED, "failed", "%s", msg);
    }

    OPENSSL_cleanse(key, sizeof(key));

    return MMCTL_OK;
}


static int
mmctl_master_key_opens(const unsigned char master[32], const mmctl_key_t *k)
{
    int            rc;
    size_t         n;
    unsigned char  seed[MMCTL_KEY_SEALED_MAX];

    rc = mana_unseal(seed, sizeof(seed), &n, master, k->kid,
                     MANA_MM1_KID_LEN, k->sealed, k->sealed_len) == 0;

    OPENSSL_cleanse(seed, sizeof(seed));

    return rc;
}


int
mmctl_master_key_check(mmctl_ctx_t *ctx,
    const unsigned char master[MANA_SEAL_KEY_LEN], const char *path,
    const mmctl_keys_t *keys)
{
    size_t  i;

    if (keys->n == 0) {
        return MMCTL_OK;
    }

    for (i = 0; i < keys->n; i++) {
        if (mmctl_master_key_opens(master, &keys->v[i])) {
            return MMCTL_OK;
        }
    }

    return mmctl_error(ctx, MMCTL_CONFIG, "config",
                       "the master key in %s opens none of the %zu signing "
                       "keys: it is not the file they were sealed with, and "
                       "keys sealed with it would not open where the others "
                       "do", path, keys->n);
}


int
mmctl_master_key_seal(mmctl_ctx_t *ctx,
    const unsigned char master[MANA_SEAL_KEY_LEN], mmctl_key_t *k,
    const unsigned char seed[32])
{
    int             ok;
    size_t          n;
    mana_buf_t      b;
    unsigned char   back[MMCTL_KEY_SEALED_MAX], pub[32];

    mana_buf_init(&b);

    ok = mana_seal(&b, master, k->kid, MANA_MM1_KID_LEN, seed, 32) == 0
         && b.len <= sizeof(k->sealed);

    if (ok) {
        memcpy(k->sealed, b.data, b.len);
        k->sealed_len = b.len;
        OPENSSL_cleanse(b.data, b.len);
    }

    mana_buf_free(&b);

    /* the way the module will open it, before anything is stored */
    ok = ok
         && mana_unseal(back, sizeof(back), &n, master, k->kid,
                        MANA_MM1_KID_LEN, k->sealed, k->sealed_len) == 0
         && n == 32
         && mana_ed25519_public_of(pub, back) == 0
         && memcmp(pub, k->pub, 32) == 0;

    OPENSSL_cleanse(back, sizeof(back));

    if (!ok) {
        return mmctl_error(ctx, MMCTL_FAILED, "failed", "cannot seal the "
                           "new key's private key");
    }

    return MMCTL_OK;
}


int
mmctl_master_key_open(mmctl_ctx_t *ctx,
    const unsigned char master[MANA_SEAL_KEY_LEN], const char *path,
    const mmctl_key_t *k, const mmctl_keys_t *keys, EVP_PKEY **pkey)
{
    int            others;
    size_t         i, n;
    unsigned char  seed[MMCTL_KEY_SEALED_MAX], pub[32];

    *pkey = NULL;

    if (mana_unseal(seed, sizeof(seed), &n, master, k->kid, MANA_MM1_KID_LEN,
                    k->sealed, k->sealed_len) != 0)
    {
        others = 0;

        for (i = 0; i < keys->n; i++) {
            if (keys->v[i].id != k->id) {
                others += mmctl_master_key_opens(master, &keys->v[i]);
            }
        }

        if (others == 0) {
            return mmctl_error(ctx, MMCTL_CONFIG, "config",
                               "key %s: its private key does not open with "
                               "the master key in %s, nor does any other "
                               "key's: it is not the file the keys were "
                               "sealed with", k->kid_hex, path);
        }

        return mmctl_error(ctx, MMCTL_FAILED, "failed",
                           "key %s: its private key does not open with the "
                           "master key in %s, which opens %d other key%s: "
                           "the row was altered, or its sealed key was "
                           "copied from another row", k->kid_hex, path,
                           others, others == 1 ? "" : "s");
    }

    if (n != 32 || mana_ed25519_public_of(pub, seed) != 0
        || memcmp(pub, k->pub, 32) != 0)
    {
        OPENSSL_cleanse(seed, sizeof(seed));
        return mmctl_error(ctx, MMCTL_FAILED, "failed",
                           "key %s: its private key is not the one of its "
                           "public key: the row was altered", k->kid_hex);
    }

    *pkey = mana_ed25519_private_key(seed);
    OPENSSL_cleanse(seed, sizeof(seed));

    if (*pkey == NULL) {
        return mmctl_error(ctx, MMCTL_FAILED, "failed", "out of memory");
    }

    return MMCTL_OK;
}
