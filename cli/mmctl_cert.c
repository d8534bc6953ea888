
/*
 * The "cert" noun: certificates signed by an office's issuer key (MM1,
 * lib/mana_mm1.c) and recorded in the issuance log, in one transaction,
 * so a certificate exists exactly when its leaf does.  The verification
 * page (/C/<BASE32>) accepts a certificate whose row holds its cti and
 * COSE bytes and whose log_index leaf is its issuance leaf.
 */

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "mmctl_cert.h"
#include "mmctl_key.h"
#include "mmctl_notify.h"
#include "mmctl_tlog.h"
#include "mmctl_text.h"
#include "mmctl_catalogue.h"
#include "mana_doclink.h"
#include "mana_hex.h"
#include "mana_time.h"
#include "mana_utf8.h"


static int mmctl_cert_issue(mmctl_ctx_t *ctx, mmctl_args_t *args);


enum {
    MMCTL_CERT_ISS_SERVICE = 0,
    MMCTL_CERT_ISS_TO,
    MMCTL_CERT_ISS_OFFICE,
    MMCTL_CERT_ISS_NUMBER,
    MMCTL_CERT_ISS_HOLDER,
    MMCTL_CERT_ISS_RELATION,
    MMCTL_CERT_ISS_FIELD,
    MMCTL_CERT_ISS_EXPIRES,
    MMCTL_CERT_ISS_DOCTYPE,
    MMCTL_CERT_ISS_DELIVER
};

static const mmctl_option_t  mmctl_cert_issue_options[] = {
    { "--service", NULL, 1 },
    { "--to", NULL, 1 },
    { "--office", NULL, 1 },
    { "--number", NULL, 1 },
    { "--holder", NULL, 1 },
    { "--relation", NULL, 1 },
    { "--field", NULL, 1 },
    { "--expires", NULL, 1 },
    { "--doctype", NULL, 1 },
    { "--deliver", NULL, 0 },
    { NULL, NULL, 0 }
};


static const mmctl_option_t  mmctl_cert_list_options[] = {
    { "--service", NULL, 1 },
    { "--citizen", NULL, 1 },
    { "--status", NULL, 1 },
    { "--since", NULL, 1 },
    { NULL, NULL, 0 }
};

static const mmctl_option_t  mmctl_cert_revoke_options[] = {
    { "--reason", NULL, 1 },
    { NULL, NULL, 0 }
};

static const mmctl_option_t  mmctl_cert_pdf_options[] = {
    { "--output", "-o", 1 },
    { NULL, NULL, 0 }
};

static const mmctl_option_t  mmctl_cert_link_options[] = {
    { "--days", NULL, 1 },
    { NULL, NULL, 0 }
};

static const mmctl_option_t  mmctl_cert_verify_options[] = {
    { "--trust-list", NULL, 1 },
    { "--root", NULL, 1 },
    { NULL, NULL, 0 }
};

static const mmctl_option_t  mmctl_cert_no_options[] = {
    { NULL, NULL, 0 }
};


#define MMCTL_CERT_ID_HELP                                                    \
"ID is the certificate's id (the cti, 24 hexadecimal digits, as \"cert\n"   \
"issue\" prints it) or its printed number; a number that several\n"         \
"certificates share is refused: give the id.\n"


