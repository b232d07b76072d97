/* keystore_file.c - keystore v3 files on disk (see eth/keystore.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "eth/keystore.h"

#define MAX_FILE (64 * 1024)

int zg_keystore_read_file(const char *path, const char *password, zg_eth_key *out,
                          zg_address *addr, zg_err *e)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return zg_err_set(e, ZG_EIO, "keystore %s: %s", path, strerror(errno));
    char *text = malloc(MAX_FILE + 1);
    if (!text) {
        fclose(f);
        return zg_err_set(e, ZG_ENOMEM, "out of memory");
    }
    size_t n = fread(text, 1, MAX_FILE + 1, f);
    int bad = ferror(f);
    fclose(f);
    int rc;
    if (bad)
        rc = zg_err_set(e, ZG_EIO, "keystore %s: read error", path);
    else if (n > MAX_FILE)
        rc = zg_err_set(e, ZG_EINVAL, "keystore %s: larger than %d bytes", path, MAX_FILE);
    else {
        text[n] = '\0';
        rc = zg_keystore_decrypt(text, password, out, addr, e);
        if (rc != ZG_OK)
            zg_err_wrap(e, rc, "%s", path);
    }
    free(text);
    return rc;
}

int zg_keystore_write_file(const char *path, const zg_eth_key *k, const char *password,
                           const zg_keystore_cost *cost, zg_err *e)
{
    char *json;
    int rc = zg_keystore_encrypt(k, password, cost, &json, e);
    if (rc != ZG_OK)
        return rc;
    /* O_EXCL: never replace a key file someone already has. */
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        rc = zg_err_set(e, ZG_EIO, "keystore %s: %s", path, strerror(errno));
        free(json);
        return rc;
    }
    size_t len = strlen(json), off = 0;
    while (off < len) {
        ssize_t w = write(fd, json + off, len - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            break;
        off += (size_t)w;
    }
    int ok = off == len && fsync(fd) == 0;
    ok = close(fd) == 0 && ok;
    free(json);
    if (!ok) {
        unlink(path);
        return zg_err_set(e, ZG_EIO, "keystore %s: write failed: %s", path, strerror(errno));
    }
    return ZG_OK;
}
