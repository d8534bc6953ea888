/*
 * "mmctl cert link": the address Meta fetches a certificate's PDF from
 * (https://<verify host>/D/<token>, lib/mana_doclink.h), and the same link
 * for "app approve", which sends it to the citizen as a document message.
 * The token is keyed with the document key nginx's mana_document checks;
 * mmctl reads it from --document-key-file, MANA_DOCUMENT_KEY_FILE or
 * document_key_file.
 */

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>

#include "mmctl_cert.h"
#include "mmctl_catalogue.h"
#include "mana_doclink.h"
#include "mana_time.h"


/* how long a link lives: a week unless asked, a month at most */
#define MMCTL_CERT_LINK_MAX_DAYS  30


int
mmctl_cert_doc_key(mmctl_ctx_t *ctx, unsigned char *key, size_t max,
    size_t *len)
{
    int          rc, n;
    char         source[512], err[600];
    const char  *path;

    rc = mmctl_conf_setting(ctx, "document_key_file", &path, source,
                            sizeof(source));
    if (rc != MMCTL_OK) {
        return rc;
    }

    if (path == NULL || *path == '\0') {
        *len = 0;
        return MMCTL_OK;
    }

    n = mana_doclink_key_read(path, key, max, err, sizeof(err));
    if (n < 0) {
        return mmctl_error(ctx, MMCTL_CONFIG, "config", "document key (from "
                           "%s): %s", source, err);
    }

    *len = (size_t) n;

    return MMCTL_OK;
}


int
mmctl_cert_doc_link(mmctl_ctx_t *ctx, const unsigned char *key,
    size_t key_len, const unsigned char cti[MANA_MM1_CTI_LEN],
    int64_t expires, mana_buf_t *url)
{
    int          rc;
    char         token[MANA_DOCLINK_TOKEN_LEN + 1], source[512];
    const char  *host;

    rc = mmctl_cert_verify_host(ctx, &host, source, sizeof(source));
    if (rc != MMCTL_OK) {
        return rc;
    }

    if (mana_doclink_token(token, key, key_len, cti, expires) != 0) {
        return mmctl_error(ctx, MMCTL_FAILED, "failed", "cannot make a "
                           "document link expiring at %lld",
                           (long long) expires);
    }

    mana_buf_addf(url, "https://%s/D/%s", host, token);
    mana_buf_add(url, "", 1);

    if (mana_buf_failed(url)) {
        return mmctl_error(ctx, MMCTL_FAILED, "failed", "out of memory");
    }

    return MMCTL_OK;
}


int
mmctl_cert_link(mmctl_ctx_t *ctx, mmctl_args_t *args)
{
    int             rc;
    char           *end, when[MANA_TIME_LEN + 1];
    long            days;
    size_t          key_len;
    int64_t         expires;
    mana_buf_t      url;
    mmctl_cert_t   *c;
    mmctl_certs_t   certs;
    unsigned char   key[256];

    days = 7;

    if (args->opt[0] != NULL) {
        days = strtol(args->opt[0], &end, 10);

        if (*args->opt[0] == '\0' || *end != '\0' || days < 1
            || days > MMCTL_CERT_LINK_MAX_DAYS)
        {
            return mmctl_usage_error(ctx, "--days \"%s\": a number of days "
                                     "from 1 to %d", args->opt[0],
                                     MMCTL_CERT_LINK_MAX_DAYS);
        }
    }

    rc = mmctl_cert_doc_key(ctx, key, sizeof(key), &key_len);
    if (rc != MMCTL_OK) {
        return rc;
    }

    if (key_len == 0) {
        return mmctl_error(ctx, MMCTL_CONFIG, "config", "no document key: "
                           "give --document-key-file FILE, "
                           "MANA_DOCUMENT_KEY_FILE or document_key_file in "
                           "the config file (the file nginx's "
                           "mana_document_key_file names)");
    }

    rc = mmctl_catalogue_connect(ctx);
    if (rc != MMCTL_OK) {
        OPENSSL_cleanse(key, sizeof(key));
        return rc;
    }

    rc = mmctl_cert_find(ctx, args->argv[0], 0, &certs, &c);
    if (rc != MMCTL_OK) {
        OPENSSL_cleanse(key, sizeof(key));
        return rc;
    }

    mana_buf_init(&url);

    if (strcmp(c->status, "valid") != 0) {
        /* the document server would refuse it: say so now */
        rc = mmctl_error(ctx, MMCTL_FAILED, "failed", "certificate %s is "
                         "%s: no document link is given for it",
                         c->cti_hex, c->status);
        goto done;
    }

    expires = (int64_t) time(NULL) + days * 86400;

    rc = mmctl_cert_doc_link(ctx, key, key_len, c->cti, expires, &url);
    if (rc != MMCTL_OK) {
        goto done;
    }

    mana_time_format(when, expires);

    if (ctx->json) {
        printf("{\"id\":\"%s\",\"url\":", c->cti_hex);
        mmctl_json_str(stdout, url.data);
        printf(",\"expires_at\":\"%s\"}\n", when);
        ctx->json_done = 1;

    } else {
        printf("ID\t%s\nURL\t%s\nEXPIRES_AT\t%s\n", c->cti_hex, url.data,
               when);
    }

done:

    OPENSSL_cleanse(key, sizeof(key));
    mana_buf_free(&url);
    mmctl_certs_free(&certs);

    return rc;
}
