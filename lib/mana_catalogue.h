/*
 * The service catalogue: parsing, validating and serialising the
 * "mana-catalogue/1" JSON document of docs/catalogue-format.md.
 *
 * Neither nginx nor MariaDB: mmctl validates what it writes with this code,
 * and the module's workers load their in-memory snapshot with it.
 *
 * Representation: a loaded catalogue keeps the document as jansson values,
 * normalised ("canonical"): every optional key present with its default,
 * keys in the documented order, departments, offices and services sorted by
 * code, districts by English name (and left out of the document when there
 * are none).  Readers use jansson's accessors on the objects, or the
 * lookups below; the objects are immutable once loaded.
 */

#ifndef MANA_CATALOGUE_H
#define MANA_CATALOGUE_H

#include <stddef.h>
#include <jansson.h>


#define MANA_CAT_FORMAT  "mana-catalogue/1"


/* problems: where (a path such as "services[12] (REV-INC): form[2].pattern")
 * and what */

#define MANA_CAT_ERROR    0
#define MANA_CAT_WARNING  1

typedef struct {
    int      severity;
    char    *place;
    char    *message;
} mana_cat_problem_t;

typedef struct {
    mana_cat_problem_t  *v;
    size_t               n;
    size_t               cap;
    size_t               errors;
    size_t               warnings;
    int                  failed;        /* out of memory: some were lost */
} mana_cat_problems_t;

void mana_cat_problems_init(mana_cat_problems_t *p);
void mana_cat_problems_free(mana_cat_problems_t *p);
void mana_cat_problem(mana_cat_problems_t *p, int severity, const char *place,
    const char *fmt, ...) __attribute__ ((format (printf, 4, 5)));


/* codes and names, each one regular expression of the contract */

typedef enum {
    MANA_CAT_CODE_DEPARTMENT = 0,   /* ^[A-Z][A-Z0-9]{1,7}$ */
    MANA_CAT_CODE_OFFICE,           /* ^[A-Z0-9][A-Z0-9-]{1,31}$ */
    MANA_CAT_CODE_SERVICE,          /* ^[A-Z][A-Z0-9]{1,7}-[A-Z0-9]{1,12}
                                       (-[A-Z0-9]{1,8})?$ */
    MANA_CAT_CODE_FIELD,            /* ^[a-z][a-z0-9_]{0,31}$ */
    MANA_CAT_CODE_CHOICE,           /* ^[a-z0-9_]{1,32}$ */
    MANA_CAT_CODE_LANG,             /* ^[a-z]{2,3}$ */
    MANA_CAT_CODE_I18N_KEY          /* ^[a-z][a-z0-9_.]{0,63}$ */
} mana_cat_code_t;

/* 1 when s matches the rule */
int mana_cat_code_valid(mana_cat_code_t rule, const char *s);
/* the rule as a regular expression, for messages */
const char *mana_cat_code_regex(mana_cat_code_t rule);

/* 1 when s is one of the service types (or field kinds, checksums) */
int mana_cat_service_type_valid(const char *s);
int mana_cat_field_kind_valid(const char *s);

/*
 * Compiles a PCRE2 pattern as the module will (PCRE2_UTF | PCRE2_UCP).
 * Returns 1 when it compiles; else 0 and err holds PCRE2's message and the
 * offset ("missing closing parenthesis at offset 5").
 */
int mana_cat_pattern_valid(const char *pattern, char *err, size_t size);


/*
 * Validators.  Each checks one JSON value against every rule of the
 * contract that needs no other object (references between objects are the
 * document's or the database's business), adds its problems under the
 * place prefix given, and returns the number of errors it added.
 *
 * texts: a language-keyed object of strings each min..max code points;
 * "en" required when en_required; a missing "te" is a warning when
 * te_expected.
 */
size_t mana_cat_check_texts(json_t *v, const char *place, size_t min,
    size_t max, int en_required, int te_expected, mana_cat_problems_t *p);
size_t mana_cat_check_department(json_t *v, const char *place,
    mana_cat_problems_t *p);
