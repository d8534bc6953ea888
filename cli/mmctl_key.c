
/*
 * The "key" noun: the Ed25519 keys that sign certificates (one per issuing
 * office), the trust list (root) and the issuance log's checkpoints (log);
 * their private halves sealed under the master key; and the signed trust
 * list built from them (lib/mana_trust.c).  docs/certificates.md, "Keys
 * and the trust list", has the rules.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "mmctl_key.h"
#include "mmctl_text.h"
#include "mmctl_catalogue.h"
#include "mana_base64.h"
#include "mana_ed25519.h"
#include "mana_hex.h"
#include "mana_time.h"
#include "mana_utf8.h"
#include "mana_vkey.h"


static int mmctl_key_init_master(mmctl_ctx_t *ctx, mmctl_args_t *args);
static int mmctl_key_generate(mmctl_ctx_t *ctx, mmctl_args_t *args);
static int mmctl_key_list(mmctl_ctx_t *ctx, mmctl_args_t *args);
static int mmctl_key_show(mmctl_ctx_t *ctx, mmctl_args_t *args);
static int mmctl_key_rotate(mmctl_ctx_t *ctx, mmctl_args_t *args);
static int mmctl_key_retire(mmctl_ctx_t *ctx, mmctl_args_t *args);
static int mmctl_key_revoke(mmctl_ctx_t *ctx, mmctl_args_t *args);


enum {
    MMCTL_KEY_GEN_PURPOSE = 0,
    MMCTL_KEY_GEN_OFFICE,
    MMCTL_KEY_GEN_DEPT,
    MMCTL_KEY_GEN_NAME,
    MMCTL_KEY_GEN_VALID_FROM,
    MMCTL_KEY_GEN_VALID_UNTIL
};

static const mmctl_option_t  mmctl_key_generate_options[] = {
    { "--purpose", NULL, 1 },
    { "--office", NULL, 1 },
    { "--dept", NULL, 1 },
    { "--name", NULL, 1 },
    { "--valid-from", NULL, 1 },
    { "--valid-until", NULL, 1 },
    { NULL, NULL, 0 }
};


enum {
    MMCTL_KEY_LIST_PURPOSE = 0,
    MMCTL_KEY_LIST_STATUS
};

static const mmctl_option_t  mmctl_key_list_options[] = {
    { "--purpose", NULL, 1 },
    { "--status", NULL, 1 },
    { NULL, NULL, 0 }
};


enum {
    MMCTL_KEY_ROT_VALID_FROM = 0,
    MMCTL_KEY_ROT_VALID_UNTIL
};

static const mmctl_option_t  mmctl_key_rotate_options[] = {
    { "--valid-from", NULL, 1 },
    { "--valid-until", NULL, 1 },
    { NULL, NULL, 0 }
};


enum {
    MMCTL_KEY_REV_AT = 0,
    MMCTL_KEY_REV_REASON,
    MMCTL_KEY_REV_YES
};

static const mmctl_option_t  mmctl_key_revoke_options[] = {
    { "--at", NULL, 1 },
    { "--reason", NULL, 1 },
    { "--yes", "-y", 0 },
    { NULL, NULL, 0 }
};


enum {
    MMCTL_KEY_TL_OUTPUT = 0
};

static const mmctl_option_t  mmctl_key_trust_list_options[] = {
    { "--output", "-o", 1 },
    { NULL, NULL, 0 }
};


static const mmctl_option_t  mmctl_key_no_options[] = {
    { NULL, NULL, 0 }
};


#define MMCTL_KEY_TIME_HELP                                                   \
"A time is UTC: 2026-11-27, 2026-11-27T04:30:00Z, \"2026-11-27 04:30:00\"\n" \
"or now.\n"

#define MMCTL_KEY_JSON_HELP                                                   \
"A key in JSON: {\"kid\":..,\"purpose\":..,\"name\":..,\"department\":..,\n" \
"\"status\":..,\"valid_from\":..,\"valid_until\":..,\"revoked_at\":..,\n"   \
"\"revoke_reason\":..,\"public_key\":..,\"verifier_key\":..,\n"              \
"\"created_at\":..} (times in RFC 3339 UTC, null where there is nothing;\n"  \
"verifier_key is the signed-note form of a log key, null for others).\n"

#define MMCTL_KEY_WRITE_OUTPUT                                                \
"Output: KID RESULT VERSION (the key_version after it); with --json\n"      \
"  {\"kid\":..,\"result\":..,\"version\":N,\"key\":{..}}\n"


static const mmctl_verb_t  mmctl_key_verbs[] = {

    { "init-master", "[FILE]",
      "write a new master key file",
      "Writes a new master key (32 random bytes as 64 hexadecimal digits and\n"
      "a newline) to FILE, or to the configured master key file\n"
      "(--master-key-file, MANA_MASTER_KEY_FILE, master_key_file), created\n"
      "with mode 0600.  A file that exists is never overwritten (exit 1):\n"
      "the keys sealed under it would be lost.  Give it to every mmctl\n"
      "that signs, and keep a copy offline.  It needs no database.\n"
      "\n"
      "Output: FILE MODE; with --json {\"file\":..,\"mode\":\"0600\"}\n",
      mmctl_key_no_options, 0, 1, mmctl_key_init_master },

    { "generate", "--purpose P (--office CODE [--dept D] | --name NAME) "
      "[options]",
      "make a new signing key",
      "Makes a new Ed25519 key, seals its private key under the master key\n"
      "(AES-256-GCM, the kid as associated data) and stores it, active, in\n"
      "one transaction that bumps key_version.  kid = the first 8 bytes of\n"
      "SHA-256 of the public key, shown as 16 hexadecimal digits.\n"
      "\n"
      "  --purpose P          issuer (signs an office's certificates), root\n"
      "                       (signs the trust list) or log (signs the\n"
      "                       issuance log's checkpoints)\n"
      "  --office CODE        issuer: the office, which must exist; the\n"
      "                       key's name, the certificates' iss\n"
      "  --dept D             issuer: the office's department, checked\n"
      "                       (default: the office's)\n"
      "  --name NAME          root: a label; log: the log's origin, e.g.\n"
      "                       mana.example.gov.in/log (1 to 191 printable\n"
      "                       ASCII characters, no space, no '+')\n"
      "  --valid-from TIME    from when it may sign (default now)\n"
      "  --valid-until TIME   until when (default a year after\n"
      "                       --valid-from)\n"
      "\n"
      MMCTL_KEY_TIME_HELP
      "An office has at most one active key, and there is at most one\n"
      "active root key and one active log key: a second one is refused\n"
      "(exit 1); \"mmctl key rotate KID\" replaces a key.  The master key\n"
      "must open the keys already stored (exit 78 otherwise).\n"
      "\n"
      "Example:\n"
      "  mmctl key generate --purpose issuer --office AP-REV-TPT\n"
      "\n"
      "Output: FIELD VALUE rows of the new key and the key_version; with\n"
      "--json {\"kid\":..,\"result\":\"generated\",\"version\":N,\n"
      "\"key\":{..}}\n"
      MMCTL_KEY_JSON_HELP,
      mmctl_key_generate_options, 0, 0, mmctl_key_generate },

    { "list", "[--purpose P] [--status S]",
      "list the signing keys",
      "Lists the keys, root first, then issuer, then log, each by name and\n"
      "valid_from.  No private material is ever shown.\n"
      "\n"
      "  --purpose P   only root, issuer or log keys\n"
      "  --status S    only active, retired or revoked keys\n"
      "\n"
      "Output: KID PURPOSE NAME DEPT STATUS VALID_FROM VALID_UNTIL\n"
      "REVOKED_AT; with --json {\"keys\":[{..},...]}\n"
      MMCTL_KEY_JSON_HELP,
      mmctl_key_list_options, 0, 0, mmctl_key_list },

    { "show", "KID",
      "show one key",
      "Shows every field of the key KID (16 hexadecimal digits, either\n"
      "case) but its private key.  An unknown KID is an error (exit 1).\n"
      "\n"
      "Output: FIELD VALUE rows; with --json {\"key\":{..}}\n"
      MMCTL_KEY_JSON_HELP,
      mmctl_key_no_options, 1, 1, mmctl_key_show },

    { "rotate", "KID [--valid-from TIME] [--valid-until TIME]",
      "replace an active key with a new one",
      "Makes a new key of the same purpose, name and department as the\n"
      "active key KID, and retires KID, in one transaction that bumps\n"
      "key_version: the new key signs from then on, and KID still verifies\n"
      "what it signed in its window.\n"
      "\n"
      "  --valid-from TIME    the new key's (default now)\n"
      "  --valid-until TIME   the new key's (default a year after\n"
      "                       --valid-from)\n"
      "\n"
      MMCTL_KEY_TIME_HELP
      "\n"
      "Output: FIELD VALUE rows of the new key, the kid it replaces and the\n"
      "key_version; with --json {\"kid\":..,\"result\":\"rotated\",\n"
      "\"version\":N,\"key\":{..},\"retired\":{..}}\n",
      mmctl_key_rotate_options, 1, 1, mmctl_key_rotate },

    { "retire", "KID",
      "stop a key signing; it still verifies",
      "Retires the active key KID: it signs nothing more, and what it\n"
      "signed in its window still verifies.  Retiring a retired key changes\n"
      "nothing; a revoked key stays revoked (exit 1).\n"
      "\n"
      MMCTL_KEY_WRITE_OUTPUT,
      mmctl_key_no_options, 1, 1, mmctl_key_retire },

    { "revoke", "KID [--at TIME] [--reason TEXT] --yes",
      "revoke a key: what it signed from a time on stops verifying",
      "Revokes the key KID: certificates it signed at or after TIME stop\n"
      "verifying (those signed before still verify, which is why a\n"
      "certificate must also be in the issuance log).  It cannot be undone.\n"
      "A revoked key's TIME may only move earlier.\n"
      "\n"
      "  --at TIME       when the key stopped being trusted (default now;\n"
      "                  not in the future)\n"
      "  --reason TEXT   why, kept with the key, not published (at most 255\n"
      "                  code points)\n"
      "  --yes, -y       do it; without it, mmctl asks on a terminal and\n"
      "                  refuses elsewhere (exit 2)\n"
      "\n"
      MMCTL_KEY_TIME_HELP
      "\n"
      MMCTL_KEY_WRITE_OUTPUT,
      mmctl_key_revoke_options, 1, 1, mmctl_key_revoke },

    { "trust-list", "[-o FILE]",
      "write the signed trust list",
      "Builds the trust list (/.well-known/mana/trust.json) from the keys:\n"
      "every issuer key (active, retired, revoked with revoked_at), every\n"
      "root key, the active log key's origin and signed-note verifier key,\n"
      "the key_version as version and the time as issued_at; signs its\n"
      "exact bytes with the active root key, and with every retired root\n"
      "key still in its window (so that verifiers that pinned an old root\n"
      "can follow a rotation).  docs/certificates.md says how to check it.\n"
      "The document is also stored in the table trust_list, whose newest\n"
      "row the module serves (mana_trust_list).  It needs the master key.\n"
      "\n"
      "  --output FILE, -o FILE   write it to FILE (replaced whole, mode\n"
      "                           0644) instead of stdout\n"
      "\n"
      "Output: the signed document\n"
      "  {\"payload\":\"<the list as a JSON string>\",\"signatures\":\n"
      "   [{\"kid\":..,\"alg\":\"Ed25519\",\"sig\":..}]}\n"
      "on stdout, or with -o a note on stderr; with --json and -o\n"
      "  {\"file\":..,\"version\":N,\"issued_at\":..,\"keys\":N,\"roots\":N,\n"
      "   \"log\":..,\"signed_by\":[..]}\n",
      mmctl_key_trust_list_options, 0, 0, mmctl_key_trust_list },

    { NULL, NULL, NULL, NULL, NULL, 0, 0, NULL }
};


const mmctl_noun_t  mmctl_noun_key = {
    "key",
    "the keys that sign certificates, and the trust list",
    "Manages the Ed25519 signing keys (the table signing_key): one issuer\n"
    "key per office, a root key that signs the trust list, a log key that\n"
    "signs the issuance log.  Private keys are sealed with AES-256-GCM under\n"
    "the master key, a file given with --master-key-file,\n"
    "MANA_MASTER_KEY_FILE or master_key_file (mmctl's alone: nginx signs\n"
    "nothing); only generate, rotate and trust-list read it.  Every\n"
    "change bumps key_version in its transaction, so that the module's\n"
    "workers reload their keys.\n",
    mmctl_key_verbs
};


/* helpers */


