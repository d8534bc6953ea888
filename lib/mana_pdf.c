#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cairo.h>
#include <cairo-pdf.h>
#include <pango/pangocairo.h>

#include "mana_pdf.h"
#include "mana_pdf_int.h"
#include "mana_qr.h"
#include "mana_utf8.h"


#define MANA_PDF_MM          (72.0 / 25.4)
#define MANA_PDF_PAGE_W      (210.0 * MANA_PDF_MM)
#define MANA_PDF_PAGE_H      (297.0 * MANA_PDF_MM)
#define MANA_PDF_MARGIN      (20.0 * MANA_PDF_MM)
#define MANA_PDF_TOP         (18.0 * MANA_PDF_MM)
#define MANA_PDF_BOTTOM      (MANA_PDF_PAGE_H - 16.0 * MANA_PDF_MM)
#define MANA_PDF_WIDTH       (MANA_PDF_PAGE_W - 2 * MANA_PDF_MARGIN)

/*
 * The QR: at least 40 mm with its quiet zone (the design asks for 30), at
 * least 0.5 mm a module so that an old phone's camera resolves it, at
 * most 65 mm.
 */
#define MANA_PDF_QR_MIN      (40.0 * MANA_PDF_MM)
#define MANA_PDF_QR_MAX      (65.0 * MANA_PDF_MM)
#define MANA_PDF_QR_MODULE   (0.5 * MANA_PDF_MM)
#define MANA_PDF_QR_QUIET    4

/* India has one time zone and no daylight saving: dates print in IST */
#define MANA_PDF_IST         (5 * 3600 + 30 * 60)

/* up to year 9999, so that a date always has four digits */
#define MANA_PDF_MAX_TIME    INT64_C(253402300799)

/* room for any int the compiler can imagine in a struct tm */
#define MANA_PDF_DATE_LEN    48

#define MANA_PDF_LEFT        PANGO_ALIGN_LEFT
#define MANA_PDF_CENTER      PANGO_ALIGN_CENTER
#define MANA_PDF_RIGHT       PANGO_ALIGN_RIGHT

#define MANA_PDF_REGULAR     0
#define MANA_PDF_BOLD        1
#define MANA_PDF_MONO        2


typedef struct {
    cairo_t                *cr;
    PangoLayout            *layout;
    const mana_pdf_doc_t   *doc;
    const mana_qr_t        *qr;
    mana_pdf_info_t        *info;
    double                  y;          /* the next block's top */
} mana_pdf_page_t;


/* the fixed words of the page, in both languages */
static const char  mana_pdf_w_number[] =
    "సర్టిఫికెట్ సంఖ్య / Certificate No.";
static const char  mana_pdf_w_issued[] = "జారీ తేదీ / Date of issue";
static const char  mana_pdf_w_expires[] =
    "చెల్లుబాటు గడువు / Valid until";
static const char  mana_pdf_w_name[] = "పేరు / Name";
static const char  mana_pdf_w_log[] =
    "జారీ లాగ్ సంఖ్య / Issuance log index";
static const char  mana_pdf_w_verify[] = "ధృవీకరణ / Verification";
static const char  mana_pdf_w_signed[] =
    "ఇది డిజిటల్ సంతకంతో జారీ చేసిన పత్రం; చేతి సంతకం అవసరం లేదు.\n"
    "Digitally signed: no handwritten signature is needed.";
static const char  mana_pdf_w_link[] = "ధృవీకరణ లింక్ / Verification link";
static const char  mana_pdf_w_footer[] =
    "ఈ పత్రం నిజమైనదో కాదో తెలుసుకోవడానికి QR కోడ్‌ను ఏ ఫోన్ "
    "కెమెరాతోనైనా స్కాన్ చేయండి, లేదా పై లింక్‌ను తెరవండి.\n"
    "To verify this certificate, scan the QR code with any phone camera or "
    "open the link above: the page it opens shows the details recorded at "
    "issue and whether the certificate is still valid. Compare them with "
    "this paper.";


/* input checks ----------------------------------------------------------- */

/*
 * Code points that would change how other text reads (C1 controls, bidi
 * embeddings, overrides and isolates: a name could be shown reversed), or
 * that print as nothing useful.
 */
