/*
 * The certificate PDF and its QR code.
 *
 *   test_lib_pdf                   TAP checks of lib/mana_qr.c, lib/mana_pdf.c
 *   test_lib_pdf render IN OUT     renders the document described in IN (see
 *                                  doc_read) to OUT and prints where the QR
 *                                  went; on a refusal prints the reason to
 *                                  stderr, writes nothing and exits 1
 *   test_lib_pdf bench [N]         renders the sample income certificate N
 *                                  times (50) and prints the mean time
 */

#define _GNU_SOURCE

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tap.h"
#include "mana_buf.h"
#include "mana_pdf.h"
#include "mana_qr.h"


#define MM  (72.0 / 25.4)


/* the sample: an income certificate from a Tahsildar's office */

static const mana_pdf_field_t  sample_fields[] = {
    { "తండ్రి / భర్త పేరు", "Father's / Husband's name",
      "కొండపల్లి వెంకటేశ్వర్లు" },
    { "చిరునామా", "Address",
      "ఇంటి నం. 4-56, గాంధీ నగర్, తిరుపతి అర్బన్ మండలం, తిరుపతి జిల్లా - "
      "517501" },
    { "అన్ని మార్గాల ద్వారా వార్షిక ఆదాయం", "Annual income from all sources",
      "రూ. 1,20,000 (లక్ష ఇరవై వేల రూపాయలు మాత్రమే)" },
    { "ప్రయోజనం", "Purpose", "విద్యార్థి ఉపకార వేతనం కోసం" },
    { "దరఖాస్తు సంఖ్య", "Application number", "REV-INC-2026-000123" },
    { "జారీ చేసిన అధికారి", "Issuing authority",
      "తహసీల్దార్, తిరుపతి అర్బన్ / Tahsildar, Tirupati Urban" },
};

static char  sample_url[400];


static void
base32(char *dst, const unsigned char *src, size_t n)
{
    size_t             i, bits;
    uint32_t           acc;
    static const char  alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    acc = 0;
    bits = 0;

    for (i = 0; i < n; i++) {
        acc = acc << 8 | src[i];
        bits += 8;

        while (bits >= 5) {
            *dst++ = alphabet[(acc >> (bits - 5)) & 31];
            bits -= 5;
        }
    }

    if (bits > 0) {
        *dst++ = alphabet[(acc << (5 - bits)) & 31];
    }

    *dst = '\0';
}


/* HTTPS://VERIFY.EXAMPLE/C/ and 304 Base32 characters: 329, as measured */
static void
sample_url_make(void)
{
    size_t         i;
    unsigned char  cose[190];

    for (i = 0; i < sizeof(cose); i++) {
        cose[i] = (unsigned char) (i * 151 + 7);
    }

    strcpy(sample_url, "HTTPS://VERIFY.EXAMPLE/C/");
    base32(sample_url + strlen(sample_url), cose, sizeof(cose));
}


static mana_pdf_doc_t
sample_doc(void)
{
    mana_pdf_doc_t  d;

    memset(&d, 0, sizeof(d));
    d.dept_te = "రెవెన్యూ శాఖ, ఆంధ్రప్రదేశ్ ప్రభుత్వం";
    d.dept_en = "Revenue Department, Government of Andhra Pradesh";
    d.office_te = "తహసీల్దార్ కార్యాలయం, తిరుపతి అర్బన్";
    d.office_en = "Office of the Tahsildar, Tirupati Urban";
    d.title_te = "ఆదాయ ధృవీకరణ పత్రం";
    d.title_en = "Income Certificate";
    d.number = "INC/TPT/2026/000123";
    d.holder_name = "కొండపల్లి శ్రీనివాస్ రెడ్డి";
    d.holder_name_alt = "Kondapalli Srinivas Reddy";
    d.fields = sample_fields;
    d.nfields = sizeof(sample_fields) / sizeof(sample_fields[0]);
    d.verify_url = sample_url;
    d.log_index = 48213;
    d.issued_at = 1768453200;           /* 2026-01-15 05:00 UTC */
    d.expires_at = 1799989200;          /* a year later */

    return d;
}


/* the document file of "render": lines "key<TAB>value" ------------------- */

