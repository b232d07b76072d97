/*
 * provider_test_store - the broker's store (provider/store.h): journaled
 * writes are visible to the next read, survive a SIGKILL (applied exactly
 * once at the next open, also with a torn journal tail), journal rotation,
 * synchronous=full callbacks, zg_store_exec transactions.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "provider/store_int.h"
#include "zg_rng.h"
#include "zg_test.h"

static zg_rng R;
static char tmp_root[64];
static int dir_seq;

/* A fresh directory under tmp_root and "<it>/broker.db". */
static void new_db(char *dir, size_t dcap, char *db, size_t cap)
{
    snprintf(dir, dcap, "%s/%d", tmp_root, dir_seq++);
    mkdir(dir, 0700);
    snprintf(db, cap, "%s/broker.db", dir);
}

/* A store in a new directory (dir and db get their paths); NULL, counted
 * as a failure, if it does not open. */
static zg_store *open_fresh(char dir[128], char db[160], int sync_full)
{
    zg_err err;
    zg_store *s = NULL;
    new_db(dir, 128, db, 160);
    CHECK_OK(zg_store_open(&s, db, sync_full, 512, &err));
    return s;
}

#define NUSER 8
static void user_addr(int u, uint8_t out[20])
{
    memset(out, 0xa0 + u, 20);
    out[19] = (uint8_t)u;
}

static zg_store_receipt mk_receipt(int user, uint64_t nonce, uint64_t fee)
{
    zg_store_receipt r;
    memset(&r, 0, sizeof r);
    user_addr(user, r.user);
    r.nonce = nonce;
    snprintf(r.service, sizeof r.service, "svc-%d", user);
    r.fee = zg_u256_from_u64(fee);
    r.input_fee = zg_u256_from_u64(fee / 2);
    r.prev_output_fee = zg_u256_from_u64(fee - fee / 2);
    for (int i = 0; i < 32; i++) r.request_hash[i] = (uint8_t)(nonce * 7 + (uint64_t)i + (uint64_t)user);
    for (int i = 0; i < 64; i++) r.signature[i] = (uint8_t)(nonce * 13 + (uint64_t)i * 3 + (uint64_t)user);
    r.created_ms = 1700000000000 + (int64_t)nonce;
    return r;
}

/* ---- reading SQLite ------------------------------------------------------- */

typedef struct row {
    int found;
    char fee[80], input_fee[80], prev_output_fee[80], output_fee[80], service[64];
    int status;
    int64_t output_units, created_ms;
    uint8_t request_hash[32], signature[64];
} row;

static void col_text(sqlite3_stmt *st, int i, char *out, size_t cap)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    snprintf(out, cap, "%s", t ? (const char *)t : "(null)");
}

static row get_row(sqlite3 *d, int user, uint64_t nonce)
{
    row r;
    memset(&r, 0, sizeof r);
    uint8_t u[20], nb[8];
    user_addr(user, u);
    zg_store_nonce_be(nonce, nb);
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(d, "SELECT fee, input_fee, prev_output_fee, output_fee, service, status, output_units,"
                           " created_ms, request_hash, signature FROM receipts WHERE user=? AND nonce=?",
                           -1, &st, NULL) != SQLITE_OK) {
        r.found = -1;
        return r;
    }
    sqlite3_bind_blob(st, 1, u, 20, SQLITE_STATIC);
    sqlite3_bind_blob(st, 2, nb, 8, SQLITE_STATIC);
    while (sqlite3_step(st) == SQLITE_ROW) {
        r.found++;
        col_text(st, 0, r.fee, sizeof r.fee);
        col_text(st, 1, r.input_fee, sizeof r.input_fee);
        col_text(st, 2, r.prev_output_fee, sizeof r.prev_output_fee);
        col_text(st, 3, r.output_fee, sizeof r.output_fee);
        col_text(st, 4, r.service, sizeof r.service);
        r.status = sqlite3_column_int(st, 5);
        r.output_units = sqlite3_column_int64(st, 6);
        r.created_ms = sqlite3_column_int64(st, 7);
        if (sqlite3_column_bytes(st, 8) == 32) memcpy(r.request_hash, sqlite3_column_blob(st, 8), 32);
        if (sqlite3_column_bytes(st, 9) == 64) memcpy(r.signature, sqlite3_column_blob(st, 9), 64);
    }
    sqlite3_finalize(st);
    return r;
}

