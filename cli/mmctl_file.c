/*
 * Output files: "-o FILE" of every verb that writes one.  A file is
 * written whole or not at all (a temporary file beside it, synced, renamed
 * over it), with the mode the caller asks for.  What exists and is not a
 * regular file (/dev/null, /dev/stdout, a pipe) is written to directly:
 * renaming over it would replace a device with a file.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mmctl.h"


static int
mmctl_write_direct(mmctl_ctx_t *ctx, const char *path, const char *data,
    size_t len)
{
    int    ok;
    FILE  *f;

    f = fopen(path, "wb");
    if (f == NULL) {
        return mmctl_error(ctx, MMCTL_FAILED, "failed", "cannot write %s: "
                           "%s", path, strerror(errno));
    }

    ok = fwrite(data, 1, len, f) == len;
    ok = (fclose(f) == 0) && ok;

    if (!ok) {
        return mmctl_error(ctx, MMCTL_FAILED, "failed", "cannot write %s: "
                           "%s", path, strerror(errno));
    }

    return MMCTL_OK;
}


int
mmctl_write_file(mmctl_ctx_t *ctx, const char *path, const char *data,
    size_t len, mode_t mode)
{
    int          fd, ok;
    char         tmp[4096];
    FILE        *f;
    struct stat  st;

    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
        return mmctl_write_direct(ctx, path, data, len);
    }

    if (snprintf(tmp, sizeof(tmp), "%s.tmpXXXXXX", path)
        >= (int) sizeof(tmp))
    {
        return mmctl_error(ctx, MMCTL_FAILED, "failed", "%s: the name is too "
                           "long", path);
    }

    fd = mkstemp(tmp);
    if (fd == -1) {
        return mmctl_error(ctx, MMCTL_FAILED, "failed", "cannot write %s: "
                           "%s", path, strerror(errno));
    }

    ok = fchmod(fd, mode) == 0;

    f = fdopen(fd, "wb");
    if (f == NULL) {
        close(fd);
        ok = 0;

    } else {
        ok = (fwrite(data, 1, len, f) == len) && ok;
        ok = (fflush(f) == 0) && (fsync(fd) == 0) && ok;
        ok = (fclose(f) == 0) && ok;
    }

    if (!ok || rename(tmp, path) != 0) {
        unlink(tmp);
        return mmctl_error(ctx, MMCTL_FAILED, "failed", "cannot write %s: "
                           "%s", path, strerror(errno));
    }

    return MMCTL_OK;
}