static const mmctl_verb_t  mmctl_cert_verbs[] = {

    { "issue", "--service CODE --office CODE --number N --holder NAME "
      "[--to PHONE|ID [--deliver]] [--relation TEXT] [--field KEY=VALUE]... "
      "[--expires DATE] [--doctype N]",
      "sign a certificate and append it to the issuance log",
      "Signs an MM1 certificate with the office's active issuer key (opened\n"
      "with the master key) and, in the same transaction, stores it and\n"
      "appends its issuance leaf to the log; its log_index is signed into\n"
      "it.  --to PHONE|ID names the citizen it is issued to (optional),\n"
      "--relation TEXT the holder's relation (\"S/o ...\"), --field\n"
      "KEY=VALUE a printed fact (repeatable, at most 24), --expires DATE\n"
      "(YYYY-MM-DD, UTC) its expiry, --doctype N its document type\n"
      "(default 1).  The QR text needs the verify host: --verify-host,\n"
      "MANA_VERIFY_HOST or verify_host.\n"
      "\n"
      "--deliver sends it to the citizen of --to in the same transaction:\n"
      "the PDF as a WhatsApp document message when the document key is\n"
      "given (--document-key-file), its verification link otherwise, from\n"
      "the number the citizen last wrote to (the window template outside\n"
      "the 24-hour window).\n"
      "\n"
      "Output: ID (the cti, 24 hex digits), LOG_INDEX and QR, and with\n"
      "--deliver DELIVERY (document or link); with --json\n"
      "  {\"id\":..,\"log_index\":N,\"qr\":..[,\"delivery\":..]}\n",
      mmctl_cert_issue_options, 0, 0, mmctl_cert_issue },

    { "show", "ID",
      "show a certificate: claims, key, status, log index, QR text",
      "Shows the certificate ID: what it says (read from its own signed\n"
      "bytes: office, number, holder, relation, fields, times), its\n"
      "status (valid, expired, revoked or superseded; when revoked, when\n"
      "and why), the key that signed it and that key's status, its log\n"
      "index and its QR text (which needs the verify host, as \"cert\n"
      "issue\").  An unknown ID is an error (exit 1).\n"
      "\n"
      MMCTL_CERT_ID_HELP
      "\n"
      "Output: FIELD VALUE rows (a field as fields.KEY); with --json\n"
      "  {\"certificate\":{\"id\":..,\"number\":..,\"service\":..,\n"
      "   \"doctype\":N,\"office\":..,\"holder\":..,\"relation\":..,\n"
      "   \"fields\":{..},\"citizen\":..,\"issued_at\":..,\"expires_at\":..,\n"
      "   \"status\":..,\"revoked_at\":..,\"revoke_reason\":..,\"kid\":..,\n"
      "   \"key_status\":..,\"log_index\":N,\"qr\":..}}\n",
      mmctl_cert_no_options, 1, 1, mmctl_cert_show },

    { "list", "[--service CODE] [--citizen PHONE|ID] [--status S] "
      "[--since TIME]",
      "list certificates",
      "Lists certificates, oldest first.  No holder names: \"cert show\"\n"
      "has them.\n"
      "\n"
      "  --service CODE        only this service's\n"
      "  --citizen PHONE|ID    only those issued to this citizen\n"
      "  --status S            valid, expired, revoked or superseded\n"
      "  --since TIME          issued at or after TIME (YYYY-MM-DD or\n"
      "                        YYYY-MM-DDTHH:MM:SSZ, UTC)\n"
      "\n"
      "Output: ID NUMBER SERVICE STATUS ISSUED_AT EXPIRES_AT LOG_INDEX;\n"
      "with --json {\"certificates\":[{\"id\":..,\"number\":..,\n"
      "\"service\":..,\"doctype\":N,\"status\":..,\"issued_at\":..,\n"
      "\"expires_at\":..,\"revoked_at\":..,\"log_index\":N},...]}\n",
      mmctl_cert_list_options, 0, 0, mmctl_cert_list },

    { "revoke", "ID --reason REASON",
      "revoke a certificate and record it in the issuance log",
      "Marks the certificate ID revoked and appends its revocation leaf\n"
      "(kid, SHA-256 of the cti, the time, the reason) to the issuance log,\n"
      "in one transaction that holds the log's lock: a certificate is\n"
      "revoked exactly when the log says so.  Revoking a certificate that\n"
      "is not valid (already revoked, or superseded) changes nothing and\n"
      "exits 1.\n"
      "\n"
      "  --reason REASON   a code or its name: 0 unspecified,\n"
      "                    1 key_compromise, 2 superseded,\n"
      "                    3 issued_in_error, 4 withdrawn\n"
      "\n"
      MMCTL_CERT_ID_HELP
      "\n"
      "Output: ID RESULT REVOKED_AT REASON LOG_INDEX (the revocation leaf's\n"
      "index); with --json {\"id\":..,\"result\":\"revoked\",\n"
      "\"revoked_at\":..,\"reason\":..,\"log_index\":N}\n",
      mmctl_cert_revoke_options, 1, 1, mmctl_cert_revoke },

    { "pdf", "ID -o FILE",
      "render a certificate as a PDF",
      "Renders the certificate ID as the one-page A4 PDF the citizen\n"
      "receives (docs/certificate-pdf.md): the department, office and\n"
      "service names from the catalogue, the rest from the certificate's\n"
      "own signed claims, the QR code of its QR text (which needs the\n"
      "verify host).  The same certificate always gives the same bytes.\n"
      "\n"
      "  --output FILE, -o FILE   write it to FILE (replaced whole, mode\n"
      "                           0600: it carries the holder's name), or\n"
      "                           to stdout with \"-o -\"\n"
      "\n"
      MMCTL_CERT_ID_HELP
      "\n"
      "Output: ID FILE BYTES; with --json {\"id\":..,\"file\":..,\n"
      "\"bytes\":N}; nothing but the PDF with \"-o -\"\n",
      mmctl_cert_pdf_options, 1, 1, mmctl_cert_pdf },

    { "link", "ID [--days N]",
      "the link Meta fetches a certificate's PDF by",
      "Prints https://HOST/D/TOKEN, the address nginx's mana_document\n"
      "serves the certificate ID's PDF at (the same bytes as \"cert pdf\")\n"
      "until the link expires: what a WhatsApp document message carries.\n"
      "The token names the certificate and its expiry under the document\n"
      "key (--document-key-file, MANA_DOCUMENT_KEY_FILE or\n"
      "document_key_file: the file nginx's mana_document_key_file names);\n"
      "the host is the verify host.  Anyone holding the link can fetch the\n"
      "document until then: give it only to its holder.  A revoked or\n"
      "superseded certificate gets no link (exit 1).\n"
      "\n"
      "  --days N   how long the link works, 1 to 30 days (default 7)\n"
      "\n"
      MMCTL_CERT_ID_HELP
      "\n"
      "Output: ID URL EXPIRES_AT; with --json {\"id\":..,\"url\":..,\n"
      "\"expires_at\":..}\n",
      mmctl_cert_link_options, 1, 1, mmctl_cert_link },

    { "verify", "QR --trust-list FILE [--root KEY]...",
      "verify a certificate offline against the signed trust list",
      "Verifies a certificate as any verifier would, offline: QR is its QR\n"
      "text (HTTPS://HOST/C/BASE32, in either case, or the Base32 alone).\n"
      "First the trust list FILE (as \"mmctl key trust-list\" writes it)\n"
      "must carry a signature by a pinned root key that holds; then the\n"
      "certificate's key is looked up in it and its signature, the key's\n"
      "status and window at the issue time, and the expiry are checked.\n"
      "The verdict is one of genuine, tampered, malformed, unknown_key,\n"
      "key_revoked, key_not_valid (issued outside the key's window) and\n"
      "expired.  The claims are shown only when the signature holds.\n"
      "Revocation of a single certificate is not in the trust list: the\n"
      "verification page and the issuance log tell it.\n"
      "\n"
      "  --trust-list FILE   the signed trust list\n"
      "  --root KEY          a root public key to pin (base64url, as \"mmctl\n"
      "                      key show\" prints it; repeatable); without it,\n"
      "                      the database's root keys that are not revoked\n"
      "\n"
      "Exit 0 only for a genuine certificate; 1 for any other verdict or a\n"
      "trust list that is missing or not signed by a pinned root.\n"
      "\n"
      "Output: FIELD VALUE rows; with --json {\"verdict\":..,\"valid\":B,\n"
      "\"id\":..,\"office\":..,\"number\":..,\"holder\":..,\"relation\":..,\n"
      "\"fields\":{..},\"issued_at\":..,\"expires_at\":..,\"log_index\":N,\n"
      "\"kid\":..,\"key_status\":..,\"trust_list_version\":N}\n",
      mmctl_cert_verify_options, 1, 1, mmctl_cert_verify },

    { NULL, NULL, NULL, NULL, NULL, 0, 0, NULL }
};


