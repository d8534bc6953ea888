
/*
 * mmctl: the Mana administrator's command line.
 *
 * A command is "mmctl [global options] <noun> <verb> [args]".  Every noun
 * lives in its own file and exports one mmctl_noun_t: a table of verbs, each
 * with its options, its number of arguments, its help and its handler.
 * mmctl.c parses everything generic; a handler only does its work.
 */

#ifndef _MMCTL_H_INCLUDED_
#define _MMCTL_H_INCLUDED_


#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>
#include <mysql.h>

#include "mana_buf.h"


#define MMCTL_VERSION  "0.1.0"


/* exit statuses; 69 and 78 are sysexits.h's EX_UNAVAILABLE and EX_CONFIG */
#define MMCTL_OK           0
#define MMCTL_FAILED       1
#define MMCTL_USAGE        2
#define MMCTL_UNAVAILABLE  69
#define MMCTL_CONFIG       78


/*
 * The most options a verb may have: mmctl.c refuses to run a verb whose
 * table is longer rather than drop the options past it.
 */
#define MMCTL_OPTS_MAX  32


typedef struct mmctl_ctx_s  mmctl_ctx_t;


/* a long option; its index in its table is its id */
typedef struct {
    const char  *name;          /* "--host" */
    const char  *alias;         /* "-h", or NULL */
    int          has_arg;
} mmctl_option_t;


typedef struct {
    int           argc;
    char        **argv;
    int           next;
    int           permute;      /* collect operands instead of stopping */
    int           nops;
    char        **ops;          /* the operands, when permuting */
    char          err[256];     /* why MMCTL_OPT_ERROR was returned */
} mmctl_opt_state_t;

#define MMCTL_OPT_END    -1
#define MMCTL_OPT_ERROR  -2
#define MMCTL_OPT_MORE   1000      /* added to the ids of the second table */


/* one option as given on the command line */
typedef struct {
    int           id;           /* its index in the verb's table */
    const char   *value;        /* "" for a flag */
} mmctl_given_t;


/*
 * A verb's parsed command line, given to its handler.  opt[] is enough for
 * an option given once; a repeatable one ("--name te=..." once a
 * language) is read with mmctl_args_next(), which sees every value.
 */
typedef struct {
    int             argc;       /* operands only */
    char          **argv;
    const char     *opt[MMCTL_OPTS_MAX];  /* last value, "" for a flag, or
                                           * NULL when not given */
    int             ngiven;
    mmctl_given_t  *given;      /* every option, in command-line order */
} mmctl_args_t;


typedef struct {
    const char             *name;
    const char             *synopsis;   /* what follows the verb in usage */
    const char             *summary;    /* one line for the noun's help */
    const char             *help;       /* the rest of "--help" */
    const mmctl_option_t   *options;    /* ends with a NULL name */
    int                     min_args;
    int                     max_args;
    int                   (*handler)(mmctl_ctx_t *ctx, mmctl_args_t *args);
} mmctl_verb_t;


typedef struct {
    const char             *name;
    const char             *summary;
    const char             *help;
    const mmctl_verb_t     *verbs;      /* ends with a NULL name */
} mmctl_noun_t;


/* settings as strings, from one source, NULL when unset */
typedef struct {
    const char  *host;
    const char  *port;
    const char  *socket;
    const char  *user;
    const char  *password_file;
    const char  *database;
    const char  *master_key_file;
    const char  *verify_host;
    const char  *document_key_file;
} mmctl_conf_t;


/* the settings mmctl connects with, after precedence and defaults */
typedef struct {
    const char  *host;          /* NULL: the unix socket */
    unsigned     port;
    const char  *socket;
    const char  *user;
    const char  *database;
    char        *password;      /* NULL: none (unix_socket authentication) */
    size_t       password_len;
    char         server[512];   /* "unix:/path" or "tcp:host:port" */
} mmctl_db_t;


struct mmctl_ctx_s {
    mmctl_conf_t            flags;
    const char             *config_file;    /* NULL: the default one */
    mmctl_conf_t            file;           /* the config file's settings */
    const char             *file_path;      /* NULL: there is none */
    unsigned                file_loaded:1;
    unsigned                json:1;
    unsigned                json_done:1;    /* a document was printed */
    const mmctl_noun_t     *noun;
    const mmctl_verb_t     *verb;
    mmctl_db_t              db;
    MYSQL                  *mysql;
};


