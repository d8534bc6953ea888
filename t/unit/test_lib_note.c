/*
 * Signed notes and checkpoints: the published vectors of Go's
 * golang.org/x/mod/sumdb/note (its PeterNeumann and EnochRoot keys, note
 * and signatures, note_test.go) and of the C2SP specifications, a round
 * trip with RFC 8032's first key, base64 (RFC 4648), and everything that
 * must be refused.
 */

#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "mana_base64.h"
#include "mana_buf.h"
#include "mana_hex.h"
#include "mana_note.h"
#include "mana_tlog.h"


/* the decoder as these tests use it: the length, or -1 */
static long
b64dec(unsigned char *dst, size_t cap, const char *src, size_t n)
{
    size_t  len;

    return mana_base64_decode(MANA_BASE64_STD, dst, cap, &len, src, n) == 0
           ? (long) len : -1;
}


#define PETER_VKEY \
    "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
/* base64(0x01 || seed) of Go's PRIVATE+KEY+PeterNeumann+c74f20a3+... */
#define PETER_SKEY  "AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
#define ENOCH_VKEY \
    "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop"

#define TEXT \
    "If you think cryptography is the answer to your problem,\n" \
    "then you don't know what your problem is.\n"
#define PETER_SIG \
    "\xe2\x80\x94 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInN" \
    "IuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n"
#define ENOCH_SIG \
    "\xe2\x80\x94 EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2t" \
    "iOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n"


static mana_note_rc_e
open_str(const char *note, const mana_note_key_t *known, size_t n_known,
    size_t *text_len, unsigned char *verified)
{
    return mana_note_open(note, strlen(note), known, n_known, text_len,
                          verified);
}


static void
test_base64(void)
{
    int            i, bad;
    char           enc[16];
    unsigned char  dec[8];

    /* RFC 4648 section 10 */
    static const char  *plain[] = { "", "f", "fo", "foo", "foob", "fooba",
                                    "foobar" };
    static const char  *coded[] = { "", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==",
                                    "Zm9vYmE=", "Zm9vYmFy" };
    static const char  *bad_b64[] = { "Zg=", "Zg", "Z===", "Zh==", "Zm9=",
                                      "Zg==Zg==", "=Zg=", " Zg=", "Zg==\n",
                                      "Zm9v-A==", "Zm9v_A==", "Zm\0v" };

    bad = 0;
    for (i = 0; i < 7; i++) {
        mana_base64_encode(MANA_BASE64_STD, enc, (const unsigned char *) plain[i],
                           strlen(plain[i]));
        enc[mana_base64_encoded_len(MANA_BASE64_STD, strlen(plain[i]))] = '\0';
        bad += strcmp(enc, coded[i]) != 0;
        bad += b64dec(dec, sizeof(dec), coded[i], strlen(coded[i]))
               != (long) strlen(plain[i])
               || memcmp(dec, plain[i], strlen(plain[i])) != 0;
    }
    ok(bad == 0, "base64: RFC 4648's vectors both ways");

    bad = 0;
    for (i = 0; i < (int) (sizeof(bad_b64) / sizeof(bad_b64[0])); i++) {
        bad += b64dec(dec, sizeof(dec), bad_b64[i],
                                  i == 11 ? 4 : strlen(bad_b64[i])) != -1;
    }
    ok(bad == 0, "base64: no missing or misplaced padding, stray bits, "
       "whitespace, URL alphabet or NUL");
    ok(b64dec(dec, 5, "Zm9vYmFy", 8) == -1
       && b64dec(dec, 6, "Zm9vYmFy", 8) == 6,
       "base64: never writes past the room given");
}