const mmctl_noun_t  mmctl_noun_cert = {
    "cert",
    "certificates: issue, show, list, revoke, pdf, link, verify",
    "Certificates that cannot be forged (docs/certificates.md): signed by\n"
    "an office's issuer key, each recorded in the public issuance log.\n",
    mmctl_cert_verbs
};


/* a text claim: given, UTF-8, and not longer than max bytes */

static int
mmctl_cert_text(mmctl_ctx_t *ctx, const char *opt, const char *s,
    size_t max, mana_mm1_str_t *out)
{
    size_t  n;

    n = strlen(s);

    if (n == 0 || n > max) {
        return mmctl_usage_error(ctx, "%s: expected 1 to %u bytes", opt,
                                 (unsigned) max);
    }

    if (!mana_utf8_valid(s, n)) {
        return mmctl_usage_error(ctx, "%s: not valid UTF-8", opt);
    }

    out->data = s;
    out->len = n;

    return MMCTL_OK;
}


static int
mmctl_cert_exists(mmctl_ctx_t *ctx, const char *sql_head, const char *code,
    const char *what, unsigned long long *id)
{
    int          rc, found;
    MYSQL_RES   *res;
    MYSQL_ROW    row;
    mana_buf_t   sql;

    mana_buf_init(&sql);
    mana_buf_adds(&sql, sql_head);
    mana_buf_add_sql_text(&sql, code, strlen(code));

    rc = mmctl_select(ctx, &sql, what, &res);
    if (rc != MMCTL_OK) {
        return rc;
    }

    row = mysql_fetch_row(res);
    found = row != NULL && row[0] != NULL;

    if (found && id) {
        *id = strtoull(row[0], NULL, 10);
    }

    mysql_free_result(res);

    return found ? MMCTL_OK : -1;
}


