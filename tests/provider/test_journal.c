/*
 * provider_test_journal - the receipt journal (provider/journal.h): record
 * encoding and decoding, appending, replaying (including a cut or damaged
 * tail), listing the files next to a database, and the cut-back of a failed
 * append.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "provider/journal.h"
#include "zg_rng.h"
#include "zg_test.h"

static zg_rng R;
static char dir[64], db[128];

/* ---- helpers -------------------------------------------------------------- */

static zg_u256 rand_u256(void)
{
    uint8_t b[32];
    zg_rng_bytes(&R, b, 32);
    return zg_u256_from_be(b);
}

static zg_u256 u256_max(void)
{
    uint8_t b[32];
    memset(b, 0xff, 32);
    return zg_u256_from_be(b);
}

static void rand_service(char *out, size_t len)
{
    for (size_t i = 0; i < len; i++) out[i] = (char)('a' + zg_rng_next(&R) % 26);
    out[len] = 0;
}

/* A record of the kind with every field it carries set from random data
 * (the fields it does not carry stay zero). */
static zg_jrec rand_rec(int kind, size_t service_len)
{
    zg_jrec j;
    memset(&j, 0, sizeof j);
    j.kind = kind;
    zg_rng_bytes(&R, j.r.user, 20);
    j.r.nonce = zg_rng_next(&R);
    if (kind == ZG_JREC_RECEIPT) {
        rand_service(j.r.service, service_len);
        j.r.fee = rand_u256();
        j.r.input_fee = rand_u256();
        j.r.prev_output_fee = rand_u256();
        zg_rng_bytes(&R, j.r.request_hash, 32);
        zg_rng_bytes(&R, j.r.signature, 64);
        j.r.created_ms = (int64_t)zg_rng_next(&R);
    } else if (kind == ZG_JREC_OUTPUT) {
        j.r.output_units = zg_rng_next(&R);
        j.r.output_fee = rand_u256();
        j.owed = rand_u256();
    } else {
        j.owed = rand_u256();
    }
    return j;
}

static int u256_eq(const zg_u256 *a, const zg_u256 *b) { return zg_u256_cmp(a, b) == 0; }

/* Whether two records carry the same contents (the fields of their kind; the
 * decoder leaves the others zero, which is checked too). */
static int rec_eq(const zg_jrec *a, const zg_jrec *b)
{
    const zg_store_receipt *x = &a->r, *y = &b->r;
    return a->kind == b->kind && !memcmp(x->user, y->user, 20) && x->nonce == y->nonce &&
           !strcmp(x->service, y->service) && u256_eq(&x->fee, &y->fee) && u256_eq(&x->input_fee, &y->input_fee) &&
           u256_eq(&x->prev_output_fee, &y->prev_output_fee) && !memcmp(x->request_hash, y->request_hash, 32) &&
           !memcmp(x->signature, y->signature, 64) && x->created_ms == y->created_ms &&
           x->output_units == y->output_units && u256_eq(&x->output_fee, &y->output_fee) &&
           x->status == y->status && x->settlement_id == y->settlement_id && u256_eq(&a->owed, &b->owed);
}

/* Encodes, checks the frame (length prefix, checksum), decodes the body and
 * compares. */
static void round_trip(const zg_jrec *j)
{
    uint8_t enc[ZG_JREC_MAX];
    size_t n = zg_jrec_encode(j, enc);
    CHECK_MSG(n > 12 && n <= ZG_JREC_MAX, "kind %d: encoded size %zu", j->kind, n);
    if (n <= 12 || n > ZG_JREC_MAX) return;
    size_t body = (size_t)enc[0] << 24 | (size_t)enc[1] << 16 | (size_t)enc[2] << 8 | enc[3];
    CHECK_EQ_U64(body, n - 12);
    zg_jrec d;
    memset(&d, 0xa5, sizeof d);
    CHECK_EQ_INT(zg_jrec_decode(&d, enc + 4, n - 12), ZG_OK);
    CHECK_MSG(rec_eq(j, &d), "kind %d: decoded record differs", j->kind);
}

