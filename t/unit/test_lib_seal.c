/*
 * Secrets at rest: AES-256-GCM sealing against a known answer, every bit
 * of a sealed value and of its associated data flipped, and the master key
 * file's format and permission checks on real files.
 */

#define _GNU_SOURCE         /* memmem */

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "tap.h"
#include "mana_hex.h"
#include "mana_seal.h"


static unsigned char  key[32];


static size_t
unhex(unsigned char *dst, const char *hex)
{
    size_t  n;

    n = strlen(hex) / 2;

    if (mana_hex_decode(dst, hex, n) != 0) {
        printf("# bad hex in the test\n");
        exit(2);
    }

    return n;
}


static void
test_known_answer(void)
{
    size_t          n, len;
    unsigned char   sealed[128], out[64];
    static const unsigned char  kid[8] = {
        0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef
    };

    /*
     * Sealed elsewhere (key 00..1f, nonce 00..0b, associated data
     * 01 || kid): a value in the documented layout must open here.
     */
    n = unhex(sealed, "01000102030405060708090a0b266cf65ea1d7f72ebc78b7f8d4"
                      "8c1c4decb0a707c25b3d054c0296a43c482193754a008325ba47"
                      "49fa175996454c448c");

    ok(mana_unseal(out, sizeof(out), &len, key, kid, sizeof(kid), sealed, n)
       == 0 && len == 32
       && memcmp(out, "an Ed25519 seed of 32 bytes!!!!!", 32) == 0,
       "unseal: a value sealed by another AES-GCM in the documented layout");

    ok(mana_unseal(out, sizeof(out), &len, key, kid, 7, sealed, n) == -1
       && len == 0, "unseal: ... not with 7 bytes of the kid");
}


static void
test_round_trip(void)
{
    size_t          len;
    mana_buf_t      a, b;
    unsigned char   out[64];
    static const char  secret[] = "a 32-byte seed, or any secret...";

    mana_buf_init(&a);
    mana_buf_init(&b);

    ok(mana_seal(&a, key, "kid-0001", 8, secret, 32) == 0
       && a.len == 32 + MANA_SEAL_OVERHEAD
       && (unsigned char) a.data[0] == MANA_SEAL_VERSION,
       "seal: version, nonce, 32 bytes, tag: %zu bytes", a.len);

    ok(memmem(a.data, a.len, "seed", 4) == NULL,
       "seal: the secret is not in the sealed bytes");

    ok(mana_unseal(out, sizeof(out), &len, key, "kid-0001", 8,
                   (unsigned char *) a.data, a.len) == 0
       && len == 32 && memcmp(out, secret, 32) == 0,
       "unseal: the secret back");

    ok(mana_seal(&b, key, "kid-0001", 8, secret, 32) == 0 && b.len == a.len
       && memcmp(a.data + 1, b.data + 1, MANA_SEAL_NONCE_LEN) != 0
       && memcmp(a.data, b.data, a.len) != 0,
       "seal: sealed twice, two nonces, two values");

    ok(mana_unseal(out, 31, &len, key, "kid-0001", 8,
                   (unsigned char *) a.data, a.len) == -1,
       "unseal: refuses a buffer a byte too small");

    mana_buf_free(&b);
    mana_buf_init(&b);
    ok(mana_seal(&b, key, NULL, 0, "", 0) == 0
       && b.len == MANA_SEAL_OVERHEAD
       && mana_unseal(out, sizeof(out), &len, key, NULL, 0,
                      (unsigned char *) b.data, b.len) == 0 && len == 0,
       "seal: nothing, without associated data, and back");

    mana_buf_free(&a);
    mana_buf_free(&b);
}