static int
mana_pdf_bad_cp(unsigned int cp, int newlines)
{
    if (cp < 0x20) {
        return !(newlines && cp == '\n');
    }

    return cp == 0x7f
           || (cp >= 0x80 && cp <= 0x9f)
           || (cp >= 0x202a && cp <= 0x202e)
           || (cp >= 0x2066 && cp <= 0x2069)
           || cp == 0xfffe || cp == 0xffff;
}


static int
mana_pdf_check(const char *what, const char *s, int required, int newlines,
    size_t max, char *err, size_t errlen)
{
    size_t               i, n;
    unsigned int         cp;
    const unsigned char *p;

    if (s == NULL || s[0] == '\0') {
        if (required) {
            snprintf(err, errlen, "PDF: %s is required", what);
            return -1;
        }

        return 0;
    }

    n = strnlen(s, max + 1);

    if (n > max) {
        snprintf(err, errlen, "PDF: %s is over %zu bytes", what, max);
        return -1;
    }

    if (!mana_utf8_valid(s, n)) {
        snprintf(err, errlen, "PDF: %s is not valid UTF-8", what);
        return -1;
    }

    p = (const unsigned char *) s;

    for (i = 0; i < n; /* void */) {
        if (p[i] < 0x80) {
            cp = p[i++];

        } else if (p[i] < 0xe0) {
            cp = (p[i] & 0x1fu) << 6 | (p[i + 1] & 0x3fu);
            i += 2;

        } else if (p[i] < 0xf0) {
            cp = (p[i] & 0x0fu) << 12 | (p[i + 1] & 0x3fu) << 6
                 | (p[i + 2] & 0x3fu);
            i += 3;

        } else {
            cp = (p[i] & 0x07u) << 18 | (p[i + 1] & 0x3fu) << 12
                 | (p[i + 2] & 0x3fu) << 6 | (p[i + 3] & 0x3fu);
            i += 4;
        }

        if (mana_pdf_bad_cp(cp, newlines)) {
            snprintf(err, errlen, "PDF: %s holds the control character "
                     "U+%04X", what, cp);
            return -1;
        }
    }

    return 0;
}


static int
mana_pdf_check_doc(const mana_pdf_doc_t *doc, char *err, size_t errlen)
{
    size_t                   i;
    char                     what[48];
    const mana_pdf_field_t  *f;

#define MANA_PDF_CHECK(name, req)                                             \
    if (mana_pdf_check(#name, doc->name, req, 0, MANA_PDF_MAX_TEXT, err,      \
                       errlen) != 0)                                          \
    {                                                                         \
        return -1;                                                            \
    }

    MANA_PDF_CHECK(dept_te, 0);
    MANA_PDF_CHECK(dept_en, 1);
    MANA_PDF_CHECK(office_te, 0);
    MANA_PDF_CHECK(office_en, 0);
    MANA_PDF_CHECK(title_te, 0);
    MANA_PDF_CHECK(title_en, 1);
    MANA_PDF_CHECK(number, 1);
    MANA_PDF_CHECK(holder_name, 1);
    MANA_PDF_CHECK(holder_name_alt, 0);

#undef MANA_PDF_CHECK

    if (mana_pdf_check("verify_url", doc->verify_url, 1, 0, MANA_QR_MAX_TEXT,
                       err, errlen) != 0)
    {
        return -1;
    }

    if (doc->nfields > MANA_PDF_MAX_FIELDS) {
        snprintf(err, errlen, "PDF: %zu fields, over %d", doc->nfields,
                 MANA_PDF_MAX_FIELDS);
        return -1;
    }

    if (doc->nfields > 0 && doc->fields == NULL) {
        snprintf(err, errlen, "PDF: fields is NULL");
        return -1;
    }

    for (i = 0; i < doc->nfields; i++) {
        f = &doc->fields[i];

        snprintf(what, sizeof(what), "fields[%zu].label_te", i);
        if (mana_pdf_check(what, f->label_te, 0, 0, MANA_PDF_MAX_TEXT, err,
                           errlen) != 0)
        {
            return -1;
        }

        snprintf(what, sizeof(what), "fields[%zu].label_en", i);
        if (mana_pdf_check(what, f->label_en, 0, 0, MANA_PDF_MAX_TEXT, err,
                           errlen) != 0)
        {
            return -1;
        }

        if ((f->label_te == NULL || f->label_te[0] == '\0')
            && (f->label_en == NULL || f->label_en[0] == '\0'))
        {
            snprintf(err, errlen, "PDF: fields[%zu] has no label", i);
            return -1;
        }

        snprintf(what, sizeof(what), "fields[%zu].value", i);
        if (mana_pdf_check(what, f->value, 0, 1, MANA_PDF_MAX_TEXT, err,
                           errlen) != 0)
        {
            return -1;
        }
    }

    if (doc->issued_at <= 0 || doc->issued_at > MANA_PDF_MAX_TIME) {
        snprintf(err, errlen, "PDF: issued_at is out of range");
        return -1;
    }

    if (doc->expires_at != 0
        && (doc->expires_at < doc->issued_at
            || doc->expires_at > MANA_PDF_MAX_TIME))
    {
        snprintf(err, errlen, "PDF: expires_at is before issued_at or out "
                 "of range");
        return -1;
    }

    return 0;
}


