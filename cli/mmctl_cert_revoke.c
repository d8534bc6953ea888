
/*
 * "mmctl cert revoke": a certificate stops being valid, and the log says
 * so.  The row's status and the revocation leaf change in one transaction
 * that holds the log's lock, taken first as "cert issue" takes it, so the
 * two never wait on each other the other way round; a certificate is
 * revoked exactly when its revocation leaf exists.
 */

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "mmctl_cert.h"
#include "mmctl_key.h"
#include "mmctl_tlog.h"
#include "mmctl_text.h"
#include "mmctl_catalogue.h"
#include "mana_time.h"


/* a reason as its code (0 to 4) or its name ("superseded") */

static int
mmctl_cert_reason_arg(mmctl_ctx_t *ctx, const char *s, unsigned *reason)
{
    int  code;

    if (s[0] >= '0' && s[0] <= '9' && s[1] == '\0'
        && mana_tlog_reason_name((unsigned) (s[0] - '0')) != NULL)
    {
        *reason = (unsigned) (s[0] - '0');
        return MMCTL_OK;
    }

    code = mana_tlog_reason_code(s, strlen(s));

    if (code < 0) {
        return mmctl_usage_error(ctx, "--reason \"%s\": expected 0 to %d or "
                                 "unspecified, key_compromise, superseded, "
                                 "issued_in_error, withdrawn", s,
                                 MANA_TLOG_REASON_COUNT - 1);
    }

    *reason = (unsigned) code;

    return MMCTL_OK;
}


int
mmctl_cert_revoke(mmctl_ctx_t *ctx, mmctl_args_t *args)
{
    int             rc, began;
    char            at[MANA_TIME_LEN + 1], at_sql[20];
    int64_t         index, now;
    unsigned        reason;
    mana_buf_t      sql;
    mmctl_cert_t   *c;
    mmctl_certs_t   certs;
    unsigned char   leaf[MANA_TLOG_REVOCATION_LEAF_LEN];

    if (args->opt[0] == NULL) {
        return mmctl_usage_error(ctx, "--reason is required");
    }

    reason = MANA_TLOG_REASON_UNSPECIFIED;

    rc = mmctl_cert_reason_arg(ctx, args->opt[0], &reason);
    if (rc != MMCTL_OK) {
        return rc;
    }

    rc = mmctl_catalogue_connect(ctx);
    if (rc != MMCTL_OK) {
        return rc;
    }

    certs.v = NULL;
    certs.n = 0;
    mana_buf_init(&sql);
    began = 0;

    rc = mmctl_exec(ctx, "cannot start a transaction", "START TRANSACTION");
    if (rc != MMCTL_OK) {
        goto done;
    }

    began = 1;

    rc = mmctl_tlog_lock(ctx, &index);
    if (rc != MMCTL_OK) {
        goto done;
    }

    rc = mmctl_cert_find(ctx, args->argv[0], 1, &certs, &c);
    if (rc != MMCTL_OK) {
        goto done;
    }

    if (strcmp(c->status, "valid") != 0) {
        if (c->revoked_at >= 0) {
            mana_time_format(at, c->revoked_at);
        }

        rc = mmctl_error(ctx, MMCTL_FAILED, "failed", "certificate %s is "
                         "already %s%s%s%s%s%s: nothing changed", c->cti_hex,
                         c->status, c->revoked_at >= 0 ? " (at " : "",
                         c->revoked_at >= 0 ? at : "",
                         c->revoked_at >= 0 && c->reason >= 0
                         && mana_tlog_reason_name((unsigned) c->reason)
                         ? ", " : "",
                         c->revoked_at >= 0 && c->reason >= 0
                         && mana_tlog_reason_name((unsigned) c->reason)
                         ? mana_tlog_reason_name((unsigned) c->reason) : "",
                         c->revoked_at >= 0 ? ")" : "");
        goto done;
    }

    now = mmctl_key_now();

    /* a clock set back must not revoke before the certificate was issued */
    if (now < c->issued_at) {
        now = c->issued_at;
    }

    mana_time_format(at, now);
    memcpy(at_sql, at, 19);
    at_sql[10] = ' ';
    at_sql[19] = '\0';

    if (mana_tlog_revocation_leaf(leaf, c->kid, c->cti, MANA_MM1_CTI_LEN,
                                  (uint64_t) now, reason)
        != 0)
    {
        rc = mmctl_error(ctx, MMCTL_FAILED, "failed", "cannot make the "
                         "revocation leaf");
        goto done;
    }

    /* the index lets the status API prove the revocation by one lookup */
    mana_buf_addf(&sql, "UPDATE certificate SET status = 'revoked', "
                  "revoked_at = '%s', revoke_reason = %u, "
                  "revocation_index = %lld WHERE id = %llu "
                  "AND status = 'valid'", at_sql, reason, (long long) index,
                  c->id);

    if (mana_buf_failed(&sql)) {
        rc = mmctl_error(ctx, MMCTL_FAILED, "failed", "out of memory");
        goto done;
    }

    if (mysql_real_query(ctx->mysql, sql.data, sql.len) != 0) {
        rc = mmctl_query_error(ctx, "cannot revoke the certificate");
        goto done;
    }

    rc = mmctl_tlog_append(ctx, index, leaf, sizeof(leaf));
    if (rc != MMCTL_OK) {
        goto done;
    }

    rc = mmctl_exec(ctx, "cannot commit", "COMMIT");
    if (rc != MMCTL_OK) {
        goto done;
    }

    began = 0;

    if (ctx->json) {
        rc = mmctl_text_print_json(ctx, json_pack("{s:s,s:s,s:s,s:s,s:I}",
                                   "id", c->cti_hex, "result", "revoked",
                                   "revoked_at", at,
                                   "reason", mana_tlog_reason_name(reason),
                                   "log_index", (json_int_t) index));

    } else {
        printf("ID\t%s\nRESULT\trevoked\nREVOKED_AT\t%s\nREASON\t%s\n"
               "LOG_INDEX\t%lld\n", c->cti_hex, at,
               mana_tlog_reason_name(reason), (long long) index);
    }

done:

    if (began) {
        mmctl_exec(ctx, "cannot roll back", "ROLLBACK");
    }

    mana_buf_free(&sql);
    mmctl_certs_free(&certs);

    return rc;
}