size_t mana_cat_check_office(json_t *v, const char *place,
    mana_cat_problems_t *p);
size_t mana_cat_check_service(json_t *v, const char *place,
    mana_cat_problems_t *p);
size_t mana_cat_check_form(json_t *v, const char *type, const char *place,
    mana_cat_problems_t *p);
size_t mana_cat_check_district(json_t *v, const char *place,
    mana_cat_problems_t *p);

/* "departments[3] (REV)" into buf: how problems name an object */
const char *mana_cat_place(char *buf, size_t size, const char *kind,
    size_t i, json_t *obj);


/*
 * Canonical objects: a new reference to a copy of a valid object with
 * every default filled in and the keys in the documented order; NULL when
 * out of memory.  Two objects that mean the same have equal dumps.
 */
json_t *mana_cat_canonical_department(json_t *v);
json_t *mana_cat_canonical_office(json_t *v);
json_t *mana_cat_canonical_service(json_t *v);
json_t *mana_cat_canonical_district(json_t *v);

/* a value as stored and compared: compact, keys in the order they are in */
char *mana_cat_dump_compact(json_t *v);


/* a whole document */

typedef struct {
    json_t  *root;          /* canonical {"format", "departments", ...} */
    json_t  *departments;   /* borrowed from root, sorted by code */
    json_t  *offices;
    json_t  *services;
    json_t  *districts;     /* sorted by English name; NULL: none */
} mana_catalogue_t;

/*
 * Parses and validates a document.  known: the department codes that
 * exist outside it (an object keyed by code, e.g. the database's, for an
 * import of some services), or NULL when the document must be complete.
 * Returns 0 with cat filled (warnings, if any, in p), or -1 with the
 * errors in p and cat empty.
 */
int mana_catalogue_parse(mana_catalogue_t *cat, const char *data,
    size_t len, json_t *known, mana_cat_problems_t *p);
/* the same for a parsed document; takes no reference to doc */
int mana_catalogue_load(mana_catalogue_t *cat, json_t *doc, json_t *known,
    mana_cat_problems_t *p);
void mana_catalogue_free(mana_catalogue_t *cat);

/* lookups by code (binary search), borrowed references or NULL */
json_t *mana_catalogue_department(mana_catalogue_t *cat, const char *code);
json_t *mana_catalogue_office(mana_catalogue_t *cat, const char *code);
json_t *mana_catalogue_service(mana_catalogue_t *cat, const char *code);
/* a district by its English name (ASCII letters in any case), or NULL */
json_t *mana_catalogue_district(mana_catalogue_t *cat, const char *name);

/*
 * The districts a form's district question offers: those the offices
 * serve, in the order of the offices' codes, each as its names keyed by
 * language ({"en": "Guntur", "te": "..."}) from the catalogue's districts,
 * or as {"en": <the office's district>} when they do not name it.  The
 * English name is what an answer stores (offices are found by it).  A new
 * array, empty when there are no offices; NULL when out of memory.
 */
json_t *mana_catalogue_form_districts(mana_catalogue_t *cat);

/* the canonical document, indented, with a final newline; free() it */
char *mana_catalogue_dump(mana_catalogue_t *cat);


/*
 * Services as CSV (docs/catalogue-format.md, "CSV").  A problem of a CSV
 * file has the place "LINE: column NAME", or "LINE" when it is about the
 * whole record (a place that starts with a digit is a line number: print
 * it as "file.csv:LINE: column NAME: message").
 *
 * read: a new array of the file's services, canonical, in file order,
 * each checked with mana_cat_check_service() and codes unique; NULL when
 * there were errors (in p); *lines (when lines is not NULL) a new array
 * of the line each service started on.  Departments are not looked up.
 * write: the CSV text of canonical services (free() it), NULL when out of
 * memory.
 */
json_t *mana_catalogue_csv_read(const char *data, size_t len,
    json_t **lines, mana_cat_problems_t *p);
char *mana_catalogue_csv_write(json_t *services);

#endif /* MANA_CATALOGUE_H */