/*
 * Keys: the string members of mana_pdf_doc_t, log_index, issued_at,
 * expires_at, and "field<TAB>label_te<TAB>label_en<TAB>value" once a row.
 * In a value, \n is a newline, \\ a backslash and a lone \N means NULL (a
 * key left out is NULL too).  Other bytes are taken as they are, valid
 * UTF-8 or not: the renderer is the one to refuse them.
 */

#define DOC_MAX_FILE  (1024 * 1024)

typedef struct {
    mana_pdf_doc_t    doc;
    mana_pdf_field_t  fields[MANA_PDF_MAX_FIELDS + 8];
    char             *text;
} doc_file_t;


static char *
doc_unescape(char *s)
{
    char  *r, *w;

    if (strcmp(s, "\\N") == 0) {
        return NULL;
    }

    for (r = w = s; *r; r++) {
        if (r[0] == '\\' && r[1] == 'n') {
            *w++ = '\n';
            r++;

        } else if (r[0] == '\\' && r[1] == '\\') {
            *w++ = '\\';
            r++;

        } else {
            *w++ = *r;
        }
    }

    *w = '\0';

    return s;
}


static int
doc_read(doc_file_t *f, const char *path)
{
    FILE    *fp;
    char    *line, *next, *tab, *v, *p2, *p3;
    size_t   n;

    memset(f, 0, sizeof(*f));
    f->doc.log_index = -1;

    fp = fopen(path, "rb");
    if (fp == NULL) {
        fprintf(stderr, "%s: %s\n", path, strerror(errno));
        return -1;
    }

    f->text = malloc(DOC_MAX_FILE + 1);
    n = f->text ? fread(f->text, 1, DOC_MAX_FILE + 1, fp) : 0;
    fclose(fp);

    if (f->text == NULL || n > DOC_MAX_FILE) {
        fprintf(stderr, "%s: too large\n", path);
        return -1;
    }

    f->text[n] = '\0';

    for (line = f->text; line != NULL && *line; line = next) {
        next = strchr(line, '\n');
        if (next != NULL) {
            *next++ = '\0';
        }

        tab = strchr(line, '\t');
        if (tab == NULL) {
            continue;
        }

        *tab = '\0';
        v = tab + 1;

#define DOC_STR(name)                                                         \
        if (strcmp(line, #name) == 0) {                                       \
            f->doc.name = doc_unescape(v);                                    \
            continue;                                                         \
        }

        DOC_STR(dept_te) DOC_STR(dept_en) DOC_STR(office_te)
        DOC_STR(office_en) DOC_STR(title_te) DOC_STR(title_en)
        DOC_STR(number) DOC_STR(holder_name) DOC_STR(holder_name_alt)
        DOC_STR(verify_url)

#undef DOC_STR

        if (strcmp(line, "log_index") == 0) {
            f->doc.log_index = strtoll(v, NULL, 10);

        } else if (strcmp(line, "issued_at") == 0) {
            f->doc.issued_at = strtoll(v, NULL, 10);

        } else if (strcmp(line, "expires_at") == 0) {
            f->doc.expires_at = strtoll(v, NULL, 10);

        } else if (strcmp(line, "field") == 0) {
            p2 = strchr(v, '\t');
            p3 = p2 ? strchr(p2 + 1, '\t') : NULL;

            if (p3 == NULL
                || f->doc.nfields == sizeof(f->fields) / sizeof(f->fields[0]))
            {
                fprintf(stderr, "%s: bad field line\n", path);
                return -1;
            }

            *p2++ = '\0';
            *p3++ = '\0';
            f->fields[f->doc.nfields].label_te = doc_unescape(v);
            f->fields[f->doc.nfields].label_en = doc_unescape(p2);
            f->fields[f->doc.nfields].value = doc_unescape(p3);
            f->doc.nfields++;

        } else {
            fprintf(stderr, "%s: unknown key \"%s\"\n", path, line);
            return -1;
        }
    }

    f->doc.fields = f->fields;

    return 0;
}


static int
render_file(const char *in, const char *out)
{
    char             err[256];
    FILE            *fp;
    mana_buf_t       b;
    doc_file_t       f;
    mana_pdf_info_t  info;

    if (doc_read(&f, in) != 0) {
        return 2;
    }

    if (mana_pdf_init(NULL, 1, err, sizeof(err)) != 0) {
        fprintf(stderr, "%s\n", err);
        return 2;
    }

    mana_buf_init(&b);

    if (mana_pdf_render_info(&f.doc, &b, &info, err, sizeof(err)) != 0) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }

    fp = fopen(out, "wb");
    if (fp == NULL || fwrite(b.data, 1, b.len, fp) != b.len
        || fclose(fp) != 0)
    {
        fprintf(stderr, "%s: %s\n", out, strerror(errno));
        return 2;
    }

    printf("bytes=%zu\npage_width=%.3f\npage_height=%.3f\nqr_x=%.3f\n"
           "qr_y=%.3f\nqr_side=%.3f\nqr_modules=%d\nqr_version=%d\n"
           "qr_rects=%d\nvalue_size=%.1f\n", b.len, info.page_width,
           info.page_height, info.qr_x, info.qr_y, info.qr_side,
           info.qr_modules, info.qr_version, info.qr_rects,
           info.value_size);

    mana_buf_free(&b);
    free(f.text);
    mana_pdf_cleanup();

    return 0;
}


