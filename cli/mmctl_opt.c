
/*
 * Long options, matched exactly.
 *
 * getopt_long() accepts any unambiguous prefix, so "--password secret"
 * would silently become "--password-file secret" and the secret would end up
 * in an error message and the shell history: exact matching rules that out,
 * and keeps an option's meaning from changing when a new option is added.
 */

#include <string.h>

#include "mmctl.h"


static int mmctl_opt_find(const mmctl_option_t *opts, const char *name,
    size_t len);


void
mmctl_opt_init(mmctl_opt_state_t *st, int argc, char **argv, int permute)
{
    st->argc = argc;
    st->argv = argv;
    st->next = 0;
    st->permute = permute;
    st->nops = 0;
    st->ops = NULL;
    st->err[0] = '\0';
}


/*
 * Returns the id of the next option (its index in opts, or MMCTL_OPT_MORE
 * plus its index in more) and sets *arg to its value; MMCTL_OPT_END at the
 * first operand (or at the end, when permuting: st->ops holds the operands,
 * which the caller provides room for); MMCTL_OPT_ERROR with st->err set.
 */

int
mmctl_opt_next(mmctl_opt_state_t *st, const mmctl_option_t *opts,
    const mmctl_option_t *more, const char **arg)
{
    int          id;
    char        *a, *eq;
    size_t       len;

    *arg = NULL;

    for ( ;; ) {
        if (st->next >= st->argc) {
            return MMCTL_OPT_END;
        }

        a = st->argv[st->next];

        if (strcmp(a, "--") == 0) {
            st->next++;

            if (!st->permute) {
                return MMCTL_OPT_END;
            }

            while (st->next < st->argc) {
                st->ops[st->nops++] = st->argv[st->next++];
            }

            return MMCTL_OPT_END;
        }

        if (a[0] == '-' && a[1] != '\0') {
            break;
        }

        if (!st->permute) {
            return MMCTL_OPT_END;
        }

        st->ops[st->nops++] = a;
        st->next++;
    }

    st->next++;

    eq = (a[1] == '-') ? strchr(a, '=') : NULL;
    len = eq ? (size_t) (eq - a) : strlen(a);

    id = mmctl_opt_find(opts, a, len);

    if (id < 0 && more) {
        id = mmctl_opt_find(more, a, len);
        if (id >= 0) {
            opts = more;
            id += MMCTL_OPT_MORE;
        }
    }

    if (id < 0) {
        snprintf(st->err, sizeof(st->err), "unknown option \"%.*s\"",
                 (int) len, a);
        return MMCTL_OPT_ERROR;
    }

    if (!opts[id % MMCTL_OPT_MORE].has_arg) {
        if (eq) {
            snprintf(st->err, sizeof(st->err),
                     "option \"%.*s\" takes no value", (int) len, a);
            return MMCTL_OPT_ERROR;
        }

        *arg = "";
        return id;
    }

    if (eq) {
        *arg = eq + 1;
        return id;
    }

    if (st->next >= st->argc) {
        snprintf(st->err, sizeof(st->err), "option \"%s\" needs a value", a);
        return MMCTL_OPT_ERROR;
    }

    *arg = st->argv[st->next++];

    return id;
}


static int
mmctl_opt_find(const mmctl_option_t *opts, const char *name, size_t len)
{
    int  i;

    for (i = 0; opts[i].name; i++) {
        if ((strlen(opts[i].name) == len
             && strncmp(opts[i].name, name, len) == 0)
            || (opts[i].alias && strlen(opts[i].alias) == len
                && strncmp(opts[i].alias, name, len) == 0))
        {
            return i;
        }
    }

    return -1;
}
