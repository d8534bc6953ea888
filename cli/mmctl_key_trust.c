
/*
 * "mmctl key trust-list": the signed trust list, built from every key as
 * one transaction saw them (lib/mana_trust.c has the format) and signed
 * with the root keys opened under the master key.  The signed bytes are
 * stored in trust_list too, where the module serves the newest row as
 * /.well-known/mana/trust.json.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "mmctl_key.h"
#include "mmctl_text.h"
#include "mmctl_catalogue.h"
#include "mana_time.h"


static void
mmctl_key_trust_key(mana_trust_key_t *t, const mmctl_key_t *k)
{
    memset(t, 0, sizeof(mana_trust_key_t));

    memcpy(t->kid, k->kid, sizeof(t->kid));
    memcpy(t->pub, k->pub, sizeof(t->pub));
    strcpy(t->name, k->name);
    strcpy(t->department, k->department);
    t->status = k->status;
    t->valid_from = k->valid_from;
    t->valid_until = k->valid_until;
    t->revoked_at = k->revoked_at >= 0 ? k->revoked_at : 0;
}


/* the document, as the module will serve it: the newest row wins */

static int
mmctl_key_trust_store(mmctl_ctx_t *ctx, long long version, int64_t issued_at,
    const mana_buf_t *doc)
{
    int         rc;
    mana_buf_t  sql;

    mana_buf_init(&sql);
    mana_buf_addf(&sql, "INSERT INTO trust_list (key_version, issued_at, "
                  "document) VALUES (%lld, FROM_UNIXTIME(%lld), ", version,
                  (long long) issued_at);
    mana_buf_add_sql_bytes(&sql, doc->data, doc->len);
    mana_buf_adds(&sql, ")");

    if (mana_buf_failed(&sql)) {
        rc = mmctl_error(ctx, MMCTL_FAILED, "failed", "out of memory");

    } else if (mysql_real_query(ctx->mysql, sql.data, sql.len) != 0) {
        rc = mmctl_query_error(ctx, "cannot store the trust list");

    } else {
        rc = MMCTL_OK;
    }

    mana_buf_free(&sql);

    return rc;
}