static long long query_int(sqlite3 *d, const char *sql)
{
    sqlite3_stmt *st = NULL;
    long long v = -1;
    if (sqlite3_prepare_v2(d, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

/* accounts.owed of user ("(none)" without a row). */
static void get_owed(sqlite3 *d, int user, char *out, size_t cap)
{
    uint8_t u[20];
    user_addr(user, u);
    sqlite3_stmt *st = NULL;
    snprintf(out, cap, "(none)");
    if (sqlite3_prepare_v2(d, "SELECT owed FROM accounts WHERE user=?", -1, &st, NULL) != SQLITE_OK) return;
    sqlite3_bind_blob(st, 1, u, 20, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW) col_text(st, 0, out, cap);
    sqlite3_finalize(st);
}

static size_t journal_count(const char *db)
{
    zg_err err;
    uint64_t *gens = NULL;
    size_t n = 0;
    if (zg_journal_list(db, &gens, &n, &err)) return (size_t)-1;
    free(gens);
    return n;
}

static uint64_t newest_journal(const char *db)
{
    zg_err err;
    uint64_t *gens = NULL, g = 0;
    size_t n = 0;
    if (!zg_journal_list(db, &gens, &n, &err) && n) g = gens[n - 1];
    free(gens);
    return g;
}

/* ---- the expected state: a model of the writes ---------------------------- */

enum { OP_RECEIPT, OP_OUTPUT, OP_DROP };

typedef struct op {
    int kind, user;
    uint64_t nonce, fee, units, owed;
} op;

#define MAXNONCE 200

typedef struct model {
    int present[NUSER][MAXNONCE];
    uint64_t fee[NUSER][MAXNONCE], ofee[NUSER][MAXNONCE], units[NUSER][MAXNONCE];
    int status[NUSER][MAXNONCE];
    int has_owed[NUSER];
    char owed[NUSER][80];
} model;

static void model_apply(model *m, const op *o)
{
    int u = o->user;
    uint64_t n = o->nonce;
    switch (o->kind) {
    case OP_RECEIPT:
        if (m->present[u][n]) break; /* the insert fails; nothing changes */
        m->present[u][n] = 1;
        m->fee[u][n] = o->fee;
        m->ofee[u][n] = m->units[u][n] = 0;
        m->status[u][n] = 0;
        snprintf(m->owed[u], sizeof m->owed[u], "0");
        m->has_owed[u] = 1;
        break;
    case OP_OUTPUT:
        if (m->present[u][n]) {
            m->ofee[u][n] = o->fee;
            m->units[u][n] = o->units;
            m->status[u][n] = 1;
        }
        snprintf(m->owed[u], sizeof m->owed[u], "%llu", (unsigned long long)o->owed);
        m->has_owed[u] = 1;
        break;
    case OP_DROP:
        m->present[u][n] = 0;
        snprintf(m->owed[u], sizeof m->owed[u], "%llu", (unsigned long long)o->owed);
        m->has_owed[u] = 1;
        break;
    }
}

static size_t model_count(const model *m)
{
    size_t c = 0;
    for (int u = 0; u < NUSER; u++)
        for (int n = 0; n < MAXNONCE; n++) c += (size_t)m->present[u][n];
    return c;
}

static int do_op(zg_store *s, const op *o)
{
    uint8_t u[20];
    user_addr(o->user, u);
    zg_u256 fee = zg_u256_from_u64(o->fee), owed = zg_u256_from_u64(o->owed);
    switch (o->kind) {
    case OP_RECEIPT: {
        zg_store_receipt r = mk_receipt(o->user, o->nonce, o->fee);
        return zg_store_put_receipt(s, &r, NULL, NULL);
    }
    case OP_OUTPUT: return zg_store_record_output(s, u, o->nonce, o->units, &fee, &owed);
    default: return zg_store_drop_receipt(s, u, o->nonce, &owed, NULL, NULL);
    }
}

/* Checks every row and account of d against m; returns the failures. */
static int check_model(sqlite3 *d, const model *m, const char *when)
{
    int before = zg_test_failed;
    for (int u = 0; u < NUSER; u++) {
        for (uint64_t n = 0; n < MAXNONCE; n++) {
            row r = get_row(d, u, n);
            if (!m->present[u][n]) {
                CHECK_MSG(r.found == 0, "%s: user %d nonce %llu: %d rows, expected none", when, u,
                          (unsigned long long)n, r.found);
                continue;
            }
            CHECK_MSG(r.found == 1, "%s: user %d nonce %llu: %d rows, expected 1", when, u, (unsigned long long)n,
                      r.found);
            if (r.found != 1) continue;
            char want[80];
            snprintf(want, sizeof want, "%llu", (unsigned long long)m->fee[u][n]);
            CHECK_MSG(!strcmp(r.fee, want), "%s: user %d nonce %llu: fee %s, expected %s", when, u,
                      (unsigned long long)n, r.fee, want);
            CHECK_MSG(r.status == m->status[u][n], "%s: user %d nonce %llu: status %d, expected %d", when, u,
                      (unsigned long long)n, r.status, m->status[u][n]);
            snprintf(want, sizeof want, "%llu", (unsigned long long)m->ofee[u][n]);
            CHECK_MSG(!strcmp(r.output_fee, want), "%s: user %d nonce %llu: output fee %s, expected %s", when, u,
                      (unsigned long long)n, r.output_fee, want);
            CHECK_MSG((uint64_t)r.output_units == m->units[u][n], "%s: user %d nonce %llu: units %lld", when, u,
                      (unsigned long long)n, (long long)r.output_units);
        }
        char owed[80];
        get_owed(d, u, owed, sizeof owed);
        if (m->has_owed[u])
            CHECK_MSG(!strcmp(owed, m->owed[u]), "%s: user %d owes %s, expected %s", when, u, owed, m->owed[u]);
        else
            CHECK_MSG(!strcmp(owed, "(none)"), "%s: user %d owes %s, expected no account", when, u, owed);
    }
    long long total = query_int(d, "SELECT COUNT(*) FROM receipts");
    CHECK_MSG(total == (long long)model_count(m), "%s: %lld receipts, expected %zu", when, total, model_count(m));
    return zg_test_failed - before;
}

/* ---- stderr capture: a replayed write that fails logs "failed" ------------ */

typedef struct capture { int saved; char path[160]; } capture;

static void capture_start(capture *c, const char *dir)
{
    snprintf(c->path, sizeof c->path, "%s/stderr.log", dir);
    fflush(stderr);
    c->saved = dup(2);
    int fd = open(c->path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd >= 0) {
        dup2(fd, 2);
        close(fd);
    }
}

/* Restores stderr, echoes what was captured, and checks it holds no error. */
static void capture_end(capture *c, const char *when)
{
    fflush(stderr);
    dup2(c->saved, 2);
    close(c->saved);
    char buf[8192] = {0};
    FILE *f = fopen(c->path, "r");
    size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
    if (f) fclose(f);
    buf[n] = 0;
    if (n) fprintf(stderr, "  [%s] %s", when, buf);
    CHECK_MSG(!strstr(buf, "failed") && !strstr(buf, "ERROR"), "%s: the store logged an error", when);
    unlink(c->path);
}

/* Opens the store at db again, with stderr captured: the open must succeed
 * and log no error (what names the step). NULL after a failed check. */
static zg_store *reopen_quiet(const char *dir, const char *db, const char *what)
{
    zg_err err;
    zg_store *s = NULL;
    capture c;
    capture_start(&c, dir);
    int rc = zg_store_open(&s, db, 0, 512, &err);
    capture_end(&c, what);
    CHECK_MSG(rc == ZG_OK, "%s: open: %s", what, err.msg);
    return rc ? NULL : s;
}

/* ---- read-your-writes ----------------------------------------------------- */

typedef struct cb_rec {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int calls, rc;
    pthread_t thread;
} cb_rec;

static void on_done(void *arg, int rc)
{
    cb_rec *c = arg;
    pthread_mutex_lock(&c->mu);
    c->calls++;
    c->rc = rc;
    c->thread = pthread_self();
    pthread_cond_broadcast(&c->cv);
    pthread_mutex_unlock(&c->mu);
}

static void test_read_your_writes(void)
{
    char dir[128], db[160];
    zg_store *s = open_fresh(dir, db, 0);
    if (!s) return;
    char why[64];
    CHECK_EQ_INT(zg_store_health(s, why, sizeof why), ZG_OK);
    model m;
    memset(&m, 0, sizeof m);
    cb_rec cb = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, -1, 0};
    /* receipts: 3 users, nonces 1..6; the callback runs before put returns,
     * on this thread */
    for (int u = 0; u < 3; u++)
        for (uint64_t n = 1; n <= 6; n++) {
            zg_store_receipt r = mk_receipt(u, n, 1000 * (uint64_t)(u + 1) + n);
            int calls = cb.calls;
            cb.rc = -1;
            CHECK_EQ_INT(zg_store_put_receipt(s, &r, on_done, &cb), ZG_OK);
            CHECK_EQ_INT(cb.calls, calls + 1);
            CHECK_EQ_INT(cb.rc, ZG_OK);
            CHECK(pthread_equal(cb.thread, pthread_self()));
            op o = {OP_RECEIPT, u, n, 1000 * (uint64_t)(u + 1) + n, 0, 0};
            model_apply(&m, &o);
        }
    /* outputs for some, a drop (with a callback) for user 1 nonce 6 */
    op more[] = {
        {OP_OUTPUT, 0, 1, 777, 12, 4000},
        {OP_OUTPUT, 0, 2, 778, 13, 4001},
        {OP_OUTPUT, 1, 5, 900, 30, 950},
        {OP_OUTPUT, 2, 6, 1234567, 99, 424242},
    };
    for (size_t i = 0; i < sizeof more / sizeof more[0]; i++) {
        CHECK_EQ_INT(do_op(s, &more[i]), ZG_OK);
        model_apply(&m, &more[i]);
    }
    uint8_t u1[20];
    user_addr(1, u1);
    zg_u256 owed = zg_u256_from_u64(31337);
    int calls = cb.calls;
    CHECK_EQ_INT(zg_store_drop_receipt(s, u1, 6, &owed, on_done, &cb), ZG_OK);
    CHECK_EQ_INT(cb.calls, calls + 1);
    op drop = {OP_DROP, 1, 6, 0, 0, 31337};
    model_apply(&m, &drop);
    /* an unencodable receipt is refused and leaves nothing */
    zg_store_receipt bad = mk_receipt(5, 1, 10);
    memset(bad.service, 'z', sizeof bad.service);
    CHECK_EQ_INT(zg_store_put_receipt(s, &bad, on_done, &cb), ZG_EINVAL);
    CHECK_EQ_INT(cb.calls, calls + 1);
    /* read at once: every write is there */
    sqlite3 *d = zg_store_read_lock(s);
    check_model(d, &m, "read-your-writes");
    CHECK_EQ_INT(query_int(d, "SELECT COUNT(*) FROM receipts"), 17);
    row r = get_row(d, 0, 1);
    CHECK_EQ_STR(r.fee, "1001");
    CHECK_EQ_INT(r.status, 1);
    CHECK_EQ_STR(r.output_fee, "777");
    CHECK_EQ_INT(r.output_units, 12);
    zg_store_receipt want = mk_receipt(0, 1, 1001);
    CHECK_EQ_STR(r.input_fee, "500");
    CHECK_EQ_STR(r.prev_output_fee, "501");
    CHECK_EQ_STR(r.service, "svc-0");
    CHECK_EQ_INT(r.created_ms, want.created_ms);
    CHECK_EQ_MEM(r.request_hash, want.request_hash, 32);
    CHECK_EQ_MEM(r.signature, want.signature, 64);
    CHECK_EQ_INT(get_row(d, 1, 6).found, 0);
    CHECK_EQ_INT(get_row(d, 1, 5).status, 1);
    CHECK_EQ_INT(get_row(d, 1, 4).status, 0);
    char ow[80];
    get_owed(d, 0, ow, sizeof ow);
    CHECK_EQ_STR(ow, "4001");
    get_owed(d, 1, ow, sizeof ow);
    CHECK_EQ_STR(ow, "31337");
    get_owed(d, 2, ow, sizeof ow);
    CHECK_EQ_STR(ow, "424242");
    get_owed(d, 5, ow, sizeof ow);
    CHECK_EQ_STR(ow, "(none)");
    zg_store_read_unlock(s);
    /* a receipt after the output: the account's debt is now in that receipt */
    zg_store_receipt r7 = mk_receipt(2, 7, 5);
    CHECK_EQ_INT(zg_store_put_receipt(s, &r7, NULL, NULL), ZG_OK);
    d = zg_store_read_lock(s);
    get_owed(d, 2, ow, sizeof ow);
    CHECK_EQ_STR(ow, "0");
    CHECK_EQ_INT(get_row(d, 2, 7).found, 1);
    zg_store_read_unlock(s);
    uint64_t commits, writes, queued;
    zg_store_stats(s, &commits, &writes, &queued);
    CHECK_EQ_U64(queued, 0);
    CHECK(writes >= 24);
    CHECK(commits >= 1);
    CHECK_EQ_INT(zg_store_health(s, why, sizeof why), ZG_OK);
    zg_store_close(s);
    zg_store_close(NULL);
}

/* ---- many writes in one batch ---------------------------------------------- */

/* The feeder applies a batch in one transaction, each write in its own
 * savepoint. Writes made within its 10 ms gathering delay form one batch and
 * must leave what applying them one by one leaves: the order of the writes
 * to one account (its owed amount), a duplicate receipt that fails alone
 * (it is logged as a failed write) without taking the later output record
 * down with it, drops between receipts. */
static void test_pairs_in_one_batch(void)
{
    char dir[128], db[160];
    zg_store *s = open_fresh(dir, db, 0);
    if (!s) return;
    model m;
    memset(&m, 0, sizeof m);
    op first = {OP_RECEIPT, 3, 1, 50, 0, 0}; /* stored before the batch: its twin below is a duplicate */
    CHECK_EQ_INT(do_op(s, &first), ZG_OK);
    model_apply(&m, &first);
    zg_store_read_lock(s); /* returns once it is in SQLite: the batch below starts empty */
    zg_store_read_unlock(s);
    op ops[] = {
        {OP_RECEIPT, 0, 1, 100, 0, 0},  {OP_RECEIPT, 1, 1, 200, 0, 0},  {OP_OUTPUT, 0, 1, 10, 5, 111},
        {OP_RECEIPT, 2, 1, 300, 0, 0},  {OP_RECEIPT, 2, 2, 301, 0, 0},  {OP_OUTPUT, 2, 1, 30, 6, 333},
        {OP_RECEIPT, 3, 1, 99, 0, 0},   {OP_OUTPUT, 3, 1, 40, 7, 444},  {OP_OUTPUT, 1, 1, 20, 8, 222},
        {OP_RECEIPT, 0, 2, 101, 0, 0},  {OP_DROP, 0, 2, 0, 0, 112},     {OP_RECEIPT, 1, 2, 201, 0, 0},
    };
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
        CHECK_EQ_INT(do_op(s, &ops[i]), ZG_OK);
        model_apply(&m, &ops[i]);
    }
    /* and random interleavings of a few accounts */
    uint64_t next[NUSER] = {0};
    for (int u = 0; u < NUSER; u++) next[u] = 10;
    for (int i = 0; i < 300; i++) {
        int u = (int)(zg_rng_next(&R) % 3);
        uint64_t pick = zg_rng_next(&R) % 4;
        op o = {OP_RECEIPT, u, next[u], 1000 + (uint64_t)i, 0, 0};
        if (pick == 1 && next[u] > 10) o = (op){OP_OUTPUT, u, next[u] - 1, 7 + (uint64_t)i, 3, 5000 + (uint64_t)i};
        else if (pick == 2 && next[u] > 10) o = (op){OP_DROP, u, next[u] - 1, 0, 0, 9000 + (uint64_t)i};
        else next[u]++;
        if (next[u] >= MAXNONCE) break;
        CHECK_EQ_INT(do_op(s, &o), ZG_OK);
        model_apply(&m, &o);
    }
    sqlite3 *d = zg_store_read_lock(s);
    check_model(d, &m, "pairs in one batch");
    zg_store_read_unlock(s);
    zg_store_close(s);
}

/* ---- crash recovery ------------------------------------------------------- */

#define CRASH_N 500
#define CRASH_TAIL 60   /* writes made while the feeder is stuck: journal only */
#define MARK_USER 4     /* written, then deleted by a transaction of the child's */

static op crash_ops[3 * CRASH_N];
static size_t crash_nops;

/* The child's writes: receipts for 4 users; outputs for every third; some
 * dropped, and some of those re-sent with the same nonce and a new fee. */
static void plan_crash_ops(void)
{
    size_t k = 0;
    for (uint64_t i = 0; i < CRASH_N; i++) {
        int u = (int)(i % 4);
        uint64_t n = i / 4 + 1;
        crash_ops[k++] = (op){OP_RECEIPT, u, n, 1000 + i, 0, 0};
        if (i % 50 == 7) {
            crash_ops[k++] = (op){OP_DROP, u, n, 0, 0, 5000 + i};
            if (i % 100 == 7) crash_ops[k++] = (op){OP_RECEIPT, u, n, 9000 + i, 0, 0};
        } else if (i % 3 == 0) {
            crash_ops[k++] = (op){OP_OUTPUT, u, n, 2000 + i, i + 1, 3000 + i};
        }
    }
    crash_nops = k;
}

static void crash_model(model *m)
{
    memset(m, 0, sizeof *m);
    for (size_t i = 0; i < crash_nops; i++) model_apply(m, &crash_ops[i]);
    /* the marker user: its receipts deleted, its debt set, by a transaction */
    m->has_owed[MARK_USER] = 1;
    snprintf(m->owed[MARK_USER], sizeof m->owed[MARK_USER], "424242");
}

static int mark_fn(sqlite3 *db, void *arg)
{
    uint8_t u[20];
    user_addr(MARK_USER, u);
    sqlite3_stmt *st = NULL;
    int ok = sqlite3_prepare_v2(db, "DELETE FROM receipts WHERE user=?", -1, &st, NULL) == SQLITE_OK;
    if (ok) {
        sqlite3_bind_blob(st, 1, u, 20, SQLITE_STATIC);
        ok = sqlite3_step(st) == SQLITE_DONE && sqlite3_changes(db) == 5;
    }
    sqlite3_finalize(st);
    st = NULL;
    if (ok) ok = sqlite3_prepare_v2(db, "UPDATE accounts SET owed='424242' WHERE user=?", -1, &st, NULL) == SQLITE_OK;
    if (ok) {
        sqlite3_bind_blob(st, 1, u, 20, SQLITE_STATIC);
        ok = sqlite3_step(st) == SQLITE_DONE && sqlite3_changes(db) == 1;
    }
    sqlite3_finalize(st);
    return ok ? ZG_OK : ZG_EIO;
}

/* A transaction that never ends: the feeder is stuck in it until the kill. */
typedef struct blocker {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int entered, release, rc;
    zg_store *s;
} blocker;

static int block_fn(sqlite3 *db, void *arg)
{
    blocker *b = arg;
    pthread_mutex_lock(&b->mu);
    b->entered = 1;
    pthread_cond_broadcast(&b->cv);
    while (!b->release) pthread_cond_wait(&b->cv, &b->mu);
    pthread_mutex_unlock(&b->mu);
    return ZG_OK;
}

static void *blocker_main(void *arg)
{
    blocker *b = arg;
    b->rc = zg_store_exec(b->s, block_fn, b);
    return NULL;
}

static void blocker_wait_entered(blocker *b)
{
    pthread_mutex_lock(&b->mu);
    while (!b->entered) pthread_cond_wait(&b->cv, &b->mu);
    pthread_mutex_unlock(&b->mu);
}

/* The child: writes everything, the last CRASH_TAIL ops while the feeder is
 * stuck, then SIGKILL. Exit code 2..5: something failed before the kill. */
static void crash_child(const char *db, uint64_t rotate_bytes)
{
    zg_err err;
    zg_store *s = NULL;
    if (zg_store_open(&s, db, 0, 64, &err)) _exit(2);
    if (rotate_bytes) {
        pthread_mutex_lock(&s->mu);
        s->rotate_bytes = rotate_bytes;
        pthread_mutex_unlock(&s->mu);
    }
    /* the marker user's writes, then a transaction undoing them */
    for (uint64_t n = 1; n <= 5; n++) {
        op o = {OP_RECEIPT, MARK_USER, n, 100 + n, 0, 0};
        if (do_op(s, &o)) _exit(3);
    }
    op o = {OP_OUTPUT, MARK_USER, 3, 50, 5, 60};
    if (do_op(s, &o) || zg_store_exec(s, mark_fn, NULL)) _exit(3);
    static blocker b = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0, 0, NULL};
    b.s = s;
    pthread_t t;
    for (size_t i = 0; i < crash_nops; i++) {
        if (i == crash_nops - CRASH_TAIL) {
            if (pthread_create(&t, NULL, blocker_main, &b)) _exit(4);
            blocker_wait_entered(&b);
        }
        if (do_op(s, &crash_ops[i])) _exit(5);
        if (i % 40 == 39) usleep(15000); /* let the feeder commit some */
    }
    raise(SIGKILL);
    _exit(6);
}