int64_t
mmctl_key_now(void)
{
    return (int64_t) time(NULL);
}


/*
 * A time given on the command line, in UTC: a date, RFC 3339 with Z, the
 * same with a space for the T (as a DATETIME prints), or "now".
 */

static int
mmctl_key_parse_time(mmctl_ctx_t *ctx, const char *opt, const char *s,
    int64_t *t)
{
    char    text[MANA_TIME_LEN];
    size_t  n;

    n = strlen(s);

    if (strcmp(s, "now") == 0) {
        *t = mmctl_key_now();
        return MMCTL_OK;
    }

    if (n == 10) {
        memcpy(text, s, 10);
        memcpy(text + 10, "T00:00:00Z", 10);

    } else if (n == 19 && (s[10] == ' ' || s[10] == 'T')) {
        memcpy(text, s, 19);
        text[10] = 'T';
        text[19] = 'Z';

    } else if (n == MANA_TIME_LEN) {
        memcpy(text, s, MANA_TIME_LEN);

    } else {
        n = 0;
    }

    if (n == 0 || mana_time_parse(text, MANA_TIME_LEN, t) != 0) {
        return mmctl_usage_error(ctx, "%s \"%s\": expected a UTC time from "
                                 "1970 to 9999: 2026-11-27, "
                                 "2026-11-27T04:30:00Z, \"2026-11-27 "
                                 "04:30:00\" or now", opt, s);
    }

    return MMCTL_OK;
}


