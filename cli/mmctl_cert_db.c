
/*
 * Certificates in MariaDB: reading rows into mmctl_cert_t, finding the one
 * an officer names, and what every verb derives from a row.  Times are
 * DATETIME columns in UTC (the session's time zone is +00:00), read as
 * text, as the key commands read theirs.
 */

#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "mmctl_cert.h"
#include "mmctl_catalogue.h"
#include "mana_hex.h"
#include "mana_time.h"


static const char  mmctl_cert_select[] =
    "SELECT c.id, c.cti, c.kid, c.number, c.service_code, c.doc_type, "
    "c.citizen_id, z.phone, c.cose, "
    "DATE_FORMAT(c.issued_at, '%Y-%m-%dT%H:%i:%SZ'), "
    "DATE_FORMAT(c.expires_at, '%Y-%m-%dT%H:%i:%SZ'), c.status, "
    "DATE_FORMAT(c.revoked_at, '%Y-%m-%dT%H:%i:%SZ'), c.revoke_reason, "
    "c.log_index "
    "FROM certificate c LEFT JOIN citizen z ON z.id = c.citizen_id";


void
mmctl_certs_free(mmctl_certs_t *certs)
{
    size_t  i;

    for (i = 0; i < certs->n; i++) {
        free(certs->v[i].cose);
    }

    free(certs->v);

    certs->v = NULL;
    certs->n = 0;
}


/* a text column into a buffer of size bytes; -1 when it does not fit */

static int
mmctl_cert_text(char *dst, size_t size, const char *src, unsigned long len)
{
    if (src == NULL) {
        dst[0] = '\0';
        return 0;
    }

    if (len >= size) {
        return -1;
    }

    memcpy(dst, src, len);
    dst[len] = '\0';

    return 0;
}


/*
 * One row.  The schema promises the lengths of cti and kid; a row that
 * breaks a promise is named rather than shown as something it is not.
 */

static int
mmctl_cert_row(mmctl_ctx_t *ctx, MYSQL_ROW row, unsigned long *len,
    mmctl_cert_t *c)
{
    const char  *what;

    memset(c, 0, sizeof(mmctl_cert_t));

    c->id = strtoull(row[0], NULL, 10);
    c->revoked_at = -1;
    c->reason = -1;
    what = NULL;

    if (row[1] == NULL || len[1] != MANA_MM1_CTI_LEN
        || row[2] == NULL || len[2] != MANA_MM1_KID_LEN)
    {
        what = "a cti or kid of a length it cannot have";

    } else if (mmctl_cert_text(c->number, sizeof(c->number), row[3], len[3])
               || mmctl_cert_text(c->service, sizeof(c->service), row[4],
                                  len[4])
               || mmctl_cert_text(c->phone, sizeof(c->phone), row[7],
                                  len[7])
               || mmctl_cert_text(c->status, sizeof(c->status), row[11],
                                  len[11]))
    {
        what = "a text longer than its column";

    } else if (row[8] == NULL || len[8] == 0 || len[8] > MMCTL_CERT_COSE_MAX) {
        what = "no signed bytes";

    } else if (row[9] == NULL
               || mana_time_parse(row[9], len[9], &c->issued_at) != 0
               || (row[10] && mana_time_parse(row[10], len[10],
                                              &c->expires_at) != 0)
               || (row[12] && mana_time_parse(row[12], len[12],
                                              &c->revoked_at) != 0))
    {
        what = "a time before 1970";
    }

    if (what) {
        return mmctl_error(ctx, MMCTL_FAILED, "failed", "certificate row %llu "
                           "has %s", c->id, what);
    }

    memcpy(c->cti, row[1], MANA_MM1_CTI_LEN);
    mana_hex_encode(c->cti_hex, c->cti, MANA_MM1_CTI_LEN);
    c->cti_hex[2 * MANA_MM1_CTI_LEN] = '\0';

    memcpy(c->kid, row[2], MANA_MM1_KID_LEN);
    mana_hex_encode(c->kid_hex, c->kid, MANA_MM1_KID_LEN);
    c->kid_hex[2 * MANA_MM1_KID_LEN] = '\0';

    c->doctype = (unsigned) strtoul(row[5], NULL, 10);
    c->citizen = row[6] ? strtoull(row[6], NULL, 10) : 0;
    c->reason = row[13] ? (int) strtol(row[13], NULL, 10) : -1;
    c->log_index = (int64_t) strtoll(row[14], NULL, 10);

    c->cose = malloc(len[8]);
    if (c->cose == NULL) {
        return mmctl_error(ctx, MMCTL_FAILED, "failed", "out of memory");
    }

    memcpy(c->cose, row[8], len[8]);
    c->cose_len = len[8];

    return MMCTL_OK;
}