/* ---- records -------------------------------------------------------------- */

static void test_round_trip(void)
{
    for (int it = 0; it < 200; it++) {
        zg_jrec j = rand_rec(ZG_JREC_RECEIPT, zg_rng_next(&R) % 64);
        round_trip(&j);
        j = rand_rec(ZG_JREC_OUTPUT, 0);
        round_trip(&j);
        j = rand_rec(ZG_JREC_DROP, 0);
        round_trip(&j);
    }
    /* the extreme values of every u256 field */
    zg_u256 zero = zg_u256_from_u64(0), max = u256_max();
    const zg_u256 *ext[2] = {&zero, &max};
    for (int e = 0; e < 2; e++) {
        zg_jrec j = rand_rec(ZG_JREC_RECEIPT, 5);
        j.r.fee = j.r.input_fee = j.r.prev_output_fee = *ext[e];
        j.r.nonce = e ? UINT64_MAX : 0;
        j.r.created_ms = e ? INT64_MIN : 0;
        round_trip(&j);
        j = rand_rec(ZG_JREC_OUTPUT, 0);
        j.r.output_fee = j.owed = *ext[e];
        j.r.output_units = e ? UINT64_MAX : 0;
        round_trip(&j);
        j = rand_rec(ZG_JREC_DROP, 0);
        j.owed = *ext[e];
        round_trip(&j);
    }
    /* service names of 0, 1 and 63 bytes */
    size_t lens[] = {0, 1, 63};
    size_t sizes[3];
    for (int i = 0; i < 3; i++) {
        zg_jrec j = rand_rec(ZG_JREC_RECEIPT, lens[i]);
        round_trip(&j);
        uint8_t enc[ZG_JREC_MAX];
        sizes[i] = zg_jrec_encode(&j, enc);
    }
    CHECK_EQ_U64(sizes[1] - sizes[0], 1);
    CHECK_EQ_U64(sizes[2] - sizes[0], 63);
    CHECK(sizes[2] <= ZG_JREC_MAX);
    /* 64 bytes, no NUL inside the field: refused */
    zg_jrec j = rand_rec(ZG_JREC_RECEIPT, 0);
    memset(j.r.service, 'x', sizeof j.r.service);
    uint8_t enc[ZG_JREC_MAX];
    CHECK_EQ_U64(zg_jrec_encode(&j, enc), 0);
    /* unknown kinds */
    int bad[] = {0, 4, 255, -1};
    for (int i = 0; i < 4; i++) {
        j = rand_rec(ZG_JREC_DROP, 0);
        j.kind = bad[i];
        CHECK_MSG(zg_jrec_encode(&j, enc) == 0, "kind %d encoded", bad[i]);
    }
}