static double
now(clockid_t clock)
{
    struct timespec  ts;

    clock_gettime(clock, &ts);

    return ts.tv_sec + ts.tv_nsec / 1e9;
}


static int
bench(int n)
{
    int             i;
    char            err[256];
    double          t0, t, sum, min, max, cpu;
    size_t          bytes;
    mana_buf_t      b;
    mana_pdf_doc_t  d;

    sample_url_make();
    d = sample_doc();

    t0 = now(CLOCK_MONOTONIC);
    if (mana_pdf_init(NULL, 1, err, sizeof(err)) != 0) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    printf("mana_pdf_init (one warm font map): %.1f ms\n",
           (now(CLOCK_MONOTONIC) - t0) * 1e3);

    sum = max = 0;
    min = 1e9;
    bytes = 0;
    cpu = now(CLOCK_PROCESS_CPUTIME_ID);

    for (i = 0; i < n; i++) {
        mana_buf_init(&b);
        t0 = now(CLOCK_MONOTONIC);

        if (mana_pdf_render(&d, &b, err, sizeof(err)) != 0) {
            fprintf(stderr, "%s\n", err);
            return 1;
        }

        t = now(CLOCK_MONOTONIC) - t0;
        bytes = b.len;
        mana_buf_free(&b);

        sum += t;
        min = t < min ? t : min;
        max = t > max ? t : max;
    }

    /* CPU time too: on a shared machine the wall clock counts waits */
    cpu = now(CLOCK_PROCESS_CPUTIME_ID) - cpu;

    printf("renders: %d, PDF of %zu bytes\n"
           "per render: mean %.2f ms, min %.2f ms, max %.2f ms; "
           "CPU time %.2f ms\n",
           n, bytes, sum / n * 1e3, min * 1e3, max * 1e3, cpu / n * 1e3);

    mana_pdf_cleanup();

    return 0;
}


/* TAP checks ------------------------------------------------------------- */

static int
render(const mana_pdf_doc_t *d, mana_buf_t *b, mana_pdf_info_t *info,
    char *err, size_t errlen)
{
    mana_buf_init(b);
    err[0] = '\0';

    return mana_pdf_render_info(d, b, info, err, errlen);
}


