#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <fontconfig/fontconfig.h>
#include <pango/pangocairo.h>
#include <pango/pangofc-fontmap.h>

#include "mana_pdf.h"
#include "mana_pdf_int.h"


const char *const  mana_pdf_default_fonts[] = {
    "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
    "/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf",
    "/usr/share/fonts/truetype/noto/NotoSansTelugu-Regular.ttf",
    "/usr/share/fonts/truetype/noto/NotoSansTelugu-Bold.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf",
    NULL
};


/*
 * The pool.  mana_pdf_fonts is written by init and cleanup only (which the
 * caller runs alone); the free list is shared by the renders, under the
 * lock.  A font map is used by one render at a time: pango's font maps are
 * not meant to be shared between threads, and a map per render would load
 * and parse every font again each time.
 */

static pthread_mutex_t      mana_pdf_lock = PTHREAD_MUTEX_INITIALIZER;
static char               **mana_pdf_fonts;
static mana_pdf_fontmap_t  *mana_pdf_idle;


static const char  *mana_pdf_families[] = {
    "Noto Sans", "Noto Sans Telugu", "DejaVu Sans Mono", NULL
};


static int
mana_pdf_config_has(FcConfig *fc, const char *family)
{
    int         i, j;
    FcChar8    *name;
    FcFontSet  *set;

    set = FcConfigGetFonts(fc, FcSetApplication);
    if (set == NULL) {
        return 0;
    }

    for (i = 0; i < set->nfont; i++) {
        for (j = 0; FcPatternGetString(set->fonts[i], FC_FAMILY, j, &name)
                    == FcResultMatch; j++)
        {
            if (strcmp((const char *) name, family) == 0) {
                return 1;
            }
        }
    }

    return 0;
}


/*
 * A configuration with the given files and nothing else: no system fonts
 * to fall back on, no rules from /etc/fonts that could change the page.
 */
static FcConfig *
mana_pdf_config(int check, char *err, size_t errlen)
{
    size_t     i;
    FcConfig  *fc;

    fc = FcConfigCreate();
    if (fc == NULL) {
        snprintf(err, errlen, "PDF fonts: out of memory");
        return NULL;
    }

    for (i = 0; mana_pdf_fonts[i] != NULL; i++) {
        if (!FcConfigAppFontAddFile(fc, (const FcChar8 *) mana_pdf_fonts[i])) {
            snprintf(err, errlen, "PDF fonts: cannot load %s",
                     mana_pdf_fonts[i]);
            FcConfigDestroy(fc);
            return NULL;
        }
    }

    for (i = 0; check && mana_pdf_families[i] != NULL; i++) {
        if (!mana_pdf_config_has(fc, mana_pdf_families[i])) {
            snprintf(err, errlen, "PDF fonts: no font of the family \"%s\"",
                     mana_pdf_families[i]);
            FcConfigDestroy(fc);
            return NULL;
        }
    }

    return fc;
}


/* shapes a little of every family, so that the faces are loaded now */
static void
mana_pdf_fontmap_warm(mana_pdf_fontmap_t *fm)
{
    int                    bold;
    PangoLayout           *layout;
    PangoContext          *pc;
    PangoRectangle         r;
    PangoFontDescription  *fd;

    pc = mana_pdf_context(fm);
    layout = pango_layout_new(pc);

    for (bold = 0; bold < 3; bold++) {
        fd = pango_font_description_from_string(bold == 2
                                                ? MANA_PDF_FAMILY_MONO
                                                : MANA_PDF_FAMILY_TEXT);
        pango_font_description_set_absolute_size(fd, 10 * PANGO_SCALE);
        pango_font_description_set_weight(fd, bold == 1 ? PANGO_WEIGHT_BOLD
                                                        : PANGO_WEIGHT_NORMAL);
        pango_layout_set_font_description(layout, fd);
        pango_font_description_free(fd);

        pango_layout_set_text(layout, "Aa 09 \xe0\xb0\x95\xe0\xb1\x8d"
                              "\xe0\xb0\xb7", -1);
        pango_layout_get_extents(layout, NULL, &r);
    }

    g_object_unref(layout);
    g_object_unref(pc);
}


static mana_pdf_fontmap_t *
mana_pdf_fontmap_new(int check, char *err, size_t errlen)
{
    FcConfig            *fc;
    mana_pdf_fontmap_t  *fm;

    fm = calloc(1, sizeof(mana_pdf_fontmap_t));
    if (fm == NULL) {
        snprintf(err, errlen, "PDF fonts: out of memory");
        return NULL;
    }

    fc = mana_pdf_config(check, err, errlen);
    if (fc == NULL) {
        free(fm);
        return NULL;
    }

    fm->map = pango_cairo_font_map_new_for_font_type(CAIRO_FONT_TYPE_FT);
    if (fm->map == NULL) {
        FcConfigDestroy(fc);
        free(fm);
        snprintf(err, errlen, "PDF fonts: pango has no FreeType font map");
        return NULL;
    }

    /* the font map holds its own reference */
    pango_fc_font_map_set_config(PANGO_FC_FONT_MAP(fm->map), fc);
    FcConfigDestroy(fc);

    pango_cairo_font_map_set_resolution(PANGO_CAIRO_FONT_MAP(fm->map), 72.0);

    mana_pdf_fontmap_warm(fm);

    return fm;
}


