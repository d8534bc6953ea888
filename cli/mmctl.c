
/*
 * mmctl's entry point: global options, finding the noun and the verb,
 * parsing the verb's options and operands, help and usage.  A new noun is a
 * new file and one line in mmctl_nouns[].
 */

#include <stdlib.h>
#include <string.h>

#include "mmctl.h"
#include "mmctl_migrations.h"


static const mmctl_noun_t  *mmctl_nouns[] = {
    &mmctl_noun_db,
    &mmctl_noun_dept,
    &mmctl_noun_office,
    &mmctl_noun_i18n,
    &mmctl_noun_service,
    &mmctl_noun_catalogue,
    &mmctl_noun_key,
    &mmctl_noun_cert,
    &mmctl_noun_app,
    &mmctl_noun_log,
    &mmctl_noun_records,
    NULL
};


enum {
    MMCTL_G_HOST = 0,
    MMCTL_G_PORT,
    MMCTL_G_SOCKET,
    MMCTL_G_USER,
    MMCTL_G_PASSWORD_FILE,
    MMCTL_G_DATABASE,
    MMCTL_G_MASTER_KEY_FILE,
    MMCTL_G_VERIFY_HOST,
    MMCTL_G_DOCUMENT_KEY_FILE,
    MMCTL_G_CONFIG,
    MMCTL_G_JSON,
    MMCTL_G_HELP,
    MMCTL_G_VERSION,
    MMCTL_G_PASSWORD
};


static const mmctl_option_t  mmctl_global_options[] = {
    { "--host", NULL, 1 },
    { "--port", NULL, 1 },
    { "--socket", NULL, 1 },
    { "--user", NULL, 1 },
    { "--password-file", NULL, 1 },
    { "--database", NULL, 1 },
    { "--master-key-file", NULL, 1 },
    { "--verify-host", NULL, 1 },
    { "--document-key-file", NULL, 1 },
    { "--config", NULL, 1 },
    { "--json", NULL, 0 },
    { "--help", "-h", 0 },
    { "--version", NULL, 0 },
    /* recognised only to refuse it with a useful message */
    { "--password", "-p", 1 },
    { NULL, NULL, 0 }
};


/* accepted after the verb too: they change no connection setting */
enum {
    MMCTL_V_JSON = 0,
    MMCTL_V_HELP
};

static const mmctl_option_t  mmctl_verb_common_options[] = {
    { "--json", NULL, 0 },
    { "--help", "-h", 0 },
    { NULL, NULL, 0 }
};


static const char  mmctl_help[] =
"Usage: mmctl [global options] <noun> <verb> [args]\n"
"\n"
"Administers a Mana installation: its MariaDB schema and accounts, the\n"
"service catalogue, and the keys that sign certificates.\n"
"\n"
"Nouns:\n"
"%s"
"\n"
"Global options (before the noun):\n"
"  --host HOST            connect over TCP to HOST (default: unix socket)\n"
"  --port N               TCP port (default 3306)\n"
"  --socket PATH          unix socket (default /run/mysqld/mysqld.sock)\n"
"  --user USER            MariaDB user (default: your unix user name)\n"
"  --password-file FILE   read the password from FILE (one trailing\n"
"                         newline is dropped); passwords are never taken\n"
"                         on the command line; without one, mmctl relies\n"
"                         on unix_socket authentication\n"
"  --database NAME        database (default mana)\n"
"  --master-key-file FILE\n"
"                         the master key that seals the signing keys'\n"
"                         private keys (64 hex digits, mode 0600); read\n"
"                         only by the commands that sign (key, cert\n"
"                         issue, app approve, log checkpoint, records\n"
"                         import)\n"
"  --verify-host HOST     the host of the certificates' QR codes\n"
"                         (HTTPS://HOST/C/...), read by \"cert issue\",\n"
"                         \"cert show\", \"cert pdf\", \"app approve\" and\n"
"                         \"records import\"\n"
"  --document-key-file FILE\n"
"                         the key of the links Meta fetches certificate\n"
"                         PDFs by (nginx's mana_document_key_file), read\n"
"                         by \"cert link\" and \"app approve\"\n"
"  --config FILE          config file (default /etc/mana/mmctl.conf,\n"
"                         which may be absent)\n"
"  --json                 print exactly one JSON document on stdout;\n"
"                         errors as {\"error\":{\"code\":..,\"message\":..}}\n"
"                         with code usage, config, unavailable, failed,\n"
"                         migration_failed or lock_timeout\n"
"  --help, -h             this help; \"mmctl <noun> --help\" for a noun\n"
"  --version              the version and the embedded migrations\n"
"--json and --help may also follow the verb.\n"
"\n"
"Settings: a flag beats the environment (MANA_DB_HOST, MANA_DB_PORT,\n"
"MANA_DB_SOCKET, MANA_DB_USER, MANA_DB_PASSWORD_FILE, MANA_DB_NAME,\n"
"MANA_MASTER_KEY_FILE, MANA_VERIFY_HOST, MANA_DOCUMENT_KEY_FILE), which\n"
"beats the config file, which beats the defaults.  The config file holds\n"
"\"key = value\" lines with the keys host, port, socket, user,\n"
"password_file, database, master_key_file, verify_host and\n"
"document_key_file; lines starting with # are comments.\n"
"\n"
"Output: tables on stdout, messages on stderr.\n"
"\n"
"Exit status:\n"
"  0   success\n"
"  1   failure\n"
"  2   usage error\n"
"  69  the database is unavailable (cannot connect)\n"
"  78  bad configuration (config file, password file, master key file,\n"
"      settings)\n";