static void test_decode_rejects(void)
{
    zg_jrec d;
    uint8_t zeros[64] = {0};
    /* shorter than the head (kind, user, nonce) */
    for (size_t len = 0; len < 29; len++) {
        zeros[0] = ZG_JREC_DROP;
        CHECK_MSG(zg_jrec_decode(&d, zeros, len) == ZG_EINVAL, "a %zu-byte body decoded", len);
    }
    int kinds[] = {ZG_JREC_RECEIPT, ZG_JREC_OUTPUT, ZG_JREC_DROP};
    for (int k = 0; k < 3; k++) {
        zg_jrec j = rand_rec(kinds[k], 10);
        uint8_t enc[ZG_JREC_MAX + 8];
        size_t n = zg_jrec_encode(&j, enc);
        CHECK(n > 12);
        if (n <= 12) continue;
        uint8_t *body = enc + 4;
        size_t bl = n - 12;
        CHECK_EQ_INT(zg_jrec_decode(&d, body, bl), ZG_OK);
        /* one byte less, one more (the checksum's first byte) */
        CHECK_MSG(zg_jrec_decode(&d, body, bl - 1) == ZG_EINVAL, "kind %d: short body decoded", kinds[k]);
        CHECK_MSG(zg_jrec_decode(&d, body, bl + 1) == ZG_EINVAL, "kind %d: long body decoded", kinds[k]);
        /* the kind byte changed to an unknown kind */
        uint8_t saved = body[0];
        int unknown[] = {0, 4, 0x81, 0xff};
        for (int u = 0; u < 4; u++) {
            body[0] = (uint8_t)unknown[u];
            CHECK_MSG(zg_jrec_decode(&d, body, bl) == ZG_EINVAL, "kind byte %d decoded", unknown[u]);
        }
        body[0] = saved;
        /* each kind's body is the wrong size for the other kinds */
        for (int o = 0; o < 3; o++) {
            if (o == k) continue;
            body[0] = (uint8_t)kinds[o];
            CHECK_MSG(zg_jrec_decode(&d, body, bl) == ZG_EINVAL, "kind %d body decoded as kind %d", kinds[k],
                      kinds[o]);
        }
        body[0] = saved;
        CHECK_EQ_INT(zg_jrec_decode(&d, body, bl), ZG_OK);
    }
    /* a receipt whose service length byte (just before the name, at the end
     * of the body) disagrees with the body's length */
    zg_jrec j = rand_rec(ZG_JREC_RECEIPT, 10);
    uint8_t enc[ZG_JREC_MAX + 80];
    size_t n = zg_jrec_encode(&j, enc);
    uint8_t *body = enc + 4;
    size_t bl = n - 12, at = bl - 10 - 1;
    CHECK_EQ_INT(body[at], 10);
    int wrong[] = {0, 9, 11, 63, 64, 255};
    for (int i = 0; i < 6; i++) {
        body[at] = (uint8_t)wrong[i];
        CHECK_MSG(zg_jrec_decode(&d, body, bl) == ZG_EINVAL, "service length %d in a 10-byte body decoded",
                  wrong[i]);
    }
    /* a length byte of 64 with 64 bytes of name: too long for the field */
    memset(body + at + 1, 'y', 64);
    body[at] = 64;
    CHECK_EQ_INT(zg_jrec_decode(&d, body, at + 1 + 64), ZG_EINVAL);
    /* ...while 63 with 63 bytes decodes */
    body[at] = 63;
    CHECK_EQ_INT(zg_jrec_decode(&d, body, at + 1 + 63), ZG_OK);
    CHECK_EQ_U64(strlen(d.r.service), 63);
}

/* ---- files ---------------------------------------------------------------- */

#define MAXREC 64

typedef struct collected {
    zg_jrec rec[MAXREC];
    size_t n;
    size_t stop_at; /* return 77 when asked for this one (index), if < MAXREC */
} collected;

static int collect(void *arg, const zg_jrec *rec)
{
    collected *c = arg;
    if (c->n == c->stop_at) return 77;
    if (c->n < MAXREC) c->rec[c->n] = *rec;
    c->n++;
    return 0;
}

static uint64_t file_size(uint64_t gen)
{
    char path[256];
    zg_journal_path(path, sizeof path, db, gen);
    struct stat st;
    return stat(path, &st) ? (uint64_t)-1 : (uint64_t)st.st_size;
}

/* Appends recs to a new file gen; off[i] is the offset of record i, off[n]
 * the end. Returns the open fd (or -1). */
static int write_file(uint64_t gen, const zg_jrec *recs, size_t n, uint64_t *off)
{
    zg_err err;
    int fd = -1;
    CHECK_OK(zg_journal_create(db, gen, 1, &fd, &err));
    if (fd < 0) return -1;
    CHECK_EQ_U64(file_size(gen), ZG_JOURNAL_HDR);
    uint64_t at = ZG_JOURNAL_HDR;
    for (size_t i = 0; i < n; i++) {
        uint8_t enc[ZG_JREC_MAX];
        size_t len = zg_jrec_encode(&recs[i], enc);
        off[i] = at;
        CHECK_OK(zg_journal_append(fd, at, enc, len, &err));
        at += len;
    }
    off[n] = at;
    CHECK_EQ_U64(file_size(gen), at);
    return fd;
}