/* text ------------------------------------------------------------------- */

static int
mana_pdf_has(const char *s)
{
    return s != NULL && s[0] != '\0';
}


/*
 * Lays text out in the page's one layout and returns its height; the
 * layout then stays ready for mana_pdf_show().
 */
static double
mana_pdf_text(mana_pdf_page_t *pg, const char *text, int style, double size,
    double width, PangoAlignment align)
{
    PangoRectangle         r;
    PangoFontDescription  *fd;

    fd = pango_font_description_from_string(style == MANA_PDF_MONO
                                            ? MANA_PDF_FAMILY_MONO
                                            : MANA_PDF_FAMILY_TEXT);
    pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
    pango_font_description_set_weight(fd, style == MANA_PDF_BOLD
                                          ? PANGO_WEIGHT_BOLD
                                          : PANGO_WEIGHT_NORMAL);
    pango_layout_set_font_description(pg->layout, fd);
    pango_font_description_free(fd);

    pango_layout_set_width(pg->layout, (int) (width * PANGO_SCALE));
    pango_layout_set_alignment(pg->layout, align);

    /* a URL breaks between any two characters, not only after a "/" */
    pango_layout_set_wrap(pg->layout, style == MANA_PDF_MONO
                                      ? PANGO_WRAP_CHAR
                                      : PANGO_WRAP_WORD_CHAR);
    pango_layout_set_text(pg->layout, text, -1);

    pango_layout_get_extents(pg->layout, NULL, &r);

    return (double) r.height / PANGO_SCALE;
}


/*
 * One cluster a word in a left-to-right run: cairo then writes each word's
 * text once, as the ActualText of the word's glyphs.  With a cluster per
 * syllable, a Telugu vowel sign or subjoined consonant that the font draws
 * back over its base ends its cluster short of the next one, and text
 * extractors (pdftotext) see a gap there and copy "అర్జు న్" for "అర్జున్".
 * White space stays a cluster of its own, so words still break at it.
 */
static void
mana_pdf_words(PangoGlyphItem *gi, const char *text)
{
    int                i, word;
    const char        *p;
    PangoGlyphString  *gs = gi->glyphs;

    if (gi->item->analysis.level % 2 != 0) {
        return;
    }

    word = -1;

    for (i = 0; i < gs->num_glyphs; i++) {
        p = text + gi->item->offset + gs->log_clusters[i];

        if (g_unichar_isspace(g_utf8_get_char(p))) {
            word = -1;
            continue;
        }

        if (word < 0) {
            word = gs->log_clusters[i];
        }

        gs->log_clusters[i] = word;
    }
}


/* draws the layout's runs with their top left corner at x, y */
static void
mana_pdf_show(mana_pdf_page_t *pg, double x, double y, double grey)
{
    int               base;
    const char       *text;
    PangoRectangle    r;
    PangoGlyphItem   *gi;
    PangoLayoutRun   *run;
    PangoLayoutIter  *it;

    cairo_set_source_rgb(pg->cr, grey, grey, grey);

    text = pango_layout_get_text(pg->layout);
    it = pango_layout_get_iter(pg->layout);

    do {
        run = pango_layout_iter_get_run_readonly(it);
        if (run == NULL) {
            /* the end of a line */
            continue;
        }

        /* glib allocates or aborts: no NULL to check */
        gi = pango_glyph_item_copy(run);
        mana_pdf_words(gi, text);

        pango_layout_iter_get_run_extents(it, NULL, &r);
        base = pango_layout_iter_get_baseline(it);

        cairo_move_to(pg->cr, x + (double) r.x / PANGO_SCALE,
                      y + (double) base / PANGO_SCALE);
        pango_cairo_show_glyph_item(pg->cr, text, gi);

        pango_glyph_item_free(gi);

    } while (pango_layout_iter_next_run(it));

    pango_layout_iter_free(it);
}