static void
test_qr(void)
{
    int        r, c, ring;
    char       err[256], big[MANA_QR_MAX_TEXT + 2];
    mana_qr_t  qr;

    ok(mana_qr_is_alnum("HTTPS://X.EXAMPLE/C/AB27 $%*+-.", 31),
       "upper case, digits and the nine symbols are alphanumeric");
    ok(!mana_qr_is_alnum("https://x", 9), "lower case is not");
    ok(!mana_qr_is_alnum("A\0B", 3), "nor is a NUL");
    ok(!mana_qr_is_alnum("A#B", 3), "nor is #");

    ok(mana_qr_encode(&qr, sample_url, strlen(sample_url), err, sizeof(err))
       == 0, "a 329-character verification URL encodes");
    ok(qr.alnum == 1, "in alphanumeric mode");
    ok(qr.version == 13 && qr.size == 69,
       "as version 13, 69 modules a side (got %d, %d)", qr.version, qr.size);

    /* the finder pattern's outer ring, top left: the matrix's orientation */
    for (ring = 1, r = 0; r < 7; r++) {
        for (c = 0; c < 7; c++) {
            if (r == 0 || r == 6 || c == 0 || c == 6) {
                ring &= mana_qr_dark(&qr, c, r) == 1;
            }
        }
    }
    ok(ring && mana_qr_dark(&qr, 7, 0) == 0 && mana_qr_dark(&qr, 3, 3) == 1,
       "the top left finder pattern is where it belongs");
    ok(mana_qr_dark(&qr, qr.size - 1, qr.size - 1) <= 1,
       "modules are 0 or 1");
    mana_qr_free(&qr);

    {
        char  lower[400];
        int   v;

        strcpy(lower, sample_url);
        lower[0] = 'h';
        ok(mana_qr_encode(&qr, lower, strlen(lower), err, sizeof(err)) == 0
           && qr.alnum == 0, "a lower-case letter: byte mode");
        v = qr.version;
        ok(v > 13, "which needs a larger version (%d)", v);
        mana_qr_free(&qr);
    }

    ok(mana_qr_encode(&qr, "", 0, err, sizeof(err)) == -1
       && strstr(err, "empty") != NULL, "an empty text is refused");

    memset(big, 'A', sizeof(big));
    ok(mana_qr_encode(&qr, big, MANA_QR_MAX_TEXT, err, sizeof(err)) == 0
       && qr.version == 40 && qr.size == 177,
       "%d alphanumeric characters fit version 40", MANA_QR_MAX_TEXT);
    mana_qr_free(&qr);

    ok(mana_qr_encode(&qr, big, MANA_QR_MAX_TEXT + 1, err, sizeof(err)) == -1,
       "one more is refused: %s", err);

    memset(big, 'a', 1700);
    ok(mana_qr_encode(&qr, big, 1700, err, sizeof(err)) == -1
       && strstr(err, "too long") != NULL,
       "1,700 bytes in byte mode are refused: %s", err);
}


static void
test_init(void)
{
    char                err[256];
    mana_buf_t          b;
    mana_pdf_doc_t      d = sample_doc();
    static const char  *missing[] = { "/nonexistent/font.ttf", NULL };
    static const char  *no_mono[] = {
        "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
        "/usr/share/fonts/truetype/noto/NotoSansTelugu-Regular.ttf",
        NULL
    };

    ok(render(&d, &b, NULL, err, sizeof(err)) == -1
       && strstr(err, "mana_pdf_init") != NULL,
       "a render before mana_pdf_init() is refused: %s", err);
    mana_buf_free(&b);

    ok(mana_pdf_init(missing, 1, err, sizeof(err)) == -1
       && strstr(err, "/nonexistent/font.ttf") != NULL,
       "a missing font file is named: %s", err);

    ok(mana_pdf_init(no_mono, 1, err, sizeof(err)) == -1
       && strstr(err, "DejaVu Sans Mono") != NULL,
       "a missing family is named: %s", err);

    err[0] = '\0';
    ok(mana_pdf_init(NULL, 2, err, sizeof(err)) == 0,
       "the default fonts load %s", err);

    ok(mana_pdf_init(NULL, 1, err, sizeof(err)) == -1,
       "a second mana_pdf_init() is refused");
}