/* the same day and time a year later; 29 February becomes 1 March */

static int64_t
mmctl_key_year_later(int64_t t)
{
    char      text[MANA_TIME_LEN + 1];
    int64_t   year, later;
    unsigned  month, day;

    if (mana_time_format(text, t) != 0) {
        return MANA_TIME_MAX;
    }

    year = strtol(text, NULL, 10);
    month = (unsigned) strtoul(text + 5, NULL, 10);
    day = (unsigned) strtoul(text + 8, NULL, 10);

    later = mana_time_days(year + 1, month, day) * 86400 + t % 86400;

    return later > MANA_TIME_MAX ? MANA_TIME_MAX : later;
}


/* --valid-from and --valid-until, checked against each other and now */

static int
mmctl_key_window(mmctl_ctx_t *ctx, const char *from, const char *until,
    mmctl_key_t *k)
{
    int      rc;
    int64_t  now;

    now = mmctl_key_now();
    k->valid_from = now;

    if (from) {
        rc = mmctl_key_parse_time(ctx, "--valid-from", from, &k->valid_from);
        if (rc != MMCTL_OK) {
            return rc;
        }
    }

    k->valid_until = mmctl_key_year_later(k->valid_from);

    if (until) {
        rc = mmctl_key_parse_time(ctx, "--valid-until", until,
                                  &k->valid_until);
        if (rc != MMCTL_OK) {
            return rc;
        }
    }

    if (k->valid_until <= k->valid_from) {
        return mmctl_usage_error(ctx, "--valid-until must be after "
                                 "--valid-from");
    }

    if (k->valid_until <= now) {
        return mmctl_usage_error(ctx, "--valid-until is in the past: the "
                                 "key could never sign");
    }

    return MMCTL_OK;
}


/* a KID operand: 16 hex digits of either case, or "no key" (exit 1) */

static int
mmctl_key_kid_arg(mmctl_ctx_t *ctx, const char *s,
    unsigned char kid[MANA_MM1_KID_LEN])
{
    if (strlen(s) != 2 * MANA_MM1_KID_LEN
        || mana_hex_decode(kid, s, MANA_MM1_KID_LEN) != 0)
    {
        return mmctl_error(ctx, MMCTL_FAILED, "failed", "no key %s: a kid is "
                           "16 hexadecimal digits (see \"mmctl key list\")",
                           s);
    }

    return MMCTL_OK;
}


static json_t *
mmctl_key_json(const mmctl_key_t *k)
{
    char         from[MANA_TIME_LEN + 1], until[MANA_TIME_LEN + 1];
    char         revoked[MANA_TIME_LEN + 1], created[MANA_TIME_LEN + 1];
    char         pub[64];
    json_t      *obj;
    mana_buf_t   vkey;

    mana_time_format(from, k->valid_from);
    mana_time_format(until, k->valid_until);
    mana_time_format(created, k->created_at);

    if (k->revoked_at >= 0) {
        mana_time_format(revoked, k->revoked_at);
    }

    mana_base64_encode(MANA_BASE64_URL, pub, k->pub, 32);
    pub[mana_base64_encoded_len(MANA_BASE64_URL, 32)] = '\0';

    mana_buf_init(&vkey);

    if (k->purpose == MMCTL_KEY_LOG) {
        (void) mana_vkey_format(&vkey, k->name, strlen(k->name), k->pub);
    }

    obj = json_pack("{s:s, s:s, s:s, s:s?, s:s, s:s, s:s, s:s?, s:s?, s:s,"
                    " s:s?, s:s}",
                    "kid", k->kid_hex,
                    "purpose", mmctl_key_purpose_name(k->purpose),
                    "name", k->name,
                    "department", k->department[0] ? k->department : NULL,
                    "status", mana_trust_status_name(k->status),
                    "valid_from", from,
                    "valid_until", until,
                    "revoked_at", k->revoked_at >= 0 ? revoked : NULL,
                    "revoke_reason", k->has_reason ? k->reason : NULL,
                    "public_key", pub,
                    "verifier_key", vkey.len ? vkey.data : NULL,
                    "created_at", created);

    mana_buf_free(&vkey);

    return obj;
}