int
mmctl_cert_issuer(mmctl_ctx_t *ctx, const char *office,
    unsigned char *kid, EVP_PKEY **pkey)
{
    int             rc;
    const char     *path;
    mana_buf_t      where;
    mmctl_keys_t    all, active;
    unsigned char   master[MANA_SEAL_KEY_LEN];

    mana_buf_init(&where);
    mana_buf_adds(&where, "status = 'active' AND purpose = 'issuer' AND "
                  "name = ");
    mana_buf_add_sql_text(&where, office, strlen(office));

    if (mana_buf_failed(&where)) {
        mana_buf_free(&where);
        return mmctl_error(ctx, MMCTL_FAILED, "failed", "out of memory");
    }

    rc = mmctl_key_read(ctx, where.data, 0, &active);
    mana_buf_free(&where);

    if (rc != MMCTL_OK) {
        return rc;
    }

    if (active.n == 0) {
        mmctl_keys_free(&active);
        return mmctl_error(ctx, MMCTL_FAILED, "failed", "office %s has no "
                           "active issuer key: \"mmctl key generate "
                           "--purpose issuer --office %s\" makes one",
                           office, office);
    }

    rc = mmctl_master_key_load(ctx, master, &path);

    if (rc == MMCTL_OK) {
        rc = mmctl_key_read(ctx, NULL, 0, &all);

        if (rc == MMCTL_OK) {
            rc = mmctl_master_key_open(ctx, master, path, &active.v[0], &all,
                                       pkey);
            mmctl_keys_free(&all);
        }
    }

    OPENSSL_cleanse(master, sizeof(master));

    if (rc == MMCTL_OK) {
        memcpy(kid, active.v[0].kid, MANA_MM1_KID_LEN);
    }

    mmctl_keys_free(&active);

    return rc;
}


int
mmctl_cert_verify_host(mmctl_ctx_t *ctx, const char **host, char *source,
    size_t size)
{
    int  rc;

    rc = mmctl_conf_setting(ctx, "verify_host", host, source, size);
    if (rc != MMCTL_OK) {
        return rc;
    }

    if (*host == NULL || **host == '\0') {
        return mmctl_error(ctx, MMCTL_CONFIG, "config", "no verify host: "
                           "give --verify-host HOST, MANA_VERIFY_HOST or "
                           "verify_host in the config file");
    }

    return MMCTL_OK;
}


