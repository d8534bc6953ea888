
/*
 * "mmctl cert pdf": the certificate as the citizen receives it, rendered
 * by lib/mana_pdf.c from the certificate's own signed claims and the
 * catalogue's names for its department, office and service.  The render
 * is a function of those alone (its dates are the issue time's), so a
 * certificate gives the same bytes every time and PDFs need not be kept.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mmctl_cert.h"
#include "mmctl_catalogue.h"
#include "mana_base32.h"
#include "mana_cert_pdf.h"
#include "mana_pdf.h"


/* the catalogue's names the page prints, NULL where there is none */
typedef struct {
    char        *text[6];
} mmctl_cert_names_t;

enum {
    MMCTL_CERT_DEPT_EN = 0,
    MMCTL_CERT_DEPT_TE,
    MMCTL_CERT_OFFICE_EN,
    MMCTL_CERT_OFFICE_TE,
    MMCTL_CERT_TITLE_EN,
    MMCTL_CERT_TITLE_TE
};


static void
mmctl_cert_names_free(mmctl_cert_names_t *names)
{
    size_t  i;

    for (i = 0; i < 6; i++) {
        free(names->text[i]);
        names->text[i] = NULL;
    }
}


/* the row's columns into names->text[first..first + n) */

static int
mmctl_cert_names_query(mmctl_ctx_t *ctx, mana_buf_t *sql,
    mmctl_cert_names_t *names, int first, int n)
{
    int             i;
    MYSQL_RES      *res;
    MYSQL_ROW       row;
    unsigned long  *len;

    if (mana_buf_failed(sql)) {
        return mmctl_error(ctx, MMCTL_FAILED, "failed", "out of memory");
    }

    if (mysql_real_query(ctx->mysql, sql->data, sql->len) != 0
        || (res = mysql_store_result(ctx->mysql)) == NULL)
    {
        return mmctl_query_error(ctx, "cannot read the catalogue's names");
    }

    row = mysql_fetch_row(res);

    if (row != NULL) {
        len = mysql_fetch_lengths(res);

        for (i = 0; i < n; i++) {
            if (row[i] == NULL || len[i] == 0) {
                continue;
            }

            names->text[first + i] = strndup(row[i], len[i]);

            if (names->text[first + i] == NULL) {
                mysql_free_result(res);
                return mmctl_error(ctx, MMCTL_FAILED, "failed",
                                   "out of memory");
            }
        }
    }

    mysql_free_result(res);

    return MMCTL_OK;
}


static int
mmctl_cert_names(mmctl_ctx_t *ctx, const mmctl_cert_t *c,
    const mana_mm1_str_t *office, mmctl_cert_names_t *names)
{
    int         rc;
    mana_buf_t  sql;

    mana_buf_init(&sql);
    mana_buf_adds(&sql, "SELECT JSON_UNQUOTE(JSON_EXTRACT(d.name, '$.en')), "
                  "JSON_UNQUOTE(JSON_EXTRACT(d.name, '$.te')) "
                  "FROM service s JOIN department d "
                  "ON d.id = s.department_id WHERE s.code = ");
    mana_buf_add_sql_text(&sql, c->service, strlen(c->service));

    /* the department's names, then the service's as the title */
    rc = mmctl_cert_names_query(ctx, &sql, names, MMCTL_CERT_DEPT_EN, 2);

    if (rc == MMCTL_OK) {
        mana_buf_free(&sql);
        mana_buf_init(&sql);
        mana_buf_adds(&sql, "SELECT JSON_UNQUOTE(JSON_EXTRACT(s.name, "
                      "'$.en')), JSON_UNQUOTE(JSON_EXTRACT(s.name, '$.te')) "
                      "FROM service s WHERE s.code = ");
        mana_buf_add_sql_text(&sql, c->service, strlen(c->service));
        rc = mmctl_cert_names_query(ctx, &sql, names, MMCTL_CERT_TITLE_EN,
                                    2);
    }

    if (rc == MMCTL_OK) {
        mana_buf_free(&sql);
        mana_buf_init(&sql);
        mana_buf_adds(&sql, "SELECT JSON_UNQUOTE(JSON_EXTRACT(name, '$.en')), "
                      "JSON_UNQUOTE(JSON_EXTRACT(name, '$.te')) "
                      "FROM office WHERE code = ");
        mana_buf_add_sql_text(&sql, office->data, office->len);
        rc = mmctl_cert_names_query(ctx, &sql, names, MMCTL_CERT_OFFICE_EN,
                                    2);
    }

    mana_buf_free(&sql);

    return rc;
}


/*
 * 1 when the certificate of the QR text qr draws as a page, so that a
 * document link to it would give a PDF: a certificate too full for one
 * page (more rows or longer values than it holds) is sent as its link.
 */