/*
 * The FIELD VALUE table of a key, with extra rows (pairs of strings, up
 * to a NULL) after its fields; or with --json, the document
 * {"kid":..,"result":..,"version":N,"key":{..}} and more members.
 */

static int
mmctl_key_print_one(mmctl_ctx_t *ctx, const mmctl_key_t *k,
    const char *result, long long version, json_t *more, const char **extra)
{
    int      rc;
    char     v[32];
    json_t  *obj, *doc;

    obj = mmctl_key_json(k);
    if (obj == NULL) {
        json_decref(more);
        return mmctl_error(ctx, MMCTL_FAILED, "failed", "out of memory");
    }

    if (ctx->json) {
        doc = json_pack("{s:s, s:s, s:I, s:o}", "kid", k->kid_hex,
                        "result", result, "version", (json_int_t) version,
                        "key", obj);

        if (doc && more && json_object_update(doc, more) != 0) {
            json_decref(doc);
            doc = NULL;
        }

        json_decref(more);

        return mmctl_text_print_json(ctx, doc);
    }

    json_decref(more);

    for ( /* void */ ; extra && *extra; extra += 2) {
        json_object_set_new(obj, extra[0], json_string(extra[1]));
    }

    snprintf(v, sizeof(v), "%lld", version);
    json_object_set_new(obj, "version", json_string(v));

    rc = mmctl_text_print_fields(obj) == 0 ? MMCTL_OK
         : mmctl_error(ctx, MMCTL_FAILED, "failed", "out of memory");

    json_decref(obj);

    return rc;
}


/* KID RESULT VERSION, or {"kid":..,"result":..,"version":N,"key":{..}} */

static int
mmctl_key_print_result(mmctl_ctx_t *ctx, const mmctl_key_t *k,
    const char *result, long long version)
{
    char         v[32];
    const char  *row[3];

    static const char  *header[] = { "KID", "RESULT", "VERSION" };

    if (ctx->json) {
        return mmctl_key_print_one(ctx, k, result, version, NULL, NULL);
    }

    snprintf(v, sizeof(v), "%lld", version);

    row[0] = k->kid_hex;
    row[1] = result;
    row[2] = v;

    return mmctl_table_print_row(ctx, 3, header, row);
}


/* init-master */


static int
mmctl_key_init_master(mmctl_ctx_t *ctx, mmctl_args_t *args)
{
    int             rc;
    char            source[512];
    const char     *path, *row[2];
    mmctl_table_t   t;

    path = args->argc ? args->argv[0] : NULL;

    if (path == NULL) {
        rc = mmctl_conf_setting(ctx, "master_key_file", &path, source,
                                sizeof(source));
        if (rc != MMCTL_OK) {
            return rc;
        }

        if (path == NULL) {
            return mmctl_usage_error(ctx, "no FILE given, and no master key "
                                     "file configured");
        }
    }

    rc = mmctl_master_key_create(ctx, path);
    if (rc != MMCTL_OK) {
        return rc;
    }

    mmctl_note("wrote a new master key to %s: give it to the mmctl that "
               "signs, and keep a copy offline", path);

    if (ctx->json) {
        return mmctl_text_print_json(ctx, json_pack("{s:s, s:s}", "file",
                                                    path, "mode", "0600"));
    }

    row[0] = "FILE";
    row[1] = "MODE";

    if (mmctl_table_init(&t, 2, row) != 0) {
        return mmctl_error(ctx, MMCTL_FAILED, "failed", "out of memory");
    }

    row[0] = path;
    row[1] = "0600";
    rc = mmctl_table_add(&t, row);

    if (rc == 0) {
        mmctl_table_print(&t, stdout);
    }

    mmctl_table_free(&t);

    return rc == 0 ? MMCTL_OK
                   : mmctl_error(ctx, MMCTL_FAILED, "failed", "out of memory");
}


/* generate and rotate */


/*
 * A new key pair for k (purpose, name, department and window set), its
 * private key sealed under the master key.
 */

static int
mmctl_key_make(mmctl_ctx_t *ctx, const unsigned char *master, mmctl_key_t *k)
{
    int            rc;
    unsigned char  seed[32];

    if (mana_ed25519_keygen(seed, k->pub) != 0
        || mana_mm1_kid(k->kid, k->pub) != 0)
    {
        return mmctl_error(ctx, MMCTL_FAILED, "failed", "cannot make a key: "
                           "the random generator or Ed25519 failed");
    }

    mana_hex_encode(k->kid_hex, k->kid, MANA_MM1_KID_LEN);
    k->kid_hex[2 * MANA_MM1_KID_LEN] = '\0';
    k->status = MANA_MM1_STATUS_ACTIVE;
    k->revoked_at = -1;

    rc = mmctl_master_key_seal(ctx, master, k, seed);
    OPENSSL_cleanse(seed, sizeof(seed));

    return rc;
}


/* k as it was stored, created_at and all: what is shown is what is there */

static int
mmctl_key_stored(mmctl_ctx_t *ctx, mmctl_key_t *k)
{
    int            rc;
    mmctl_key_t   *row;
    mmctl_keys_t   keys;

    rc = mmctl_key_read_kid(ctx, k->kid, 0, &keys, &row);
    if (rc != MMCTL_OK) {
        return rc;
    }

    if (row == NULL) {
        rc = mmctl_error(ctx, MMCTL_FAILED, "failed", "key %s: its row is "
                         "not there after the commit", k->kid_hex);

    } else {
        memcpy(k, row, sizeof(mmctl_key_t));
    }

    mmctl_keys_free(&keys);

    return rc;
}