int
mmctl_key_trust_list(mmctl_ctx_t *ctx, mmctl_args_t *args)
{
    int                 rc;
    char                issued[MANA_TIME_LEN + 1];
    size_t              i, nsigners;
    json_t             *signed_by;
    int64_t             now;
    EVP_PKEY           *signers[MANA_TRUST_MAX_SIGS];
    mana_buf_t          doc;
    const char         *path, *err, *output;
    long long           version;
    mmctl_key_t        *k, *root;
    mmctl_keys_t        keys;
    mana_trust_list_t   list;
    unsigned char       master[MANA_SEAL_KEY_LEN];

    output = args->opt[0];
    nsigners = 0;
    root = NULL;
    keys.v = NULL;
    keys.n = 0;
    signed_by = NULL;
    mana_buf_init(&doc);
    memset(&list, 0, sizeof(mana_trust_list_t));

    if (output && *output == '\0') {
        return mmctl_usage_error(ctx, "--output: an empty file name");
    }

    rc = mmctl_master_key_load(ctx, master, &path);
    if (rc != MMCTL_OK) {
        return rc;
    }

    rc = mmctl_catalogue_connect(ctx);
    if (rc != MMCTL_OK) {
        goto done;
    }

    /* the version and the keys as one transaction saw them */
    rc = mmctl_exec(ctx, "cannot start a transaction",
                    "START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY");

    if (rc == MMCTL_OK) {
        rc = mmctl_key_version(ctx, &version);
    }

    if (rc == MMCTL_OK) {
        rc = mmctl_key_read(ctx, NULL, 0, &keys);
    }

    mmctl_key_rollback(ctx);

    if (rc != MMCTL_OK) {
        goto done;
    }

    list.version = (uint64_t) version;
    list.issued_at = now = mmctl_key_now();
    list.roots = calloc(keys.n + 1, sizeof(mana_trust_key_t));
    list.keys = calloc(keys.n + 1, sizeof(mana_trust_key_t));
    signed_by = json_array();

    if (list.roots == NULL || list.keys == NULL || signed_by == NULL) {
        rc = mmctl_error(ctx, MMCTL_FAILED, "failed", "out of memory");
        goto done;
    }

    for (i = 0; i < keys.n; i++) {
        k = &keys.v[i];

        switch (k->purpose) {

        case MMCTL_KEY_ISSUER:
            mmctl_key_trust_key(&list.keys[list.nkeys++], k);
            break;

        case MMCTL_KEY_ROOT:
            mmctl_key_trust_key(&list.roots[list.nroots++], k);

            if (k->status == MANA_MM1_STATUS_ACTIVE) {
                root = k;
            }

            break;

        case MMCTL_KEY_LOG:
            if (k->status == MANA_MM1_STATUS_ACTIVE) {
                list.has_log = 1;
                strcpy(list.log_origin, k->name);
                memcpy(list.log_pub, k->pub, 32);
            }

            break;
        }
    }

    if (root == NULL) {
        rc = mmctl_error(ctx, MMCTL_FAILED, "failed", "there is no active "
                         "root key to sign the trust list: \"mmctl key "
                         "generate --purpose root --name LABEL\" makes one");
        goto done;
    }

    if (!list.has_log) {
        mmctl_warn("there is no active log key: the trust list names no "
                   "log (\"mmctl key generate --purpose log --name ORIGIN\")");
    }

    if (root->valid_from > now || root->valid_until <= now) {
        mmctl_warn("the root key %s is outside its window: rotate it",
                   root->kid_hex);
    }

    /* the active root first, then the retired ones still in their window */
    rc = mmctl_master_key_open(ctx, master, path, root, &keys,
                               &signers[nsigners]);
    if (rc != MMCTL_OK) {
        goto done;
    }

    nsigners++;
    json_array_append_new(signed_by, json_string(root->kid_hex));

    for (i = 0; i < keys.n && nsigners < MANA_TRUST_MAX_SIGS; i++) {
        k = &keys.v[i];

        if (k->purpose != MMCTL_KEY_ROOT
            || k->status != MANA_MM1_STATUS_RETIRED
            || k->valid_until <= now)
        {
            continue;
        }

        rc = mmctl_master_key_open(ctx, master, path, k, &keys,
                                   &signers[nsigners]);
        if (rc != MMCTL_OK) {
            goto done;
        }

        nsigners++;
        json_array_append_new(signed_by, json_string(k->kid_hex));
    }

    if (mana_trust_sign(&doc, &list, signers, nsigners, &err) != 0) {
        rc = mmctl_error(ctx, MMCTL_FAILED, "failed", "cannot sign the trust "
                         "list: %s", err);
        goto done;
    }

    /* stored before it is shown: what is served is what was printed */
    rc = mmctl_key_trust_store(ctx, version, list.issued_at, &doc);
    if (rc != MMCTL_OK) {
        goto done;
    }

    if (output == NULL) {
        if (fwrite(doc.data, 1, doc.len, stdout) != doc.len) {
            rc = mmctl_error(ctx, MMCTL_FAILED, "failed", "cannot write the "
                             "trust list: %s", strerror(errno));
            goto done;
        }

        /* the document is the one JSON document, with --json too */
        ctx->json_done = 1;
        goto done;
    }

    /* a public document, served as it is */
    rc = mmctl_write_file(ctx, output, doc.data, doc.len, 0644);
    if (rc != MMCTL_OK) {
        goto done;
    }

    mmctl_note("wrote %s: trust list version %lld, %zu issuer key%s, signed "
               "by %s%s", output, version, list.nkeys,
               list.nkeys == 1 ? "" : "s", root->kid_hex,
               nsigners > 1 ? " and retired roots" : "");

    if (ctx->json) {
        mana_time_format(issued, list.issued_at);
        rc = mmctl_text_print_json(ctx,
                 json_pack("{s:s, s:I, s:s, s:I, s:I, s:s?, s:O}",
                           "file", output, "version", (json_int_t) version,
                           "issued_at", issued,
                           "keys", (json_int_t) list.nkeys,
                           "roots", (json_int_t) list.nroots,
                           "log", list.has_log ? list.log_origin : NULL,
                           "signed_by", signed_by));
    }

done:

    for (i = 0; i < nsigners; i++) {
        EVP_PKEY_free(signers[i]);
    }

    json_decref(signed_by);
    free(list.roots);
    free(list.keys);
    mana_buf_free(&doc);
    mmctl_keys_free(&keys);
    OPENSSL_cleanse(master, sizeof(master));

    return rc;
}