static pid_t run_crash_child(const char *db, uint64_t rotate_bytes)
{
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid == 0) crash_child(db, rotate_bytes);
    int st = 0;
    CHECK(pid > 0);
    if (pid <= 0) return -1;
    CHECK_EQ_INT(waitpid(pid, &st, 0), pid);
    CHECK_MSG(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL, "the child did not die of SIGKILL (status %d, exit %d)",
              st, WIFEXITED(st) ? WEXITSTATUS(st) : -1);
    return WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL ? pid : -1;
}

/* Before the store opens: SQLite has some of the child's receipts (the
 * feeder committed them) but not all (the tail is in the journal only). */
static void check_partly_applied(const char *db, const model *m)
{
    sqlite3 *d = NULL;
    CHECK_EQ_INT(sqlite3_open(db, &d), SQLITE_OK);
    int present = 0, missing = 0;
    for (int u = 0; u < 4; u++)
        for (uint64_t n = 1; n < MAXNONCE; n++) {
            if (!m->present[u][n]) continue;
            if (get_row(d, u, n).found == 1) present++; else missing++;
        }
    sqlite3_close(d);
    fprintf(stderr, "  before recovery: %d of the receipts in SQLite, %d only in the journal\n", present, missing);
    CHECK(present > 0);
    CHECK(missing > 0);
}

