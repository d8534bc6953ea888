
/*
 * Tables for people: left-aligned columns two spaces apart, widths counted
 * in code points so that Telugu and Hindi names line up as well as a
 * terminal allows.
 */

#include <stdlib.h>
#include <string.h>

#include "mmctl.h"


static size_t mmctl_table_width(const char *s);


int
mmctl_table_init(mmctl_table_t *t, size_t ncols, const char **header)
{
    t->ncols = ncols;
    t->nrows = 0;
    t->cap = 0;
    t->cells = NULL;

    if (ncols == 0 || ncols > MMCTL_TABLE_COLS) {
        return -1;
    }

    return mmctl_table_add(t, header);
}


/* copies the cells, so callers may pass buffers they reuse; NULL prints "-" */

int
mmctl_table_add(mmctl_table_t *t, const char **row)
{
    size_t   i, cap;
    char   **cells;

    if (t->nrows == t->cap) {
        cap = t->cap ? t->cap * 2 : 8;
        cells = realloc(t->cells, cap * t->ncols * sizeof(char *));
        if (cells == NULL) {
            return -1;
        }

        t->cells = cells;
        t->cap = cap;
    }

    for (i = 0; i < t->ncols; i++) {
        t->cells[t->nrows * t->ncols + i] = strdup(row[i] ? row[i] : "-");
        if (t->cells[t->nrows * t->ncols + i] == NULL) {
            while (i--) {
                free(t->cells[t->nrows * t->ncols + i]);
            }

            return -1;
        }
    }

    t->nrows++;

    return 0;
}


void
mmctl_table_print(mmctl_table_t *t, FILE *f)
{
    size_t   r, c, w, width[MMCTL_TABLE_COLS];
    char    *cell;

    for (c = 0; c < t->ncols; c++) {
        width[c] = 0;

        for (r = 0; r < t->nrows; r++) {
            w = mmctl_table_width(t->cells[r * t->ncols + c]);
            if (w > width[c]) {
                width[c] = w;
            }
        }
    }

    for (r = 0; r < t->nrows; r++) {
        for (c = 0; c < t->ncols; c++) {
            cell = t->cells[r * t->ncols + c];
            fputs(cell, f);

            if (c + 1 < t->ncols) {
                fprintf(f, "%*s",
                        (int) (width[c] - mmctl_table_width(cell) + 2), "");
            }
        }

        fputc('\n', f);
    }
}


void
mmctl_table_free(mmctl_table_t *t)
{
    size_t  i;

    for (i = 0; i < t->nrows * t->ncols; i++) {
        free(t->cells[i]);
    }

    free(t->cells);
    t->cells = NULL;
    t->nrows = 0;
    t->cap = 0;
}


static size_t
mmctl_table_width(const char *s)
{
    size_t  n;

    for (n = 0; *s; s++) {
        if ((*s & 0xc0) != 0x80) {
            n++;
        }
    }

    return n;
}


int
mmctl_table_print_row(mmctl_ctx_t *ctx, size_t n, const char **header,
    const char **row)
{
    int             rc;
    mmctl_table_t   t;

    if (mmctl_table_init(&t, n, header) != 0) {
        return mmctl_error(ctx, MMCTL_FAILED, "failed", "out of memory");
    }

    rc = mmctl_table_add(&t, row);

    if (rc == 0) {
        mmctl_table_print(&t, stdout);
    }

    mmctl_table_free(&t);

    return rc == 0 ? MMCTL_OK
                   : mmctl_error(ctx, MMCTL_FAILED, "failed", "out of memory");
}