static void
test_names(void)
{
    ok(mana_note_name_valid("PeterNeumann", 12)
       && mana_note_name_valid("verify.ap.gov.in/log", 20)
       && mana_note_name_valid("\xe0\xb0\xae\xe0\xb0\xa8", 6),
       "names: ASCII, a URL without scheme, Telugu");
    ok(!mana_note_name_valid("", 0) && !mana_note_name_valid("a b", 3)
       && !mana_note_name_valid("a+b", 3) && !mana_note_name_valid("a\tb", 3)
       && !mana_note_name_valid("a\xc2\xa0" "b", 4)
       && !mana_note_name_valid("a\xe3\x80\x80" "b", 5)
       && !mana_note_name_valid("a\xe2\x80\xa8" "b", 5)
       && !mana_note_name_valid("a\xff", 2)
       && !mana_note_name_valid("a\x01", 2),
       "not empty, nor with a space (NBSP, ideographic, line separator), "
       "'+', bad UTF-8 or a control");
}


static void
test_go_vectors(void)
{
    int              i, j, bad;
    char             buf[MANA_NOTE_VKEY_MAX], *m;
    size_t           len, tl;
    mana_buf_t       out;
    unsigned char    raw[33], verified[3];
    mana_note_key_t  peter, enoch, signer, k, list[3];

    ok(mana_note_key_parse(&peter, PETER_VKEY, strlen(PETER_VKEY)) == 0,
       "Go's PeterNeumann verifier key parsed");
    ok(peter.id == 0xc74f20a3 && strcmp(peter.name, "PeterNeumann") == 0
       && !peter.can_sign, "its name and key id; it cannot sign");
    ok(mana_note_key_format(buf, &peter) == (int) strlen(PETER_VKEY),
       "written back");
    is_str(buf, PETER_VKEY, "as the same string");

    ok(mana_note_key_parse(&enoch, ENOCH_VKEY, strlen(ENOCH_VKEY)) == 0
       && enoch.id == 0xaf0cfe78, "Go's EnochRoot key parsed");

    ok(b64dec(raw, sizeof(raw), PETER_SKEY, strlen(PETER_SKEY))
       == 33 && raw[0] == MANA_NOTE_ED25519, "Go's signer key decoded");
    ok(mana_note_key_from_seed(&signer, "PeterNeumann", 12, raw + 1) == 0
       && signer.can_sign, "a key from its seed");
    ok(signer.id == 0xc74f20a3 && memcmp(signer.pub, peter.pub, 32) == 0,
       "the seed gives Go's public key and key id c74f20a3");

    mana_buf_init(&out);
    ok(mana_note_sign(&out, TEXT, strlen(TEXT), &signer, 1) == 0,
       "Go's text signed");
    is_str(out.data, TEXT "\n" PETER_SIG,
           "byte for byte Go's signed note (Ed25519 is deterministic)");
    mana_buf_free(&out);

    tl = 0;
    ok(open_str(TEXT "\n" PETER_SIG, &peter, 1, &tl, verified) == MANA_NOTE_OK
       && tl == strlen(TEXT) && verified[0] == 1,
       "Go's note opens with Peter's key; the text is its first lines");

    list[0] = peter;
    ok(open_str(TEXT "\n" PETER_SIG ENOCH_SIG, list, 1, &tl, verified)
       == MANA_NOTE_OK && verified[0] == 1,
       "with Enoch's signature too, Peter's key alone opens it");
    list[1] = enoch;
    ok(open_str(TEXT "\n" PETER_SIG ENOCH_SIG, list, 2, &tl, verified)
       == MANA_NOTE_OK && verified[0] == 1 && verified[1] == 1,
       "both keys known: both verified");
    ok(open_str(TEXT "\n" PETER_SIG ENOCH_SIG, NULL, 0, &tl, NULL)
       == MANA_NOTE_UNVERIFIED, "no key known: unverified");
    ok(open_str(TEXT "\n" PETER_SIG, &enoch, 1, &tl, NULL)
       == MANA_NOTE_UNVERIFIED, "signed only by an unknown key: unverified");

    list[0] = enoch;
    list[1] = peter;
    list[2] = enoch;
    ok(open_str(TEXT "\n" ENOCH_SIG, list, 3, &tl, NULL)
       == MANA_NOTE_AMBIGUOUS_KEY, "a key known twice that signed: ambiguous");
    ok(open_str(TEXT "\n" PETER_SIG, list, 3, &tl, verified) == MANA_NOTE_OK
       && verified[0] == 0 && verified[1] == 1 && verified[2] == 0,
       "a key known twice that did not sign does not matter");

    /* Go's invalid signature: "ABCD" inside the base64 */
    len = strlen(TEXT "\n" PETER_SIG);
    m = malloc(101 * strlen(PETER_SIG) + sizeof(TEXT "\n"));
    memcpy(m, TEXT "\n", strlen(TEXT) + 1);
    memcpy(m + strlen(TEXT) + 1, PETER_SIG, 60);
    memcpy(m + strlen(TEXT) + 61, "ABCD", 4);
    strcpy(m + strlen(TEXT) + 65, PETER_SIG + 60);
    ok(mana_note_open(m, len + 4, &peter, 1, &tl, NULL)
       == MANA_NOTE_BAD_SIGNATURE, "a known key's bad signature: refused");

    /* Go's duplicated verified and unverified signatures */
    strcpy(m, TEXT "\n" PETER_SIG PETER_SIG ENOCH_SIG ENOCH_SIG);
    len = strlen(m);
    memcpy(m + len, ENOCH_SIG, 60);
    memcpy(m + len + 60, "ABCD", 4);
    strcpy(m + len + 64, ENOCH_SIG + 60);
    ok(open_str(m, &peter, 1, &tl, verified) == MANA_NOTE_OK,
       "repeated signatures, a bad one by an unknown key: Peter's verifies");

    strcpy(m, TEXT "\n");
    for (i = 0; i < 100; i++) {
        strcat(m, PETER_SIG);
    }
    ok(open_str(m, &peter, 1, &tl, NULL) == MANA_NOTE_OK,
       "100 signature lines are accepted");
    strcat(m, PETER_SIG);
    ok(open_str(m, &peter, 1, &tl, NULL) == MANA_NOTE_MALFORMED
       && open_str(m, NULL, 0, &tl, NULL) == MANA_NOTE_MALFORMED,
       "101 are malformed, known or not");
    free(m);

    {
        static const char  *bad_notes[] = {
            TEXT,
            TEXT "\n",
            TEXT "\n" "\xe2\x80\x94 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBt"
                "iFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBw"
                "JnAM=",
            "\x01" TEXT "\n" PETER_SIG,
            "\xff" TEXT "\n" PETER_SIG,
            TEXT "\n" "\xe2\x80\x94 Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupL"
                "Lr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=",
            TEXT "\n" PETER_SIG "Unexpected line.\n",
            TEXT "\n" "- PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcE"
                "lZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n",
            TEXT "\n" "\xe2\x80\x94 PeterNeumann\n",
            TEXT "\n" "\xe2\x80\x94 PeterNeumann \n",
            TEXT "\n" "\xe2\x80\x94 PeterNeumann x08g\n",
            TEXT "\n" "\xe2\x80\x94 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBt"
                "iFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBw"
                "JnAM\n",
            TEXT "\n" "\xe2\x80\x94 PeterNeumann  x08go/ZJkuBS9UG/SffcvIAQxVB"
                "tiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyB"
                "wJnAM=\n",
            TEXT "\r\n" PETER_SIG,
            ""
        };

        bad = 0;
        for (i = 0; i < (int) (sizeof(bad_notes) / sizeof(bad_notes[0]));
             i++)
        {
            if (open_str(bad_notes[i], &peter, 1, &tl, NULL)
                != MANA_NOTE_MALFORMED)
            {
                bad++;
                printf("# not refused as malformed: %d\n", i);
            }
        }
        ok(bad == 0, "Go's malformed notes and more (no blank line, no final "
           "newline, control bytes, bad UTF-8, a name with a space, a line "
           "after the signatures, a hyphen for the dash, no or a short or "
           "unpadded signature, two spaces, CR): malformed");
    }

    /* Go's TestNewVerifier: every part and every one-byte change fails */
    bad = 0;
    len = strlen(PETER_VKEY);
    m = strdup(PETER_VKEY);

    for (i = 0; i <= (int) len; i++) {
        for (j = i + 1; j <= (int) len; j++) {
            if ((i != 0 || j != (int) len)
                && mana_note_key_parse(&k, m + i, (size_t) (j - i)) == 0)
            {
                bad++;
                mana_note_key_free(&k);
            }
        }
    }

    for (i = 0; i < (int) len; i++) {
        m[i]++;
        if (mana_note_key_parse(&k, m, len) == 0) {
            bad++;
            mana_note_key_free(&k);
        }
        m[i]--;
    }
    free(m);

    ok(bad == 0, "no part of the key, and no key with a byte changed, is "
       "accepted");
    ok(mana_note_key_parse(&k, "PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqi"
                           "BfsVkmqq/LDE4izWy10TWBADKEY==", 73) == -1,
       "a key of the wrong length, with its key id adjusted: refused");
    ok(mana_note_key_parse(&k, "PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqi"
                           "BfsVkmqq/LDE4izWy10TW", 66) == -1,
       "an unknown algorithm, with its key id adjusted: refused");
    ok(mana_note_key_parse(&k, "PeterNeumann+C74F20A3+ARpc2QcUPDhMQegwxbzhKqi"
                           "BfsVkmqq/LDE4izWy10TW", 66) == 0
       && k.id == 0xc74f20a3, "upper-case hex key ids are read, as Go does");
    mana_note_key_free(&k);

    mana_note_key_free(&peter);
    mana_note_key_free(&enoch);
    mana_note_key_free(&signer);
}