extern const mmctl_noun_t  mmctl_noun_db;
extern const mmctl_noun_t  mmctl_noun_dept;
extern const mmctl_noun_t  mmctl_noun_office;
extern const mmctl_noun_t  mmctl_noun_i18n;
extern const mmctl_noun_t  mmctl_noun_service;
extern const mmctl_noun_t  mmctl_noun_catalogue;
extern const mmctl_noun_t  mmctl_noun_key;
extern const mmctl_noun_t  mmctl_noun_cert;
extern const mmctl_noun_t  mmctl_noun_app;
extern const mmctl_noun_t  mmctl_noun_log;
extern const mmctl_noun_t  mmctl_noun_records;


/* mmctl.c */
void mmctl_print_verb_usage(mmctl_ctx_t *ctx, FILE *f);

/*
 * The values of option id after the *i-th option given, in command-line
 * order; NULL after the last:
 *     for (i = 0; (v = mmctl_args_next(args, ID, &i)) != NULL; ) { ... }
 */
const char *mmctl_args_next(const mmctl_args_t *args, int id, int *i);

/* mmctl_opt.c */
void mmctl_opt_init(mmctl_opt_state_t *st, int argc, char **argv,
    int permute);
int mmctl_opt_next(mmctl_opt_state_t *st, const mmctl_option_t *opts,
    const mmctl_option_t *more, const char **arg);

/* mmctl_report.c */
int mmctl_error(mmctl_ctx_t *ctx, int status, const char *code,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
int mmctl_usage_error(mmctl_ctx_t *ctx, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void mmctl_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void mmctl_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* mmctl_json.c */
void mmctl_json_str(FILE *f, const char *s);

/*
 * mmctl_file.c: data to path whole (temporary file, synced, renamed) with
 * mode; a path that exists and is not a regular file is written directly
 */
int mmctl_write_file(mmctl_ctx_t *ctx, const char *path, const char *data,
    size_t len, mode_t mode);
void mmctl_json_strn(FILE *f, const char *s, size_t len);

/* mmctl_table.c */
#define MMCTL_TABLE_COLS  16

typedef struct {
    size_t         ncols;
    size_t         nrows;
    size_t         cap;
    char         **cells;       /* row-major, the header is row 0 */
} mmctl_table_t;

int mmctl_table_init(mmctl_table_t *t, size_t ncols, const char **header);
int mmctl_table_add(mmctl_table_t *t, const char **row);
void mmctl_table_print(mmctl_table_t *t, FILE *f);
void mmctl_table_free(mmctl_table_t *t);
/* a table of one row, printed: the text output of a verb's result */
int mmctl_table_print_row(mmctl_ctx_t *ctx, size_t n, const char **header,
    const char **row);

/* mmctl_conf.c */
int mmctl_conf_resolve(mmctl_ctx_t *ctx);
/*
 * The winning value of one setting ("master_key_file"...) in *value, NULL
 * when no source sets it, and where it came from in source (for messages).
 * MMCTL_OK, or MMCTL_CONFIG when the config file is unreadable or wrong.
 */
int mmctl_conf_setting(mmctl_ctx_t *ctx, const char *key, const char **value,
    char *source, size_t size);
int mmctl_read_secret(mmctl_ctx_t *ctx, const char *path, char **secret,
    size_t *len);
void mmctl_free_secret(char *secret, size_t len);

/* mmctl_conn.c */
int mmctl_connect(mmctl_ctx_t *ctx);
int mmctl_use_database(mmctl_ctx_t *ctx, int create, int *exists);
int mmctl_exec(mmctl_ctx_t *ctx, const char *what, const char *sql);
int mmctl_select(mmctl_ctx_t *ctx, mana_buf_t *sql, const char *what,
    MYSQL_RES **res);
int mmctl_query_error(mmctl_ctx_t *ctx, const char *what);
void mmctl_disconnect(mmctl_ctx_t *ctx);


#endif /* _MMCTL_H_INCLUDED_ */