int
mmctl_cert_store(mmctl_ctx_t *ctx, mmctl_cert_req_t *req, EVP_PKEY *pkey,
    const unsigned char *kid, mana_buf_t *qr)
{
    int                 rc;
    char                iat_text[MANA_TIME_LEN + 1];
    char                exp_text[MANA_TIME_LEN + 1];
    int64_t             index;
    mana_buf_t          cose, sql;
    const char         *err;
    mana_mm1_claims_t  *c;
    unsigned char       leaf[MANA_TLOG_ISSUANCE_LEAF_LEN];

    c = &req->claims;

    c->iss.data = req->office;
    c->iss.len = strlen(req->office);
    c->iat = mmctl_key_now();
    c->schema = MANA_MM1_SCHEMA;

    if (c->exp != 0 && c->exp <= c->iat) {
        return mmctl_usage_error(ctx, "--expires: the date has passed");
    }

    if (RAND_bytes(c->cti, MANA_MM1_CTI_LEN) != 1) {
        return mmctl_error(ctx, MMCTL_FAILED, "failed", "the random "
                           "generator failed");
    }

    rc = mmctl_tlog_lock(ctx, &index);
    if (rc != MMCTL_OK) {
        return rc;
    }

    c->log_index = index;

    mana_buf_init(&cose);
    mana_buf_init(&sql);

    if (mana_mm1_sign(&cose, c, pkey, &err) != 0) {
        rc = mmctl_usage_error(ctx, "cannot sign the certificate: %s", err);
        goto done;
    }

    if (mana_mm1_qr_text(qr, req->host, (unsigned char *) cose.data,
                         cose.len)
        != 0
        || mana_buf_failed(qr))
    {
        rc = mmctl_error(ctx, MMCTL_CONFIG, "config", "verify host \"%s\" "
                         "(from %s): letters, digits, '-', '.' and ':' only",
                         req->host, req->host_source);
        goto done;
    }

    mana_time_format(iat_text, c->iat);
    iat_text[19] = '\0';
    iat_text[10] = ' ';

    mana_buf_adds(&sql, "INSERT INTO certificate (cti, kid, number, "
                  "service_code, doc_type, citizen_id, application_ref, "
                  "cose, issued_at, expires_at, log_index) VALUES (");
    mana_buf_add_sql_bytes(&sql, c->cti, MANA_MM1_CTI_LEN);
    mana_buf_adds(&sql, ", ");
    mana_buf_add_sql_bytes(&sql, kid, MANA_MM1_KID_LEN);
    mana_buf_adds(&sql, ", ");
    mana_buf_add_sql_text(&sql, c->number.data, c->number.len);
    mana_buf_adds(&sql, ", ");
    mana_buf_add_sql_text(&sql, req->service, strlen(req->service));
    mana_buf_addf(&sql, ", %lu, ", (unsigned long) c->doctype);

    if (req->citizen) {
        mana_buf_addf(&sql, "%llu, ", req->citizen);
    } else {
        mana_buf_adds(&sql, "NULL, ");
    }

    if (req->application) {
        mana_buf_add_sql_text(&sql, req->application,
                              strlen(req->application));
        mana_buf_adds(&sql, ", ");
    } else {
        mana_buf_adds(&sql, "NULL, ");
    }

    mana_buf_add_sql_bytes(&sql, cose.data, cose.len);
    mana_buf_addf(&sql, ", '%s', ", iat_text);

    if (c->exp) {
        mana_time_format(exp_text, c->exp);
        exp_text[19] = '\0';
        exp_text[10] = ' ';
        mana_buf_addf(&sql, "'%s'", exp_text);
    } else {
        mana_buf_adds(&sql, "NULL");
    }

    mana_buf_addf(&sql, ", %lld)", (long long) index);

    if (mana_buf_failed(&sql)) {
        rc = mmctl_error(ctx, MMCTL_FAILED, "failed", "out of memory");
        goto done;
    }

    if (mysql_real_query(ctx->mysql, sql.data, sql.len) != 0) {
        rc = mmctl_query_error(ctx, "cannot store the certificate");
        goto done;
    }

    if (mana_tlog_issuance_leaf(leaf, kid, (unsigned char *) cose.data,
                                cose.len, (uint64_t) c->iat, c->doctype)
        != 0)
    {
        rc = mmctl_error(ctx, MMCTL_FAILED, "failed", "cannot make the "
                         "issuance leaf");
        goto done;
    }

    rc = mmctl_tlog_append(ctx, index, leaf, sizeof(leaf));

done:

    mana_buf_free(&cose);
    mana_buf_free(&sql);

    return rc;
}