/* a line of text across the column at pg->y, which it moves down */
static void
mana_pdf_line(mana_pdf_page_t *pg, const char *text, int style, double size,
    PangoAlignment align, double grey)
{
    double  h;

    h = mana_pdf_text(pg, text, style, size, MANA_PDF_WIDTH, align);
    mana_pdf_show(pg, MANA_PDF_MARGIN, pg->y, grey);
    pg->y += h;
}


static void
mana_pdf_date(char *buf, size_t size, int64_t t)
{
    time_t     tt;
    struct tm  tm;

    tt = (time_t) (t + MANA_PDF_IST);
    gmtime_r(&tt, &tm);

    snprintf(buf, size, "%02d-%02d-%04d", tm.tm_mday, tm.tm_mon + 1,
             tm.tm_year + 1900);
}


/* the page's parts ------------------------------------------------------- */

static void
mana_pdf_border(mana_pdf_page_t *pg)
{
    double  m;

    cairo_set_source_rgb(pg->cr, 0.12, 0.23, 0.45);

    m = 10.0 * MANA_PDF_MM;
    cairo_set_line_width(pg->cr, 1.5);
    cairo_rectangle(pg->cr, m, m, MANA_PDF_PAGE_W - 2 * m,
                    MANA_PDF_PAGE_H - 2 * m);
    cairo_stroke(pg->cr);

    m = 11.5 * MANA_PDF_MM;
    cairo_set_line_width(pg->cr, 0.5);
    cairo_rectangle(pg->cr, m, m, MANA_PDF_PAGE_W - 2 * m,
                    MANA_PDF_PAGE_H - 2 * m);
    cairo_stroke(pg->cr);
}


static void
mana_pdf_rule(mana_pdf_page_t *pg, double width)
{
    cairo_set_source_rgb(pg->cr, 0.12, 0.23, 0.45);
    cairo_set_line_width(pg->cr, width);
    cairo_move_to(pg->cr, MANA_PDF_MARGIN, pg->y);
    cairo_line_to(pg->cr, MANA_PDF_MARGIN + MANA_PDF_WIDTH, pg->y);
    cairo_stroke(pg->cr);
}


static void
mana_pdf_header(mana_pdf_page_t *pg)
{
    const mana_pdf_doc_t  *doc = pg->doc;

    pg->y = MANA_PDF_TOP;

    if (mana_pdf_has(doc->dept_te)) {
        mana_pdf_line(pg, doc->dept_te, MANA_PDF_BOLD, 15, MANA_PDF_CENTER, 0);
    }

    mana_pdf_line(pg, doc->dept_en, MANA_PDF_BOLD, 13, MANA_PDF_CENTER, 0);

    if (mana_pdf_has(doc->office_te)) {
        mana_pdf_line(pg, doc->office_te, MANA_PDF_REGULAR, 10,
                      MANA_PDF_CENTER, 0.2);
    }

    if (mana_pdf_has(doc->office_en)) {
        mana_pdf_line(pg, doc->office_en, MANA_PDF_REGULAR, 10,
                      MANA_PDF_CENTER, 0.2);
    }

    pg->y += 6;
    mana_pdf_rule(pg, 1.0);
    pg->y += 8;

    if (mana_pdf_has(doc->title_te)) {
        mana_pdf_line(pg, doc->title_te, MANA_PDF_BOLD, 19, MANA_PDF_CENTER,
                      0);
    }

    mana_pdf_line(pg, doc->title_en, MANA_PDF_BOLD, 15, MANA_PDF_CENTER, 0);

    pg->y += 10;
}


/*
 * One row under the title: the certificate number on the left, the issue
 * date and the expiry on the right, each under its label.
 */