static int mmctl_run_noun(mmctl_ctx_t *ctx, int argc, char **argv);
static int mmctl_run_verb(mmctl_ctx_t *ctx, int argc, char **argv);
static void mmctl_print_help(FILE *f);
static void mmctl_print_noun_help(const mmctl_noun_t *noun, FILE *f);
static void mmctl_print_usage(FILE *f);


int
main(int argc, char **argv)
{
    int                 id, rc;
    size_t              i;
    const char         *arg;
    mmctl_ctx_t         ctx;
    mmctl_opt_state_t   st;

    memset(&ctx, 0, sizeof(mmctl_ctx_t));

    mmctl_opt_init(&st, argc - 1, argv + 1, 0);

    while ((id = mmctl_opt_next(&st, mmctl_global_options, NULL, &arg))
           != MMCTL_OPT_END)
    {
        switch (id) {

        case MMCTL_G_HOST:
            ctx.flags.host = arg;
            break;

        case MMCTL_G_PORT:
            ctx.flags.port = arg;
            break;

        case MMCTL_G_SOCKET:
            ctx.flags.socket = arg;
            break;

        case MMCTL_G_USER:
            ctx.flags.user = arg;
            break;

        case MMCTL_G_PASSWORD_FILE:
            ctx.flags.password_file = arg;
            break;

        case MMCTL_G_DATABASE:
            ctx.flags.database = arg;
            break;

        case MMCTL_G_MASTER_KEY_FILE:
            ctx.flags.master_key_file = arg;
            break;

        case MMCTL_G_VERIFY_HOST:
            ctx.flags.verify_host = arg;
            break;

        case MMCTL_G_DOCUMENT_KEY_FILE:
            ctx.flags.document_key_file = arg;
            break;

        case MMCTL_G_CONFIG:
            ctx.config_file = arg;
            break;

        case MMCTL_G_JSON:
            ctx.json = 1;
            break;

        case MMCTL_G_HELP:
            mmctl_print_help(stdout);
            return MMCTL_OK;

        case MMCTL_G_VERSION:
            if (ctx.json) {
                printf("{\"version\":\"%s\",\"migrations\":[",
                       MMCTL_VERSION);
                for (i = 0; i < mmctl_migrations_n; i++) {
                    printf("%s", i ? "," : "");
                    mmctl_json_str(stdout, mmctl_migrations[i].name);
                }
                printf("]}\n");
                return MMCTL_OK;
            }

            printf("mmctl %s (%zu migration%s%s%s)\n", MMCTL_VERSION,
                   mmctl_migrations_n, mmctl_migrations_n == 1 ? "" : "s",
                   mmctl_migrations_n ? ", latest " : "",
                   mmctl_migrations_n
                   ? mmctl_migrations[mmctl_migrations_n - 1].name : "");
            return MMCTL_OK;

        case MMCTL_G_PASSWORD:
            return mmctl_usage_error(&ctx, "passwords are not accepted on "
                                     "the command line: use "
                                     "--password-file FILE");

        default:
            return mmctl_usage_error(&ctx, "%s", st.err);
        }
    }

    rc = mmctl_run_noun(&ctx, argc - 1 - st.next, argv + 1 + st.next);

    mmctl_disconnect(&ctx);

    if (fflush(stdout) != 0 && rc == MMCTL_OK) {
        return MMCTL_FAILED;
    }

    return rc;
}


static int
mmctl_run_noun(mmctl_ctx_t *ctx, int argc, char **argv)
{
    int                  rc;
    const mmctl_verb_t  *v;
    const mmctl_noun_t **n;

    if (argc == 0) {
        return mmctl_usage_error(ctx, "no noun given");
    }

    for (n = mmctl_nouns; *n; n++) {
        if (strcmp((*n)->name, argv[0]) == 0) {
            break;
        }
    }

    if (*n == NULL) {
        return mmctl_usage_error(ctx, "unknown noun \"%s\"", argv[0]);
    }

    ctx->noun = *n;

    if (argc == 1) {
        rc = mmctl_error(ctx, MMCTL_USAGE, "usage", "no verb given");
        mmctl_print_noun_help(ctx->noun, stderr);
        return rc;
    }

    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0
        || strcmp(argv[1], "help") == 0)
    {
        mmctl_print_noun_help(ctx->noun, stdout);
        return MMCTL_OK;
    }

    for (v = ctx->noun->verbs; v->name; v++) {
        if (strcmp(v->name, argv[1]) == 0) {
            break;
        }
    }

    if (v->name == NULL) {
        rc = mmctl_error(ctx, MMCTL_USAGE, "usage",
                         "unknown verb \"%s\" for %s", argv[1],
                         ctx->noun->name);
        mmctl_print_noun_help(ctx->noun, stderr);
        return rc;
    }

    ctx->verb = v;

    return mmctl_run_verb(ctx, argc - 2, argv + 2);
}