int
mmctl_cert_renders(const char *qr, const char *host, const char *service)
{
    int                     ok;
    char                    err[256];
    size_t                  n;
    const char             *b32;
    mana_buf_t              pdf;
    unsigned char           cose[MANA_MM1_MAX_LEN];
    mana_cert_pdf_names_t   none;

    b32 = strstr(qr, "/C/");

    if (b32 == NULL
        || mana_base32_decode(cose, sizeof(cose), &n, b32 + 3, strlen(b32 + 3))
           != MANA_BASE32_OK
        || mana_pdf_init(NULL, 1, err, sizeof(err)) != 0)
    {
        return 0;
    }

    memset(&none, 0, sizeof(none));
    mana_buf_init(&pdf);

    ok = mana_cert_pdf_render(cose, n, host, service, &none, &pdf, err,
                              sizeof(err))
         == 0;

    if (!ok) {
        mmctl_note("the certificate cannot be drawn as a PDF (%s): its link "
                   "is sent instead", err);
    }

    mana_buf_free(&pdf);
    mana_pdf_cleanup();

    return ok;
}


int
mmctl_cert_pdf(mmctl_ctx_t *ctx, mmctl_args_t *args)
{
    int                     rc;
    char                    err[256], source[512];
    const char             *output, *host;
    mana_buf_t              pdf;
    mmctl_cert_t           *c;
    mmctl_certs_t           certs;
    mana_mm1_parsed_t      *p;
    mmctl_cert_names_t      names;
    const char             *perr;
    mana_cert_pdf_names_t   pn;

    output = args->opt[0];

    if (output == NULL || *output == '\0') {
        return mmctl_usage_error(ctx, "-o FILE is required (\"-o -\" for "
                                 "stdout)");
    }

    rc = mmctl_catalogue_connect(ctx);
    if (rc != MMCTL_OK) {
        return rc;
    }

    rc = mmctl_cert_find(ctx, args->argv[0], 0, &certs, &c);
    if (rc != MMCTL_OK) {
        return rc;
    }

    memset(&names, 0, sizeof(names));
    mana_buf_init(&pdf);

    p = malloc(sizeof(mana_mm1_parsed_t));
    if (p == NULL) {
        rc = mmctl_error(ctx, MMCTL_FAILED, "failed", "out of memory");
        goto done;
    }

    if (mana_mm1_parse(p, c->cose, c->cose_len, &perr) != 0) {
        rc = mmctl_error(ctx, MMCTL_FAILED, "failed", "certificate %s: its "
                         "stored bytes do not parse: %s", c->cti_hex, perr);
        goto done;
    }

    rc = mmctl_cert_verify_host(ctx, &host, source, sizeof(source));
    if (rc != MMCTL_OK) {
        goto done;
    }

    rc = mmctl_cert_names(ctx, c, &p->claims.iss, &names);
    if (rc != MMCTL_OK) {
        goto done;
    }

    pn.dept_en = names.text[MMCTL_CERT_DEPT_EN];
    pn.dept_te = names.text[MMCTL_CERT_DEPT_TE];
    pn.office_en = names.text[MMCTL_CERT_OFFICE_EN];
    pn.office_te = names.text[MMCTL_CERT_OFFICE_TE];
    pn.title_en = names.text[MMCTL_CERT_TITLE_EN];
    pn.title_te = names.text[MMCTL_CERT_TITLE_TE];

    if (mana_pdf_init(NULL, 1, err, sizeof(err)) != 0) {
        rc = mmctl_error(ctx, MMCTL_FAILED, "failed", "cannot start the PDF "
                         "renderer: %s", err);
        goto done;
    }

    if (mana_cert_pdf_render(c->cose, c->cose_len, host, c->service, &pn,
                             &pdf, err, sizeof(err))
        != 0)
    {
        rc = mmctl_error(ctx, MMCTL_FAILED, "failed", "cannot render "
                         "certificate %s: %s", c->cti_hex, err);
        mana_pdf_cleanup();
        goto done;
    }

    mana_pdf_cleanup();

    if (strcmp(output, "-") == 0) {
        rc = (fwrite(pdf.data, 1, pdf.len, stdout) == pdf.len
              && fflush(stdout) == 0)
             ? MMCTL_OK
             : mmctl_error(ctx, MMCTL_FAILED, "failed", "cannot write to "
                           "stdout: %s", strerror(errno));

    } else {
        /* mode 0600: the page carries the holder's name */
        rc = mmctl_write_file(ctx, output, pdf.data, pdf.len, 0600);
    }
    if (rc != MMCTL_OK) {
        goto done;
    }

    if (strcmp(output, "-") != 0) {
        if (ctx->json) {
            printf("{\"id\":\"%s\",\"file\":", c->cti_hex);
            mmctl_json_str(stdout, output);
            printf(",\"bytes\":%zu}\n", pdf.len);
            ctx->json_done = 1;

        } else {
            printf("ID\t%s\nFILE\t%s\nBYTES\t%zu\n", c->cti_hex, output,
                   pdf.len);
        }
    }

done:

    mmctl_cert_names_free(&names);
    mana_buf_free(&pdf);
    free(p);
    mmctl_certs_free(&certs);

    return rc;
}
