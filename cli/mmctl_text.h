
/*
 * Language-keyed texts ({"en": "...", "te": "..."}) on the command line:
 * repeated "--name LANG=TEXT" options, the order languages are shown and
 * stored in, and printing catalogue objects as tables or JSON.
 */

#ifndef _MMCTL_TEXT_H_INCLUDED_
#define _MMCTL_TEXT_H_INCLUDED_


#include <jansson.h>

#include "mmctl.h"


/*
 * The most languages a set of texts is shown with: every scheduled
 * language of India, and then some.
 */
#define MMCTL_TEXT_MAX  64


/*
 * Splits "te=TEXT", the value of option opt, into its language (checked
 * against the catalogue's rule; size bytes of room) and *text.  A usage
 * error when it is not that.
 */
int mmctl_text_split(mmctl_ctx_t *ctx, const char *opt, const char *arg,
    char *lang, size_t size, const char **text);

/*
 * Applies every "--OPTION LANG=TEXT" given for option id of the current
 * verb to texts, in order: sets that language's text, or removes the
 * language when TEXT is empty.
 */
int mmctl_text_apply_all(mmctl_ctx_t *ctx, mmctl_args_t *args, int id,
    json_t *texts);

/* sets (or with "", removes) one language's text given by option opt */
int mmctl_text_set(mmctl_ctx_t *ctx, json_t *texts, const char *opt,
    const char *lang, const char *text);

/* a plain string option (phone, district...): valid UTF-8, one line */
int mmctl_text_check_arg(mmctl_ctx_t *ctx, const char *opt, const char *s);

/* en, te, hi, then the others alphabetically */
int mmctl_text_lang_cmp(const char *a, const char *b);
int mmctl_text_lang_qsort_cmp(const void *a, const void *b);

/* sorts a texts object's keys in that order, in place */
int mmctl_text_order(json_t *texts);

/* the text of lang, or NULL */
const char *mmctl_text_get(json_t *texts, const char *lang);

/*
 * Prints a catalogue object as a FIELD VALUE table, one row a scalar or a
 * member of a nested object ("name.te", "contact.phone"); empty as "-".
 */
int mmctl_text_print_fields(json_t *obj);

/*
 * What a catalogue write did, as "mmctl service" prints it: CODE RESULT
 * VERSION, or {"code":..,"result":..,"version":N,KIND:{..}}; result is
 * added, changed or unchanged.
 */
int mmctl_text_print_result(mmctl_ctx_t *ctx, const char *kind, json_t *obj,
    const char *result, long long version);

/* prints doc (stolen) as the verb's one JSON document */
int mmctl_text_print_json(mmctl_ctx_t *ctx, json_t *doc);

/* a boolean in a table: "yes" or "no", in every noun's tables */
#define mmctl_text_yes(b)  ((b) ? "yes" : "no")


#endif /* _MMCTL_TEXT_H_INCLUDED_ */