static void
test_round_trip(void)
{
    int                     len;
    char                    vkey[MANA_NOTE_VKEY_MAX], body[256], *p, save;
    size_t                  tl;
    mana_buf_t              out;
    unsigned char           seed[32], pub[32], verified[2], root[32];
    mana_note_key_t         log, witness, parsed, bad, keys[2];
    mana_note_checkpoint_t  cp;

    /* RFC 8032 section 7.1, TEST 1 */
    mana_hex_decode(seed, "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919"
                    "703bac031cae7f60", 32);
    mana_hex_decode(pub, "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325"
                    "af021a68f707511a", 32);

    ok(mana_note_key_from_seed(&log, "verify.ap.gov.in/log", 20, seed) == 0
       && memcmp(log.pub, pub, 32) == 0,
       "RFC 8032 test 1: the seed gives its public key");

    ok(mana_note_key_format(vkey, &log) > 0
       && mana_note_key_parse(&parsed, vkey, strlen(vkey)) == 0
       && parsed.id == log.id && memcmp(parsed.pub, pub, 32) == 0,
       "its verifier key string read back: %s", vkey);

    seed[0] ^= 1;
    mana_note_key_from_seed(&witness, "witness.example/w1", 18, seed);

    mana_tlog_leaf_hash(root, "hello world", 11);
    len = mana_note_checkpoint_format(body, sizeof(body),
                                      "verify.ap.gov.in/log", 20, 42, root);
    ok(len > 0, "a checkpoint body written");

    keys[0] = log;
    keys[1] = witness;
    mana_buf_init(&out);
    ok(mana_note_sign(&out, body, (size_t) len, keys, 2) == 0,
       "signed by the log and a witness");

    keys[0] = witness;
    keys[1] = parsed;
    ok(mana_note_open(out.data, out.len, &parsed, 1, &tl, verified)
       == MANA_NOTE_OK && tl == (size_t) len
       && memcmp(out.data, body, tl) == 0,
       "opened with the log's public key alone");
    ok(mana_note_open(out.data, out.len, keys, 2, &tl, verified)
       == MANA_NOTE_OK && verified[0] && verified[1],
       "and with both keys");
    ok(mana_note_checkpoint_parse(&cp, out.data, tl) == 0 && cp.size == 42
       && cp.origin_len == 20 && memcmp(cp.origin, "verify.ap.gov.in/log", 20)
       == 0 && memcmp(cp.root, root, 32) == 0 && cp.extensions == NULL,
       "the checkpoint inside: origin, size 42, root");

    /* one changed character in the body, then in the signature */
    p = strstr(out.data, "\n42\n");
    p[1] = '3';
    ok(mana_note_open(out.data, out.len, &parsed, 1, &tl, NULL)
       == MANA_NOTE_BAD_SIGNATURE, "a changed tree size: bad signature");
    p[1] = '4';

    /* the base64 after the dash, the name and a space */
    p = strstr(out.data, "\xe2\x80\x94 verify.ap.gov.in/log ") + 25;
    save = p[20];
    p[20] = save == 'A' ? 'B' : 'A';
    ok(mana_note_open(out.data, out.len, &parsed, 1, &tl, NULL)
       == MANA_NOTE_BAD_SIGNATURE, "a changed signature: bad signature");
    p[20] = save;
    ok(mana_note_open(out.data, out.len, &parsed, 1, &tl, NULL)
       == MANA_NOTE_OK, "changed back: it verifies");
    p[1] = p[1] == 'A' ? 'B' : 'A';
    ok(mana_note_open(out.data, out.len, &parsed, 1, &tl, NULL)
       == MANA_NOTE_UNVERIFIED,
       "a changed key id: a stranger's signature, skipped");
    mana_buf_free(&out);

    mana_buf_init(&out);
    ok(mana_note_sign(&out, "no newline", 10, &log, 1) == -1
       && mana_note_sign(&out, "", 0, &log, 1) == -1
       && mana_note_sign(&out, "a\rb\n", 4, &log, 1) == -1
       && mana_note_sign(&out, "a\xffz\n", 4, &log, 1) == -1
       && mana_note_sign(&out, "ok\n", 3, &parsed, 1) == -1
       && mana_note_sign(&out, "ok\n", 3, &log, 0) == -1,
       "no signing a text without its newline, empty, with a control or "
       "bad UTF-8; nor with a public key, nor with no key");
    mana_buf_free(&out);

    ok(mana_note_key_from_seed(&bad, "bad name", 8, seed) == -1
       && mana_note_key_from_public(&bad, "a+b", 3, pub) == -1
       && bad.pkey == NULL,
       "keys with invalid names are refused");

    mana_note_key_free(&log);
    mana_note_key_free(&witness);
    mana_note_key_free(&parsed);
}