static int sql_fn(sqlite3 *db, void *arg)
{
    const char *sql = arg;
    return sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK && sqlite3_changes(db) == 1 ? ZG_OK : ZG_EIO;
}

/* Opens the store after the crash, checks it against m, changes a few rows
 * by transaction (recorded in m), closes, opens again, checks again: a
 * journal write applied a second time would undo those changes. */
static void recover_and_check(const char *dir, const char *db, model *m, const char *what)
{
    char when[96];
    snprintf(when, sizeof when, "%s, first open", what);
    zg_store *s = reopen_quiet(dir, db, when);
    if (!s) return;
    CHECK_EQ_U64(journal_count(db), 1);
    sqlite3 *d = zg_store_read_lock(s);
    check_model(d, m, when);
    zg_store_read_unlock(s);
    /* a receipt only the journal held (the last ones), and the debt of a
     * user whose last write is a journaled output or drop */
    const op *last = NULL;
    for (size_t i = crash_nops; i-- > 0;)
        if (crash_ops[i].kind == OP_RECEIPT && m->present[crash_ops[i].user][crash_ops[i].nonce]) {
            last = &crash_ops[i];
            break;
        }
    CHECK(last != NULL);
    if (last) {
        uint8_t u[20], nb[8];
        user_addr(last->user, u);
        zg_store_nonce_be(last->nonce, nb);
        char sql[256], hex[64] = {0}, nhex[24] = {0};
        for (int i = 0; i < 20; i++) snprintf(hex + 2 * i, 3, "%02x", u[i]);
        for (int i = 0; i < 8; i++) snprintf(nhex + 2 * i, 3, "%02x", nb[i]);
        snprintf(sql, sizeof sql, "DELETE FROM receipts WHERE user=x'%s' AND nonce=x'%s'", hex, nhex);
        CHECK_EQ_INT(zg_store_exec(s, sql_fn, sql), ZG_OK);
        m->present[last->user][last->nonce] = 0;
        int ou = crash_ops[crash_nops - 1].user;
        user_addr(ou, u);
        for (int i = 0; i < 20; i++) snprintf(hex + 2 * i, 3, "%02x", u[i]);
        snprintf(sql, sizeof sql, "UPDATE accounts SET owed='8888' WHERE user=x'%s'", hex);
        CHECK_EQ_INT(zg_store_exec(s, sql_fn, sql), ZG_OK);
        snprintf(m->owed[ou], sizeof m->owed[ou], "8888");
    }
    /* a new write after recovery goes to the new journal */
    op o = {OP_RECEIPT, 6, 1, 61, 0, 0};
    CHECK_EQ_INT(do_op(s, &o), ZG_OK);
    model_apply(m, &o);
    zg_store_close(s);
    snprintf(when, sizeof when, "%s, second open", what);
    if (!(s = reopen_quiet(dir, db, when))) return;
    CHECK_EQ_U64(journal_count(db), 1);
    d = zg_store_read_lock(s);
    check_model(d, m, when);
    zg_store_read_unlock(s);
    zg_store_close(s);
}