/* the active key in k's slot, if any: an error that names it */

static int
mmctl_key_slot_free(mmctl_ctx_t *ctx, const mmctl_key_t *k)
{
    int           rc;
    mana_buf_t    where;
    mmctl_keys_t  keys;

    mana_buf_init(&where);
    mana_buf_addf(&where, "status = 'active' AND purpose = '%s'",
                  mmctl_key_purpose_name(k->purpose));

    if (k->purpose == MMCTL_KEY_ISSUER) {
        mana_buf_adds(&where, " AND name = ");
        mana_buf_add_sql_text(&where, k->name, strlen(k->name));
    }

    if (mana_buf_failed(&where)) {
        return mmctl_error(ctx, MMCTL_FAILED, "failed", "out of memory");
    }

    rc = mmctl_key_read(ctx, where.data, 1, &keys);
    mana_buf_free(&where);

    if (rc != MMCTL_OK) {
        return rc;
    }

    if (keys.n > 0) {
        rc = mmctl_error(ctx, MMCTL_FAILED, "failed",
                         "%s %s already has the active key %s: use "
                         "\"mmctl key rotate %s\" to replace it",
                         k->purpose == MMCTL_KEY_ISSUER ? "office" : "the",
                         k->purpose == MMCTL_KEY_ISSUER
                         ? k->name : mmctl_key_purpose_name(k->purpose),
                         keys.v[0].kid_hex, keys.v[0].kid_hex);
    }

    mmctl_keys_free(&keys);

    return rc;
}


/* what generate and rotate do before their transaction */

static int
mmctl_key_prepare(mmctl_ctx_t *ctx, unsigned char *master)
{
    int           rc;
    const char   *path;
    mmctl_keys_t  keys;

    rc = mmctl_master_key_load(ctx, master, &path);
    if (rc != MMCTL_OK) {
        return rc;
    }

    rc = mmctl_catalogue_connect(ctx);
    if (rc != MMCTL_OK) {
        return rc;
    }

    rc = mmctl_key_read(ctx, NULL, 0, &keys);
    if (rc != MMCTL_OK) {
        return rc;
    }

    rc = mmctl_master_key_check(ctx, master, path, &keys);
    mmctl_keys_free(&keys);

    return rc;
}


static int
mmctl_key_generate(mmctl_ctx_t *ctx, mmctl_args_t *args)
{
    int            rc, purpose, found;
    char           dept[MANA_TRUST_DEPT_MAX + 1];
    const char    *name, *office;
    long long      version;
    mmctl_key_t    k;
    unsigned char  master[MANA_SEAL_KEY_LEN];

    memset(&k, 0, sizeof(mmctl_key_t));

    if (args->opt[MMCTL_KEY_GEN_PURPOSE] == NULL) {
        return mmctl_usage_error(ctx, "--purpose issuer|root|log is "
                                 "required");
    }

    purpose = mmctl_key_purpose_parse(args->opt[MMCTL_KEY_GEN_PURPOSE]);
    if (purpose < 0) {
        return mmctl_usage_error(ctx, "--purpose \"%s\": expected issuer, "
                                 "root or log",
                                 args->opt[MMCTL_KEY_GEN_PURPOSE]);
    }

    k.purpose = (mmctl_key_purpose_e) purpose;
    office = args->opt[MMCTL_KEY_GEN_OFFICE];
    name = args->opt[MMCTL_KEY_GEN_NAME];

    if (k.purpose == MMCTL_KEY_ISSUER) {
        if (office == NULL) {
            return mmctl_usage_error(ctx, "an issuer key needs --office "
                                     "CODE");
        }

        if (name) {
            return mmctl_usage_error(ctx, "an issuer key is named by its "
                                     "--office, not --name");
        }

        name = office;

    } else {
        if (office || args->opt[MMCTL_KEY_GEN_DEPT]) {
            return mmctl_usage_error(ctx, "--office and --dept are for "
                                     "issuer keys");
        }

        if (name == NULL) {
            return mmctl_usage_error(ctx, "a %s key needs --name %s",
                                     mmctl_key_purpose_name(k.purpose),
                                     k.purpose == MMCTL_KEY_LOG
                                     ? "ORIGIN" : "LABEL");
        }

        /* a log's origin names its key in signed notes: their rule */
        if (!mana_vkey_name_ok(name, strlen(name))) {
            return mmctl_usage_error(ctx, "--name \"%s\": use 1 to 191 "
                                     "printable ASCII characters, no space "
                                     "and no '+'", name);
        }
    }

    if (strlen(name) > MANA_TRUST_NAME_MAX) {
        return mmctl_error(ctx, MMCTL_FAILED, "failed", "no office %s",
                           name);
    }

    strcpy(k.name, name);

    rc = mmctl_key_window(ctx, args->opt[MMCTL_KEY_GEN_VALID_FROM],
                          args->opt[MMCTL_KEY_GEN_VALID_UNTIL], &k);
    if (rc != MMCTL_OK) {
        return rc;
    }

    rc = mmctl_key_prepare(ctx, master);
    if (rc != MMCTL_OK) {
        goto done;
    }

    rc = mmctl_key_make(ctx, master, &k);
    if (rc != MMCTL_OK) {
        goto done;
    }

    rc = mmctl_key_begin(ctx, &version);
    if (rc != MMCTL_OK) {
        goto done;
    }

    if (k.purpose == MMCTL_KEY_ISSUER) {
        rc = mmctl_key_office(ctx, office, dept, sizeof(dept), &found);
        if (rc != MMCTL_OK) {
            goto done;
        }

        if (!found) {
            rc = mmctl_error(ctx, MMCTL_FAILED, "failed", "office %s does "
                             "not exist (see \"mmctl office list\")", office);
            goto done;
        }

        if (args->opt[MMCTL_KEY_GEN_DEPT]
            && strcmp(args->opt[MMCTL_KEY_GEN_DEPT], dept) != 0)
        {
            rc = mmctl_error(ctx, MMCTL_FAILED, "failed", "office %s belongs "
                             "to department %s, not %s", office, dept,
                             args->opt[MMCTL_KEY_GEN_DEPT]);
            goto done;
        }

        strcpy(k.department, dept);
    }

    rc = mmctl_key_slot_free(ctx, &k);

    if (rc == MMCTL_OK) {
        rc = mmctl_key_insert(ctx, &k);
    }

    if (rc == MMCTL_OK) {
        rc = mmctl_key_bump(ctx, &version);
    }

    if (rc == MMCTL_OK) {
        rc = mmctl_key_commit(ctx);
    }

    if (rc == MMCTL_OK) {
        rc = mmctl_key_stored(ctx, &k);
    }

    if (rc == MMCTL_OK) {
        rc = mmctl_key_print_one(ctx, &k, "generated", version, NULL, NULL);
    }

done:

    if (rc != MMCTL_OK) {
        mmctl_key_rollback(ctx);
    }

    OPENSSL_cleanse(master, sizeof(master));
    OPENSSL_cleanse(&k, sizeof(k));

    return rc;
}


