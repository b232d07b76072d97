/*
 * provider/journal.c - encoding, appending and replaying journal records.
 */
#define _GNU_SOURCE
#include "provider/journal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <openssl/sha.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/buf.h"

static const char magic[8] = {'Z', 'G', 'J', 'R', 'N', 'L', '0', '1'};

/* ---- records -------------------------------------------------------------- */

/* 8-byte big-endian, as the store keeps nonces */
static uint8_t *put_u64(uint8_t *p, uint64_t v)
{
    zg_store_nonce_be(v, p);
    return p + 8;
}

static uint64_t get_u64(const uint8_t *p) { return zg_store_nonce_from_be(p, 8); }

static uint8_t *put_bytes(uint8_t *p, const void *src, size_t n)
{
    memcpy(p, src, n);
    return p + n;
}

static uint8_t *put_u256(uint8_t *p, const zg_u256 *v)
{
    zg_u256_to_be(p, v);
    return p + 32;
}

/* The body: kind, user, nonce, then what the kind needs. */
static size_t encode_body(const zg_jrec *rec, uint8_t *b)
{
    const zg_store_receipt *r = &rec->r;
    uint8_t *p = b;
    *p++ = (uint8_t)rec->kind;
    p = put_bytes(p, r->user, 20);
    p = put_u64(p, r->nonce);
    switch (rec->kind) {
    case ZG_JREC_RECEIPT: {
        size_t sl = strnlen(r->service, sizeof r->service);
        if (sl >= sizeof r->service) return 0;
        p = put_u256(p, &r->fee);
        p = put_u256(p, &r->input_fee);
        p = put_u256(p, &r->prev_output_fee);
        p = put_bytes(p, r->request_hash, 32);
        p = put_bytes(p, r->signature, 64);
        p = put_u64(p, (uint64_t)r->created_ms);
        *p++ = (uint8_t)sl;
        p = put_bytes(p, r->service, sl);
        break;
    }
    case ZG_JREC_OUTPUT:
        p = put_u64(p, r->output_units);
        p = put_u256(p, &r->output_fee);
        p = put_u256(p, &rec->owed);
        break;
    case ZG_JREC_DROP:
        p = put_u256(p, &rec->owed);
        break;
    default:
        return 0;
    }
    return (size_t)(p - b);
}

size_t zg_jrec_encode(const zg_jrec *rec, uint8_t out[ZG_JREC_MAX])
{
    size_t n = encode_body(rec, out + 4);
    if (!n) return 0;
    for (int i = 0; i < 4; i++) out[i] = (uint8_t)(n >> (24 - 8 * i));
    uint8_t h[32];
    SHA256(out + 4, n, h);
    memcpy(out + 4 + n, h, 8);
    return n + 12;
}

/* Fixed body sizes by kind; a receipt adds its service name. */
#define HEAD_LEN (1 + 20 + 8)
#define RECEIPT_FIXED (HEAD_LEN + 3 * 32 + 32 + 64 + 8 + 1)
#define OUTPUT_LEN (HEAD_LEN + 8 + 32 + 32)
#define DROP_LEN (HEAD_LEN + 32)

static int decode_receipt(zg_store_receipt *r, const uint8_t *p, size_t len)
{
    if (len < RECEIPT_FIXED) return ZG_EINVAL;
    size_t sl = p[RECEIPT_FIXED - 1 - HEAD_LEN];
    if (sl >= sizeof r->service || len != RECEIPT_FIXED + sl) return ZG_EINVAL;
    r->fee = zg_u256_from_be(p);
    r->input_fee = zg_u256_from_be(p + 32);
    r->prev_output_fee = zg_u256_from_be(p + 64);
    memcpy(r->request_hash, p + 96, 32);
    memcpy(r->signature, p + 128, 64);
    r->created_ms = (int64_t)get_u64(p + 192);
    memcpy(r->service, p + 201, sl);
    r->service[sl] = 0;
    return ZG_OK;
}

