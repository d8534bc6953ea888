/*
 * What the catalogue nouns (service, catalogue, dept, office, i18n) share:
 * the version bump every change makes, the import lock, reading the
 * catalogue from the database, and printing validation problems.
 */

#ifndef _MMCTL_CATALOGUE_H_INCLUDED_
#define _MMCTL_CATALOGUE_H_INCLUDED_


#include <jansson.h>

#include "mmctl.h"
#include "mana_catalogue.h"


/*
 * UPDATE catalogue_version SET version = version + 1 WHERE id = 1, in the
 * caller's transaction: every change to the catalogue tables calls it
 * before its COMMIT, so the workers reload exactly what was committed.
 * Returns MMCTL_OK or an mmctl_error() status.
 */
int mmctl_catalogue_bump(mmctl_ctx_t *ctx);

/* the current catalogue_version.version, or -1 after an mmctl_error() */
long long mmctl_catalogue_version(mmctl_ctx_t *ctx);

/* GET_LOCK('mana_catalogue', 30): serialises writers of whole documents */
int mmctl_catalogue_lock(mmctl_ctx_t *ctx);
void mmctl_catalogue_unlock(mmctl_ctx_t *ctx);

/* connect and select the database, which must exist */
int mmctl_catalogue_connect(mmctl_ctx_t *ctx);

/* START TRANSACTION, COMMIT, ROLLBACK */
int mmctl_catalogue_begin(mmctl_ctx_t *ctx);
int mmctl_catalogue_commit(mmctl_ctx_t *ctx);
void mmctl_catalogue_rollback(mmctl_ctx_t *ctx);

/*
 * Reads the stored catalogue: *doc (a new reference) is a
 * "mana-catalogue/1" document whose departments, offices and services are
 * canonical and sorted by code, as the rows are, and its districts (when
 * there are any) by English name, without validating them (that is
 * "catalogue validate"'s business).  where: NULL, or an SQL condition on
 * the service table "s" (e.g. "s.code = 'X'") that limits the services
 * read (and reads nothing else).  An office or a service whose department
 * row is missing has "department": null.
 */
int mmctl_catalogue_read(mmctl_ctx_t *ctx, json_t **doc, const char *where);

/*
 * One object of kind "department", "office" or "service" by code, as
 * mmctl_catalogue_read() has it: *obj a new reference, or NULL when there
 * is none.
 */
int mmctl_catalogue_read_one(mmctl_ctx_t *ctx, const char *kind,
    const char *code, json_t **obj);

/* 1 when a department with this code exists, 0 when not, -1 on error */
int mmctl_catalogue_department_exists(mmctl_ctx_t *ctx, const char *code);

/*
 * Upserts one canonical object of kind "department", "office" or
 * "service" (the department it names must exist), unless the stored row
 * is equal to it: *added is set when there was no row, *changed when the
 * row differed (or was added).  In the caller's transaction.
 */
int mmctl_catalogue_store(mmctl_ctx_t *ctx, const char *kind, json_t *obj,
    int *added, int *changed);

/* the same with the stored object (canonical, or NULL) already at hand,
 * and of kind "district" too (by its English name); *result is 0
 * (unchanged), 1 (added) or 2 (changed) */
int mmctl_catalogue_write(mmctl_ctx_t *ctx, const char *kind, json_t *obj,
    json_t *old, int *result);

/*
 * What "dept" and "office" tell mmctl_catalogue_edit() of their kind: the
 * ids of the options their add and update share (in the verbs' one
 * table), lib/mana_catalogue.c's validator and canonicaliser, and their
 * own steps.
 */
typedef struct {
    int          id;            /* the option's */
    const char  *key;           /* the member it sets */
    unsigned     contact:1;     /* a member of the object's "contact" */
    unsigned     nullable:1;    /* an empty value sets null, not "" */
} mmctl_catalogue_field_t;

typedef struct {
    const char                     *kind;       /* "department", "office" */
    mana_cat_code_t                 rule;       /* its code's */
    int                             name;       /* --name LANG=TEXT */
    int                             name_en;
    int                             name_te;
    int                             texts;      /* --description... */
    const char                     *texts_key;  /* ...and its member */
    int                             enabled;    /* --enabled */
    int                             disabled;   /* --disabled */
    /* both are refused before the other options (office), not after */
    unsigned                        enabled_first:1;
    /* plain strings, up to a NULL key */
    const mmctl_catalogue_field_t  *fields;

    /* the noun's own options, after the shared ones, or NULL */
    int                           (*apply)(mmctl_ctx_t *ctx,
                                      mmctl_args_t *args, json_t *obj);
    size_t                        (*check)(json_t *obj, const char *place,
                                      mana_cat_problems_t *p);
    json_t                       *(*canonical)(json_t *obj);
    /* a check in the transaction before the write, or NULL */
    int                           (*verify)(mmctl_ctx_t *ctx,
                                      mmctl_args_t *args, json_t *obj);
} mmctl_catalogue_kind_t;

/*
 * "add" and "update" of one object: with obj (the new object with its
 * defaults, stolen), applies args, requires name.en, validates (with
 * warnings), then adds it in a transaction that bumps the version; an
 * object that exists is an error.  Without obj, reads the object CODE
 * under a row lock, applies args (or with args NULL sets "enabled"),
 * validates (warnings when names were given) and stores it, bumping the
 * version only when it changed.  Prints CODE RESULT VERSION.
 */
int mmctl_catalogue_edit(mmctl_ctx_t *ctx, const mmctl_catalogue_kind_t *k,
    const char *code, mmctl_args_t *args, json_t *obj, int enabled);

/*
 * Prints problems on stderr as "PREFIX: place: message" (or
 * "place: message" without a prefix), errors first.  With --json and
 * errors, prints the one document
 *   {"error":{"code":"invalid","message":..,"problems":[{"place":..,
 *    "message":..},...]}}
 * Returns MMCTL_FAILED when there are errors, else MMCTL_OK.
 */
int mmctl_catalogue_report(mmctl_ctx_t *ctx, const char *prefix,
    mana_cat_problems_t *p, int warnings);
/* the place as printed: "file.json: services[0] (X-Y)", "file.csv:3: ..." */
void mmctl_catalogue_json_problems(const char *prefix, mana_cat_problems_t *p,
    int severity);
const char *mmctl_catalogue_place(char *buf, size_t size, const char *prefix,
    const char *place);

/*
 * mmctl_catalogue.c: a whole file in (JSON document or CSV of services;
 * format NULL: from the extension) and out (format NULL: json; output
 * NULL: stdout), for "service import" and "service export".
 */
int mmctl_catalogue_import(mmctl_ctx_t *ctx, const char *file,
    const char *format, int dry_run);
int mmctl_catalogue_export(mmctl_ctx_t *ctx, const char *format,
    const char *output);

/* a whole file into *data (NUL-terminated, free() it) */
int mmctl_catalogue_read_file(mmctl_ctx_t *ctx, const char *path,
    char **data, size_t *len);


#endif /* _MMCTL_CATALOGUE_H_INCLUDED_ */
