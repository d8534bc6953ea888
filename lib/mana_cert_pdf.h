/*
 * A certificate's PDF from its signed bytes: the page of mana_pdf.h filled
 * from the MM1 claims (number, holder, relation, facts, log index, dates),
 * the QR text for the verify host, and the catalogue's names of the
 * department, office and service.  The same bytes, host and names give the
 * same PDF, so PDFs need not be stored: mmctl cert pdf and nginx's
 * mana_document render the one the citizen was sent.
 *
 * Thread-safe as mana_pdf_render() is: nginx runs it in its thread pool.
 */

#ifndef MANA_CERT_PDF_H
#define MANA_CERT_PDF_H

#include <stddef.h>

#include "mana_buf.h"


/* the catalogue's names; NULL or "" where there is none */
typedef struct {
    const char  *dept_en;
    const char  *dept_te;
    const char  *office_en;
    const char  *office_te;
    const char  *title_en;
    const char  *title_te;
} mana_cert_pdf_names_t;


/*
 * Appends the PDF of the certificate cose (n bytes) to out.  Returns 0, or
 * -1 with the reason in err and out as it was.  The department and title
 * fall back to the service code where the catalogue has no English name.
 */
int mana_cert_pdf_render(const unsigned char *cose, size_t n,
    const char *verify_host, const char *service,
    const mana_cert_pdf_names_t *names, mana_buf_t *out, char *err,
    size_t errlen);

#endif /* MANA_CERT_PDF_H */
