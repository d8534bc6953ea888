
/*
 * Settings: flags, then the environment (MANA_DB_*, MANA_MASTER_KEY_FILE),
 * then the configuration file, then defaults; the first source that sets a
 * key wins.  The password comes only from a file, so it never shows in
 * "ps" output, shell history or the environment of child processes; the
 * master key too, and only the key commands read it.
 */

#include <ctype.h>
#include <errno.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mmctl.h"


#define MMCTL_CONF_DEFAULT   "/etc/mana/mmctl.conf"
#define MMCTL_SOCKET_DEFAULT "/run/mysqld/mysqld.sock"
#define MMCTL_DB_DEFAULT     "mana"
#define MMCTL_SECRET_MAX     4096


typedef struct {
    const char  *key;
    const char  *env;
    const char  *flag;
    size_t       off;
} mmctl_conf_key_t;


static const mmctl_conf_key_t  mmctl_conf_keys[] = {
    { "host", "MANA_DB_HOST", "--host", offsetof(mmctl_conf_t, host) },
    { "port", "MANA_DB_PORT", "--port", offsetof(mmctl_conf_t, port) },
    { "socket", "MANA_DB_SOCKET", "--socket",
      offsetof(mmctl_conf_t, socket) },
    { "user", "MANA_DB_USER", "--user", offsetof(mmctl_conf_t, user) },
    { "password_file", "MANA_DB_PASSWORD_FILE", "--password-file",
      offsetof(mmctl_conf_t, password_file) },
    { "database", "MANA_DB_NAME", "--database",
      offsetof(mmctl_conf_t, database) },
    { "master_key_file", "MANA_MASTER_KEY_FILE", "--master-key-file",
      offsetof(mmctl_conf_t, master_key_file) },
    { "verify_host", "MANA_VERIFY_HOST", "--verify-host",
      offsetof(mmctl_conf_t, verify_host) },
    { "document_key_file", "MANA_DOCUMENT_KEY_FILE", "--document-key-file",
      offsetof(mmctl_conf_t, document_key_file) },
    { NULL, NULL, NULL, 0 }
};


#define mmctl_conf_field(conf, k)                                            \
    (*(const char **) ((char *) (conf) + (k)->off))


static int mmctl_conf_load(mmctl_ctx_t *ctx);
static int mmctl_conf_line(mmctl_ctx_t *ctx, mmctl_conf_t *file,
    const char *path, unsigned line, char *s);
static char *mmctl_conf_trim(char *s);
static const char *mmctl_conf_pick(mmctl_ctx_t *ctx, const char *key,
    char *source, size_t size);


int
mmctl_conf_resolve(mmctl_ctx_t *ctx)
{
    int             rc;
    char           *end, source[512];
    const char     *v;
    mmctl_db_t     *db;
    struct passwd  *pw;
    unsigned long   port;

    db = &ctx->db;

    rc = mmctl_conf_load(ctx);
    if (rc != MMCTL_OK) {
        return rc;
    }

    db->host = mmctl_conf_pick(ctx, "host", source, sizeof(source));

    db->port = 3306;
    v = mmctl_conf_pick(ctx, "port", source, sizeof(source));

    if (v) {
        errno = 0;
        port = strtoul(v, &end, 10);

        if (!isdigit((unsigned char) *v) || *end != '\0' || errno != 0
            || port == 0 || port > 65535)
        {
            return mmctl_error(ctx, MMCTL_CONFIG, "config",
                               "invalid port \"%s\" (from %s)", v, source);
        }

        db->port = (unsigned) port;
    }

    v = mmctl_conf_pick(ctx, "socket", source, sizeof(source));
    db->socket = v ? v : MMCTL_SOCKET_DEFAULT;

    db->user = mmctl_conf_pick(ctx, "user", source, sizeof(source));

    if (db->user == NULL) {
        pw = getpwuid(geteuid());
        if (pw == NULL) {
            return mmctl_error(ctx, MMCTL_CONFIG, "config",
                               "cannot find the name of unix user %u, "
                               "use --user", (unsigned) geteuid());
        }

        db->user = strdup(pw->pw_name);
    }

    v = mmctl_conf_pick(ctx, "database", source, sizeof(source));
    db->database = v ? v : MMCTL_DB_DEFAULT;

    /* it is quoted into statements as `name`; keep it to plain characters */
    if (strlen(db->database) > 64
        || strspn(db->database, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                "abcdefghijklmnopqrstuvwxyz0123456789_$")
           != strlen(db->database))
    {
        return mmctl_error(ctx, MMCTL_CONFIG, "config",
                           "invalid database name \"%s\" (from %s): use up "
                           "to 64 of A-Z a-z 0-9 _ $", db->database, source);
    }

    if (db->host) {
        snprintf(db->server, sizeof(db->server), "tcp:%s:%u",
                 db->host, db->port);

    } else {
        snprintf(db->server, sizeof(db->server), "unix:%s", db->socket);
    }

    v = mmctl_conf_pick(ctx, "password_file", source, sizeof(source));

    if (v) {
        return mmctl_read_secret(ctx, v, &db->password, &db->password_len);
    }

    return MMCTL_OK;
}