/* A fresh database in dir, a child killed mid-load writing to it (journal
 * files of rotate_bytes, 0 for the default), the state it should leave in
 * m, and the check that SQLite holds only part of it. -1 if the child could
 * not be run. */
static int crash_fresh(char dir[128], char db[160], uint64_t rotate_bytes, model *m)
{
    new_db(dir, 128, db, 160);
    if (run_crash_child(db, rotate_bytes) < 0) return -1;
    crash_model(m);
    check_partly_applied(db, m);
    return 0;
}

static void test_crash_recovery(void)
{
    char dir[128], db[160];
    model m;
    if (crash_fresh(dir, db, 0, &m)) return;
    CHECK_EQ_U64(journal_count(db), 1);
    recover_and_check(dir, db, &m, "crash");
}

/* The same, with journal rotation in the child and half a record at the end
 * of the newest journal file (a write cut by the crash). */
static void test_crash_torn_tail(void)
{
    char dir[128], db[160];
    model m;
    if (crash_fresh(dir, db, 3000, &m)) return;
    size_t files = journal_count(db);
    fprintf(stderr, "  %zu journal files after the crash\n", files);
    CHECK(files >= 1 && files <= 2);
    uint64_t gen = newest_journal(db);
    CHECK(gen > 1);
    char path[256];
    zg_journal_path(path, sizeof path, db, gen);
    zg_jrec j;
    memset(&j, 0, sizeof j);
    j.kind = ZG_JREC_RECEIPT;
    j.r = mk_receipt(5, 1, 55);
    uint8_t enc[ZG_JREC_MAX];
    size_t len = zg_jrec_encode(&j, enc);
    int fd = open(path, O_WRONLY | O_APPEND);
    CHECK(fd >= 0);
    CHECK_EQ_INT(write(fd, enc, len / 2), (ssize_t)(len / 2));
    close(fd);
    recover_and_check(dir, db, &m, "torn tail");
}