/*
 * --deliver: the certificate to its citizen, in the issuing transaction:
 * the PDF by a document link when there is a document key, the
 * verification link otherwise.
 */
static int
mmctl_cert_deliver(mmctl_ctx_t *ctx, const mmctl_cert_req_t *req,
    mana_buf_t *qr, const unsigned char *doc_key, size_t doc_key_len,
    const char **how)
{
    int           rc;
    char         *number;
    mana_buf_t    url, name;
    mmctl_var_t   vars[3];

    mana_buf_init(&url);
    mana_buf_init(&name);
    number = strndup(req->claims.number.data, req->claims.number.len);

    /* the QR text, NUL-terminated, without changing its length */
    mana_buf_add(qr, "", 1);
    qr->len--;

    if (number == NULL || mana_buf_failed(qr)) {
        free(number);
        return mmctl_error(ctx, MMCTL_FAILED, "failed", "out of memory");
    }

    rc = MMCTL_OK;

    if (doc_key_len
        && !mmctl_cert_renders(qr->data, req->host, req->service))
    {
        doc_key_len = 0;
    }

    *how = doc_key_len ? "document" : "link";

    if (doc_key_len) {
        rc = mmctl_cert_doc_link(ctx, doc_key, doc_key_len, req->claims.cti,
                                 (int64_t) time(NULL) + MANA_DOCLINK_TTL,
                                 &url);
        mana_buf_addf(&name, "%s.pdf", number);
        mana_buf_add(&name, "", 1);

        if (rc == MMCTL_OK && mana_buf_failed(&name)) {
            rc = mmctl_error(ctx, MMCTL_FAILED, "failed", "out of memory");
        }
    }

    vars[0].name = "{number}";
    vars[0].value = number;
    vars[1].name = "{link}";
    vars[1].value = qr->data;
    vars[2].name = NULL;

    if (rc == MMCTL_OK) {
        rc = mmctl_notify(ctx, req->citizen, req->service, number,
                          doc_key_len ? "certs.document" : "certs.link", vars,
                          doc_key_len ? url.data : NULL,
                          doc_key_len ? name.data : NULL);
    }

    free(number);
    mana_buf_free(&url);
    mana_buf_free(&name);

    return rc;
}


