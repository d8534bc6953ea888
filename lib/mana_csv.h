/*
 * CSV as RFC 4180 has it: comma separated, '"' quoted with "" escapes, CRLF
 * or LF line ends, fields that hold newlines.  The reader insists on UTF-8
 * and reports line numbers; a byte-order mark is tolerated on read (tools
 * on Windows write one) and never written.
 */

#ifndef MANA_CSV_H
#define MANA_CSV_H

#include <stddef.h>

#include "mana_buf.h"


typedef struct {
    const char  *data;
    size_t       len;
    size_t       pos;
    size_t       line;          /* the line the next record starts on */
    size_t       ncols;         /* 0: any; else every record must have it */

    /* the last record: fields[i] is NUL-terminated, in storage */
    size_t       nfields;
    size_t       cap;
    char       **fields;
    size_t      *lens;
    mana_buf_t   storage;
    size_t       record_line;   /* the line the last record started on */

    /* why mana_csv_next() returned -1 */
    size_t       err_line;
    size_t       err_field;     /* 1-based; 0 when not about one field */
    char         err[160];
} mana_csv_t;


void mana_csv_init(mana_csv_t *c, const char *data, size_t len);
void mana_csv_free(mana_csv_t *c);
/* 1: a record; 0: the end; -1: an error (err, err_line, err_field) */
int mana_csv_next(mana_csv_t *c);

/* a field, quoted when it must be; a comma before all but the first */
void mana_csv_field(mana_buf_t *b, const char *s, size_t n, int first);
/* ends a record: CRLF, as RFC 4180 says */
void mana_csv_end(mana_buf_t *b);

#endif /* MANA_CSV_H */