/* ---- rotation ------------------------------------------------------------- */

static void test_rotation(void)
{
    char dir[128], db[160];
    zg_store *s = open_fresh(dir, db, 0);
    if (!s) return;
    pthread_mutex_lock(&s->mu);
    s->rotate_bytes = 4096;
    uint64_t gen0 = s->jgen;
    pthread_mutex_unlock(&s->mu);
    model m;
    memset(&m, 0, sizeof m);
    size_t max_files = 0;
    for (uint64_t i = 0; i < 600; i++) {
        op o = {OP_RECEIPT, (int)(i % 4), i / 4 + 1, 10 + i, 0, 0};
        CHECK_EQ_INT(do_op(s, &o), ZG_OK);
        model_apply(&m, &o);
        if (i % 5 == 2) {
            op out = {OP_OUTPUT, o.user, o.nonce, 20 + i, i, 30 + i};
            CHECK_EQ_INT(do_op(s, &out), ZG_OK);
            model_apply(&m, &out);
        }
        if (i % 25 == 24) {
            sqlite3 *d = zg_store_read_lock(s);
            CHECK_EQ_INT(query_int(d, "SELECT COUNT(*) FROM receipts"), (long long)model_count(&m));
            zg_store_read_unlock(s);
            size_t f = journal_count(db);
            if (f > max_files) max_files = f;
        }
    }
    pthread_mutex_lock(&s->mu);
    uint64_t gen1 = s->jgen;
    pthread_mutex_unlock(&s->mu);
    fprintf(stderr, "  generations %llu..%llu, at most %zu files at once\n", (unsigned long long)gen0,
            (unsigned long long)gen1, max_files);
    CHECK(gen1 >= gen0 + 10);
    CHECK(max_files >= 1 && max_files <= 2);
    sqlite3 *d = zg_store_read_lock(s);
    check_model(d, &m, "rotation");
    zg_store_read_unlock(s);
    size_t files = journal_count(db);
    CHECK(files >= 1 && files <= 2);
    /* the newest file is the one being appended to, or the spare the feeder
     * makes for the next generation once that one is half full (after any
     * batch, so its timing is the feeder's) */
    uint64_t newest = newest_journal(db);
    CHECK_MSG(newest == gen1 || newest == gen1 + 1, "newest journal %llu, appending to %llu",
              (unsigned long long)newest, (unsigned long long)gen1);
    zg_store_close(s);
    if (!(s = reopen_quiet(dir, db, "rotation reopen"))) return;
    CHECK_EQ_U64(journal_count(db), 1);
    CHECK(newest_journal(db) > gen1);
    d = zg_store_read_lock(s);
    check_model(d, &m, "rotation, reopened");
    zg_store_read_unlock(s);
    zg_store_close(s);
}