static void
test_render(mana_buf_t *ref)
{
    int              dark, runs, x, y;
    char             err[256], *p;
    mana_buf_t       b;
    mana_qr_t        qr;
    mana_pdf_doc_t   d = sample_doc();
    mana_pdf_info_t  info;

    ok(render(&d, ref, &info, err, sizeof(err)) == 0,
       "the sample income certificate renders: %s", err);
    ok(ref->len > 1000 && memcmp(ref->data, "%PDF-1.", 7) == 0
       && memcmp(ref->data + ref->len - 6, "%%EOF\n", 6) == 0,
       "as a whole PDF (%zu bytes)", ref->len);
    ok(ref->len < 120 * 1024, "of less than 120 KiB with its fonts");

    ok(info.qr_side >= 30 * MM, "the QR is %.1f mm wide, at least 30",
       info.qr_side / MM);
    ok(info.qr_modules == 69 && info.qr_version == 13,
       "of 69 modules (version 13)");
    ok(info.qr_x >= 0 && info.qr_y >= 0
       && info.qr_x + info.qr_side <= info.page_width
       && info.qr_y + info.qr_side <= info.page_height,
       "on the page");
    ok(info.page_width > 595 && info.page_width < 596
       && info.page_height > 841 && info.page_height < 842, "A4");
    ok(info.value_size == 11, "the table at its full size");

    mana_qr_encode(&qr, sample_url, strlen(sample_url), err, sizeof(err));
    for (dark = runs = 0, y = 0; y < qr.size; y++) {
        for (x = 0; x < qr.size; x++) {
            dark += mana_qr_dark(&qr, x, y);
            runs += mana_qr_dark(&qr, x, y)
                    && (x == 0 || !mana_qr_dark(&qr, x - 1, y));
        }
    }
    mana_qr_free(&qr);
    ok(info.qr_rects > 0 && info.qr_rects < runs && runs < dark,
       "%d rectangles draw %d dark modules in %d runs", info.qr_rects, dark,
       runs);

    p = memmem(ref->data, ref->len, "/CreationDate (", 15);
    ok(p != NULL && ref->data + ref->len - p > 40
       && memmem(p, 40, "20260115050000", 14) != NULL,
       "the PDF's creation date is the issue time");

    ok(render(&d, &b, NULL, err, sizeof(err)) == 0
       && b.len == ref->len && memcmp(b.data, ref->data, b.len) == 0,
       "a second render gives the same bytes");
    mana_buf_free(&b);

    d.issued_at += 86400;
    ok(render(&d, &b, NULL, err, sizeof(err)) == 0
       && (b.len != ref->len || memcmp(b.data, ref->data, b.len) != 0),
       "another issue date gives other bytes");
    mana_buf_free(&b);

    d = sample_doc();
    mana_buf_init(&b);
    mana_buf_adds(&b, "before");
    ok(mana_pdf_render(&d, &b, err, sizeof(err)) == 0
       && b.len == ref->len + 6 && memcmp(b.data, "before%PDF", 10) == 0,
       "the PDF is appended to what the buffer held");
    mana_buf_free(&b);
}


/* renders at once in several threads: each must give the reference bytes */

#define THREADS  4
#define ROUNDS   3

typedef struct {
    const mana_buf_t  *ref;
    int                same;
} thread_arg_t;


static void *
thread_render(void *p)
{
    int             i;
    char            err[256];
    mana_buf_t      b;
    thread_arg_t   *a = p;
    mana_pdf_doc_t  d = sample_doc();

    for (i = 0; i < ROUNDS; i++) {
        mana_buf_init(&b);

        if (mana_pdf_render(&d, &b, err, sizeof(err)) == 0
            && b.len == a->ref->len
            && memcmp(b.data, a->ref->data, b.len) == 0)
        {
            a->same++;
        }

        mana_buf_free(&b);
    }

    return NULL;
}


static void
test_threads(const mana_buf_t *ref)
{
    int           i, same;
    pthread_t     t[THREADS];
    thread_arg_t  a[THREADS];

    for (i = 0; i < THREADS; i++) {
        a[i].ref = ref;
        a[i].same = 0;
        pthread_create(&t[i], NULL, thread_render, &a[i]);
    }

    for (same = 0, i = 0; i < THREADS; i++) {
        pthread_join(t[i], NULL);
        same += a[i].same;
    }

    ok(same == THREADS * ROUNDS,
       "%d renders in %d threads at once: %d gave the same bytes",
       THREADS * ROUNDS, THREADS, same);
}


