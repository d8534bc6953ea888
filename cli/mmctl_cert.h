
/*
 * Issuing a certificate inside the caller's transaction: "mmctl cert
 * issue" and "mmctl app approve" sign, store and log a certificate the
 * same way, and differ only in where its claims come from and in what
 * else their transaction writes.
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


#endif /* _MMCTL_CERT_H_INCLUDED_ */
