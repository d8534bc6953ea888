
/*
 * The "log" noun: the public issuance log's signed checkpoints
 * (docs/certificates-log.md).  "checkpoint" signs the tree head with the
 * active log key as a C2SP signed note, never one that does not extend
 * the previous checkpoint; "verify" (mmctl_log_verify.c) checks what is
 * stored against what was signed.
 */

#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <openssl/crypto.h>

#include "mmctl_log.h"
#include "mmctl_key.h"
#include "mmctl_tlog.h"
#include "mmctl_text.h"
#include "mmctl_catalogue.h"
#include "mana_base64.h"
#include "mana_note.h"


static int mmctl_log_checkpoint(mmctl_ctx_t *ctx, mmctl_args_t *args);


static const mmctl_option_t  mmctl_log_no_options[] = {
    { NULL, NULL, 0 }
};

static const mmctl_option_t  mmctl_log_verify_options[] = {
    { "--cert", NULL, 1 },
    { "--log-key", NULL, 1 },
    { NULL, NULL, 0 }
};


static const mmctl_verb_t  mmctl_log_verbs[] = {

    { "checkpoint", "",
      "sign the log's current tree head",
      "Signs the issuance log's current size and root hash with the active\n"
      "log key (opened with the master key) as a C2SP signed note, and\n"
      "stores it in tlog_checkpoint.  Nothing is stored when the size has\n"
      "not changed since the latest checkpoint.  It holds the log's lock\n"
      "while it reads the tree, so no append slips between the size and\n"
      "the root; and it refuses to sign a tree that does not extend the\n"
      "latest checkpoint (exit 1): a log never signs two views of itself.\n"
      "\n"
      "Output: SIZE ROOT RESULT (signed or unchanged); with --json\n"
      "  {\"size\":N,\"root\":..,\"result\":..,\"checkpoint\":..} (root in\n"
      "  base64, checkpoint the signed note)\n",
      mmctl_log_no_options, 0, 0, mmctl_log_checkpoint },

    { "verify", "[--cert ID]... [--log-key VKEY]",
      "check the stored log against its signed checkpoints",
      "Checks the latest checkpoint's signature and its consistency with\n"
      "the previous one; recomputes every stored hash from the leaves of\n"
      "tlog_leaf and compares them with tlog_hash, and the roots with the\n"
      "checkpoints'; and proves the inclusion of each certificate given\n"
      "(its issuance leaf and, when revoked, its revocation leaf) in the\n"
      "latest checkpoint.  Any difference fails (exit 1) with a message\n"
      "that names it.\n"
      "\n"
      "  --cert ID       a certificate (its id or number) to prove;\n"
      "                  repeatable\n"
      "  --log-key VKEY  the log's verifier key to pin (name+hash+key, as\n"
      "                  the trust list has it); without it, the log keys\n"
      "                  of the database\n"
      "\n"
      "Output: one line a check, \"ok\" or \"FAIL\" and what was checked;\n"
      "with --json {\"ok\":B,\"size\":N,\"checkpoint\":{\"size\":N,\n"
      "\"root\":..},\"checks\":[{\"check\":..,\"ok\":B},...]}\n",
      mmctl_log_verify_options, 0, 0, mmctl_log_verify },

    { NULL, NULL, NULL, NULL, NULL, 0, 0, NULL }
};


const mmctl_noun_t  mmctl_noun_log = {
    "log",
    "the public issuance log: checkpoints, verification",
    "The issuance log (docs/certificates-log.md): a Merkle tree of every\n"
    "issuance and revocation, with checkpoints signed by the log key.\n",
    mmctl_log_verbs
};


void
mmctl_log_checkpoints_free(mmctl_log_checkpoint_t *cp, size_t n)
{
    size_t  i;

    for (i = 0; i < n; i++) {
        mana_buf_free(&cp[i].note);
    }
}