static int
mmctl_cert_issue(mmctl_ctx_t *ctx, mmctl_args_t *args)
{
    int                 rc, i, began, found;
    char                source[512], dept[MANA_TRUST_DEPT_MAX + 1];
    char                cti_hex[2 * MANA_MM1_CTI_LEN + 1], *end, *eq;
    char                exp_text[MANA_TIME_LEN + 1];
    const char         *v, *host, *to;
    int64_t             exp;
    size_t              nfacts, j;
    EVP_PKEY           *pkey;
    mana_buf_t          qr;
    mmctl_cert_req_t    req;
    mana_mm1_claims_t  *c;
    mana_mm1_fact_t     facts[MANA_MM1_MAX_FACTS];
    unsigned long       doctype;
    unsigned long long  citizen;
    unsigned char       kid[MANA_MM1_KID_LEN];
    int                 deliver;
    size_t              doc_key_len;
    const char         *delivery;
    unsigned char       doc_key[256];

    memset(&req, 0, sizeof(req));
    c = &req.claims;

    for (i = MMCTL_CERT_ISS_SERVICE; i <= MMCTL_CERT_ISS_HOLDER; i++) {
        if (i != MMCTL_CERT_ISS_TO && args->opt[i] == NULL) {
            return mmctl_usage_error(ctx, "%s is required",
                                     mmctl_cert_issue_options[i].name);
        }
    }

    deliver = args->opt[MMCTL_CERT_ISS_DELIVER] != NULL;

    if (deliver && args->opt[MMCTL_CERT_ISS_TO] == NULL) {
        return mmctl_usage_error(ctx, "--deliver needs --to: whom to send "
                                 "it to");
    }

    rc = mmctl_cert_text(ctx, "--number", args->opt[MMCTL_CERT_ISS_NUMBER],
                         MMCTL_CERT_NUMBER_MAX, &c->number);
    if (rc != MMCTL_OK) {
        return rc;
    }

    for (j = 0; j < c->number.len; j++) {
        if ((unsigned char) c->number.data[j] < 0x21
            || (unsigned char) c->number.data[j] > 0x7e)
        {
            return mmctl_usage_error(ctx, "--number: printable ASCII only");
        }
    }

    rc = mmctl_cert_text(ctx, "--holder", args->opt[MMCTL_CERT_ISS_HOLDER],
                         MMCTL_CERT_TEXT_MAX, &c->holder);
    if (rc != MMCTL_OK) {
        return rc;
    }

    if (args->opt[MMCTL_CERT_ISS_RELATION]) {
        rc = mmctl_cert_text(ctx, "--relation",
                             args->opt[MMCTL_CERT_ISS_RELATION],
                             MMCTL_CERT_TEXT_MAX, &c->relation);
        if (rc != MMCTL_OK) {
            return rc;
        }
    }

    nfacts = 0;

    for (i = 0; (v = mmctl_args_next(args, MMCTL_CERT_ISS_FIELD, &i)); ) {
        eq = strchr(v, '=');

        if (eq == NULL || eq == v || eq[1] == '\0') {
            return mmctl_usage_error(ctx, "--field \"%s\": expected "
                                     "KEY=VALUE", v);
        }

        if (nfacts == MANA_MM1_MAX_FACTS) {
            return mmctl_usage_error(ctx, "--field: at most %d fields",
                                     MANA_MM1_MAX_FACTS);
        }

        facts[nfacts].key.data = v;
        facts[nfacts].key.len = (size_t) (eq - v);
        facts[nfacts].value.data = eq + 1;
        facts[nfacts].value.len = strlen(eq + 1);

        if (facts[nfacts].key.len > MMCTL_CERT_TEXT_MAX
            || facts[nfacts].value.len > MMCTL_CERT_TEXT_MAX
            || !mana_utf8_valid(v, strlen(v)))
        {
            return mmctl_usage_error(ctx, "--field: a key or value that is "
                                     "not UTF-8 or longer than %d bytes",
                                     MMCTL_CERT_TEXT_MAX);
        }

        nfacts++;
    }

    c->facts = facts;
    c->nfacts = nfacts;

    exp = 0;

    if ((v = args->opt[MMCTL_CERT_ISS_EXPIRES]) != NULL) {
        if (strlen(v) != 10) {
            return mmctl_usage_error(ctx, "--expires \"%s\": expected "
                                     "YYYY-MM-DD", v);
        }

        memcpy(exp_text, v, 10);
        memcpy(exp_text + 10, "T00:00:00Z", 10);

        if (mana_time_parse(exp_text, MANA_TIME_LEN, &exp) != 0) {
            return mmctl_usage_error(ctx, "--expires \"%s\": expected "
                                     "YYYY-MM-DD", v);
        }
    }

    c->exp = exp;

    doctype = 1;

    if ((v = args->opt[MMCTL_CERT_ISS_DOCTYPE]) != NULL) {
        doctype = strtoul(v, &end, 10);

        if (*v < '0' || *v > '9' || *end != '\0' || doctype > 65535) {
            return mmctl_usage_error(ctx, "--doctype \"%s\": expected 0 to "
                                     "65535", v);
        }
    }

    c->doctype = doctype;

    rc = mmctl_cert_verify_host(ctx, &host, source, sizeof(source));
    if (rc != MMCTL_OK) {
        return rc;
    }

    rc = mmctl_catalogue_connect(ctx);
    if (rc != MMCTL_OK) {
        return rc;
    }

    rc = mmctl_cert_exists(ctx, "SELECT code FROM service WHERE code = ",
                           args->opt[MMCTL_CERT_ISS_SERVICE],
                           "cannot read the service", NULL);
    if (rc != MMCTL_OK) {
        return rc == -1
               ? mmctl_error(ctx, MMCTL_FAILED, "failed", "no service %s",
                             args->opt[MMCTL_CERT_ISS_SERVICE])
               : rc;
    }

    rc = mmctl_key_office(ctx, args->opt[MMCTL_CERT_ISS_OFFICE], dept,
                          sizeof(dept), &found);
    if (rc != MMCTL_OK) {
        return rc;
    }

    if (!found) {
        return mmctl_error(ctx, MMCTL_FAILED, "failed", "no office %s",
                           args->opt[MMCTL_CERT_ISS_OFFICE]);
    }

    citizen = 0;
    to = args->opt[MMCTL_CERT_ISS_TO];

    if (to) {
        rc = mmctl_cert_exists(ctx, "SELECT id FROM citizen WHERE phone = ",
                               to, "cannot read the citizen", &citizen);

        if (rc == -1 && strspn(to, "0123456789") == strlen(to) && *to) {
            rc = mmctl_cert_exists(ctx, "SELECT id FROM citizen WHERE "
                                   "CAST(id AS CHAR) = ", to,
                                   "cannot read the citizen", &citizen);
        }

        if (rc == -1) {
            return mmctl_error(ctx, MMCTL_FAILED, "failed", "no citizen "
                               "with that phone or id");
        }

        if (rc != MMCTL_OK) {
            return rc;
        }
    }

    pkey = NULL;
    rc = mmctl_cert_issuer(ctx, args->opt[MMCTL_CERT_ISS_OFFICE], kid, &pkey);
    if (rc != MMCTL_OK) {
        return rc;
    }

    /* read last, so that no early return leaves it in memory */
    doc_key_len = 0;
    delivery = NULL;

    if (deliver) {
        rc = mmctl_cert_doc_key(ctx, doc_key, sizeof(doc_key), &doc_key_len);
        if (rc != MMCTL_OK) {
            EVP_PKEY_free(pkey);
            OPENSSL_cleanse(doc_key, sizeof(doc_key));
            return rc;
        }
    }

    req.service = args->opt[MMCTL_CERT_ISS_SERVICE];
    req.office = args->opt[MMCTL_CERT_ISS_OFFICE];
    req.citizen = citizen;
    req.host = host;
    req.host_source = source;

    mana_buf_init(&qr);
    began = 0;

    rc = mmctl_exec(ctx, "cannot start a transaction", "START TRANSACTION");
    if (rc != MMCTL_OK) {
        goto done;
    }

    began = 1;

    rc = mmctl_cert_store(ctx, &req, pkey, kid, &qr);
    if (rc != MMCTL_OK) {
        goto done;
    }

    if (deliver) {
        rc = mmctl_cert_deliver(ctx, &req, &qr, doc_key, doc_key_len,
                                &delivery);
        if (rc != MMCTL_OK) {
            goto done;
        }
    }

    rc = mmctl_exec(ctx, "cannot commit", "COMMIT");
    if (rc != MMCTL_OK) {
        goto done;
    }

    began = 0;

    mana_hex_encode(cti_hex, c->cti, MANA_MM1_CTI_LEN);
    cti_hex[2 * MANA_MM1_CTI_LEN] = '\0';

    if (ctx->json) {
        printf("{\"id\":\"%s\",\"log_index\":%lld,\"qr\":", cti_hex,
               (long long) c->log_index);
        mmctl_json_strn(stdout, qr.data, qr.len);

        if (delivery) {
            printf(",\"delivery\":\"%s\"", delivery);
        }

        printf("}\n");
        ctx->json_done = 1;

    } else {
        printf("ID\t%s\nLOG_INDEX\t%lld\nQR\t%.*s\n", cti_hex,
               (long long) c->log_index, (int) qr.len, qr.data);

        if (delivery) {
            printf("DELIVERY\t%s\n", delivery);
        }
    }

done:

    if (began) {
        mmctl_exec(ctx, "cannot roll back", "ROLLBACK");
    }

    EVP_PKEY_free(pkey);
    mana_buf_free(&qr);
    OPENSSL_cleanse(doc_key, sizeof(doc_key));

    return rc;
}