int zg_jrec_decode(zg_jrec *rec, const uint8_t *b, size_t len)
{
    memset(rec, 0, sizeof *rec);
    if (len < HEAD_LEN) return ZG_EINVAL;
    rec->kind = b[0];
    memcpy(rec->r.user, b + 1, 20);
    rec->r.nonce = get_u64(b + 21);
    const uint8_t *p = b + HEAD_LEN;
    switch (rec->kind) {
    case ZG_JREC_RECEIPT:
        return decode_receipt(&rec->r, p, len);
    case ZG_JREC_OUTPUT:
        if (len != OUTPUT_LEN) return ZG_EINVAL;
        rec->r.output_units = get_u64(p);
        rec->r.output_fee = zg_u256_from_be(p + 8);
        rec->owed = zg_u256_from_be(p + 40);
        return ZG_OK;
    case ZG_JREC_DROP:
        if (len != DROP_LEN) return ZG_EINVAL;
        rec->owed = zg_u256_from_be(p);
        return ZG_OK;
    default:
        return ZG_EINVAL;
    }
}

/* ---- files ---------------------------------------------------------------- */

int zg_journal_path(char *out, size_t cap, const char *db, uint64_t gen)
{
    int n = snprintf(out, cap, "%s.journal.%" PRIu64, db, gen);
    return n < 0 || (size_t)n >= cap ? ZG_ERANGE : ZG_OK;
}

/* The directory holding db, and db's own name (for listing). */
static void split_db_path(const char *db, char *dir, size_t dcap, const char **name)
{
    const char *slash = strrchr(db, '/');
    if (!slash) {
        snprintf(dir, dcap, ".");
        *name = db;
    } else {
        snprintf(dir, dcap, "%.*s", slash == db ? 1 : (int)(slash - db), db);
        *name = slash + 1;
    }
}

static int sync_dir(const char *db, zg_err *e)
{
    char dir[4096];
    const char *name;
    split_db_path(db, dir, sizeof dir, &name);
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0 || fsync(fd)) {
        int err = errno;
        if (fd >= 0) close(fd);
        return zg_err_set(e, ZG_EIO, "cannot sync the directory '%s': %s", dir, strerror(err));
    }
    close(fd);
    return ZG_OK;
}

int zg_journal_create(const char *db, uint64_t gen, int sync, int *fd_out, zg_err *e)
{
    char path[4096];
    if (zg_journal_path(path, sizeof path, db, gen)) return zg_err_set(e, ZG_ERANGE, "database path too long");
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0600);
    if (fd < 0) return zg_err_set(e, ZG_EIO, "cannot create the receipt journal '%s': %s", path, strerror(errno));
    uint8_t hdr[ZG_JOURNAL_HDR];
    memcpy(hdr, magic, 8);
    put_u64(hdr + 8, gen);
    int rc = zg_journal_append(fd, 0, hdr, sizeof hdr, e);
    if (!rc && sync && fdatasync(fd))
        rc = zg_err_set(e, ZG_EIO, "cannot sync the receipt journal '%s': %s", path, strerror(errno));
    if (!rc && sync) rc = sync_dir(db, e);
    if (rc) {
        close(fd);
        unlink(path);
        return zg_err_wrap(e, rc, "receipt journal '%s'", path);
    }
    *fd_out = fd;
    return ZG_OK;
}