static void
mana_pdf_number(mana_pdf_page_t *pg)
{
    int             row;
    char            issued[MANA_PDF_DATE_LEN], expires[MANA_PDF_DATE_LEN];
    size_t          i, n;
    double          x, w[3], h, hmax;
    const char     *text[2][3];
    PangoAlignment  align[3];

    mana_pdf_date(issued, sizeof(issued), pg->doc->issued_at);
    mana_pdf_date(expires, sizeof(expires), pg->doc->expires_at);

    n = 0;
    text[0][n] = mana_pdf_w_number;
    text[1][n] = pg->doc->number;
    align[n++] = MANA_PDF_LEFT;

    text[0][n] = mana_pdf_w_issued;
    text[1][n] = issued;
    align[n++] = MANA_PDF_RIGHT;

    if (pg->doc->expires_at != 0) {
        text[0][n] = mana_pdf_w_expires;
        text[1][n] = expires;
        align[n++] = MANA_PDF_RIGHT;
    }

    w[0] = MANA_PDF_WIDTH * 0.46;
    for (i = 1; i < n; i++) {
        w[i] = (MANA_PDF_WIDTH - w[0]) / (n - 1);
    }

    for (row = 0; row < 2; row++) {
        x = MANA_PDF_MARGIN;
        hmax = 0;

        for (i = 0; i < n; i++) {
            h = mana_pdf_text(pg, text[row][i],
                              row ? MANA_PDF_BOLD : MANA_PDF_REGULAR,
                              row ? 12 : 9, w[i], align[i]);
            mana_pdf_show(pg, x, pg->y, row ? 0 : 0.35);
            hmax = h > hmax ? h : hmax;
            x += w[i];
        }

        pg->y += hmax;
    }

    pg->y += 10;
}


static void
mana_pdf_holder(mana_pdf_page_t *pg)
{
    mana_pdf_line(pg, mana_pdf_w_name, MANA_PDF_REGULAR, 9, MANA_PDF_LEFT,
                  0.35);
    mana_pdf_line(pg, pg->doc->holder_name, MANA_PDF_BOLD, 16,
                  MANA_PDF_LEFT, 0);

    if (mana_pdf_has(pg->doc->holder_name_alt)) {
        mana_pdf_line(pg, pg->doc->holder_name_alt, MANA_PDF_BOLD, 13,
                      MANA_PDF_LEFT, 0);
    }

    pg->y += 10;
}


/*
 * The table at font size vs: its height, and drawn at pg->y when draw.
 * Labels on the left (Telugu, then English in grey), values on the right.
 */
static double
mana_pdf_table(mana_pdf_page_t *pg, double vs, int draw)
{
    size_t                   i;
    double                   y, pad, lw, vw, h, hl, hte, hv;
    const mana_pdf_field_t  *f;

    pad = vs * 0.45;
    lw = MANA_PDF_WIDTH * 0.34;
    vw = MANA_PDF_WIDTH - lw;
    y = pg->y;

    for (i = 0; i < pg->doc->nfields; i++) {
        f = &pg->doc->fields[i];

        /* measure the row first: its shading goes under its text */
        hte = 0;
        if (mana_pdf_has(f->label_te)) {
            hte = mana_pdf_text(pg, f->label_te, MANA_PDF_REGULAR, vs - 1,
                                lw - 2 * pad, MANA_PDF_LEFT);
        }

        hl = hte;
        if (mana_pdf_has(f->label_en)) {
            hl += mana_pdf_text(pg, f->label_en, MANA_PDF_REGULAR, vs - 2,
                                lw - 2 * pad, MANA_PDF_LEFT);
        }

        hv = 0;
        if (mana_pdf_has(f->value)) {
            hv = mana_pdf_text(pg, f->value, MANA_PDF_REGULAR, vs,
                               vw - 2 * pad, MANA_PDF_LEFT);
        }

        h = (hl > hv ? hl : hv) + 2 * pad;

        if (draw) {
            cairo_set_source_rgb(pg->cr, 0.94, 0.95, 0.97);
            cairo_rectangle(pg->cr, MANA_PDF_MARGIN, y, lw, h);
            cairo_fill(pg->cr);

            if (hv > 0) {
                /* the layout still holds the value */
                mana_pdf_show(pg, MANA_PDF_MARGIN + lw + pad, y + pad, 0);
            }

            if (mana_pdf_has(f->label_te)) {
                mana_pdf_text(pg, f->label_te, MANA_PDF_REGULAR, vs - 1,
                              lw - 2 * pad, MANA_PDF_LEFT);
                mana_pdf_show(pg, MANA_PDF_MARGIN + pad, y + pad, 0.1);
            }

            if (mana_pdf_has(f->label_en)) {
                mana_pdf_text(pg, f->label_en, MANA_PDF_REGULAR, vs - 2,
                              lw - 2 * pad, MANA_PDF_LEFT);
                mana_pdf_show(pg, MANA_PDF_MARGIN + pad, y + pad + hte, 0.4);
            }

            cairo_set_source_rgb(pg->cr, 0.6, 0.63, 0.7);
            cairo_set_line_width(pg->cr, 0.5);
            cairo_rectangle(pg->cr, MANA_PDF_MARGIN, y, MANA_PDF_WIDTH, h);
            cairo_move_to(pg->cr, MANA_PDF_MARGIN + lw, y);
            cairo_line_to(pg->cr, MANA_PDF_MARGIN + lw, y + h);
            cairo_stroke(pg->cr);
        }

        y += h;
    }

    return y - pg->y;
}


