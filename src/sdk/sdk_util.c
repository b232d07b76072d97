/* sdk_util.c - home directory and directory creation (see sdk_util.h). */
#include "sdk/sdk_util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int zg_sdk_home(const char *opt, char *out, size_t cap, zg_err *e)
{
    const char *env = getenv("ZG_HOME"), *home = getenv("HOME");
    int n;
    if (opt && *opt)
        n = snprintf(out, cap, "%s", opt);
    else if (env && *env)
        n = snprintf(out, cap, "%s", env);
    else if (home && *home)
        n = snprintf(out, cap, "%s/.zg", home);
    else
        return zg_err_set(e, ZG_EINVAL, "no home directory: set ZG_HOME or HOME");
    if (n < 0 || (size_t)n >= cap)
        return zg_err_set(e, ZG_EINVAL, "home directory path too long");
    return ZG_OK;
}

int zg_sdk_mkdirs_for(const char *path, zg_err *e)
{
    char p[1024];
    if (snprintf(p, sizeof p, "%s", path) >= (int)sizeof p)
        return zg_err_set(e, ZG_EINVAL, "path too long: %.100s", path);
    for (char *s = p + 1; *s; s++) {
        if (*s != '/')
            continue;
        *s = '\0';
        if (mkdir(p, 0700) != 0 && errno != EEXIST) {
            int err = errno;
            *s = '/';
            return zg_err_set(e, ZG_EIO, "cannot create directory for %s: %s", path, strerror(err));
        }
        *s = '/';
    }
    return ZG_OK;
}