/* a bad string in each place: refused, named, and nothing written */
static void
test_refused(void)
{
    size_t            i, k;
    char              err[256], bad[64];
    mana_buf_t        b;
    mana_pdf_doc_t    d;
    mana_pdf_field_t  f[8];
    const char      **slot;

    static const struct {
        const char  *text;
        const char  *why;
        const char  *what;
    } bads[] = {
        { "\xff", "not valid UTF-8", "a 0xff byte" },
        { "\xe0\xb0", "not valid UTF-8", "a cut Telugu letter" },
        { "\xc0\xaf", "not valid UTF-8", "an overlong /" },
        { "\xed\xa0\x80", "not valid UTF-8", "a surrogate" },
        { "a\x01", "control character", "a control character" },
        { "\xe2\x80\xae" "ydder", "control character", "a right-to-left "
          "override" },
    };

    const char  *names[] = {
        "dept_te", "dept_en", "office_te", "office_en", "title_te",
        "title_en", "number", "holder_name", "holder_name_alt",
        "verify_url", "fields[1].label_te", "fields[1].label_en",
        "fields[1].value"
    };

    for (k = 0; k < sizeof(bads) / sizeof(bads[0]); k++) {
        int  refused = 0, named = 0, untouched = 0;

        for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
            d = sample_doc();
            memcpy(f, sample_fields, sizeof(sample_fields));
            d.fields = f;

            slot = i == 0 ? &d.dept_te : i == 1 ? &d.dept_en
                 : i == 2 ? &d.office_te : i == 3 ? &d.office_en
                 : i == 4 ? &d.title_te : i == 5 ? &d.title_en
                 : i == 6 ? &d.number : i == 7 ? &d.holder_name
                 : i == 8 ? &d.holder_name_alt : i == 9 ? &d.verify_url
                 : i == 10 ? &f[1].label_te : i == 11 ? &f[1].label_en
                 : &f[1].value;

            snprintf(bad, sizeof(bad), "Ravi %s Kumar", bads[k].text);
            *slot = bad;

            mana_buf_init(&b);
            mana_buf_adds(&b, "kept");
            err[0] = '\0';

            refused += mana_pdf_render(&d, &b, err, sizeof(err)) == -1
                       && strstr(err, bads[k].why) != NULL;
            named += strstr(err, names[i]) != NULL;
            untouched += b.len == 4 && strcmp(b.data, "kept") == 0;
            mana_buf_free(&b);
        }

        ok(refused == (int) i && named == (int) i && untouched == (int) i,
           "%s is refused in each of the %zu strings, which the error names "
           "(%d, %d, %d)", bads[k].what, i, refused, named, untouched);
    }

    d = sample_doc();
    d.holder_name = "Ravi\nKumar";
    ok(render(&d, &b, NULL, err, sizeof(err)) == -1,
       "a newline in a name is refused");
    mana_buf_free(&b);

    d = sample_doc();
    memcpy(f, sample_fields, sizeof(sample_fields));
    d.fields = f;
    f[1].value = "ఇంటి నం. 4-56\nగాంధీ నగర్\nతిరుపతి";
    ok(render(&d, &b, NULL, err, sizeof(err)) == 0,
       "newlines in a value are lines: %s", err);
    mana_buf_free(&b);