/*
 * The QR's dark modules as few rectangles: each maximal horizontal run,
 * stretched down over the rows below that have exactly the same run.  A
 * version 13 code needs about a third of the rectangles of one a run, and
 * the page's content stream shrinks with them.
 */
static int
mana_pdf_qr(mana_pdf_page_t *pg, double x, double y, double side)
{
    int             n, r, c, e, k, h, rects;
    double          m, ox, oy;
    unsigned char  *used;
    const mana_qr_t *qr = pg->qr;

    n = qr->size;
    m = side / (n + 2 * MANA_PDF_QR_QUIET);
    ox = x + MANA_PDF_QR_QUIET * m;
    oy = y + MANA_PDF_QR_QUIET * m;

    used = calloc((size_t) n * n, 1);
    if (used == NULL) {
        return -1;
    }

    rects = 0;

    for (r = 0; r < n; r++) {
        for (c = 0; c < n; c = e) {
            if (!mana_qr_dark(qr, c, r)) {
                e = c + 1;
                continue;
            }

            for (e = c; e < n && mana_qr_dark(qr, e, r); e++) { /* void */ }

            /* a run in a row is wholly used or wholly not */
            if (used[(size_t) r * n + c]) {
                continue;
            }

            for (h = 1; r + h < n; h++) {
                if ((c > 0 && mana_qr_dark(qr, c - 1, r + h))
                    || (e < n && mana_qr_dark(qr, e, r + h)))
                {
                    break;
                }

                for (k = c; k < e && mana_qr_dark(qr, k, r + h); k++) {
                    /* void */
                }

                if (k < e) {
                    break;
                }

                memset(&used[(size_t) (r + h) * n + c], 1, (size_t) (e - c));
            }

            cairo_rectangle(pg->cr, ox + c * m, oy + r * m, (e - c) * m,
                            h * m);
            rects++;
        }
    }

    free(used);

    /* one path, one fill: no hairline seams between the rectangles */
    cairo_set_source_rgb(pg->cr, 0, 0, 0);
    cairo_fill(pg->cr);

    return rects;
}


static double
mana_pdf_qr_side(const mana_qr_t *qr)
{
    double  side;

    side = (qr->size + 2 * MANA_PDF_QR_QUIET) * MANA_PDF_QR_MODULE;

    if (side < MANA_PDF_QR_MIN) {
        side = MANA_PDF_QR_MIN;
    }

    if (side > MANA_PDF_QR_MAX) {
        side = MANA_PDF_QR_MAX;
    }

    return side;
}


/* the lines beside the QR */

typedef struct {
    const char  *text;
    int          style;
    double       size;
    double       grey;
    double       gap;           /* after it */
} mana_pdf_item_t;

#define MANA_PDF_ITEMS  4


static size_t
mana_pdf_beside(const mana_pdf_doc_t *doc, mana_pdf_item_t *it, char *index)
{
    size_t  n;

    n = 0;
    it[n++] = (mana_pdf_item_t) { mana_pdf_w_verify, MANA_PDF_BOLD, 11,
                                  0.12, 8 };

    if (doc->log_index >= 0) {
        it[n++] = (mana_pdf_item_t) { mana_pdf_w_log, MANA_PDF_REGULAR, 8.5,
                                      0.35, 0 };
        it[n++] = (mana_pdf_item_t) { index, MANA_PDF_BOLD, 10.5, 0, 8 };
    }

    it[n++] = (mana_pdf_item_t) { mana_pdf_w_signed, MANA_PDF_REGULAR, 8,
                                  0.25, 0 };

    return n;
}


/*
 * The verification block, bottom up from the page's foot: the footer, the
 * URL under the QR, the QR with the log index beside it.
 * Returns the block's top, or -1 (out of memory); draws only when draw.
 */