int
mmctl_cert_read(mmctl_ctx_t *ctx, const char *where, int for_update,
    mmctl_certs_t *certs)
{
    int            rc;
    size_t         n;
    MYSQL_RES     *res;
    MYSQL_ROW      row;
    mana_buf_t     sql;
    mmctl_cert_t  *v;

    certs->v = NULL;
    certs->n = 0;

    mana_buf_init(&sql);
    mana_buf_adds(&sql, mmctl_cert_select);

    if (where) {
        mana_buf_adds(&sql, " WHERE ");
        mana_buf_adds(&sql, where);
    }

    mana_buf_adds(&sql, " ORDER BY c.id");

    if (for_update) {
        mana_buf_adds(&sql, " FOR UPDATE");
    }

    rc = mmctl_select(ctx, &sql, "cannot read the certificates", &res);
    if (rc != MMCTL_OK) {
        return rc;
    }

    n = (size_t) mysql_num_rows(res);
    rc = MMCTL_OK;

    if (n > 0) {
        v = calloc(n, sizeof(mmctl_cert_t));
        if (v == NULL) {
            mysql_free_result(res);
            return mmctl_error(ctx, MMCTL_FAILED, "failed", "out of memory");
        }

        certs->v = v;

        while ((row = mysql_fetch_row(res)) != NULL && certs->n < n) {
            rc = mmctl_cert_row(ctx, row, mysql_fetch_lengths(res),
                                &v[certs->n]);
            if (rc != MMCTL_OK) {
                free(v[certs->n].cose);
                break;
            }

            certs->n++;
        }
    }

    mysql_free_result(res);

    if (rc != MMCTL_OK) {
        mmctl_certs_free(certs);
    }

    return rc;
}


int
mmctl_cert_find(mmctl_ctx_t *ctx, const char *id, int for_update,
    mmctl_certs_t *certs, mmctl_cert_t **cert)
{
    int            rc;
    size_t         n;
    mana_buf_t     where;
    unsigned char  cti[MANA_MM1_CTI_LEN];

    *cert = NULL;
    n = strlen(id);

    if (n == 0 || n > MMCTL_CERT_NUMBER_MAX) {
        return mmctl_error(ctx, MMCTL_FAILED, "failed", "no certificate "
                           "\"%.64s\": give its id (24 hexadecimal digits) "
                           "or its number", id);
    }

    mana_buf_init(&where);

    /* 24 hexadecimal digits may also be some office's way to number */
    if (n == 2 * MANA_MM1_CTI_LEN
        && mana_hex_decode(cti, id, MANA_MM1_CTI_LEN) == 0)
    {
        mana_buf_adds(&where, "c.cti = ");
        mana_buf_add_sql_bytes(&where, cti, MANA_MM1_CTI_LEN);
        mana_buf_adds(&where, " OR ");
    }

    mana_buf_adds(&where, "c.number = ");
    mana_buf_add_sql_text(&where, id, n);

    if (mana_buf_failed(&where)) {
        mana_buf_free(&where);
        return mmctl_error(ctx, MMCTL_FAILED, "failed", "out of memory");
    }

    rc = mmctl_cert_read(ctx, where.data, for_update, certs);
    mana_buf_free(&where);

    if (rc != MMCTL_OK) {
        return rc;
    }

    if (certs->n == 0) {
        return mmctl_error(ctx, MMCTL_FAILED, "failed", "no certificate %s "
                           "(see \"mmctl cert list\")", id);
    }

    if (certs->n > 1) {
        rc = mmctl_error(ctx, MMCTL_FAILED, "failed", "%zu certificates are "
                         "named %s: give the id of one (see \"mmctl cert "
                         "list\")", certs->n, id);
        mmctl_certs_free(certs);
        return rc;
    }

    *cert = &certs->v[0];

    return MMCTL_OK;
}


const char *
mmctl_cert_status(const mmctl_cert_t *c, int64_t now)
{
    if (strcmp(c->status, "valid") != 0) {
        return c->status;
    }

    if (c->expires_at != 0 && c->expires_at <= now) {
        return "expired";
    }

    return "valid";
}


int
mmctl_cert_qr(mmctl_ctx_t *ctx, const mmctl_cert_t *c, mana_buf_t *qr)
{
    int          rc;
    char         source[512];
    const char  *host;

    rc = mmctl_conf_setting(ctx, "verify_host", &host, source,
                            sizeof(source));
    if (rc != MMCTL_OK) {
        return rc;
    }

    if (host == NULL || *host == '\0') {
        return mmctl_error(ctx, MMCTL_CONFIG, "config", "no verify host: "
                           "give --verify-host HOST, MANA_VERIFY_HOST or "
                           "verify_host in the config file");
    }

    if (mana_mm1_qr_text(qr, host, c->cose, c->cose_len) != 0) {
        return mmctl_error(ctx, MMCTL_CONFIG, "config", "verify host \"%s\" "
                           "(from %s): letters, digits, '-', '.' and ':' "
                           "only", host, source);
    }

    if (mana_buf_failed(qr)) {
        return mmctl_error(ctx, MMCTL_FAILED, "failed", "out of memory");
    }

    return MMCTL_OK;
}


int
mmctl_cert_issuance_leaf(const mmctl_cert_t *c,
    unsigned char leaf[MANA_TLOG_ISSUANCE_LEAF_LEN])
{
    return mana_tlog_issuance_leaf(leaf, c->kid, c->cose, c->cose_len,
                                   (uint64_t) c->issued_at, c->doctype);
}