static void make_recs(zg_jrec *recs, size_t n)
{
    for (size_t i = 0; i < n; i++) recs[i] = rand_rec((int)(i % 3) + 1, (size_t)(zg_rng_next(&R) % 64));
}

static void test_append_replay(void)
{
    zg_err err;
    enum { N = 9 };
    zg_jrec recs[N];
    uint64_t off[N + 1];
    make_recs(recs, N);
    int fd = write_file(7, recs, N, off);
    if (fd < 0) return;
    uint64_t size = file_size(7);
    /* from the start: 0 and the header's end are the same place */
    uint64_t froms[] = {0, ZG_JOURNAL_HDR};
    for (int f = 0; f < 2; f++) {
        static collected c;
        memset(&c, 0, sizeof c);
        c.stop_at = MAXREC;
        uint64_t end = 1, ignored = 1;
        CHECK_OK(zg_journal_replay(db, 7, froms[f], collect, &c, &end, &ignored, &err));
        CHECK_EQ_U64(c.n, N);
        for (size_t i = 0; i < N && i < c.n; i++) CHECK_MSG(rec_eq(&recs[i], &c.rec[i]), "record %zu differs", i);
        CHECK_EQ_U64(end, size);
        CHECK_EQ_U64(ignored, 0);
    }
    /* from the offset after record k: the rest only */
    for (size_t k = 0; k < N; k++) {
        static collected c;
        memset(&c, 0, sizeof c);
        c.stop_at = MAXREC;
        uint64_t end = 0, ignored = 1;
        CHECK_OK(zg_journal_replay(db, 7, off[k + 1], collect, &c, &end, &ignored, &err));
        CHECK_EQ_U64(c.n, N - k - 1);
        for (size_t i = 0; i < c.n && k + 1 + i < N; i++)
            CHECK_MSG(rec_eq(&recs[k + 1 + i], &c.rec[i]), "from after %zu: record %zu differs", k, k + 1 + i);
        CHECK_EQ_U64(end, size);
        CHECK_EQ_U64(ignored, 0);
    }
    /* the callback's failure stops the replay at that record and is returned */
    static collected c;
    memset(&c, 0, sizeof c);
    c.stop_at = 4;
    uint64_t end = 0, ignored = 0;
    CHECK_EQ_INT(zg_journal_replay(db, 7, 0, collect, &c, &end, &ignored, &err), 77);
    CHECK_EQ_U64(c.n, 4);
    CHECK_EQ_U64(end, off[4]);
    CHECK_EQ_U64(ignored, size - off[4]);

    /* a torn tail: the first half of one more record */
    zg_jrec extra = rand_rec(ZG_JREC_RECEIPT, 20);
    uint8_t enc[ZG_JREC_MAX];
    size_t len = zg_jrec_encode(&extra, enc), half = len / 2;
    CHECK_EQ_INT(write(fd, enc, half), (ssize_t)half);
    CHECK_EQ_U64(file_size(7), size + half);
    memset(&c, 0, sizeof c);
    c.stop_at = MAXREC;
    CHECK_OK(zg_journal_replay(db, 7, 0, collect, &c, &end, &ignored, &err));
    CHECK_EQ_U64(c.n, N);
    CHECK_EQ_U64(end, size);
    CHECK_EQ_U64(ignored, half);
    /* only the length prefix, or 3 bytes of it */
    for (size_t cut = 3; cut <= 4; cut++) {
        CHECK_EQ_INT(ftruncate(fd, (off_t)(size + cut)), 0);
        memset(&c, 0, sizeof c);
        c.stop_at = MAXREC;
        CHECK_OK(zg_journal_replay(db, 7, 0, collect, &c, &end, &ignored, &err));
        CHECK_EQ_U64(c.n, N);
        CHECK_EQ_U64(end, size);
        CHECK_EQ_U64(ignored, cut);
    }
    /* all but the last byte of the checksum */
    CHECK_EQ_INT(ftruncate(fd, (off_t)size), 0);
    CHECK_EQ_INT(write(fd, enc, len - 1), (ssize_t)(len - 1));
    memset(&c, 0, sizeof c);
    c.stop_at = MAXREC;
    CHECK_OK(zg_journal_replay(db, 7, 0, collect, &c, &end, &ignored, &err));
    CHECK_EQ_U64(c.n, N);
    CHECK_EQ_U64(ignored, len - 1);
    /* ...and the whole of it: one more record */
    CHECK_EQ_INT(write(fd, enc + len - 1, 1), 1);
    memset(&c, 0, sizeof c);
    c.stop_at = MAXREC;
    CHECK_OK(zg_journal_replay(db, 7, 0, collect, &c, &end, &ignored, &err));
    CHECK_EQ_U64(c.n, N + 1);
    if (c.n == N + 1) CHECK(rec_eq(&extra, &c.rec[N]));
    CHECK_EQ_U64(end, size + len);
    CHECK_EQ_U64(ignored, 0);
    close(fd);
}