static int
mmctl_key_rotate(mmctl_ctx_t *ctx, mmctl_args_t *args)
{
    int             rc;
    json_t         *more;
    long long       version;
    mmctl_key_t     k, *old;
    mmctl_keys_t    keys;
    const char     *extra[3];
    unsigned char   kid[MANA_MM1_KID_LEN], master[MANA_SEAL_KEY_LEN];

    memset(&k, 0, sizeof(mmctl_key_t));
    keys.v = NULL;
    keys.n = 0;

    rc = mmctl_key_window(ctx, args->opt[MMCTL_KEY_ROT_VALID_FROM],
                          args->opt[MMCTL_KEY_ROT_VALID_UNTIL], &k);
    if (rc != MMCTL_OK) {
        return rc;
    }

    rc = mmctl_key_kid_arg(ctx, args->argv[0], kid);
    if (rc != MMCTL_OK) {
        return rc;
    }

    rc = mmctl_key_prepare(ctx, master);
    if (rc != MMCTL_OK) {
        goto done;
    }

    rc = mmctl_key_begin(ctx, &version);
    if (rc != MMCTL_OK) {
        goto done;
    }

    rc = mmctl_key_read_kid(ctx, kid, 1, &keys, &old);
    if (rc != MMCTL_OK) {
        goto done;
    }

    if (old == NULL) {
        rc = mmctl_error(ctx, MMCTL_FAILED, "failed", "no key %s",
                         args->argv[0]);
        goto done;
    }

    if (old->status != MANA_MM1_STATUS_ACTIVE) {
        rc = mmctl_error(ctx, MMCTL_FAILED, "failed", "key %s is %s: only an "
                         "active key is rotated (\"mmctl key generate\" "
                         "makes a new one)", old->kid_hex,
                         mana_trust_status_name(old->status));
        goto done;
    }

    k.purpose = old->purpose;
    strcpy(k.name, old->name);
    strcpy(k.department, old->department);

    rc = mmctl_key_make(ctx, master, &k);
    if (rc != MMCTL_OK) {
        goto done;
    }

    /* the old key leaves the slot before the new one takes it */
    old->status = MANA_MM1_STATUS_RETIRED;

    rc = mmctl_key_update_status(ctx, old);

    if (rc == MMCTL_OK) {
        rc = mmctl_key_insert(ctx, &k);
    }

    if (rc == MMCTL_OK) {
        rc = mmctl_key_bump(ctx, &version);
    }

    if (rc == MMCTL_OK) {
        rc = mmctl_key_commit(ctx);
    }

    if (rc != MMCTL_OK) {
        goto done;
    }

    rc = mmctl_key_stored(ctx, &k);
    if (rc != MMCTL_OK) {
        goto done;
    }

    more = json_pack("{s:o}", "retired", mmctl_key_json(old));
    extra[0] = "replaces";
    extra[1] = old->kid_hex;
    extra[2] = NULL;

    rc = mmctl_key_print_one(ctx, &k, "rotated", version, more, extra);

done:

    if (rc != MMCTL_OK) {
        mmctl_key_rollback(ctx);
    }

    mmctl_keys_free(&keys);
    OPENSSL_cleanse(master, sizeof(master));
    OPENSSL_cleanse(&k, sizeof(k));

    return rc;
}


/* list and show */


