/*
 * Between the PDF renderer and its pool of font maps.
 */

#ifndef MANA_PDF_INT_H
#define MANA_PDF_INT_H

#include <pango/pangocairo.h>


/* the families the page asks for, as fontconfig names them */
#define MANA_PDF_FAMILY_TEXT  "Noto Sans, Noto Sans Telugu"
#define MANA_PDF_FAMILY_MONO  "DejaVu Sans Mono"


typedef struct mana_pdf_fontmap_s  mana_pdf_fontmap_t;

struct mana_pdf_fontmap_s {
    PangoFontMap        *map;
    mana_pdf_fontmap_t  *next;
};


/* a font map for one render, or NULL with the reason in err */
mana_pdf_fontmap_t *mana_pdf_fontmap_borrow(char *err, size_t errlen);
void mana_pdf_fontmap_return(mana_pdf_fontmap_t *fm);

/* a context on fm set up for print (no hinting, 72 dpi, no locale) */
PangoContext *mana_pdf_context(mana_pdf_fontmap_t *fm);

#endif /* MANA_PDF_INT_H */