int zg_journal_append(int fd, uint64_t at, const uint8_t *p, size_t n, zg_err *e)
{
    size_t done = 0;
    while (done < n) {
        ssize_t w = write(fd, p + done, n - done);
        if (w > 0) { done += (size_t)w; continue; }
        if (w < 0 && errno == EINTR) continue;
        int err = w < 0 ? errno : ENOSPC;
        if (ftruncate(fd, (off_t)at))
            return zg_err_set(e, ZG_ESTATE, "write failed (%s) and the half-written record cannot be removed",
                              strerror(err));
        return zg_err_set(e, ZG_EIO, "write failed: %s", strerror(err));
    }
    return ZG_OK;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* gen if name is "<dbname>.journal.<digits>", else -1. */
static int parse_name(const char *name, const char *dbname, uint64_t *gen)
{
    size_t dl = strlen(dbname);
    if (strncmp(name, dbname, dl) || strncmp(name + dl, ".journal.", 9)) return -1;
    const char *d = name + dl + 9;
    if (!*d || strspn(d, "0123456789") != strlen(d) || strlen(d) > 19) return -1;
    *gen = strtoull(d, NULL, 10);
    return 0;
}

int zg_journal_list(const char *db, uint64_t **gens, size_t *n, zg_err *e)
{
    *gens = NULL;
    *n = 0;
    char dir[4096];
    const char *dbname;
    split_db_path(db, dir, sizeof dir, &dbname);
    DIR *d = opendir(dir);
    if (!d) return zg_err_set(e, ZG_EIO, "cannot list '%s': %s", dir, strerror(errno));
    size_t cap = 0;
    int rc = ZG_OK;
    for (struct dirent *de; !rc && (de = readdir(d));) {
        uint64_t g;
        if (parse_name(de->d_name, dbname, &g)) continue;
        if (*n == cap) {
            uint64_t *grown = realloc(*gens, (cap ? cap * 2 : 4) * sizeof *grown);
            if (!grown) { rc = zg_err_set(e, ZG_ENOMEM, "out of memory"); break; }
            *gens = grown;
            cap = cap ? cap * 2 : 4;
        }
        (*gens)[(*n)++] = g;
    }
    closedir(d);
    if (rc) { free(*gens); *gens = NULL; *n = 0; return rc; }
    if (*n) qsort(*gens, *n, sizeof **gens, cmp_u64);
    return ZG_OK;
}

/* The length of the whole record at p (avail bytes left), or 0 if it is cut
 * short or damaged. */
static size_t whole_record(const uint8_t *p, size_t avail, zg_jrec *rec)
{
    if (avail < 4) return 0;
    size_t n = (size_t)p[0] << 24 | (size_t)p[1] << 16 | (size_t)p[2] << 8 | p[3];
    if (n > ZG_JREC_MAX - 12 || avail < n + 12) return 0;
    uint8_t h[32];
    SHA256(p + 4, n, h);
    if (memcmp(h, p + 4 + n, 8) || zg_jrec_decode(rec, p + 4, n)) return 0;
    return n + 12;
}

int zg_journal_replay(const char *db, uint64_t gen, uint64_t from, int (*fn)(void *arg, const zg_jrec *rec),
                      void *arg, uint64_t *end, uint64_t *ignored, zg_err *e)
{
    char path[4096];
    if (zg_journal_path(path, sizeof path, db, gen)) return zg_err_set(e, ZG_ERANGE, "database path too long");
    zg_buf file; /* whole: a journal is rotated at a few MB */
    zg_buf_init(&file);
    int rc = zg_buf_read_file(&file, path, e);
    if (rc) {
        zg_buf_free(&file);
        return zg_err_wrap(e, rc, "receipt journal");
    }
    const uint8_t *data = file.data;
    size_t len = file.len;
    if (len < ZG_JOURNAL_HDR || memcmp(data, magic, 8) || get_u64(data + 8) != gen) {
        zg_buf_free(&file);
        return zg_err_set(e, ZG_EINVAL, "'%s' is not receipt journal %" PRIu64, path, gen);
    }
    size_t at = from < ZG_JOURNAL_HDR ? ZG_JOURNAL_HDR : (size_t)from;
    if (at > len) at = len;
    zg_jrec rec;
    for (size_t n; !rc && (n = whole_record(data + at, len - at, &rec));) {
        rc = fn(arg, &rec);
        if (!rc) at += n;
    }
    zg_buf_free(&file);
    *end = at;
    *ignored = len - at;
    return rc;
}