/* ---- synchronous=full ----------------------------------------------------- */

static int wait_calls(cb_rec *c, int want, int seconds)
{
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    t.tv_sec += seconds;
    pthread_mutex_lock(&c->mu);
    while (c->calls < want)
        if (pthread_cond_timedwait(&c->cv, &c->mu, &t)) break;
    int calls = c->calls;
    pthread_mutex_unlock(&c->mu);
    return calls;
}

static void test_sync_full(void)
{
    char dir[128], db[160];
    zg_store *s = open_fresh(dir, db, 1);
    if (!s) return;
    cb_rec cb = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, -1, 0};
    zg_store_receipt r = mk_receipt(0, 1, 111);
    CHECK_EQ_INT(zg_store_put_receipt(s, &r, on_done, &cb), ZG_OK);
    CHECK_EQ_INT(wait_calls(&cb, 1, 10), 1);
    pthread_mutex_lock(&cb.mu);
    CHECK_EQ_INT(cb.rc, ZG_OK);
    CHECK(!pthread_equal(cb.thread, pthread_self()));
    pthread_mutex_unlock(&cb.mu);
    sqlite3 *d = zg_store_read_lock(s);
    row got = get_row(d, 0, 1);
    CHECK_EQ_INT(got.found, 1);
    CHECK_EQ_STR(got.fee, "111");
    zg_store_read_unlock(s);
    /* many at once: one callback each (group commit), none lost */
    cb_rec many = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, -1, 0};
    for (uint64_t n = 2; n <= 101; n++) {
        r = mk_receipt(1, n, n);
        CHECK_EQ_INT(zg_store_put_receipt(s, &r, on_done, &many), ZG_OK);
    }
    uint8_t u[20];
    user_addr(1, u);
    zg_u256 owed = zg_u256_from_u64(7);
    CHECK_EQ_INT(zg_store_drop_receipt(s, u, 101, &owed, on_done, &many), ZG_OK);
    CHECK_EQ_INT(wait_calls(&many, 101, 10), 101);
    usleep(20000);
    CHECK_EQ_INT(wait_calls(&many, 101, 0), 101);
    pthread_mutex_lock(&many.mu);
    CHECK_EQ_INT(many.rc, ZG_OK);
    pthread_mutex_unlock(&many.mu);
    d = zg_store_read_lock(s);
    CHECK_EQ_INT(query_int(d, "SELECT COUNT(*) FROM receipts"), 100);
    CHECK_EQ_INT(get_row(d, 1, 101).found, 0);
    char ow[80];
    get_owed(d, 1, ow, sizeof ow);
    CHECK_EQ_STR(ow, "7");
    zg_store_read_unlock(s);
    CHECK_EQ_INT(zg_store_health(s, ow, sizeof ow), ZG_OK);
    zg_store_close(s);
    CHECK_EQ_INT(cb.calls, 1);
    CHECK_EQ_INT(many.calls, 101);
}

/* ---- zg_store_exec -------------------------------------------------------- */

typedef struct exec_arg { int runs; int ret; } exec_arg;

