
/*
 * The schema_migrations table: which embedded migrations a database has,
 * and applying the others.
 */

#ifndef _MMCTL_SCHEMA_H_INCLUDED_
#define _MMCTL_SCHEMA_H_INCLUDED_


#include "mmctl.h"
#include "mmctl_migrations.h"


typedef struct {
    char    version[65];
    char    checksum[65];
    char    applied_at[32];     /* "YYYY-MM-DD hh:mm:ss.fff", UTC */
} mmctl_applied_t;


typedef struct {
    mmctl_applied_t  *v;
    size_t            n;
} mmctl_applied_list_t;


int mmctl_schema_lock(mmctl_ctx_t *ctx);
void mmctl_schema_unlock(mmctl_ctx_t *ctx);
int mmctl_schema_create(mmctl_ctx_t *ctx);
int mmctl_schema_load(mmctl_ctx_t *ctx, mmctl_applied_list_t *list);
const mmctl_applied_t *mmctl_schema_find(mmctl_applied_list_t *list,
    const char *version);
int mmctl_schema_known(const char *version);
void mmctl_schema_checksum(const mmctl_migration_t *m, char hex[65]);
void mmctl_schema_check(mmctl_applied_list_t *list);
int mmctl_schema_apply(mmctl_ctx_t *ctx, const mmctl_migration_t *m);
void mmctl_schema_free(mmctl_applied_list_t *list);


#endif /* _MMCTL_SCHEMA_H_INCLUDED_ */
