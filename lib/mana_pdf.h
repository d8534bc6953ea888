/*
 * The certificate as a one-page A4 PDF: the issuing department and the
 * document's title in Telugu and English, the certificate number, the
 * holder's name, a table of the document's facts, the verification QR
 * code (drawn as vectors) with its URL printed under it, the issuance log
 * index, the dates, and a footer that says how to verify it.  See
 * docs/certificate-pdf.md.
 *
 * Text is shaped by pango (HarfBuzz) with fonts the caller names at
 * mana_pdf_init() (Debian's Noto Sans, Noto Sans Telugu and DejaVu Sans
 * Mono by default), from a private fontconfig configuration that holds
 * only those files: the page looks the same whatever else the machine has
 * installed.  cairo writes a ToUnicode map and ActualText for the shaped
 * clusters, so that copying or pdftotext gives back the exact strings.
 *
 * The output is a function of the input alone: the same document gives the
 * same bytes (the PDF dates come from the issue time).
 *
 * Threads: mana_pdf_render() may run in any number of threads at once
 * (nginx's thread pool).  Each render borrows a font map (fontconfig
 * configuration, pango font map, loaded faces) from a pool under a mutex
 * and gives it back; a render that finds none free makes one, which costs
 * tens of milliseconds the first time.
 *
 * Once at start, in each process that renders: call mana_pdf_init() after
 * any fork() (an nginx worker's init_process, not the master: glib may
 * start threads of its own, and a fork loses them), with as many warm font
 * maps as threads will render at once.  mana_pdf_cleanup() at exit, when no
 * render runs.
 */

#ifndef MANA_PDF_H
#define MANA_PDF_H

#include <stddef.h>
#include <stdint.h>

#include "mana_buf.h"


/* bounds on the input: anything over them is refused, not cut */
#define MANA_PDF_MAX_FIELDS  24
#define MANA_PDF_MAX_TEXT    2048       /* bytes of any one string */
#define MANA_PDF_MAX_FONTS   16


/*
 * One row of the table.  At least one of the labels; a NULL or empty value
 * prints as an empty cell.  Values wrap; "\n" in a value starts a new line.
 */
typedef struct {
    const char  *label_te;
    const char  *label_en;
    const char  *value;
} mana_pdf_field_t;

/*
 * Every string is UTF-8, NUL-terminated, without control characters (but
 * "\n" in field values); a string that is not is refused with an error,
 * never printed.  Strings marked "required" must not be NULL or empty.
 */
typedef struct {
    const char              *dept_te;           /* "రెవెన్యూ శాఖ" */
    const char              *dept_en;           /* required */
    const char              *office_te;         /* the issuing office */
    const char              *office_en;
    const char              *title_te;          /* "ఆదాయ ధృవీకరణ పత్రం" */
    const char              *title_en;          /* required */
    const char              *number;            /* required, as printed */
    const char              *holder_name;       /* required, as printed */
    const char              *holder_name_alt;   /* the same in the other
                                                   script, or NULL */
    const mana_pdf_field_t  *fields;
    size_t                   nfields;
    const char              *verify_url;        /* required: the QR's text */
    int64_t                  log_index;         /* < 0: not printed */
    int64_t                  issued_at;         /* unix seconds, required */
    int64_t                  expires_at;        /* 0: none */
} mana_pdf_doc_t;

/* where things went, for tests and for the caller's records */
typedef struct {
    double  page_width;         /* points (1/72 inch) */
    double  page_height;
    double  qr_x;               /* the QR's box, quiet zone included, */
    double  qr_y;               /* from the page's top left corner */
    double  qr_side;
    int     qr_modules;         /* modules a side, quiet zone excluded */
    int     qr_version;
    int     qr_rects;           /* rectangles drawn for the dark modules */
    double  value_size;         /* the table's font size after fitting */
} mana_pdf_info_t;


/*
 * font_files: paths of font files, NULL-terminated, or NULL for the
 * default (mana_pdf_default_fonts).  They must hold the families Noto Sans,
 * Noto Sans Telugu and DejaVu Sans Mono (regular; bold where there is one).
 * warm: font maps to make now (the number of threads that will render).
 * Returns 0, or -1 with the reason in err.  Not thread-safe: call it once,
 * before any render.
 */
int mana_pdf_init(const char *const *font_files, unsigned warm, char *err,
    size_t errlen);
void mana_pdf_cleanup(void);

extern const char *const  mana_pdf_default_fonts[];

/*
 * Renders doc as PDF bytes appended to out.  Returns 0, or -1 with the
 * reason in err (bad input, does not fit the page, not initialised, out of
 * memory) and out as it was.  info may be NULL.
 */
int mana_pdf_render(const mana_pdf_doc_t *doc, mana_buf_t *out, char *err,
    size_t errlen);
int mana_pdf_render_info(const mana_pdf_doc_t *doc, mana_buf_t *out,
    mana_pdf_info_t *info, char *err, size_t errlen);

#endif /* MANA_PDF_H */