/* One byte flipped in a middle record (its body, its checksum, or its length
 * prefix): replay stops before it and reports the rest as ignored. */
static void test_damaged_record(void)
{
    zg_err err;
    enum { N = 6, BAD = 3 };
    zg_jrec recs[N];
    uint64_t off[N + 1];
    make_recs(recs, N);
    uint64_t gen = 8;
    int fd = write_file(gen, recs, N, off);
    if (fd < 0) return;
    close(fd);
    char path[256];
    zg_journal_path(path, sizeof path, db, gen);
    uint64_t size = off[N];
    uint64_t body_len = off[BAD + 1] - off[BAD] - 12;
    /* where to flip: the body's first, middle and last byte, the checksum,
     * the length prefix's high and low bytes */
    uint64_t where[] = {off[BAD] + 4, off[BAD] + 4 + body_len / 2, off[BAD] + 3 + body_len,
                        off[BAD] + 4 + body_len + 2, off[BAD], off[BAD] + 3};
    for (int w = 0; w < 6; w++) {
        int wfd = open(path, O_RDWR);
        CHECK(wfd >= 0);
        if (wfd < 0) return;
        uint8_t b;
        CHECK_EQ_INT(pread(wfd, &b, 1, (off_t)where[w]), 1);
        uint8_t flipped = b ^ 0x10;
        CHECK_EQ_INT(pwrite(wfd, &flipped, 1, (off_t)where[w]), 1);
        static collected c;
        memset(&c, 0, sizeof c);
        c.stop_at = MAXREC;
        uint64_t end = 0, ignored = 0;
        CHECK_OK(zg_journal_replay(db, gen, 0, collect, &c, &end, &ignored, &err));
        CHECK_MSG(c.n == BAD, "flip at %d: %zu records replayed", w, c.n);
        for (size_t i = 0; i < c.n && i < BAD; i++) CHECK(rec_eq(&recs[i], &c.rec[i]));
        CHECK_EQ_U64(end, off[BAD]);
        CHECK_EQ_U64(ignored, size - off[BAD]);
        /* replay from beyond the damage reads the records after it */
        memset(&c, 0, sizeof c);
        c.stop_at = MAXREC;
        CHECK_OK(zg_journal_replay(db, gen, off[BAD + 1], collect, &c, &end, &ignored, &err));
        CHECK_EQ_U64(c.n, N - BAD - 1);
        CHECK_EQ_U64(end, size);
        /* restore */
        CHECK_EQ_INT(pwrite(wfd, &b, 1, (off_t)where[w]), 1);
        close(wfd);
        memset(&c, 0, sizeof c);
        c.stop_at = MAXREC;
        CHECK_OK(zg_journal_replay(db, gen, 0, collect, &c, &end, &ignored, &err));
        CHECK_EQ_U64(c.n, N);
    }
    /* a length prefix larger than any record, with the bytes to back it */
    int wfd = open(path, O_RDWR);
    uint8_t big[4] = {0, 0, 0x10, 0};
    CHECK_EQ_INT(pwrite(wfd, big, 4, (off_t)off[BAD]), 4);
    uint8_t pad[4096] = {0};
    CHECK_EQ_INT(pwrite(wfd, pad, sizeof pad, (off_t)size), (ssize_t)sizeof pad);
    close(wfd);
    static collected c;
    memset(&c, 0, sizeof c);
    c.stop_at = MAXREC;
    uint64_t end = 0, ignored = 0;
    CHECK_OK(zg_journal_replay(db, gen, 0, collect, &c, &end, &ignored, &err));
    CHECK_EQ_U64(c.n, BAD);
    CHECK_EQ_U64(end, off[BAD]);
    CHECK_EQ_U64(ignored, size + sizeof pad - off[BAD]);
}