int
mmctl_conf_setting(mmctl_ctx_t *ctx, const char *key, const char **value,
    char *source, size_t size)
{
    int  rc;

    rc = mmctl_conf_load(ctx);
    if (rc != MMCTL_OK) {
        return rc;
    }

    *value = mmctl_conf_pick(ctx, key, source, size);

    return MMCTL_OK;
}


/*
 * Read once: the file's strings live as long as the process, and the
 * resolved settings point into them.
 */

static int
mmctl_conf_load(mmctl_ctx_t *ctx)
{
    int            rc;
    char          *buf;
    FILE          *f;
    size_t         size;
    ssize_t        n;
    unsigned       line;
    const char   **path;
    mmctl_conf_t  *file;

    if (ctx->file_loaded) {
        return MMCTL_OK;
    }

    file = &ctx->file;
    path = &ctx->file_path;

    memset(file, 0, sizeof(mmctl_conf_t));

    *path = ctx->config_file ? ctx->config_file : MMCTL_CONF_DEFAULT;

    f = fopen(*path, "r");

    if (f == NULL) {
        /* most hosts keep everything in flags or the environment */
        if (ctx->config_file == NULL && errno == ENOENT) {
            *path = NULL;
            ctx->file_loaded = 1;
            return MMCTL_OK;
        }

        return mmctl_error(ctx, MMCTL_CONFIG, "config",
                           "cannot open config file %s: %s",
                           *path, strerror(errno));
    }

    buf = NULL;
    size = 0;
    line = 0;
    rc = MMCTL_OK;

    while ((n = getline(&buf, &size, f)) != -1) {
        line++;

        if ((size_t) n != strlen(buf)) {
            rc = mmctl_error(ctx, MMCTL_CONFIG, "config",
                             "%s:%u: NUL byte in line", *path, line);
            break;
        }

        rc = mmctl_conf_line(ctx, file, *path, line, buf);
        if (rc != MMCTL_OK) {
            break;
        }
    }

    if (rc == MMCTL_OK && ferror(f)) {
        rc = mmctl_error(ctx, MMCTL_CONFIG, "config",
                         "cannot read config file %s: %s",
                         *path, strerror(errno));
    }

    free(buf);
    fclose(f);

    /* a file with a mistake stays wrong for every later question */
    ctx->file_loaded = (rc == MMCTL_OK);

    return rc;
}