static double
mana_pdf_verification(mana_pdf_page_t *pg, int draw)
{
    int                    rects;
    char                   index[24];
    size_t                 i, n;
    double                 y, side, h, tx, tw, ty, top;
    mana_pdf_item_t        it[MANA_PDF_ITEMS];
    const mana_pdf_doc_t  *doc = pg->doc;

    y = MANA_PDF_BOTTOM;

    h = mana_pdf_text(pg, mana_pdf_w_footer, MANA_PDF_REGULAR, 7.5,
                      MANA_PDF_WIDTH, MANA_PDF_CENTER);
    y -= h;
    if (draw) {
        mana_pdf_show(pg, MANA_PDF_MARGIN, y, 0.25);
        pg->y = y - 6;
        mana_pdf_rule(pg, 0.5);
    }

    y -= 12;

    h = mana_pdf_text(pg, doc->verify_url, MANA_PDF_MONO, 7, MANA_PDF_WIDTH,
                      MANA_PDF_LEFT);
    y -= h;
    if (draw) {
        mana_pdf_show(pg, MANA_PDF_MARGIN, y, 0);
    }

    h = mana_pdf_text(pg, mana_pdf_w_link, MANA_PDF_REGULAR, 8,
                      MANA_PDF_WIDTH, MANA_PDF_LEFT);
    y -= h + 1;
    if (draw) {
        mana_pdf_show(pg, MANA_PDF_MARGIN, y, 0.35);
    }

    y -= 8;

    /* the QR on the left, its words on the right */
    side = mana_pdf_qr_side(pg->qr);
    tx = MANA_PDF_MARGIN + side + 6 * MANA_PDF_MM;
    tw = MANA_PDF_MARGIN + MANA_PDF_WIDTH - tx;

    snprintf(index, sizeof(index), "%lld", (long long) doc->log_index);

    n = mana_pdf_beside(doc, it, index);

    h = 0;
    for (i = 0; i < n; i++) {
        h += mana_pdf_text(pg, it[i].text, it[i].style, it[i].size, tw,
                           MANA_PDF_LEFT) + it[i].gap;
    }

    top = y - (h > side ? h : side);

    if (!draw) {
        return top;
    }

    rects = mana_pdf_qr(pg, MANA_PDF_MARGIN, top, side);
    if (rects < 0) {
        return -1;
    }

    if (pg->info != NULL) {
        pg->info->qr_x = MANA_PDF_MARGIN;
        pg->info->qr_y = top;
        pg->info->qr_side = side;
        pg->info->qr_rects = rects;
    }

    /* the words start level with the code, below its quiet zone */
    ty = top + MANA_PDF_QR_QUIET * side
               / (pg->qr->size + 2 * MANA_PDF_QR_QUIET);
    if (ty + h > y) {
        ty = y - h;
    }

    for (i = 0; i < n; i++) {
        h = mana_pdf_text(pg, it[i].text, it[i].style, it[i].size, tw,
                          MANA_PDF_LEFT);
        mana_pdf_show(pg, tx, ty, it[i].grey);
        ty += h + it[i].gap;
    }

    return top;
}


/* the whole page --------------------------------------------------------- */

static cairo_status_t
mana_pdf_write(void *closure, const unsigned char *data, unsigned int len)
{
    mana_buf_t  *out = closure;

    mana_buf_add(out, data, len);

    return mana_buf_failed(out) ? CAIRO_STATUS_WRITE_ERROR
                                : CAIRO_STATUS_SUCCESS;
}


/* the PDF's own dates: the issue time, so that a render is repeatable */
static void
mana_pdf_metadata(cairo_surface_t *surface, const mana_pdf_doc_t *doc)
{
    char       date[2 * MANA_PDF_DATE_LEN];
    time_t     tt;
    struct tm  tm;

    tt = (time_t) doc->issued_at;
    gmtime_r(&tt, &tm);

    snprintf(date, sizeof(date), "%04d-%02d-%02dT%02d:%02d:%02dZ",
             tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
             tm.tm_min, tm.tm_sec);

    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATE_DATE,
                                   date);
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_MOD_DATE,
                                   date);
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE,
                                   doc->title_en);
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_AUTHOR,
                                   doc->dept_en);
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR,
                                   "Mana");
}


/* the table's font size: the largest that leaves room for the rest */
static double
mana_pdf_fit(mana_pdf_page_t *pg, double room)
{
    double                 vs;
    static const double    sizes[] = { 11, 10, 9, 8, 7 };
    size_t                 i;

    for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        vs = sizes[i];

        if (mana_pdf_table(pg, vs, 0) <= room) {
            return vs;
        }
    }

    return 0;
}


