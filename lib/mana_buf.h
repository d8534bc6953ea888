/*
 * A growable byte buffer for building SQL and JSON outside nginx pools.
 * Allocation failure is sticky: check mana_buf_failed() once at the end.
 */

#ifndef MANA_BUF_H
#define MANA_BUF_H

#include <stddef.h>


typedef struct {
    char    *data;
    size_t   len;
    size_t   cap;
    int      failed;
} mana_buf_t;


void mana_buf_init(mana_buf_t *b);
void mana_buf_free(mana_buf_t *b);
void mana_buf_add(mana_buf_t *b, const void *p, size_t n);
void mana_buf_adds(mana_buf_t *b, const char *s);
void mana_buf_addf(mana_buf_t *b, const char *fmt, ...)
    __attribute__ ((format (printf, 2, 3)));
/* a SQL string literal that is safe whatever the bytes: _utf8mb4 X'...' */
void mana_buf_add_sql_text(mana_buf_t *b, const char *s, size_t n);
/* a SQL binary string literal: X'...' */
void mana_buf_add_sql_bytes(mana_buf_t *b, const void *p, size_t n);
/* a JSON string literal, quotes included; s must be valid UTF-8 */
void mana_buf_add_json_str(mana_buf_t *b, const char *s, size_t n);
/* text for an HTML element or a quoted attribute; s must be valid UTF-8 */
void mana_buf_add_html(mana_buf_t *b, const char *s, size_t n);
#define mana_buf_failed(b)  ((b)->failed)

#endif /* MANA_BUF_H */