static void
test_checkpoints(void)
{
    int                     i, bad;
    char                    buf[256];
    unsigned char           root[32];
    mana_note_checkpoint_t  cp;

    static const char  *largest =
        "log\n9007199254740992\n"
        "TszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBb0=\na\nb c\n";

    static const char  *golden =
        "go.sum database tree\n123456789012\n"
        "TszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBb0=\n";

    static const char  *bad_bodies[] = {
        "",
        "\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n",
        "log\n0xabcdef\nTszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBb0=\n",
        "log\n123456789012\nTszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBTOOBIG=\n",
        "log\n0123\nTszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBb0=\n",
        "log\n00\nTszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBb0=\n",
        "log\n-1\nTszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBb0=\n",
        "log\n+1\nTszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBb0=\n",
        "log\n1 \nTszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBb0=\n",
        "log\n\nTszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBb0=\n",
        "log\n9007199254740993\n"
            "TszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBb0=\n",
        "log\n99999999999999999999999\n"
            "TszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBb0=\n",
        "log\n1\nTszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBb0=",
        "log\n1\nTszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBb1=\n",
        "log\n1\nTszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwB=\n",
        "log\n1\nTszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBb0\n",
        "log\n1\nTszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBb0=\n\n",
        "log\n1\nTszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBb0=\next\n\n",
        "log\n1\n",
        "log\n1",
        "lo\tg\n1\nTszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBb0=\n"
    };

    mana_tlog_leaf_hash(root, "hello world", 11);
    ok(mana_note_checkpoint_format(buf, sizeof(buf), "go.sum database tree",
                                   20, 123456789012LL, root)
       == (int) strlen(golden) && memcmp(buf, golden, strlen(golden)) == 0,
       "Go's FormatTree vector: size 123456789012, root of 'hello world'");
    ok(mana_note_checkpoint_parse(&cp, golden, strlen(golden)) == 0
       && cp.size == 123456789012LL && memcmp(cp.root, root, 32) == 0
       && cp.origin_len == 20, "and parsed back");

    ok(mana_note_checkpoint_format(buf, 70, "go.sum database tree", 20,
                                   123456789012LL, root) == -1
       && mana_note_checkpoint_format(buf, sizeof(buf), "", 0, 1, root) == -1
       && mana_note_checkpoint_format(buf, sizeof(buf), "a\nb", 3, 1, root)
          == -1
       && mana_note_checkpoint_format(buf, sizeof(buf), "log", 3,
                                      MANA_TLOG_MAX_SIZE + 1, root) == -1
       && mana_note_checkpoint_format(buf, sizeof(buf), "log", 3, -1, root)
          == -1,
       "not written: too small a buffer, an empty or two-line origin, a size "
       "out of range");

    ok(mana_note_checkpoint_format(buf, sizeof(buf), "log", 3, 0, root) > 0
       && memcmp(buf, "log\n0\n", 6) == 0
       && mana_note_checkpoint_parse(&cp, buf, 51) == 0 && cp.size == 0,
       "the empty tree's size is 0");

    ok(mana_note_checkpoint_parse(&cp, largest, strlen(largest)) == 0
       && cp.size == MANA_TLOG_MAX_SIZE && cp.extensions_len == 6
       && memcmp(cp.extensions, "a\nb c\n", 6) == 0,
       "the largest size, with two extension lines");

    bad = 0;
    for (i = 0; i < (int) (sizeof(bad_bodies) / sizeof(bad_bodies[0])); i++) {
        if (mana_note_checkpoint_parse(&cp, bad_bodies[i],
                                       strlen(bad_bodies[i])) != -1)
        {
            bad++;
            printf("# not refused: %d\n", i);
        }
    }
    ok(bad == 0, "refused: no origin, a size in hex, with a sign, a space, "
       "leading zeroes or too large, a root too long or short or unpadded or "
       "with stray bits, an empty extension line, missing lines, a control");
}