static int settle_fn(sqlite3 *db, void *arg)
{
    exec_arg *a = arg;
    a->runs++;
    if (sqlite3_exec(db, "INSERT INTO settlements(created_ms, status, n_proofs, n_receipts, total)"
                     " VALUES(1, 'pending', 1, 2, '3')", NULL, NULL, NULL) != SQLITE_OK)
        return ZG_EINTERNAL;
    return a->ret;
}

typedef struct exec_thread { zg_store *s; exec_arg a; int rc; } exec_thread;

static void *exec_main(void *arg)
{
    exec_thread *t = arg;
    t->rc = zg_store_exec(t->s, settle_fn, &t->a);
    return NULL;
}

static void test_exec(void)
{
    char dir[128], db[160];
    zg_store *s = open_fresh(dir, db, 0);
    if (!s) return;
    /* runs, and its result is returned */
    exec_arg a = {0, ZG_OK};
    CHECK_EQ_INT(zg_store_exec(s, settle_fn, &a), ZG_OK);
    CHECK_EQ_INT(a.runs, 1);
    exec_arg b = {0, ZG_ENOTFOUND};
    CHECK_EQ_INT(zg_store_exec(s, settle_fn, &b), ZG_ENOTFOUND);
    CHECK_EQ_INT(b.runs, 1);
    sqlite3 *d = zg_store_read_lock(s);
    CHECK_EQ_INT(query_int(d, "SELECT COUNT(*) FROM settlements"), 1);
    zg_store_read_unlock(s);
    /* one batch: receipts, a failing transaction, more receipts. The feeder
     * is held in a transaction of its own while they queue up. */
    static blocker bl = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0, 0, NULL};
    bl.s = s;
    pthread_t tb, tf;
    CHECK_EQ_INT(pthread_create(&tb, NULL, blocker_main, &bl), 0);
    blocker_wait_entered(&bl);
    uint64_t commits0, writes0, queued;
    zg_store_stats(s, &commits0, &writes0, &queued);
    CHECK_EQ_U64(queued, 0);
    model m;
    memset(&m, 0, sizeof m);
    for (uint64_t n = 1; n <= 10; n++) {
        op o = {OP_RECEIPT, 3, n, 300 + n, 0, 0};
        CHECK_EQ_INT(do_op(s, &o), ZG_OK);
        model_apply(&m, &o);
    }
    exec_thread ft = {s, {0, ZG_EIO}, -1};
    CHECK_EQ_INT(pthread_create(&tf, NULL, exec_main, &ft), 0);
    for (int i = 0; i < 5000; i++) {
        zg_store_stats(s, &commits0, &writes0, &queued);
        if (queued == 11) break;
        usleep(1000);
    }
    CHECK_EQ_U64(queued, 11);
    for (uint64_t n = 11; n <= 20; n++) {
        op o = {OP_RECEIPT, 3, n, 300 + n, 0, 0};
        CHECK_EQ_INT(do_op(s, &o), ZG_OK);
        model_apply(&m, &o);
    }
    op o = {OP_OUTPUT, 3, 20, 99, 9, 98};
    CHECK_EQ_INT(do_op(s, &o), ZG_OK);
    model_apply(&m, &o);
    zg_store_stats(s, &commits0, &writes0, &queued);
    CHECK_EQ_U64(queued, 22);
    pthread_mutex_lock(&bl.mu);
    bl.release = 1;
    pthread_cond_broadcast(&bl.cv);
    pthread_mutex_unlock(&bl.mu);
    pthread_join(tb, NULL);
    pthread_join(tf, NULL);
    CHECK_EQ_INT(bl.rc, ZG_OK);
    CHECK_EQ_INT(ft.rc, ZG_EIO);
    CHECK_EQ_INT(ft.a.runs, 1);
    d = zg_store_read_lock(s);
    /* the failing transaction's row is gone, its neighbours' are there */
    CHECK_EQ_INT(query_int(d, "SELECT COUNT(*) FROM settlements"), 1);
    check_model(d, &m, "exec batch");
    zg_store_read_unlock(s);
    uint64_t commits1, writes1;
    zg_store_stats(s, &commits1, &writes1, &queued);
    /* the blocker's commit and the one batch of the other 22 */
    CHECK_EQ_U64(commits1 - commits0, 2);
    CHECK_EQ_U64(writes1 - writes0, 23);
    CHECK_EQ_INT(zg_store_health(s, NULL, 0), ZG_OK);
    zg_store_close(s);
    /* all of it survives a reopen, nothing twice */
    if (!(s = reopen_quiet(dir, db, "exec reopen"))) return;
    d = zg_store_read_lock(s);
    CHECK_EQ_INT(query_int(d, "SELECT COUNT(*) FROM settlements"), 1);
    check_model(d, &m, "exec, reopened");
    zg_store_read_unlock(s);
    zg_store_close(s);
}

int main(void)
{
    zg_rng_seed(&R, "provider_test_store");
    snprintf(tmp_root, sizeof tmp_root, "/tmp/zg-store-test-XXXXXX");
    if (!mkdtemp(tmp_root)) return 1;
    plan_crash_ops();
    ZG_RUN(test_read_your_writes);
    ZG_RUN(test_pairs_in_one_batch);
    ZG_RUN(test_crash_recovery);
    ZG_RUN(test_crash_torn_tail);
    ZG_RUN(test_rotation);
    ZG_RUN(test_sync_full);
    ZG_RUN(test_exec);
    if (zg_test_remove_dir(tmp_root)) fprintf(stderr, "cannot remove %s\n", tmp_root);
    ZG_TEST_END();
}
