/*
 * What the files of the catalogue code share and nobody else uses: the
 * checker that collects problems under a place, and its primitive rules.
 */

#ifndef MANA_CATALOGUE_INT_H
#define MANA_CATALOGUE_INT_H

#include "mana_catalogue.h"


typedef struct {
    mana_cat_problems_t  *p;
    const char           *prefix;       /* "services[3] (REV-INC)" or "" */
    size_t                errors;
} mana_cat_ck_t;


#define MANA_CAT_SORT_MIN  -2147483647LL
#define MANA_CAT_SORT_MAX  2147483647LL
#define MANA_CAT_FEE_MAX   99999999.99       /* DECIMAL(10,2) */


const char *mana_cat_fmt(char *buf, size_t size, const char *fmt, ...)
    __attribute__ ((format (printf, 3, 4)));
/* path.key, or key at the top */
const char *mana_cat_sub(char *buf, size_t size, const char *path,
    const char *key);
int mana_cat_in(const char *s, const char **set);
/* languages in the order of exports: en, te, hi, then alphabetical */
int mana_cat_lang_order(const char *a, const char *b);

void mana_cat_err(mana_cat_ck_t *ck, const char *path, const char *fmt, ...)
    __attribute__ ((format (printf, 3, 4)));
void mana_cat_warn(mana_cat_ck_t *ck, const char *path, const char *fmt,
    ...) __attribute__ ((format (printf, 3, 4)));

/* each adds its problems under ck->prefix + path */
int mana_cat_keys(mana_cat_ck_t *ck, const char *path, json_t *v,
    const char **keys);
void mana_cat_code(mana_cat_ck_t *ck, const char *path, json_t *v,
    mana_cat_code_t rule);
void mana_cat_string(mana_cat_ck_t *ck, const char *path, json_t *v,
    size_t min, size_t max);
void mana_cat_bool(mana_cat_ck_t *ck, const char *path, json_t *v);
void mana_cat_int(mana_cat_ck_t *ck, const char *path, json_t *v,
    json_int_t min, json_int_t max);
void mana_cat_texts(mana_cat_ck_t *ck, const char *path, json_t *v,
    size_t min, size_t max, int en_required, int te_expected);
void mana_cat_lists(mana_cat_ck_t *ck, const char *path, json_t *v,
    size_t max);

#endif /* MANA_CATALOGUE_INT_H */