static void
mana_pdf_fontmap_free(mana_pdf_fontmap_t *fm)
{
    /*
     * pango 1.50 does not release its configuration when the font map is
     * finalised, but does when the configuration is replaced.
     */
    pango_fc_font_map_set_config(PANGO_FC_FONT_MAP(fm->map), NULL);
    g_object_unref(fm->map);
    free(fm);
}


PangoContext *
mana_pdf_context(mana_pdf_fontmap_t *fm)
{
    PangoContext          *pc;
    cairo_font_options_t  *fo;

    /* glib allocates or aborts: never NULL */
    pc = pango_font_map_create_context(fm->map);

    /*
     * Print has no pixel grid: hinted outlines or metrics would make the
     * layout depend on a resolution that the PDF does not have.
     */
    fo = cairo_font_options_create();
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    pango_cairo_context_set_font_options(pc, fo);
    cairo_font_options_destroy(fo);

    pango_cairo_context_set_resolution(pc, 72.0);
    pango_context_set_round_glyph_positions(pc, FALSE);
    pango_context_set_base_dir(pc, PANGO_DIRECTION_LTR);

    /* not the process's locale: the page must not depend on LANG */
    pango_context_set_language(pc, pango_language_from_string("en"));

    return pc;
}


int
mana_pdf_init(const char *const *font_files, unsigned warm, char *err,
    size_t errlen)
{
    size_t               i, n;
    unsigned             k;
    mana_pdf_fontmap_t  *fm;

    if (mana_pdf_fonts != NULL) {
        snprintf(err, errlen, "PDF fonts: mana_pdf_init() was called twice");
        return -1;
    }

    if (font_files == NULL) {
        font_files = mana_pdf_default_fonts;
    }

    for (n = 0; font_files[n] != NULL; n++) { /* void */ }

    if (n == 0 || n > MANA_PDF_MAX_FONTS) {
        snprintf(err, errlen, "PDF fonts: %zu font files (1 to %d)", n,
                 MANA_PDF_MAX_FONTS);
        return -1;
    }

    mana_pdf_fonts = calloc(n + 1, sizeof(char *));
    if (mana_pdf_fonts == NULL) {
        snprintf(err, errlen, "PDF fonts: out of memory");
        return -1;
    }

    for (i = 0; i < n; i++) {
        mana_pdf_fonts[i] = strdup(font_files[i]);
        if (mana_pdf_fonts[i] == NULL) {
            snprintf(err, errlen, "PDF fonts: out of memory");
            mana_pdf_cleanup();
            return -1;
        }
    }

    /* the first map checks the families; at least one is made */
    for (k = 0; k == 0 || k < warm; k++) {
        fm = mana_pdf_fontmap_new(k == 0, err, errlen);
        if (fm == NULL) {
            mana_pdf_cleanup();
            return -1;
        }

        fm->next = mana_pdf_idle;
        mana_pdf_idle = fm;
    }

    return 0;
}


void
mana_pdf_cleanup(void)
{
    size_t               i;
    mana_pdf_fontmap_t  *fm;

    pthread_mutex_lock(&mana_pdf_lock);
    fm = mana_pdf_idle;
    mana_pdf_idle = NULL;
    pthread_mutex_unlock(&mana_pdf_lock);

    while (fm != NULL) {
        mana_pdf_fontmap_t  *next = fm->next;

        mana_pdf_fontmap_free(fm);
        fm = next;
    }

    if (mana_pdf_fonts != NULL) {
        for (i = 0; mana_pdf_fonts[i] != NULL; i++) {
            free(mana_pdf_fonts[i]);
        }

        free(mana_pdf_fonts);
        mana_pdf_fonts = NULL;
    }
}


mana_pdf_fontmap_t *
mana_pdf_fontmap_borrow(char *err, size_t errlen)
{
    mana_pdf_fontmap_t  *fm;

    pthread_mutex_lock(&mana_pdf_lock);

    if (mana_pdf_fonts == NULL) {
        pthread_mutex_unlock(&mana_pdf_lock);
        snprintf(err, errlen, "PDF: mana_pdf_init() was not called");
        return NULL;
    }

    fm = mana_pdf_idle;
    if (fm != NULL) {
        mana_pdf_idle = fm->next;
        fm->next = NULL;
    }

    pthread_mutex_unlock(&mana_pdf_lock);

    if (fm != NULL) {
        return fm;
    }

    /* more renders at once than warm maps: one more, kept for later */
    return mana_pdf_fontmap_new(0, err, errlen);
}


void
mana_pdf_fontmap_return(mana_pdf_fontmap_t *fm)
{
    pthread_mutex_lock(&mana_pdf_lock);
    fm->next = mana_pdf_idle;
    mana_pdf_idle = fm;
    pthread_mutex_unlock(&mana_pdf_lock);
}
