
/*
 * Issuing a certificate inside the caller's transaction: "mmctl cert
 * issue" and "mmctl app approve" sign, store and log a certificate the
 * same way, and differ only in where its claims come from and in what
 * else their transaction writes.
 *
 * What the "cert" noun's files share: a certificate as mmctl reads it
 * from its row (and from its own signed bytes), the ways an officer names
 * one, and the verbs' handlers, whose table is in mmctl_cert.c.
 */

#ifndef _MMCTL_CERT_H_INCLUDED_
#define _MMCTL_CERT_H_INCLUDED_


#include <stdint.h>

#include <openssl/evp.h>

#include "mmctl.h"
#include "mana_buf.h"
#include "mana_mm1.h"


/* the printed number as the column holds it */
#define MMCTL_CERT_NUMBER_MAX  64
/* one text claim: the certificate as a whole is bounded by mana_mm1_sign */
#define MMCTL_CERT_TEXT_MAX    255


typedef struct {
    /*
     * number, holder, relation, facts, exp and doctype come from the
     * caller; iss, iat, cti, schema and log_index are set when it is stored
     */
    mana_mm1_claims_t       claims;
    const char             *service;
    const char             *office;
    unsigned long long      citizen;        /* 0: issued to no citizen */
    const char             *application;    /* its ref, or NULL */
    const char             *host;           /* the verify host */
    const char             *host_source;    /* where host came from */
} mmctl_cert_req_t;


/* the verify host (--verify-host...), or MMCTL_CONFIG when none is set */
int mmctl_cert_verify_host(mmctl_ctx_t *ctx, const char **host,
    char *source, size_t size);

/*
 * The office's active issuer key, opened: *kid and *pkey.  No key is
 * MMCTL_FAILED with a message that says how to make one.
 */
int mmctl_cert_issuer(mmctl_ctx_t *ctx, const char *office,
    unsigned char *kid, EVP_PKEY **pkey);

/*
 * Inside the caller's open transaction: locks the log, signs req's claims
 * with pkey, stores the certificate and appends its issuance leaf.  The
 * QR text goes to qr, the certificate's id (cti) and log index to
 * req->claims.  Nothing is committed: the caller commits or rolls back.
 */
int mmctl_cert_store(mmctl_ctx_t *ctx, mmctl_cert_req_t *req,
    EVP_PKEY *pkey, const unsigned char *kid, mana_buf_t *qr);

#include "mana_tlog.h"


#define MMCTL_CERT_SERVICE_MAX  32
#define MMCTL_CERT_PHONE_MAX    32
/* the certificate column: what mana_mm1_sign ever writes fits in it */
#define MMCTL_CERT_COSE_MAX     4096


typedef struct {
    unsigned long long      id;
    unsigned char           cti[MANA_MM1_CTI_LEN];
    char                    cti_hex[2 * MANA_MM1_CTI_LEN + 1];
    unsigned char           kid[MANA_MM1_KID_LEN];
    char                    kid_hex[2 * MANA_MM1_KID_LEN + 1];
    char                    number[MMCTL_CERT_NUMBER_MAX + 1];
    char                    service[MMCTL_CERT_SERVICE_MAX + 1];
    unsigned                doctype;
    unsigned long long      citizen;        /* 0: none */
    char                    phone[MMCTL_CERT_PHONE_MAX + 1];  /* "": none */
    unsigned char          *cose;
    size_t                  cose_len;
    int64_t                 issued_at;
    int64_t                 expires_at;     /* 0: none */
    char                    status[16];     /* valid, revoked, superseded */
    int64_t                 revoked_at;     /* -1: not revoked */
    int                     reason;         /* -1: none */
    int64_t                 log_index;
} mmctl_cert_t;


typedef struct {
    mmctl_cert_t           *v;
    size_t                  n;
} mmctl_certs_t;


/* mmctl_cert_db.c */

/*
 * Reads the certificates that match where (an SQL condition on the
 * certificate table, aliased c, or NULL for all), oldest first; with
 * for_update, under row locks in the caller's transaction.
 */
int mmctl_cert_read(mmctl_ctx_t *ctx, const char *where, int for_update,
    mmctl_certs_t *certs);
void mmctl_certs_free(mmctl_certs_t *certs);

/*
 * The one certificate an officer names: its id (the cti as 24 hexadecimal
 * digits, either case, as "cert issue" prints it) or its printed number.
 * None, or a number that several certificates share, is MMCTL_FAILED
 * with a message that says so.  *cert points into certs.
 */
int mmctl_cert_find(mmctl_ctx_t *ctx, const char *id, int for_update,
    mmctl_certs_t *certs, mmctl_cert_t **cert);

/*
 * The status a verifier sees: revoked or superseded as stored, expired
 * once expires_at has passed, else valid.
 */
const char *mmctl_cert_status(const mmctl_cert_t *c, int64_t now);

/*
 * The QR text of c ("HTTPS://<HOST>/C/<BASE32>") with the configured
 * verify host; MMCTL_CONFIG when there is none or it is not a host.
 */
int mmctl_cert_qr(mmctl_ctx_t *ctx, const mmctl_cert_t *c, mana_buf_t *qr);

/* c's issuance leaf, rebuilt from its row: 0 or -1 */
int mmctl_cert_issuance_leaf(const mmctl_cert_t *c,
    unsigned char leaf[MANA_TLOG_ISSUANCE_LEAF_LEN]);


/* the verbs */

int mmctl_cert_show(mmctl_ctx_t *ctx, mmctl_args_t *args);
int mmctl_cert_list(mmctl_ctx_t *ctx, mmctl_args_t *args);
int mmctl_cert_revoke(mmctl_ctx_t *ctx, mmctl_args_t *args);
int mmctl_cert_pdf(mmctl_ctx_t *ctx, mmctl_args_t *args);
int mmctl_cert_link(mmctl_ctx_t *ctx, mmctl_args_t *args);

/* 1 when the certificate of QR text qr draws as a PDF (mmctl_cert_pdf.c) */
int mmctl_cert_renders(const char *qr, const char *host, const char *service);

/*
 * The document key (mmctl_cert_link.c): *len 0 when none is configured,
 * an error when the configured file is unreadable or the key too short.
 */
int mmctl_cert_doc_key(mmctl_ctx_t *ctx, unsigned char *key, size_t max,
    size_t *len);

/* https://<verify host>/D/<token>, NUL-terminated, appended to url */
int mmctl_cert_doc_link(mmctl_ctx_t *ctx, const unsigned char *key,
    size_t key_len, const unsigned char cti[MANA_MM1_CTI_LEN],
    int64_t expires, mana_buf_t *url);
int mmctl_cert_verify(mmctl_ctx_t *ctx, mmctl_args_t *args);


#endif /* _MMCTL_CERT_H_INCLUDED_ */