static void test_bad_header(void)
{
    zg_err err;
    int fd = -1;
    char path[256], other[256];
    static collected c;
    uint64_t end, ignored;
    /* file 10 holding the header of generation 9 */
    CHECK_OK(zg_journal_create(db, 9, 0, &fd, &err));
    close(fd);
    zg_journal_path(path, sizeof path, db, 9);
    zg_journal_path(other, sizeof other, db, 10);
    CHECK_EQ_INT(rename(path, other), 0);
    memset(&c, 0, sizeof c);
    c.stop_at = MAXREC;
    CHECK_EQ_INT(zg_journal_replay(db, 10, 0, collect, &c, &end, &ignored, &err), ZG_EINVAL);
    CHECK_EQ_U64(c.n, 0);
    /* a wrong magic */
    fd = -1;
    CHECK_OK(zg_journal_create(db, 11, 0, &fd, &err));
    zg_jrec j = rand_rec(ZG_JREC_DROP, 0);
    uint8_t enc[ZG_JREC_MAX];
    size_t len = zg_jrec_encode(&j, enc);
    CHECK_OK(zg_journal_append(fd, ZG_JOURNAL_HDR, enc, len, &err));
    close(fd);
    memset(&c, 0, sizeof c);
    c.stop_at = MAXREC;
    CHECK_OK(zg_journal_replay(db, 11, 0, collect, &c, &end, &ignored, &err));
    CHECK_EQ_U64(c.n, 1);
    zg_journal_path(path, sizeof path, db, 11);
    fd = open(path, O_RDWR);
    CHECK_EQ_INT(pwrite(fd, "X", 1, 7), 1);
    close(fd);
    memset(&c, 0, sizeof c);
    c.stop_at = MAXREC;
    CHECK_EQ_INT(zg_journal_replay(db, 11, 0, collect, &c, &end, &ignored, &err), ZG_EINVAL);
    CHECK_EQ_U64(c.n, 0);
    /* shorter than a header */
    zg_journal_path(path, sizeof path, db, 12);
    CHECK_EQ_INT(zg_test_write_file(dir, "x.db.journal.12", "ZGJRNL01", 8), 0);
    CHECK_EQ_INT(zg_journal_replay(db, 12, 0, collect, &c, &end, &ignored, &err), ZG_EINVAL);
    /* missing */
    CHECK_EQ_INT(zg_journal_replay(db, 99, 0, collect, &c, &end, &ignored, &err), ZG_EIO);
    /* a too-long database path */
    char longdb[5000];
    memset(longdb, 'a', sizeof longdb - 1);
    longdb[sizeof longdb - 1] = 0;
    CHECK_EQ_INT(zg_journal_path(path, sizeof path, longdb, 1), ZG_ERANGE);
    CHECK_EQ_INT(zg_journal_path(path, 12, "/tmp/x.db", 1), ZG_ERANGE);
    CHECK_OK(zg_journal_path(path, sizeof path, "/tmp/x.db", 18446744073709551615ull));
    CHECK_EQ_STR(path, "/tmp/x.db.journal.18446744073709551615");
}