int
mmctl_log_checkpoints(mmctl_ctx_t *ctx, mmctl_log_checkpoint_t *cp, size_t n,
    size_t *found)
{
    char            sql[128];
    MYSQL_RES      *res;
    MYSQL_ROW       row;
    unsigned long  *len;

    *found = 0;

    snprintf(sql, sizeof(sql), "SELECT size, root, note FROM tlog_checkpoint "
             "ORDER BY size DESC LIMIT %zu", n);

    if (mysql_query(ctx->mysql, sql) != 0
        || (res = mysql_store_result(ctx->mysql)) == NULL)
    {
        return mmctl_query_error(ctx, "cannot read the checkpoints");
    }

    while (*found < n && (row = mysql_fetch_row(res)) != NULL) {
        len = mysql_fetch_lengths(res);

        if (row[1] == NULL || len[1] != MANA_TLOG_HASH_LEN || row[2] == NULL) {
            mysql_free_result(res);
            mmctl_log_checkpoints_free(cp, *found);
            return mmctl_error(ctx, MMCTL_FAILED, "failed", "tlog_checkpoint "
                               "row of size %s has a root that is not 32 "
                               "bytes", row[0]);
        }

        cp[*found].size = (int64_t) strtoll(row[0], NULL, 10);
        memcpy(cp[*found].root, row[1], MANA_TLOG_HASH_LEN);
        mana_buf_init(&cp[*found].note);
        mana_buf_add(&cp[*found].note, row[2], len[2]);
        (*found)++;
    }

    mysql_free_result(res);

    return MMCTL_OK;
}


/* the active log key, opened, as a signed-note key that signs */

static int
mmctl_log_signer(mmctl_ctx_t *ctx, mana_note_key_t *nk)
{
    int             rc;
    size_t          len;
    EVP_PKEY       *pkey;
    const char     *path;
    mmctl_keys_t    all, active;
    unsigned char   master[MANA_SEAL_KEY_LEN], seed[32];

    rc = mmctl_key_read(ctx, "purpose = 'log' AND status = 'active'", 0,
                        &active);
    if (rc != MMCTL_OK) {
        return rc;
    }

    if (active.n == 0) {
        mmctl_keys_free(&active);
        return mmctl_error(ctx, MMCTL_FAILED, "failed", "there is no active "
                           "log key: \"mmctl key generate --purpose log "
                           "--name ORIGIN\" makes one");
    }

    pkey = NULL;
    rc = mmctl_master_key_load(ctx, master, &path);

    if (rc == MMCTL_OK) {
        rc = mmctl_key_read(ctx, NULL, 0, &all);

        if (rc == MMCTL_OK) {
            rc = mmctl_master_key_open(ctx, master, path, &active.v[0], &all,
                                       &pkey);
            mmctl_keys_free(&all);
        }
    }

    OPENSSL_cleanse(master, sizeof(master));

    if (rc == MMCTL_OK) {
        len = sizeof(seed);

        if (EVP_PKEY_get_raw_private_key(pkey, seed, &len) != 1
            || len != sizeof(seed)
            || mana_note_key_from_seed(nk, active.v[0].name,
                                       strlen(active.v[0].name), seed) != 0)
        {
            rc = mmctl_error(ctx, MMCTL_FAILED, "failed", "log key %s: "
                             "cannot make a signed-note key of it (its "
                             "name must be a note key name)",
                             active.v[0].kid_hex);
        }

        OPENSSL_cleanse(seed, sizeof(seed));
    }

    EVP_PKEY_free(pkey);
    mmctl_keys_free(&active);

    return rc;
}


