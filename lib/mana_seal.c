#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "mana_hex.h"
#include "mana_seal.h"


int
mana_seal(mana_buf_t *out, const unsigned char key[MANA_SEAL_KEY_LEN],
    const void *aad, size_t aad_len, const void *secret, size_t n)
{
    int              len, ok;
    unsigned char    head[1 + MANA_SEAL_NONCE_LEN];
    unsigned char    tag[MANA_SEAL_TAG_LEN];
    unsigned char   *ct;
    EVP_CIPHER_CTX  *ctx;

    if (n > INT_MAX - 16 || aad_len > INT_MAX) {
        return -1;
    }

    head[0] = MANA_SEAL_VERSION;

    /* a random nonce: 2^32 seals under one key stay far from a repeat */
    if (RAND_bytes(head + 1, MANA_SEAL_NONCE_LEN) != 1) {
        return -1;
    }

    ct = OPENSSL_malloc(n + 1);
    if (ct == NULL) {
        return -1;
    }

    ctx = EVP_CIPHER_CTX_new();

    ok = ctx != NULL
         && EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), NULL, NULL, NULL) == 1
         && EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN,
                                MANA_SEAL_NONCE_LEN, NULL) == 1
         && EVP_EncryptInit_ex(ctx, NULL, NULL, key, head + 1) == 1
         && EVP_EncryptUpdate(ctx, NULL, &len, head, 1) == 1
         && (aad_len == 0
             || EVP_EncryptUpdate(ctx, NULL, &len, aad, (int) aad_len) == 1)
         && EVP_EncryptUpdate(ctx, ct, &len, secret, (int) n) == 1
         && (size_t) len == n
         && EVP_EncryptFinal_ex(ctx, ct + len, &len) == 1
         && len == 0
         && EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG,
                                MANA_SEAL_TAG_LEN, tag) == 1;

    EVP_CIPHER_CTX_free(ctx);

    if (ok) {
        mana_buf_add(out, head, sizeof(head));
        mana_buf_add(out, ct, n);
        mana_buf_add(out, tag, sizeof(tag));
        ok = !mana_buf_failed(out);
    }

    OPENSSL_free(ct);

    return ok ? 0 : -1;
}


int
mana_unseal(void *secret, size_t size, size_t *n,
    const unsigned char key[MANA_SEAL_KEY_LEN], const void *aad,
    size_t aad_len, const unsigned char *sealed, size_t sealed_len)
{
    int                   len, ok;
    size_t                ct_len;
    const unsigned char  *nonce, *ct, *tag;
    EVP_CIPHER_CTX       *ctx;

    *n = 0;

    if (sealed_len < MANA_SEAL_OVERHEAD || sealed[0] != MANA_SEAL_VERSION
        || aad_len > INT_MAX)
    {
        return -1;
    }

    ct_len = sealed_len - MANA_SEAL_OVERHEAD;

    if (ct_len > size || ct_len > INT_MAX) {
        return -1;
    }

    nonce = sealed + 1;
    ct = nonce + MANA_SEAL_NONCE_LEN;
    tag = ct + ct_len;

    ctx = EVP_CIPHER_CTX_new();

    ok = ctx != NULL
         && EVP_DecryptInit_ex(ctx, EVP_aes_256_gcm(), NULL, NULL, NULL) == 1
         && EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN,
                                MANA_SEAL_NONCE_LEN, NULL) == 1
         && EVP_DecryptInit_ex(ctx, NULL, NULL, key, nonce) == 1
         && EVP_DecryptUpdate(ctx, NULL, &len, sealed, 1) == 1
         && (aad_len == 0
             || EVP_DecryptUpdate(ctx, NULL, &len, aad, (int) aad_len) == 1)
         && EVP_DecryptUpdate(ctx, secret, &len, ct, (int) ct_len) == 1
         && (size_t) len == ct_len
         && EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, MANA_SEAL_TAG_LEN,
                                (void *) tag) == 1
         /* the tag is checked here: nothing is trusted before */
         && EVP_DecryptFinal_ex(ctx, (unsigned char *) secret + len, &len)
            == 1;

    EVP_CIPHER_CTX_free(ctx);

    if (!ok) {
        OPENSSL_cleanse(secret, ct_len);
        return -1;
    }

    *n = ct_len;

    return 0;
}


int
mana_master_key_load(const char *path, unsigned char key[MANA_SEAL_KEY_LEN],
    char *err, size_t err_size)
{
    int            fd, rc;
    char           text[2 * MANA_SEAL_KEY_LEN + 2];
    size_t         len, i;
    ssize_t        r;
    unsigned char  any;
    struct stat    st;

    rc = -1;
    len = 0;

    /* O_NONBLOCK: a FIFO in the key's place must not hang start-up */
    fd = open(path, O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
    if (fd == -1) {
        snprintf(err, err_size, "master key file \"%s\": %s", path,
                 strerror(errno));
        return -1;
    }

    if (fstat(fd, &st) == -1) {
        snprintf(err, err_size, "master key file \"%s\": %s", path,
                 strerror(errno));
        goto done;
    }

    if (!S_ISREG(st.st_mode)) {
        snprintf(err, err_size, "master key file \"%s\" is not a regular "
                 "file", path);
        goto done;
    }

    if (st.st_mode & (S_IRWXG | S_IRWXO)) {
        snprintf(err, err_size, "master key file \"%s\" is open to group "
                 "or others (mode %04o): chmod 600 it", path,
                 (unsigned) (st.st_mode & 07777));
        goto done;
    }

    /* one byte more than a valid file has, to tell a longer one */
    while (len < sizeof(text)) {
        r = read(fd, text + len, sizeof(text) - len);

        if (r == -1 && errno == EINTR) {
            continue;
        }

        if (r == -1) {
            snprintf(err, err_size, "master key file \"%s\": %s", path,
                     strerror(errno));
            goto done;
        }

        if (r == 0) {
            break;
        }

        len += (size_t) r;
    }

    if (len == sizeof(text) - 1 && text[len - 1] == '\n') {
        len--;
    }

    if (len != 2 * MANA_SEAL_KEY_LEN) {
        snprintf(err, err_size, "master key file \"%s\" must hold 64 "
                 "hexadecimal digits and at most a newline", path);
        goto done;
    }

    if (mana_hex_decode(key, text, MANA_SEAL_KEY_LEN) != 0) {
        snprintf(err, err_size, "master key file \"%s\" holds a character "
                 "that is not a hexadecimal digit", path);
        goto done;
    }

    any = 0;

    for (i = 0; i < MANA_SEAL_KEY_LEN; i++) {
        any |= key[i];
    }

    if (any == 0) {
        snprintf(err, err_size, "master key file \"%s\" holds a key of "
                 "zeros", path);
        goto done;
    }

    rc = 0;

done:

    if (rc != 0) {
        OPENSSL_cleanse(key, MANA_SEAL_KEY_LEN);
    }

    OPENSSL_cleanse(text, sizeof(text));
    close(fd);

    return rc;
}