static int
mana_pdf_page(mana_pdf_page_t *pg, char *err, size_t errlen)
{
    double  top, vs;

    mana_pdf_border(pg);
    mana_pdf_header(pg);
    mana_pdf_number(pg);
    mana_pdf_holder(pg);

    top = mana_pdf_verification(pg, 0);

    if (top - 8 < pg->y) {
        snprintf(err, errlen, "PDF: the header and the verification block "
                 "do not fit on one page");
        return -1;
    }

    vs = mana_pdf_fit(pg, top - 8 - pg->y);
    if (vs == 0) {
        snprintf(err, errlen, "PDF: the fields do not fit on one page");
        return -1;
    }

    mana_pdf_table(pg, vs, 1);

    if (pg->info != NULL) {
        pg->info->value_size = vs;
    }

    if (mana_pdf_verification(pg, 1) < 0) {
        snprintf(err, errlen, "PDF: out of memory");
        return -1;
    }

    return 0;
}


int
mana_pdf_render(const mana_pdf_doc_t *doc, mana_buf_t *out, char *err,
    size_t errlen)
{
    return mana_pdf_render_info(doc, out, NULL, err, errlen);
}


int
mana_pdf_render_info(const mana_pdf_doc_t *doc, mana_buf_t *out,
    mana_pdf_info_t *info, char *err, size_t errlen)
{
    int                  rc;
    size_t               start;
    mana_qr_t            qr;
    PangoContext        *pc;
    cairo_status_t       st;
    mana_pdf_page_t      pg;
    PangoAttrList       *attrs;
    cairo_surface_t     *surface;
    mana_pdf_fontmap_t  *fm;

    if (mana_pdf_check_doc(doc, err, errlen) != 0) {
        return -1;
    }

    if (mana_qr_encode(&qr, doc->verify_url, strlen(doc->verify_url), err,
                       errlen) != 0)
    {
        return -1;
    }

    fm = mana_pdf_fontmap_borrow(err, errlen);
    if (fm == NULL) {
        mana_qr_free(&qr);
        return -1;
    }

    if (info != NULL) {
        memset(info, 0, sizeof(mana_pdf_info_t));
        info->page_width = MANA_PDF_PAGE_W;
        info->page_height = MANA_PDF_PAGE_H;
        info->qr_modules = qr.size;
        info->qr_version = qr.version;
    }

    start = out->len;

    surface = cairo_pdf_surface_create_for_stream(mana_pdf_write, out,
                                                  MANA_PDF_PAGE_W,
                                                  MANA_PDF_PAGE_H);
    mana_pdf_metadata(surface, doc);

    memset(&pg, 0, sizeof(mana_pdf_page_t));
    pg.cr = cairo_create(surface);
    pg.doc = doc;
    pg.qr = &qr;
    pg.info = info;

    /* cairo's objects are never NULL: a failure is a status, seen below */
    pc = mana_pdf_context(fm);
    pango_cairo_update_context(pg.cr, pc);

    pg.layout = pango_layout_new(pc);

    /* a hyphen that pango adds at a break would be copied as text */
    attrs = pango_attr_list_new();
    pango_attr_list_insert(attrs, pango_attr_insert_hyphens_new(FALSE));
    pango_layout_set_attributes(pg.layout, attrs);
    pango_attr_list_unref(attrs);

    rc = cairo_status(pg.cr) == CAIRO_STATUS_SUCCESS
         ? mana_pdf_page(&pg, err, errlen) : 0;

    g_object_unref(pg.layout);
    g_object_unref(pc);

    st = cairo_status(pg.cr);
    cairo_destroy(pg.cr);
    cairo_surface_finish(surface);

    if (st == CAIRO_STATUS_SUCCESS) {
        st = cairo_surface_status(surface);
    }

    cairo_surface_destroy(surface);

    mana_pdf_fontmap_return(fm);
    mana_qr_free(&qr);

    if (rc == 0 && (st != CAIRO_STATUS_SUCCESS || mana_buf_failed(out))) {
        snprintf(err, errlen, "PDF: %s", mana_buf_failed(out)
                 ? "out of memory" : cairo_status_to_string(st));
        rc = -1;
    }

    if (rc != 0) {
        /* as it was: never half a document */
        out->len = start;
        if (out->data != NULL) {
            out->data[start] = '\0';
        }
    }

    return rc;
}