static int
mmctl_key_list(mmctl_ctx_t *ctx, mmctl_args_t *args)
{
    int             rc, p, st;
    char            from[MANA_TIME_LEN + 1], until[MANA_TIME_LEN + 1];
    char            revoked[MANA_TIME_LEN + 1], where[128];
    size_t          i, len;
    json_t         *arr, *obj;
    const char     *row[8];
    mmctl_keys_t    keys;
    mmctl_key_t    *k;
    mmctl_table_t   t;

    p = -1;
    st = -1;
    where[0] = '\0';
    len = 0;

    if (args->opt[MMCTL_KEY_LIST_PURPOSE]) {
        p = mmctl_key_purpose_parse(args->opt[MMCTL_KEY_LIST_PURPOSE]);
        if (p < 0) {
            return mmctl_usage_error(ctx, "--purpose \"%s\": expected issuer,"
                                     " root or log",
                                     args->opt[MMCTL_KEY_LIST_PURPOSE]);
        }

        len = (size_t) snprintf(where, sizeof(where), "purpose = '%s'",
                                mmctl_key_purpose_name(p));
    }

    if (args->opt[MMCTL_KEY_LIST_STATUS]) {
        st = mana_trust_status_parse(args->opt[MMCTL_KEY_LIST_STATUS],
                                     strlen(args->opt[MMCTL_KEY_LIST_STATUS]));
        if (st < 0) {
            return mmctl_usage_error(ctx, "--status \"%s\": expected active, "
                                     "retired or revoked",
                                     args->opt[MMCTL_KEY_LIST_STATUS]);
        }

        snprintf(where + len, sizeof(where) - len, "%sstatus = '%s'",
                 len ? " AND " : "",
                 mana_trust_status_name((mana_mm1_key_status_e) st));
    }

    rc = mmctl_catalogue_connect(ctx);
    if (rc != MMCTL_OK) {
        return rc;
    }

    rc = mmctl_key_read(ctx, where[0] ? where : NULL, 0, &keys);
    if (rc != MMCTL_OK) {
        return rc;
    }

    arr = json_array();
    row[0] = "KID";
    row[1] = "PURPOSE";
    row[2] = "NAME";
    row[3] = "DEPT";
    row[4] = "STATUS";
    row[5] = "VALID_FROM";
    row[6] = "VALID_UNTIL";
    row[7] = "REVOKED_AT";

    if (arr == NULL || mmctl_table_init(&t, 8, row) != 0) {
        json_decref(arr);
        mmctl_keys_free(&keys);
        return mmctl_error(ctx, MMCTL_FAILED, "failed", "out of memory");
    }

    for (i = 0; i < keys.n; i++) {
        k = &keys.v[i];

        mana_time_format(from, k->valid_from);
        mana_time_format(until, k->valid_until);

        if (k->revoked_at >= 0) {
            mana_time_format(revoked, k->revoked_at);
        }

        row[0] = k->kid_hex;
        row[1] = mmctl_key_purpose_name(k->purpose);
        row[2] = k->name;
        row[3] = k->department[0] ? k->department : NULL;
        row[4] = mana_trust_status_name(k->status);
        row[5] = from;
        row[6] = until;
        row[7] = k->revoked_at >= 0 ? revoked : NULL;

        obj = mmctl_key_json(k);

        if (obj == NULL || json_array_append_new(arr, obj) != 0
            || mmctl_table_add(&t, row) != 0)
        {
            rc = mmctl_error(ctx, MMCTL_FAILED, "failed", "out of memory");
            goto done;
        }
    }

    if (ctx->json) {
        rc = mmctl_text_print_json(ctx, json_pack("{s:O}", "keys", arr));

    } else {
        mmctl_table_print(&t, stdout);
    }

done:

    mmctl_table_free(&t);
    json_decref(arr);
    mmctl_keys_free(&keys);

    return rc;
}


static int
mmctl_key_show(mmctl_ctx_t *ctx, mmctl_args_t *args)
{
    int             rc;
    json_t         *obj;
    mmctl_key_t    *k;
    mmctl_keys_t    keys;
    unsigned char   kid[MANA_MM1_KID_LEN];

    rc = mmctl_key_kid_arg(ctx, args->argv[0], kid);
    if (rc != MMCTL_OK) {
        return rc;
    }

    rc = mmctl_catalogue_connect(ctx);
    if (rc != MMCTL_OK) {
        return rc;
    }

    rc = mmctl_key_read_kid(ctx, kid, 0, &keys, &k);
    if (rc != MMCTL_OK) {
        return rc;
    }

    if (k == NULL) {
        mmctl_keys_free(&keys);
        return mmctl_error(ctx, MMCTL_FAILED, "failed", "no key %s",
                           args->argv[0]);
    }

    obj = mmctl_key_json(k);
    mmctl_keys_free(&keys);

    if (obj == NULL) {
        return mmctl_error(ctx, MMCTL_FAILED, "failed", "out of memory");
    }

    if (ctx->json) {
        return mmctl_text_print_json(ctx, json_pack("{s:o}", "key", obj));
    }

    rc = mmctl_text_print_fields(obj) == 0 ? MMCTL_OK
         : mmctl_error(ctx, MMCTL_FAILED, "failed", "out of memory");

    json_decref(obj);

    return rc;
}


/* retire and revoke */


/*
 * Revocation cannot be undone: without --yes, ask on a terminal, and
 * refuse where there is nobody to ask (scripts say --yes).
 */

static int
mmctl_key_confirm(mmctl_ctx_t *ctx, const mmctl_key_t *k, int64_t at)
{
    char     answer[16], when[MANA_TIME_LEN + 1];
    size_t   n;

    if (ctx->json || !isatty(STDIN_FILENO) || !isatty(STDERR_FILENO)) {
        return mmctl_usage_error(ctx, "revoking key %s cannot be undone: "
                                 "add --yes to do it", k->kid_hex);
    }

    mana_time_format(when, at);

    fprintf(stderr, "Revoke the %s key %s (%s)?  What it signed from %s on "
            "will no longer verify.\nThis cannot be undone.  Type yes to "
            "revoke it: ", mmctl_key_purpose_name(k->purpose), k->kid_hex,
            k->name, when);
    fflush(stderr);

    if (fgets(answer, sizeof(answer), stdin) == NULL) {
        answer[0] = '\0';
    }

    n = strcspn(answer, "\r\n");
    answer[n] = '\0';

    if (strcmp(answer, "yes") != 0) {
        return mmctl_error(ctx, MMCTL_FAILED, "failed", "key %s: not "
                           "revoked", k->kid_hex);
    }

    return MMCTL_OK;
}


/*
 * Reads the key KID under a lock in a new transaction; *k NULL and an
 * error when there is none.
 */

static int
mmctl_key_begin_kid(mmctl_ctx_t *ctx, const char *arg, mmctl_keys_t *keys,
    mmctl_key_t **k, long long *version)
{
    int            rc;
    unsigned char  kid[MANA_MM1_KID_LEN];

    *k = NULL;

    rc = mmctl_key_kid_arg(ctx, arg, kid);
    if (rc != MMCTL_OK) {
        return rc;
    }

    rc = mmctl_catalogue_connect(ctx);
    if (rc != MMCTL_OK) {
        return rc;
    }

    rc = mmctl_key_begin(ctx, version);
    if (rc != MMCTL_OK) {
        return rc;
    }

    rc = mmctl_key_read_kid(ctx, kid, 1, keys, k);
    if (rc != MMCTL_OK) {
        return rc;
    }

    if (*k == NULL) {
        return mmctl_error(ctx, MMCTL_FAILED, "failed", "no key %s", arg);
    }

    return MMCTL_OK;
}