static void
test_tampering(void)
{
    int             opened;
    char            aad[8];
    size_t          i, n, len, leaked;
    mana_buf_t      a;
    unsigned char   copy[128], out[64], other[32];
    static const char  secret[] = "0123456789abcdef0123456789abcdef";

    mana_buf_init(&a);
    mana_seal(&a, key, "kid-0001", 8, secret, 32);
    n = a.len;
    memcpy(copy, a.data, n);

    /* version, nonce, ciphertext and tag: every bit */
    opened = 0;
    leaked = 0;

    for (i = 0; i < 8 * n; i++) {
        copy[i / 8] ^= (unsigned char) (1 << (i % 8));
        memset(out, 0x5a, sizeof(out));

        if (mana_unseal(out, sizeof(out), &len, key, "kid-0001", 8, copy, n)
            == 0)
        {
            printf("# byte %zu bit %zu flipped: opened\n", i / 8, i % 8);
            opened++;
        }

        if (memmem(out, sizeof(out), "456789", 6) != NULL) {
            leaked++;
        }

        copy[i / 8] ^= (unsigned char) (1 << (i % 8));
    }

    ok(opened == 0, "unseal: each of %zu bits flipped refused", 8 * n);
    ok(leaked == 0, "unseal: no plaintext left in the buffer after a refusal");

    memcpy(aad, "kid-0001", 8);
    opened = 0;

    for (i = 0; i < 64; i++) {
        aad[i / 8] ^= (char) (1 << (i % 8));
        opened += mana_unseal(out, sizeof(out), &len, key, aad, 8, copy, n)
                  == 0;
        aad[i / 8] ^= (char) (1 << (i % 8));
    }

    ok(opened == 0, "unseal: each of 64 bits of the kid flipped refused");

    ok(mana_unseal(out, sizeof(out), &len, key, "kid-0002", 8, copy, n)
       == -1, "unseal: another row's kid refused");

    memcpy(other, key, 32);
    other[31] ^= 1;
    ok(mana_unseal(out, sizeof(out), &len, other, "kid-0001", 8, copy, n)
       == -1, "unseal: another master key refused");

    ok(mana_unseal(out, sizeof(out), &len, key, "kid-0001", 8, copy, n - 1)
       == -1, "unseal: a byte cut off the tag refused");
    ok(mana_unseal(out, sizeof(out), &len, key, "kid-0001", 8, copy,
                   MANA_SEAL_OVERHEAD - 1) == -1,
       "unseal: less than the overhead refused");

    copy[0] = 2;
    ok(mana_unseal(out, sizeof(out), &len, key, "kid-0001", 8, copy, n)
       == -1, "unseal: version 2 refused");

    ok(mana_unseal(out, sizeof(out), &len, key, "kid-0001", 8,
                   (unsigned char *) a.data, a.len) == 0
       && len == 32 && memcmp(out, secret, 32) == 0,
       "unseal: the untouched value still opens");

    mana_buf_free(&a);
}


/* the master key file */


static char  dir[] = "/tmp/mana-test-seal-XXXXXX";


static const char *
write_key_file(const char *name, const char *content, size_t n, mode_t mode)
{
    int          fd;
    static char  path[256];

    snprintf(path, sizeof(path), "%s/%s", dir, name);
    unlink(path);

    fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
    if (fd == -1 || write(fd, content, n) != (ssize_t) n
        || fchmod(fd, mode) != 0)
    {
        printf("# cannot write %s: %s\n", path, strerror(errno));
        exit(2);
    }

    close(fd);

    return path;
}


#define HEX64  "000102030405060708090a0b0c0d0e0f" \
               "101112131415161718191a1b1c1d1e1f"