static void test_list(void)
{
    zg_err err;
    char ldir[64], ldb[128];
    snprintf(ldir, sizeof ldir, "/tmp/zg-jlist-XXXXXX");
    CHECK(mkdtemp(ldir) != NULL);
    snprintf(ldb, sizeof ldb, "%s/x.db", ldir);
    uint64_t *gens = (uint64_t *)1;
    size_t n = 99;
    CHECK_OK(zg_journal_list(ldb, &gens, &n, &err));
    CHECK_EQ_U64(n, 0);
    CHECK(gens == NULL);
    free(gens);
    const char *names[] = {"x.db.journal.10", "x.db.journal.2", "x.db.journal.33", "x.db.journal.",
                           "x.db.journal.1a", "x.db-wal", "y.db.journal.5", "x.db", "xx.db.journal.4",
                           "x.db.journal.-3", "x.db.journal.+3", "x.db.journal. 3", "x.dbjournal.6",
                           "x.db.journal.99999999999999999999"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        CHECK_EQ_INT(zg_test_write_file(ldir, names[i], "", 0), 0);
    CHECK_OK(zg_journal_list(ldb, &gens, &n, &err));
    CHECK_EQ_U64(n, 3);
    if (n == 3) {
        CHECK_EQ_U64(gens[0], 2);
        CHECK_EQ_U64(gens[1], 10);
        CHECK_EQ_U64(gens[2], 33);
    }
    free(gens);
    /* more than the first allocation holds, in random order */
    for (int i = 0; i < 20; i++) {
        char name[64];
        snprintf(name, sizeof name, "x.db.journal.%d", 1000 + (i * 7) % 20);
        CHECK_EQ_INT(zg_test_write_file(ldir, name, "", 0), 0);
    }
    CHECK_OK(zg_journal_list(ldb, &gens, &n, &err));
    CHECK_EQ_U64(n, 23);
    for (size_t i = 1; i < n; i++) CHECK(gens[i - 1] < gens[i]);
    if (n == 23) CHECK_EQ_U64(gens[22], 1019);
    free(gens);
    /* a directory that does not exist */
    char missing[160];
    snprintf(missing, sizeof missing, "%s/nope/x.db", ldir);
    CHECK_EQ_INT(zg_journal_list(missing, &gens, &n, &err), ZG_EIO);
    CHECK(gens == NULL);
    CHECK_EQ_INT(zg_test_remove_dir(ldir), 0);
}

/* A write that fails part-way (the file size limit) leaves the file as it
 * was; later appends and replay see no trace of it. */
static void test_append_cut_back(void)
{
    zg_err err;
    enum { N = 4 };
    zg_jrec recs[N];
    uint64_t off[N + 1];
    make_recs(recs, N);
    uint64_t gen = 20;
    int fd = write_file(gen, recs, N, off);
    if (fd < 0) return;
    uint64_t at = off[N];
    /* three records in one append, the limit in the middle of the second */
    uint8_t buf[3 * ZG_JREC_MAX];
    size_t len = 0;
    zg_jrec more[3];
    for (int i = 0; i < 3; i++) {
        more[i] = rand_rec(ZG_JREC_RECEIPT, 30);
        len += zg_jrec_encode(&more[i], buf + len);
    }
    void (*old_handler)(int) = signal(SIGXFSZ, SIG_IGN);
    struct rlimit old, lim;
    CHECK_EQ_INT(getrlimit(RLIMIT_FSIZE, &old), 0);
    lim = old;
    lim.rlim_cur = at + len / 2;
    CHECK_EQ_INT(setrlimit(RLIMIT_FSIZE, &lim), 0);
    int rc = zg_journal_append(fd, at, buf, len, &err);
    uint64_t size_after = file_size(gen);
    /* a write that cannot even begin */
    lim.rlim_cur = at;
    CHECK_EQ_INT(setrlimit(RLIMIT_FSIZE, &lim), 0);
    int rc2 = zg_journal_append(fd, at, buf, len, &err);
    uint64_t size_after2 = file_size(gen);
    CHECK_EQ_INT(setrlimit(RLIMIT_FSIZE, &old), 0);
    signal(SIGXFSZ, old_handler);
    CHECK_EQ_INT(rc, ZG_EIO);
    CHECK_EQ_U64(size_after, at);
    CHECK_EQ_INT(rc2, ZG_EIO);
    CHECK_EQ_U64(size_after2, at);
    /* the limit gone, the same append goes through, right after the old records */
    CHECK_OK(zg_journal_append(fd, at, buf, len, &err));
    CHECK_EQ_U64(file_size(gen), at + len);
    close(fd);
    static collected c;
    memset(&c, 0, sizeof c);
    c.stop_at = MAXREC;
    uint64_t end = 0, ignored = 1;
    CHECK_OK(zg_journal_replay(db, gen, 0, collect, &c, &end, &ignored, &err));
    CHECK_EQ_U64(c.n, N + 3);
    for (size_t i = 0; i < c.n && i < N + 3; i++)
        CHECK_MSG(rec_eq(i < N ? &recs[i] : &more[i - N], &c.rec[i]), "record %zu differs", i);
    CHECK_EQ_U64(end, at + len);
    CHECK_EQ_U64(ignored, 0);
}

/* zg_journal_create empties an existing file of the same generation. */
static void test_create_truncates(void)
{
    zg_err err;
    enum { N = 3 };
    zg_jrec recs[N];
    uint64_t off[N + 1];
    make_recs(recs, N);
    int fd = write_file(30, recs, N, off);
    if (fd < 0) return;
    close(fd);
    CHECK_OK(zg_journal_create(db, 30, 0, &fd, &err));
    CHECK_EQ_U64(file_size(30), ZG_JOURNAL_HDR);
    close(fd);
    static collected c;
    memset(&c, 0, sizeof c);
    c.stop_at = MAXREC;
    uint64_t end = 0, ignored = 1;
    CHECK_OK(zg_journal_replay(db, 30, 0, collect, &c, &end, &ignored, &err));
    CHECK_EQ_U64(c.n, 0);
    CHECK_EQ_U64(end, ZG_JOURNAL_HDR);
    CHECK_EQ_U64(ignored, 0);
    /* a directory that does not exist */
    char missing[160];
    snprintf(missing, sizeof missing, "%s/nope/x.db", dir);
    fd = -1;
    CHECK_EQ_INT(zg_journal_create(missing, 1, 1, &fd, &err), ZG_EIO);
    CHECK_EQ_INT(fd, -1);
}

int main(void)
{
    zg_rng_seed(&R, "provider_test_journal");
    snprintf(dir, sizeof dir, "/tmp/zg-journal-test-XXXXXX");
    if (!mkdtemp(dir)) return 1;
    snprintf(db, sizeof db, "%s/x.db", dir);
    ZG_RUN(test_round_trip);
    ZG_RUN(test_decode_rejects);
    ZG_RUN(test_append_replay);
    ZG_RUN(test_damaged_record);
    ZG_RUN(test_bad_header);
    ZG_RUN(test_list);
    ZG_RUN(test_append_cut_back);
    ZG_RUN(test_create_truncates);
    if (zg_test_remove_dir(dir)) fprintf(stderr, "cannot remove %s\n", dir);
    ZG_TEST_END();
}
