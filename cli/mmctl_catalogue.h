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
 * canonical and sorted by code, as the rows are, without validating them
 * (that is "catalogue validate"'s business).  where: NULL, or an SQL
 * condition on the service table "s" (e.g. "s.code = 'X'") that limits the
 * services read.  An office or a service whose department row is missing
 * has "department": null.
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

/* the same with the stored object (canonical, or NULL) already at hand;
 * *result is 0 (unchanged), 1 (added) or 2 (changed) */
int mmctl_catalogue_write(mmctl_ctx_t *ctx, const char *kind, json_t *obj,
    json_t *old, int *result);

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