static int
mmctl_log_checkpoint(mmctl_ctx_t *ctx, mmctl_args_t *args)
{
    int                      rc, began, signed_now;
    char                     text[MANA_NOTE_NAME_MAX + 128];
    char                     root64[64];
    size_t                   found, proof_len;
    int64_t                  size;
    mana_buf_t               note, sql;
    mana_note_key_t          nk;
    mmctl_log_checkpoint_t   prev;
    unsigned char            root[MANA_TLOG_HASH_LEN];
    unsigned char            proof[MANA_TLOG_MAX_PROOF][MANA_TLOG_HASH_LEN];
    int                      len;

    (void) args;

    rc = mmctl_catalogue_connect(ctx);
    if (rc != MMCTL_OK) {
        return rc;
    }

    memset(&nk, 0, sizeof(nk));

    rc = mmctl_log_signer(ctx, &nk);
    if (rc != MMCTL_OK) {
        return rc;
    }

    mana_buf_init(&note);
    mana_buf_init(&sql);
    found = 0;
    began = 0;
    signed_now = 0;

    rc = mmctl_exec(ctx, "cannot start a transaction", "START TRANSACTION");
    if (rc != MMCTL_OK) {
        goto done;
    }

    began = 1;

    /* appends wait until the head is signed: size and root are one tree */
    rc = mmctl_tlog_lock(ctx, &size);
    if (rc != MMCTL_OK) {
        goto done;
    }

    rc = mmctl_log_checkpoints(ctx, &prev, 1, &found);
    if (rc != MMCTL_OK) {
        goto done;
    }

    if (found && prev.size > size) {
        rc = mmctl_error(ctx, MMCTL_FAILED, "failed", "the latest checkpoint "
                         "is of %lld leaves, the log has %lld: the log lost "
                         "leaves; not signing", (long long) prev.size,
                         (long long) size);
        goto done;
    }

    if (mana_tlog_tree_hash(size, mmctl_tlog_read, ctx, root)
        != MANA_TLOG_OK)
    {
        rc = mmctl_error(ctx, MMCTL_FAILED, "failed", "cannot compute the "
                         "root of %lld leaves: a stored hash is missing or "
                         "malformed", (long long) size);
        goto done;
    }

    if (found && prev.size == size) {
        if (memcmp(prev.root, root, sizeof(root)) != 0) {
            rc = mmctl_error(ctx, MMCTL_FAILED, "failed", "the stored hashes "
                             "no longer give the root the checkpoint of "
                             "size %lld signed: run \"mmctl log verify\"",
                             (long long) size);
        }

        goto done;
    }

    if (found && prev.size > 0
        && (mana_tlog_prove_tree(size, prev.size, mmctl_tlog_read, ctx, proof,
                                 &proof_len) != MANA_TLOG_OK
            || mana_tlog_check_tree(proof, proof_len, size, root, prev.size,
                                    prev.root) != MANA_TLOG_OK))
    {
        rc = mmctl_error(ctx, MMCTL_FAILED, "failed", "the log of %lld "
                         "leaves does not extend the checkpoint of size %lld: "
                         "not signing (run \"mmctl log verify\")",
                         (long long) size, (long long) prev.size);
        goto done;
    }

    len = mana_note_checkpoint_format(text, sizeof(text), nk.name,
                                      nk.name_len, size, root);

    if (len < 0 || mana_note_sign(&note, text, (size_t) len, &nk, 1) != 0
        || mana_buf_failed(&note))
    {
        rc = mmctl_error(ctx, MMCTL_FAILED, "failed", "cannot sign the "
                         "checkpoint");
        goto done;
    }

    mana_buf_addf(&sql, "INSERT INTO tlog_checkpoint (size, root, note) "
                  "VALUES (%lld, ", (long long) size);
    mana_buf_add_sql_bytes(&sql, root, sizeof(root));
    mana_buf_adds(&sql, ", ");
    mana_buf_add_sql_text(&sql, note.data, note.len);
    mana_buf_adds(&sql, ")");

    if (mana_buf_failed(&sql)) {
        rc = mmctl_error(ctx, MMCTL_FAILED, "failed", "out of memory");
        goto done;
    }

    if (mysql_real_query(ctx->mysql, sql.data, sql.len) != 0) {
        rc = mmctl_query_error(ctx, "cannot store the checkpoint");
        goto done;
    }

    rc = mmctl_exec(ctx, "cannot commit", "COMMIT");
    if (rc != MMCTL_OK) {
        goto done;
    }

    began = 0;
    signed_now = 1;

done:

    if (began) {
        mmctl_exec(ctx, "cannot roll back", "ROLLBACK");
    }

    if (rc == MMCTL_OK) {
        mana_base64_encode(MANA_BASE64_STD, root64, root, sizeof(root));
        root64[mana_base64_encoded_len(MANA_BASE64_STD, sizeof(root))] = '\0';

        if (ctx->json) {
            printf("{\"size\":%lld,\"root\":\"%s\",\"result\":\"%s\","
                   "\"checkpoint\":", (long long) size, root64,
                   signed_now ? "signed" : "unchanged");

            if (signed_now) {
                mmctl_json_strn(stdout, note.data, note.len);
            } else {
                mmctl_json_strn(stdout, prev.note.data, prev.note.len);
            }

            printf("}\n");
            ctx->json_done = 1;

        } else {
            printf("SIZE\t%lld\nROOT\t%s\nRESULT\t%s\n", (long long) size,
                   root64, signed_now ? "signed" : "unchanged");
        }
    }

    mmctl_log_checkpoints_free(&prev, found);
    mana_note_key_free(&nk);
    mana_buf_free(&note);
    mana_buf_free(&sql);

    return rc;
}
