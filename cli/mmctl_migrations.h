
/*
 * The SQL migrations of sql/, compiled into mmctl by cli/embed-sql.pl so
 * that the binary and the schema it expects can never drift apart.
 */

#ifndef _MMCTL_MIGRATIONS_H_INCLUDED_
#define _MMCTL_MIGRATIONS_H_INCLUDED_


#include <stddef.h>


typedef struct {
    const char  *name;      /* file name without ".sql", e.g. "001_core" */
    const char  *sql;       /* the file's bytes, NUL-terminated */
    size_t       len;       /* without the terminating NUL */
} mmctl_migration_t;


/* sorted by name; one extra all-NULL entry ends the array */
extern const mmctl_migration_t  mmctl_migrations[];
extern const size_t             mmctl_migrations_n;


#endif /* _MMCTL_MIGRATIONS_H_INCLUDED_ */