#define REQUIRED(name)                                                        \
    d = sample_doc();                                                         \
    d.name = NULL;                                                            \
    ok(render(&d, &b, NULL, err, sizeof(err)) == -1                           \
       && strstr(err, #name " is required") != NULL, "%s", err);              \
    mana_buf_free(&b);                                                        \
    d.name = "";                                                              \
    ok(render(&d, &b, NULL, err, sizeof(err)) == -1, "empty " #name           \
       " refused too");                                                       \
    mana_buf_free(&b);

    REQUIRED(dept_en)
    REQUIRED(title_en)
    REQUIRED(number)
    REQUIRED(holder_name)
    REQUIRED(verify_url)

#undef REQUIRED

    d = sample_doc();
    memcpy(f, sample_fields, sizeof(sample_fields));
    d.fields = f;
    f[2].label_te = NULL;
    f[2].label_en = "";
    ok(render(&d, &b, NULL, err, sizeof(err)) == -1
       && strstr(err, "fields[2] has no label") != NULL, "%s", err);
    mana_buf_free(&b);

    d = sample_doc();
    d.nfields = MANA_PDF_MAX_FIELDS + 1;
    ok(render(&d, &b, NULL, err, sizeof(err)) == -1
       && strstr(err, "fields") != NULL, "too many fields: %s", err);
    mana_buf_free(&b);

    d = sample_doc();
    d.fields = NULL;
    ok(render(&d, &b, NULL, err, sizeof(err)) == -1, "fields NULL with "
       "nfields > 0: %s", err);
    mana_buf_free(&b);

    d = sample_doc();
    d.issued_at = 0;
    ok(render(&d, &b, NULL, err, sizeof(err)) == -1, "%s", err);
    mana_buf_free(&b);

    d = sample_doc();
    d.expires_at = d.issued_at - 1;
    ok(render(&d, &b, NULL, err, sizeof(err)) == -1, "%s", err);
    mana_buf_free(&b);

    {
        static char  huge[MANA_PDF_MAX_TEXT + 2];

        memset(huge, 'x', MANA_PDF_MAX_TEXT + 1);
        d = sample_doc();
        d.holder_name = huge;
        ok(render(&d, &b, NULL, err, sizeof(err)) == -1
           && strstr(err, "over 2048 bytes") != NULL, "%s", err);
        mana_buf_free(&b);
    }
}


static void
test_optional_and_long(void)
{
    size_t            i;
    char              err[256];
    mana_buf_t        b;
    mana_pdf_doc_t    d;
    mana_pdf_info_t   info;
    mana_pdf_field_t  f[MANA_PDF_MAX_FIELDS];
    static char       words[MANA_PDF_MAX_TEXT + 1];

    memset(&d, 0, sizeof(d));
    d.dept_en = "Revenue Department";
    d.title_en = "Income Certificate";
    d.number = "INC/1";
    d.holder_name = "Ravi Kumar";
    d.verify_url = "HTTPS://VERIFY.EXAMPLE/C/AAAA";
    d.issued_at = 1768453200;
    d.log_index = -1;
    ok(render(&d, &b, &info, err, sizeof(err)) == 0,
       "only the required strings, no fields: %s", err);
    ok(info.qr_side >= 30 * MM, "a small QR is still %.1f mm wide",
       info.qr_side / MM);
    mana_buf_free(&b);

    f[0] = (mana_pdf_field_t) { NULL, "Purpose", NULL };
    f[1] = (mana_pdf_field_t) { "ప్రయోజనం", NULL, "" };
    d.fields = f;
    d.nfields = 2;
    ok(render(&d, &b, NULL, err, sizeof(err)) == 0,
       "a field with one label and no value: %s", err);
    mana_buf_free(&b);

    /*
     * A long address: 500 code points, the most a form's text field takes
     * (lib/mana_validate.c), in words of both scripts.
     */
    words[0] = '\0';
    for (i = 0; i < 20; i++) {
        strcat(words, "గాంధీ నగర్ Gandhi Nagar ");
    }
    strcat(words, "ఇరవై మూడో వీధి");

    d = sample_doc();
    memcpy(f, sample_fields, sizeof(sample_fields));
    f[1].value = words;
    d.fields = f;
    ok(render(&d, &b, &info, err, sizeof(err)) == 0,
       "a value of 500 code points wraps and fits: %s", err);
    ok(info.value_size >= 9, "at %.0f pt", info.value_size);
    mana_buf_free(&b);

    /* the longest value allowed: 2,048 bytes of Telugu */
    words[0] = '\0';
    while (strlen(words) + 16 <= MANA_PDF_MAX_TEXT) {
        strcat(words, "తిరుపతి ");
    }

    f[1].value = words;
    ok(render(&d, &b, &info, err, sizeof(err)) == 0,
       "a value of %zu bytes fits too: %s", strlen(words), err);
    ok(info.value_size >= 8, "at %.0f pt", info.value_size);
    mana_buf_free(&b);

    /* as many long values as allowed: more than a page holds */
    d.nfields = MANA_PDF_MAX_FIELDS;
    for (i = 0; i < MANA_PDF_MAX_FIELDS; i++) {
        f[i] = (mana_pdf_field_t) { "చిరునామా", "Address", words };
    }
    mana_buf_init(&b);
    mana_buf_adds(&b, "kept");
    ok(mana_pdf_render(&d, &b, err, sizeof(err)) == -1
       && strstr(err, "do not fit on one page") != NULL
       && b.len == 4, "%zu long values are refused, not cut: %s",
       (size_t) MANA_PDF_MAX_FIELDS, err);
    mana_buf_free(&b);
}


int
main(int argc, char **argv)
{
    mana_buf_t  ref;

    if (argc == 4 && strcmp(argv[1], "render") == 0) {
        return render_file(argv[2], argv[3]);
    }

    if (argc >= 2 && strcmp(argv[1], "bench") == 0) {
        return bench(argc > 2 ? atoi(argv[2]) : 50);
    }

    if (argc != 1) {
        fprintf(stderr, "usage: %s [render IN OUT | bench [N]]\n", argv[0]);
        return 2;
    }

    sample_url_make();

    test_qr();
    test_init();
    test_render(&ref);
    test_threads(&ref);
    test_refused();
    test_optional_and_long();

    mana_buf_free(&ref);
    mana_pdf_cleanup();

    return done_testing();
}
