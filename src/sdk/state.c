/* state.c - per-account nonce and owed fee on disk (see state.h). */
#include "sdk/state.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include "base/json.h"
#include "sdk/sdk_util.h"

static void lower(char *dst, size_t cap, const char *s)
{
    size_t i = 0;
    for (; s[i] && i + 1 < cap; i++)
        dst[i] = (char)tolower((unsigned char)s[i]);
    dst[i] = '\0';
}

int zg_sdk_state_open(zg_sdk_state_file *f, const char *home, const char *contract,
                      const char *user, const char *provider, zg_err *e)
{
    char c[64], u[64], p[64];
    lower(c, sizeof c, contract);
    lower(u, sizeof u, user);
    lower(p, sizeof p, provider);
    f->lock_fd = -1;
    int n = snprintf(f->path, sizeof f->path, "%s/accounts/%s/%s-%s.json", home, c, u, p);
    if (n < 0 || (size_t)n >= sizeof f->path)
        return zg_err_set(e, ZG_EINVAL, "state directory path is too long: %s", home);
    return zg_sdk_mkdirs_for(f->path, e);
}

static int read_state(const char *path, zg_sdk_state *st, zg_err *e)
{
    memset(st, 0, sizeof *st);
    FILE *fp = fopen(path, "r");
    if (!fp)
        return errno == ENOENT ? ZG_OK
                               : zg_err_set(e, ZG_EIO, "cannot read %s: %s", path, strerror(errno));
    json_error_t je;
    json_t *o = json_loadf(fp, 0, &je);
    fclose(fp);
    int rc = o ? ZG_OK : zg_err_set(e, ZG_EIO, "state file %s is not JSON (%s); move it away to start afresh",
                                     path, je.text);
    if (!rc)
        rc = zg_json_get_u64(o, "last_nonce", &st->last_nonce, e);
    if (!rc)
        rc = zg_json_get_u256(o, "owed_fee", &st->owed_fee, e);
    if (!rc)
        rc = zg_json_get_u64(o, "owed_units", &st->owed_units, e);
    json_decref(o);
    if (rc)
        zg_err_wrap(e, rc, "state file %s", path);
    return rc;
}

int zg_sdk_state_lock(zg_sdk_state_file *f, zg_sdk_state *st, zg_err *e)
{
    char lp[1040];
    snprintf(lp, sizeof lp, "%s.lock", f->path);
    int fd = open(lp, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0)
        return zg_err_set(e, ZG_EIO, "cannot open %s: %s", lp, strerror(errno));
    while (flock(fd, LOCK_EX) != 0) {
        if (errno != EINTR) {
            close(fd);
            return zg_err_set(e, ZG_EIO, "cannot lock %s: %s", lp, strerror(errno));
        }
    }
    f->lock_fd = fd;
    int rc = read_state(f->path, st, e);
    if (rc)
        zg_sdk_state_unlock(f);
    return rc;
}

int zg_sdk_state_save(zg_sdk_state_file *f, const zg_sdk_state *st, zg_err *e)
{
    char tmp[1040], owed[ZG_U256_DEC_MAX];
    snprintf(tmp, sizeof tmp, "%s.tmp", f->path);
    zg_u256_to_dec(&st->owed_fee, owed);
    FILE *fp = fopen(tmp, "w");
    if (!fp)
        return zg_err_set(e, ZG_EIO, "cannot write %s: %s", tmp, strerror(errno));
    int ok = fprintf(fp, "{\"last_nonce\":%llu,\"owed_fee\":\"%s\",\"owed_units\":%llu}\n",
                     (unsigned long long)st->last_nonce, owed, (unsigned long long)st->owed_units) > 0;
    ok = fflush(fp) == 0 && ok;
    ok = fsync(fileno(fp)) == 0 && ok;
    ok = fclose(fp) == 0 && ok;
    if (!ok || rename(tmp, f->path) != 0) {
        unlink(tmp);
        return zg_err_set(e, ZG_EIO, "cannot save %s: %s", f->path, strerror(errno));
    }
    return ZG_OK;
}

void zg_sdk_state_unlock(zg_sdk_state_file *f)
{
    if (f->lock_fd >= 0) {
        flock(f->lock_fd, LOCK_UN);
        close(f->lock_fd);
        f->lock_fd = -1;
    }
}

uint64_t zg_sdk_next_nonce(uint64_t last)
{
    struct timeval tv;
    gettimeofday(&tv, NULL);
    uint64_t now = (uint64_t)tv.tv_sec * 1000000u + (uint64_t)tv.tv_usec;
    return now > last ? now : last + 1;
}