static void
test_c2sp_examples(void)
{
    size_t                  tl;
    mana_note_key_t         peter;
    mana_note_checkpoint_t  cp;

    /* c2sp.org/signed-note: a blank line inside the text is the text's */
    static const char  *note =
        "Ognuno sta solo sul cuor della terra\n"
        "trafitto da un raggio di sole:\n"
        "\n"
        "ed \xc3\xa8 subito sera.\n"
        "\n"
        "\xe2\x80\x94 quasimodo.example/salvatore NnugSzTjtVAewIS+Z/iJhUPeFDkO"
        "/5QQ2i5ddnGITLlC+EhfLW9oJKONrMouFSQU0xMcXxj99ihAQwaqP3ZekRwNtIc=\n";

    /* c2sp.org/tlog-checkpoint */
    static const char  *checkpoint =
        "example.com/behind-the-sofa\n"
        "20852163\n"
        "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n"
        "\n"
        "\xe2\x80\x94 example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5"
        "IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n";

    mana_note_key_parse(&peter, PETER_VKEY, strlen(PETER_VKEY));

    ok(open_str(note, &peter, 1, &tl, NULL) == MANA_NOTE_UNVERIFIED,
       "the signed-note example is well-formed; its key is not ours");
    ok(open_str(checkpoint, &peter, 1, &tl, NULL) == MANA_NOTE_UNVERIFIED,
       "so is the checkpoint example");
    ok(mana_note_checkpoint_parse(&cp, checkpoint,
                                  strstr(checkpoint, "\n\n") + 1 - checkpoint)
       == 0
       && cp.size == 20852163 && cp.origin_len == 27,
       "its text parses: size 20852163");

    mana_note_key_free(&peter);
}


int
main(void)
{
    test_base64();
    test_names();
    test_go_vectors();
    test_round_trip();
    test_checkpoints();
    test_c2sp_examples();

    return done_testing();
}