static void
test_master_key(void)
{
    char            err[512], path[300], link[300];
    unsigned char   got[32], want[32];
    const char     *p;

    unhex(want, HEX64);

    p = write_key_file("ok", HEX64 "\n", 65, 0600);
    ok(mana_master_key_load(p, got, err, sizeof(err)) == 0
       && memcmp(got, want, 32) == 0, "master key: 64 digits, a newline");

    p = write_key_file("ok2", HEX64, 64, 0400);
    ok(mana_master_key_load(p, got, err, sizeof(err)) == 0
       && memcmp(got, want, 32) == 0, "master key: no newline, mode 0400");

    p = write_key_file("upper", "000102030405060708090A0B0C0D0E0F"
                       "101112131415161718191A1B1C1D1E1F", 64, 0600);
    ok(mana_master_key_load(p, got, err, sizeof(err)) == 0
       && memcmp(got, want, 32) == 0, "master key: upper case digits");

    p = write_key_file("g", HEX64 "\n", 65, 0640);
    ok(mana_master_key_load(p, got, err, sizeof(err)) == -1
       && strstr(err, "group or others") && strstr(err, "0640"),
       "master key: group-readable refused: %s", err);

    p = write_key_file("o", HEX64 "\n", 65, 0604);
    ok(mana_master_key_load(p, got, err, sizeof(err)) == -1
       && strstr(err, "group or others"),
       "master key: world-readable refused");

    p = write_key_file("gw", HEX64 "\n", 65, 0620);
    ok(mana_master_key_load(p, got, err, sizeof(err)) == -1
       && strstr(err, "group or others"),
       "master key: group-writable refused");

    p = write_key_file("all", HEX64 "\n", 65, 0666);
    ok(mana_master_key_load(p, got, err, sizeof(err)) == -1
       && strstr(err, "0666"), "master key: mode 0666 refused");

    snprintf(path, sizeof(path), "%s/adir", dir);
    mkdir(path, 0700);
    ok(mana_master_key_load(path, got, err, sizeof(err)) == -1
       && strstr(err, "not a regular file"),
       "master key: a directory refused: %s", err);

    snprintf(path, sizeof(path), "%s/fifo", dir);
    ok(mkfifo(path, 0600) == 0
       && mana_master_key_load(path, got, err, sizeof(err)) == -1
       && strstr(err, "not a regular file"),
       "master key: a FIFO refused, without waiting for a writer");

    ok(mana_master_key_load("/dev/null", got, err, sizeof(err)) == -1
       && strstr(err, "not a regular file"),
       "master key: a device refused");

    snprintf(path, sizeof(path), "%s/missing", dir);
    ok(mana_master_key_load(path, got, err, sizeof(err)) == -1
       && strstr(err, "No such file") && strstr(err, path),
       "master key: a missing file named: %s", err);

    p = write_key_file("ok3", HEX64 "\n", 65, 0600);
    snprintf(link, sizeof(link), "%s/link", dir);
    ok(symlink(p, link) == 0
       && mana_master_key_load(link, got, err, sizeof(err)) == 0
       && memcmp(got, want, 32) == 0,
       "master key: a symbolic link to a good file is followed");

    p = write_key_file("short", HEX64, 63, 0600);
    ok(mana_master_key_load(p, got, err, sizeof(err)) == -1
       && strstr(err, "64 hexadecimal digits"), "master key: 63 digits");

    p = write_key_file("long", HEX64 "0", 65, 0600);
    ok(mana_master_key_load(p, got, err, sizeof(err)) == -1
       && strstr(err, "64 hexadecimal digits")
       && strstr(err, "0102030405") == NULL,
       "master key: 65 digits, and the error quotes none: %s", err);

    p = write_key_file("nl2", HEX64 "\n\n", 66, 0600);
    ok(mana_master_key_load(p, got, err, sizeof(err)) == -1,
       "master key: two newlines");

    p = write_key_file("crlf", HEX64 "\r\n", 66, 0600);
    ok(mana_master_key_load(p, got, err, sizeof(err)) == -1,
       "master key: CR LF");

    p = write_key_file("space", " " HEX64, 65, 0600);
    ok(mana_master_key_load(p, got, err, sizeof(err)) == -1,
       "master key: a leading space");

    p = write_key_file("g", "g00102030405060708090a0b0c0d0e0f"
                       "101112131415161718191a1b1c1d1e1f", 64, 0600);
    ok(mana_master_key_load(p, got, err, sizeof(err)) == -1
       && strstr(err, "not a hexadecimal digit"), "master key: a 'g'");

    p = write_key_file("empty", "", 0, 0600);
    ok(mana_master_key_load(p, got, err, sizeof(err)) == -1,
       "master key: an empty file");

    p = write_key_file("zero", "0000000000000000000000000000000000000000"
                       "000000000000000000000000\n", 65, 0600);
    ok(mana_master_key_load(p, got, err, sizeof(err)) == -1
       && strstr(err, "zeros"), "master key: a key of zeros");

    p = write_key_file("big", HEX64 HEX64, 128, 0600);
    memset(got, 0x77, sizeof(got));
    ok(mana_master_key_load(p, got, err, sizeof(err)) == -1
       && got[0] == 0 && got[31] == 0,
       "master key: 128 digits, and the key buffer wiped on refusal");
}


static void
remove_dir(void)
{
    char         path[300];
    const char  *names[] = {
        "ok", "ok2", "ok3", "upper", "g", "o", "gw", "all", "fifo", "link",
        "short", "long", "nl2", "crlf", "space", "empty", "zero", "big",
        NULL
    };
    const char **n;

    for (n = names; *n; n++) {
        snprintf(path, sizeof(path), "%s/%s", dir, *n);
        unlink(path);
    }

    snprintf(path, sizeof(path), "%s/adir", dir);
    rmdir(path);
    rmdir(dir);
}


int
main(void)
{
    size_t  i;

    for (i = 0; i < sizeof(key); i++) {
        key[i] = (unsigned char) i;
    }

    if (mkdtemp(dir) == NULL) {
        printf("Bail out! mkdtemp: %s\n", strerror(errno));
        return 2;
    }

    test_known_answer();
    test_round_trip();
    test_tampering();
    test_master_key();

    remove_dir();
    OPENSSL_cleanse(key, sizeof(key));

    return done_testing();
}
