#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mana_cert_pdf.h"
#include "mana_mm1.h"
#include "mana_pdf.h"


/* a claim's text, NUL-terminated, in strings at *used */
static const char *
mana_cert_pdf_str(char *strings, size_t *used, const mana_mm1_str_t *s)
{
    char  *p;

    p = strings + *used;
    memcpy(p, s->data, s->len);
    p[s->len] = '\0';
    *used += s->len + 1;

    return p;
}


static const char *
mana_cert_pdf_name(const char *name, const char *fallback)
{
    return (name != NULL && *name != '\0') ? name : fallback;
}


int
mana_cert_pdf_render(const unsigned char *cose, size_t n,
    const char *verify_host, const char *service,
    const mana_cert_pdf_names_t *names, mana_buf_t *out, char *err,
    size_t errlen)
{
    int                 rc;
    char               *strings;
    size_t              i, used, nf;
    const char         *perr;
    mana_buf_t          qr;
    mana_pdf_doc_t      doc;
    mana_pdf_field_t    fields[MANA_PDF_MAX_FIELDS];
    mana_mm1_parsed_t  *p;

    p = malloc(sizeof(mana_mm1_parsed_t));

    /* every claim's text fits in the certificate's own bytes, plus NULs */
    strings = malloc(n + 2 * MANA_MM1_MAX_FACTS + 8);

    mana_buf_init(&qr);
    rc = -1;

    if (p == NULL || strings == NULL) {
        snprintf(err, errlen, "out of memory");
        goto done;
    }

    if (mana_mm1_parse(p, cose, n, &perr) != 0) {
        snprintf(err, errlen, "the certificate does not parse: %s", perr);
        goto done;
    }

    if (mana_mm1_qr_text(&qr, verify_host, cose, n) != 0) {
        snprintf(err, errlen, "the verify host is not a QR code's host");
        goto done;
    }

    mana_buf_add(&qr, "", 1);

    if (mana_buf_failed(&qr)) {
        snprintf(err, errlen, "out of memory");
        goto done;
    }

    nf = p->claims.nfacts + (p->claims.relation.len != 0);

    if (nf > MANA_PDF_MAX_FIELDS) {
        snprintf(err, errlen, "its relation and %zu facts make more than %d "
                 "rows", p->claims.nfacts, MANA_PDF_MAX_FIELDS);
        goto done;
    }

    used = 0;
    nf = 0;

    /* the relation is a row of the table, before the facts */
    if (p->claims.relation.len) {
        fields[nf].label_te = NULL;
        fields[nf].label_en = "Relation";
        fields[nf].value = mana_cert_pdf_str(strings, &used,
                                             &p->claims.relation);
        nf++;
    }

    for (i = 0; i < p->claims.nfacts; i++) {
        fields[nf].label_te = NULL;
        fields[nf].label_en = mana_cert_pdf_str(strings, &used,
                                                &p->claims.facts[i].key);
        fields[nf].value = mana_cert_pdf_str(strings, &used,
                                             &p->claims.facts[i].value);
        nf++;
    }

    memset(&doc, 0, sizeof(doc));

    doc.dept_en = mana_cert_pdf_name(names->dept_en, service);
    doc.dept_te = names->dept_te;
    doc.office_en = names->office_en;
    doc.office_te = names->office_te;
    doc.title_en = mana_cert_pdf_name(names->title_en, service);
    doc.title_te = names->title_te;
    doc.number = mana_cert_pdf_str(strings, &used, &p->claims.number);
    doc.holder_name = mana_cert_pdf_str(strings, &used, &p->claims.holder);
    doc.fields = fields;
    doc.nfields = nf;
    doc.verify_url = qr.data;
    doc.log_index = p->claims.log_index;
    doc.issued_at = p->claims.iat;
    doc.expires_at = p->claims.exp;

    rc = mana_pdf_render(&doc, out, err, errlen);

done:

    mana_buf_free(&qr);
    free(strings);
    free(p);

    return rc;
}