static int
mmctl_run_verb(mmctl_ctx_t *ctx, int argc, char **argv)
{
    int                  id, i, rc;
    const char          *arg;
    mmctl_args_t         args;
    mmctl_opt_state_t    st;
    const mmctl_verb_t  *v;

    v = ctx->verb;

    /* help wins over any mistake elsewhere on the line */
    for (i = 0; i < argc && strcmp(argv[i], "--") != 0; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            printf("Usage: mmctl [global options] %s %s%s%s\n\n%s",
                   ctx->noun->name, v->name, *v->synopsis ? " " : "",
                   v->synopsis, v->help);
            return MMCTL_OK;
        }
    }

    /* a longer table is a bug, which must not silently drop options */
    for (i = 0; v->options[i].name; i++) {
        if (i == MMCTL_OPTS_MAX) {
            return mmctl_error(ctx, MMCTL_FAILED, "failed", "%s %s has more "
                               "than %d options: raise MMCTL_OPTS_MAX",
                               ctx->noun->name, v->name, MMCTL_OPTS_MAX);
        }
    }

    memset(&args, 0, sizeof(mmctl_args_t));

    /* every option takes at least one word: argc bounds both lists */
    args.argv = calloc(argc + 1, sizeof(char *));
    args.given = calloc(argc + 1, sizeof(mmctl_given_t));

    if (args.argv == NULL || args.given == NULL) {
        free(args.argv);
        free(args.given);
        return mmctl_error(ctx, MMCTL_FAILED, "failed", "out of memory");
    }

    mmctl_opt_init(&st, argc, argv, 1);
    st.ops = args.argv;

    while ((id = mmctl_opt_next(&st, v->options, mmctl_verb_common_options,
                                &arg))
           != MMCTL_OPT_END)
    {
        if (id == MMCTL_OPT_ERROR) {
            rc = mmctl_usage_error(ctx, "%s", st.err);
            goto done;
        }

        if (id == MMCTL_OPT_MORE + MMCTL_V_JSON) {
            ctx->json = 1;

        } else if (id < MMCTL_OPT_MORE) {
            args.opt[id] = arg;
            args.given[args.ngiven].id = id;
            args.given[args.ngiven].value = arg;
            args.ngiven++;
        }
    }

    args.argc = st.nops;

    if (args.argc < v->min_args) {
        rc = mmctl_usage_error(ctx, "missing argument for %s %s",
                               ctx->noun->name, v->name);
        goto done;
    }

    if (args.argc > v->max_args) {
        rc = mmctl_usage_error(ctx, "unexpected argument \"%s\"",
                               args.argv[v->max_args]);
        goto done;
    }

    rc = v->handler(ctx, &args);

done:

    free(args.argv);
    free(args.given);

    return rc;
}


const char *
mmctl_args_next(const mmctl_args_t *args, int id, int *i)
{
    const mmctl_given_t  *g;

    while (*i < args->ngiven) {
        g = &args->given[(*i)++];

        if (g->id == id) {
            return g->value;
        }
    }

    return NULL;
}


void
mmctl_print_verb_usage(mmctl_ctx_t *ctx, FILE *f)
{
    const mmctl_verb_t  *v;

    v = ctx->verb;

    if (v == NULL) {
        mmctl_print_usage(f);
        return;
    }

    fprintf(f, "Usage: mmctl [global options] %s %s%s%s\n"
               "Try \"mmctl %s %s --help\".\n",
            ctx->noun->name, v->name, *v->synopsis ? " " : "", v->synopsis,
            ctx->noun->name, v->name);
}


static void
mmctl_print_help(FILE *f)
{
    char                 list[2048];
    size_t               len;
    const mmctl_noun_t **n;

    len = 0;
    list[0] = '\0';

    for (n = mmctl_nouns; *n && len < sizeof(list); n++) {
        len += snprintf(list + len, sizeof(list) - len, "  %-8s  %s\n",
                        (*n)->name, (*n)->summary);
    }

    fprintf(f, mmctl_help, list);
}


static void
mmctl_print_noun_help(const mmctl_noun_t *noun, FILE *f)
{
    const mmctl_verb_t  *v;

    fprintf(f, "Usage: mmctl [global options] %s <verb> [args]\n\n%s\n"
               "Verbs:\n", noun->name, noun->help);

    for (v = noun->verbs; v->name; v++) {
        fprintf(f, "  %-8s  %s\n", v->name, v->summary);
    }

    fprintf(f, "\nRun \"mmctl %s <verb> --help\" for a verb's arguments; "
               "\"mmctl --help\"\nfor the global options.\n", noun->name);
}


static void
mmctl_print_usage(FILE *f)
{
    fputs("Usage: mmctl [global options] <noun> <verb> [args]\n"
          "Try \"mmctl --help\".\n", f);
}