static int
mmctl_conf_line(mmctl_ctx_t *ctx, mmctl_conf_t *file, const char *path,
    unsigned line, char *s)
{
    char                    *eq, *key, *value;
    const mmctl_conf_key_t  *k;

    s = mmctl_conf_trim(s);

    if (*s == '\0' || *s == '#') {
        return MMCTL_OK;
    }

    eq = strchr(s, '=');
    if (eq == NULL) {
        return mmctl_error(ctx, MMCTL_CONFIG, "config",
                           "%s:%u: expected \"key = value\"", path, line);
    }

    *eq = '\0';
    key = mmctl_conf_trim(s);
    value = mmctl_conf_trim(eq + 1);

    for (k = mmctl_conf_keys; k->key; k++) {
        if (strcmp(k->key, key) == 0) {
            break;
        }
    }

    if (k->key == NULL) {
        return mmctl_error(ctx, MMCTL_CONFIG, "config",
                           "%s:%u: unknown key \"%s\" (known: host, port, "
                           "socket, user, password_file, database, "
                           "master_key_file)",
                           path, line, key);
    }

    if (*value == '\0') {
        return mmctl_error(ctx, MMCTL_CONFIG, "config",
                           "%s:%u: no value for \"%s\"", path, line, key);
    }

    mmctl_conf_field(file, k) = strdup(value);

    return MMCTL_OK;
}


static char *
mmctl_conf_trim(char *s)
{
    char  *end;

    while (isspace((unsigned char) *s)) {
        s++;
    }

    end = s + strlen(s);

    while (end > s && isspace((unsigned char) end[-1])) {
        *--end = '\0';
    }

    return s;
}


/* the winning value of key and, for messages, where it came from */

static const char *
mmctl_conf_pick(mmctl_ctx_t *ctx, const char *key, char *source, size_t size)
{
    const char              *v;
    const mmctl_conf_key_t  *k;

    for (k = mmctl_conf_keys; strcmp(k->key, key) != 0; k++) {
        /* void */
    }

    v = mmctl_conf_field(&ctx->flags, k);
    if (v) {
        snprintf(source, size, "%s", k->flag);
        return v;
    }

    /* an empty variable is as good as unset, as in most shells' idiom */
    v = getenv(k->env);
    if (v && *v) {
        snprintf(source, size, "%s", k->env);
        return v;
    }

    v = mmctl_conf_field(&ctx->file, k);
    if (v) {
        snprintf(source, size, "%s in %s", k->key, ctx->file_path);
        return v;
    }

    snprintf(source, size, "the default");

    return NULL;
}


/* reads a password file: its bytes without one trailing newline */

int
mmctl_read_secret(mmctl_ctx_t *ctx, const char *path, char **secret,
    size_t *len)
{
    int     err;
    char   *buf;
    FILE   *f;
    size_t  n;

    *secret = NULL;
    *len = 0;

    buf = malloc(MMCTL_SECRET_MAX + 1);
    if (buf == NULL) {
        return mmctl_error(ctx, MMCTL_FAILED, "failed", "out of memory");
    }

    f = fopen(path, "r");
    if (f == NULL) {
        err = errno;
        free(buf);
        return mmctl_error(ctx, MMCTL_CONFIG, "config",
                           "cannot read password file %s: %s",
                           path, strerror(err));
    }

    n = fread(buf, 1, MMCTL_SECRET_MAX + 1, f);
    err = ferror(f) ? errno : 0;
    fclose(f);

    if (err || n > MMCTL_SECRET_MAX) {
        mmctl_free_secret(buf, MMCTL_SECRET_MAX + 1);
        return mmctl_error(ctx, MMCTL_CONFIG, "config",
                           "cannot read password file %s: %s", path,
                           err ? strerror(err) : "longer than 4096 bytes");
    }

    if (n > 0 && buf[n - 1] == '\n') {
        n--;

        if (n > 0 && buf[n - 1] == '\r') {
            n--;
        }
    }

    buf[n] = '\0';

    *secret = buf;
    *len = n;

    return MMCTL_OK;
}


void
mmctl_free_secret(char *secret, size_t len)
{
    if (secret) {
        explicit_bzero(secret, len);
        free(secret);
    }
}
