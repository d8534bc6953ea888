
/*
 * Errors, warnings and progress.  People read stderr, so every message goes
 * there; with --json a script reads stdout, so an error is also printed
 * there as the one JSON document, unless a document was already printed.
 */

#include <stdarg.h>
#include <stdio.h>

#include "mmctl.h"


static void mmctl_json_error(mmctl_ctx_t *ctx, const char *code,
    const char *msg);


int
mmctl_error(mmctl_ctx_t *ctx, int status, const char *code,
    const char *fmt, ...)
{
    char     msg[2048];
    va_list  ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);

    fprintf(stderr, "mmctl: %s\n", msg);
    mmctl_json_error(ctx, code, msg);

    return status;
}


int
mmctl_usage_error(mmctl_ctx_t *ctx, const char *fmt, ...)
{
    char     msg[1024];
    va_list  ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);

    fprintf(stderr, "mmctl: %s\n", msg);
    mmctl_print_verb_usage(ctx, stderr);
    mmctl_json_error(ctx, "usage", msg);

    return MMCTL_USAGE;
}


void
mmctl_warn(const char *fmt, ...)
{
    va_list  ap;

    fputs("mmctl: warning: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}


void
mmctl_note(const char *fmt, ...)
{
    va_list  ap;

    fputs("mmctl: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}


static void
mmctl_json_error(mmctl_ctx_t *ctx, const char *code, const char *msg)
{
    if (!ctx->json || ctx->json_done) {
        return;
    }

    fputs("{\"error\":{\"code\":", stdout);
    mmctl_json_str(stdout, code);
    fputs(",\"message\":", stdout);
    mmctl_json_str(stdout, msg);
    fputs("}}\n", stdout);

    ctx->json_done = 1;
}