/* stores k's new status and bumps the version, then commits */

static int
mmctl_key_change(mmctl_ctx_t *ctx, const mmctl_key_t *k, long long *version)
{
    int  rc;

    rc = mmctl_key_update_status(ctx, k);

    if (rc == MMCTL_OK) {
        rc = mmctl_key_bump(ctx, version);
    }

    if (rc == MMCTL_OK) {
        rc = mmctl_key_commit(ctx);
    }

    return rc;
}


static void
mmctl_key_warn_unsigned(const mmctl_key_t *k)
{
    if (k->purpose == MMCTL_KEY_ISSUER) {
        mmctl_warn("office %s has no active key now: \"mmctl key generate "
                   "--purpose issuer --office %s\" makes one", k->name,
                   k->name);

    } else {
        mmctl_warn("there is no active %s key now: \"mmctl key generate "
                   "--purpose %s --name ...\" makes one",
                   mmctl_key_purpose_name(k->purpose),
                   mmctl_key_purpose_name(k->purpose));
    }
}


static int
mmctl_key_retire(mmctl_ctx_t *ctx, mmctl_args_t *args)
{
    int            rc;
    const char    *result;
    long long      version;
    mmctl_key_t   *k;
    mmctl_keys_t   keys;

    keys.v = NULL;
    keys.n = 0;

    rc = mmctl_key_begin_kid(ctx, args->argv[0], &keys, &k, &version);
    if (rc != MMCTL_OK) {
        goto done;
    }

    if (k->status == MANA_MM1_STATUS_REVOKED) {
        rc = mmctl_error(ctx, MMCTL_FAILED, "failed", "key %s is revoked, "
                         "which a retirement would undo", k->kid_hex);
        goto done;
    }

    result = "unchanged";

    if (k->status == MANA_MM1_STATUS_ACTIVE) {
        k->status = MANA_MM1_STATUS_RETIRED;
        rc = mmctl_key_change(ctx, k, &version);
        if (rc != MMCTL_OK) {
            goto done;
        }

        result = "retired";
        mmctl_key_warn_unsigned(k);
    }

    rc = mmctl_key_print_result(ctx, k, result, version);

done:

    mmctl_key_rollback(ctx);
    mmctl_keys_free(&keys);

    return rc;
}


static int
mmctl_key_revoke(mmctl_ctx_t *ctx, mmctl_args_t *args)
{
    int                    rc, was_active;
    char                   when[MANA_TIME_LEN + 1];
    int64_t                at, now;
    const char            *reason, *result;
    long long              version;
    mmctl_key_t           *k;
    mmctl_keys_t           keys;
    unsigned char          kid[MANA_MM1_KID_LEN];

    keys.v = NULL;
    keys.n = 0;
    now = mmctl_key_now();
    at = now;

    if (args->opt[MMCTL_KEY_REV_AT]) {
        rc = mmctl_key_parse_time(ctx, "--at", args->opt[MMCTL_KEY_REV_AT],
                                  &at);
        if (rc != MMCTL_OK) {
            return rc;
        }

        if (at > now) {
            return mmctl_usage_error(ctx, "--at is in the future: a "
                                     "revocation takes effect now or "
                                     "earlier");
        }
    }

    reason = args->opt[MMCTL_KEY_REV_REASON];

    if (reason) {
        rc = mmctl_text_check_arg(ctx, "--reason", reason);
        if (rc != MMCTL_OK) {
            return rc;
        }

        if (*reason == '\0' || mana_utf8_len(reason, strlen(reason)) > 255) {
            return mmctl_usage_error(ctx, "--reason: 1 to 255 code points");
        }
    }

    /* no question about a key that does not exist */
    if (args->opt[MMCTL_KEY_REV_YES] == NULL) {
        rc = mmctl_key_kid_arg(ctx, args->argv[0], kid);

        if (rc == MMCTL_OK) {
            rc = mmctl_catalogue_connect(ctx);
        }

        if (rc == MMCTL_OK) {
            rc = mmctl_key_read_kid(ctx, kid, 0, &keys, &k);
        }

        if (rc == MMCTL_OK && k == NULL) {
            rc = mmctl_error(ctx, MMCTL_FAILED, "failed", "no key %s",
                             args->argv[0]);
        }

        if (rc == MMCTL_OK) {
            rc = mmctl_key_confirm(ctx, k, at);
        }

        mmctl_keys_free(&keys);

        if (rc != MMCTL_OK) {
            return rc;
        }
    }

    rc = mmctl_key_begin_kid(ctx, args->argv[0], &keys, &k, &version);
    if (rc != MMCTL_OK) {
        goto done;
    }

    result = "revoked";
    was_active = (k->status == MANA_MM1_STATUS_ACTIVE);

    if (k->status == MANA_MM1_STATUS_REVOKED) {
        if (args->opt[MMCTL_KEY_REV_AT] == NULL || at == k->revoked_at) {
            result = "unchanged";

        } else if (at > k->revoked_at) {
            mana_time_format(when, k->revoked_at);
            rc = mmctl_error(ctx, MMCTL_FAILED, "failed", "key %s is revoked "
                             "from %s, before --at: a revocation only moves "
                             "earlier", k->kid_hex, when);
            goto done;
        }
    }

    if (strcmp(result, "revoked") == 0) {
        k->status = MANA_MM1_STATUS_REVOKED;
        k->revoked_at = at;

        if (reason) {
            strcpy(k->reason, reason);
            k->has_reason = 1;
        }

        rc = mmctl_key_change(ctx, k, &version);
        if (rc != MMCTL_OK) {
            goto done;
        }

        if (was_active) {
            mmctl_key_warn_unsigned(k);
        }
    }

    rc = mmctl_key_print_result(ctx, k, result, version);

done:

    mmctl_key_rollback(ctx);
    mmctl_keys_free(&keys);

    return rc;
}
