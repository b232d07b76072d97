/*
 * provider_test_history - the store with a long settled history, as a
 * provider's database is after months.
 *
 * Reads (zg_store_read_unsettled, zg_store_each_user): what they return for
 * customers with open, settled and no receipts, and that their cost does not
 * grow with the settled history. Deletes (zg_store_delete_settled, for
 * store.keep_settled_s): settled receipts older than the cut-off go, in
 * chunks of at most max; newer settled ones and unsettled ones of any age
 * stay, and so does every accounts row.
 *
 * Costs are counted in SQLite virtual machine instructions (a progress
 * handler called on every one), which is exact and does not depend on the
 * machine's speed: reading a customer with thousands of settled receipts
 * must cost what reading one without any costs, and finding nothing to
 * delete among thousands must cost a few instructions. Without their indexes
 * the reads and the delete fail, naming the index, rather than scan.
 */
#define _GNU_SOURCE
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/hex.h"
#include "provider/store.h"
#include "zg_test.h"

#define HISTORY 3000           /* settled receipts of the customer with a history */
#define OLD_MS 1600000000000   /* retention: created long ago */
#define NEW_MS 1800000000000   /* ... after the cut-off */
#define CUT_MS 1700000000000
#define RECENT 3000            /* recent settled receipts of customer C */

/* customers of the reads' store R, and of the retention store T */
enum { RICH, FRESH, ALL_SETTLED, ACCOUNT_ONLY, NO_ACCOUNT, UNKNOWN, NUSERS };
enum { A, B, C };

static zg_store *R, *T; /* each filled once, then used by its tests in turn */

static void user_addr(int u, uint8_t out[20])
{
    memset(out, 0x40 + u, 20);
}

/* The address as SQL's x'...' wants it: 40 hex digits, no 0x. */
static void user_hex(int u, char hex[43])
{
    uint8_t a[20];
    user_addr(u, a);
    zg_hex_encode(a, 20, hex);
    memmove(hex, hex + 2, 41);
}

static uint64_t fee_of(uint64_t nonce)
{
    return 1000000000000ull + nonce * 7919;
}

static int64_t created_of(int user, uint64_t nonce)
{
    return 1700000000000 + user * 1000000 + (int64_t)nonce;
}

static int put(zg_store *s, int user, uint64_t nonce, int64_t created_ms)
{
    zg_store_receipt r;
    memset(&r, 0, sizeof r);
    user_addr(user, r.user);
    r.nonce = nonce;
    snprintf(r.service, sizeof r.service, "chat");
    r.fee = zg_u256_from_u64(fee_of(nonce));
    r.input_fee = r.fee;
    r.created_ms = created_ms;
    return zg_store_put_receipt(s, &r, NULL, NULL);
}

/* Runs SQL on the writer's connection, in the store's own transaction. */
static int sql_fn(sqlite3 *db, void *arg)
{
    return sqlite3_exec(db, arg, NULL, NULL, NULL) == SQLITE_OK ? ZG_OK : ZG_EIO;
}

/* fmt's %s, if any, is the hex address of user. */
static void run_sql(zg_store *s, const char *fmt, int user)
{
    char hex[43], sql[256];
    user_hex(user, hex);
    snprintf(sql, sizeof sql, fmt, hex);
    CHECK_MSG(zg_store_exec(s, sql_fn, sql) == ZG_OK, "sql failed: %s", sql);
}

/* The integer a query returns (-1 if it fails); fmt as run_sql's (user < 0:
 * fmt names no customer). */
static long long count_for(zg_store *s, int user, const char *fmt)
{
    char hex[43], sql[256];
    user_hex(user < 0 ? 0 : user, hex);
    snprintf(sql, sizeof sql, fmt, hex);
    sqlite3 *db = zg_store_read_lock(s);
    sqlite3_stmt *st;
    long long n = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    zg_store_read_unlock(s);
    return n;
}

static int count_step(void *arg)
{
    (*(long *)arg)++;
    return 0;
}

/* ---- reads that ignore the history ---------------------------------------- */

/* RICH: nonces 1..HISTORY settled, then one answered and two accepted.
 * FRESH: the same three open receipts (its own nonces 1..3), nothing settled.
 * ALL_SETTLED: nonces 1..5, all settled. ACCOUNT_ONLY: an owed amount, no
 * receipt. NO_ACCOUNT: one open receipt whose accounts row was deleted (as a
 * database from before every receipt made one would have). */
static void fill_reads(zg_store *s)
{
    for (uint64_t n = 1; n <= HISTORY + 3; n++) CHECK_EQ_INT(put(s, RICH, n, created_of(RICH, n)), ZG_OK);
    for (uint64_t n = 1; n <= 3; n++) CHECK_EQ_INT(put(s, FRESH, n, created_of(FRESH, n)), ZG_OK);
    for (uint64_t n = 1; n <= 5; n++) CHECK_EQ_INT(put(s, ALL_SETTLED, n, created_of(ALL_SETTLED, n)), ZG_OK);
    CHECK_EQ_INT(put(s, NO_ACCOUNT, 9, created_of(NO_ACCOUNT, 9)), ZG_OK);
    uint8_t u[20];
    user_addr(ACCOUNT_ONLY, u);
    zg_u256 owed = zg_u256_from_u64(77);
    CHECK_EQ_INT(zg_store_record_output(s, u, 1, 0, &owed, &owed), ZG_OK);
    char sql[160];
    snprintf(sql, sizeof sql, "UPDATE receipts SET status=2 WHERE user=x'%%s' AND nonce <= x'%016llx'",
             (unsigned long long)HISTORY);
    run_sql(s, sql, RICH);
    run_sql(s, "UPDATE receipts SET status=1 WHERE user=x'%s' AND nonce=x'0000000000000bb9'", RICH); /* HISTORY+1 */
    run_sql(s, "UPDATE receipts SET status=1 WHERE user=x'%s' AND nonce=x'0000000000000001'", FRESH);
    run_sql(s, "UPDATE receipts SET status=2 WHERE user=x'%s'", ALL_SETTLED);
    run_sql(s, "DELETE FROM accounts WHERE user=x'%s'", NO_ACCOUNT);
}

/* zg_store_read_unsettled on the read connection, counting its SQLite
 * instructions into *steps (if not NULL). */
static int read_counted(zg_store *s, int user, zg_store_unsettled *out, long *steps, zg_err *e)
{
    uint8_t u[20];
    user_addr(user, u);
    long n = 0;
    sqlite3 *db = zg_store_read_lock(s);
    sqlite3_progress_handler(db, 1, count_step, &n);
    int rc = zg_store_read_unsettled(db, u, out, e);
    sqlite3_progress_handler(db, 0, NULL, NULL);
    zg_store_read_unlock(s);
    if (steps) *steps = n;
    return rc;
}

static void check_sums(zg_store *s, int user, uint64_t last, uint64_t first_open, uint64_t n_open)
{
    zg_store_unsettled u;
    zg_err err;
    CHECK_OK(read_counted(s, user, &u, NULL, &err));
    CHECK_EQ_U64(u.last_nonce, last);
    zg_u256 want = zg_u256_from_u64(0);
    for (uint64_t n = first_open; n < first_open + n_open; n++) {
        zg_u256 f = zg_u256_from_u64(fee_of(n));
        zg_u256_add(&want, &want, &f);
    }
    CHECK_MSG(zg_u256_cmp(&u.fees, &want) == 0, "user %d: unsettled fees differ", user);
    CHECK_EQ_INT(u.oldest_ms, n_open ? created_of(user, first_open) : 0);
}

static void test_sums(void)
{
    zg_store *s = R;
    check_sums(s, RICH, HISTORY + 3, HISTORY + 1, 3);
    check_sums(s, FRESH, 3, 1, 3);
    check_sums(s, ALL_SETTLED, 5, 0, 0);   /* the last nonce counts though it is settled */
    check_sums(s, ACCOUNT_ONLY, 0, 0, 0);
    check_sums(s, NO_ACCOUNT, 9, 9, 1);
    check_sums(s, UNKNOWN, 0, 0, 0);
}

static void test_cost_ignores_history(void)
{
    zg_store *s = R;
    zg_store_unsettled u;
    zg_err err;
    long rich = 0, fresh = 0;
    CHECK_OK(read_counted(s, RICH, &u, &rich, &err));
    CHECK_OK(read_counted(s, FRESH, &u, &fresh, &err));
    /* the same three open receipts; a scan of RICH's history would take
     * several instructions for each of its HISTORY rows */
    CHECK_MSG(fresh > 0 && rich <= fresh + fresh / 2, "%ld SQLite steps with %d settled receipts, %ld without",
              rich, HISTORY, fresh);
}

typedef struct seen { int count[NUSERS]; int others; } seen;

static int note_user(void *arg, const uint8_t user[20], zg_err *e)
{
    (void)e;
    seen *v = arg;
    for (int i = 0; i < NUSERS; i++) {
        uint8_t a[20];
        user_addr(i, a);
        if (!memcmp(a, user, 20)) { v->count[i]++; return ZG_OK; }
    }
    v->others++;
    return ZG_OK;
}

static int stop_at_first(void *arg, const uint8_t user[20], zg_err *e)
{
    (void)user;
    (*(int *)arg)++;
    return zg_err_set(e, ZG_EINVAL, "stop here");
}

static void test_each_user(void)
{
    zg_store *s = R;
    seen v;
    memset(&v, 0, sizeof v);
    zg_err err;
    long steps = 0;
    sqlite3 *db = zg_store_read_lock(s);
    sqlite3_progress_handler(db, 1, count_step, &steps);
    CHECK_OK(zg_store_each_user(db, note_user, &v, &err));
    sqlite3_progress_handler(db, 0, NULL, NULL);
    /* every customer once, with or without receipts or an accounts row */
    for (int i = 0; i < NUSERS; i++) CHECK_EQ_INT(v.count[i], i == UNKNOWN ? 0 : 1);
    CHECK_EQ_INT(v.others, 0);
    /* one primary-key search per customer, not a pass over the receipts */
    CHECK_MSG(steps < HISTORY / 4, "%ld SQLite steps to list %d customers among %d receipts", steps, NUSERS - 1,
              HISTORY + 12);
    /* the callback's error stops the walk and is returned */
    int calls = 0;
    CHECK_EQ_INT(zg_store_each_user(db, stop_at_first, &calls, &err), ZG_EINVAL);
    CHECK_EQ_INT(calls, 1);
    CHECK_EQ_STR(err.msg, "stop here");
    zg_store_read_unlock(s);
}

static void test_reads_without_index(void)
{
    zg_store *s = R;
    CHECK_EQ_INT(zg_store_exec(s, sql_fn, "DROP INDEX receipts_open"), ZG_OK);
    zg_store_unsettled u;
    zg_err err;
    CHECK_EQ_INT(read_counted(s, FRESH, &u, NULL, &err), ZG_EIO);
    CHECK_MSG(strstr(err.msg, "receipts_open") != NULL, "error without the index's name: %s", err.msg);
}

/* ---- deleting old settled receipts ----------------------------------------- */

/* A: 1..6 settled long ago, 7..8 settled recently, 9..10 open and created
 * long ago. B: 1..3 settled long ago. C: RECENT settled recently. */
static void fill_retention(zg_store *s)
{
    for (uint64_t n = 1; n <= 10; n++) CHECK_EQ_INT(put(s, A, n, n <= 6 || n >= 9 ? OLD_MS + (int64_t)n : NEW_MS), 0);
    for (uint64_t n = 1; n <= 3; n++) CHECK_EQ_INT(put(s, B, n, OLD_MS), 0);
    for (uint64_t n = 1; n <= RECENT; n++) CHECK_EQ_INT(put(s, C, n, NEW_MS + (int64_t)n), 0);
    run_sql(s, "UPDATE receipts SET status=2 WHERE user<>x'%s' OR nonce < x'0000000000000009'", A);
}

static int count_on(sqlite3 *db, void *arg)
{
    sqlite3_progress_handler(db, 1, count_step, arg);
    return ZG_OK;
}

static int count_off(sqlite3 *db, void *arg)
{
    (void)arg;
    sqlite3_progress_handler(db, 0, NULL, NULL);
    return ZG_OK;
}

/* Run before test_deletes_old_settled_in_chunks empties C's history. */
static void test_nothing_to_delete_is_cheap(void)
{
    zg_err err;
    size_t n = 99;
    long steps = 0;
    CHECK_EQ_INT(zg_store_exec(T, count_on, &steps), ZG_OK);
    CHECK_OK(zg_store_delete_settled(T, OLD_MS, 100, &n, &err));
    CHECK_EQ_INT(zg_store_exec(T, count_off, NULL), ZG_OK);
    CHECK_EQ_U64(n, 0);
    CHECK_MSG(steps < RECENT / 4, "%ld SQLite steps to find nothing among %d settled receipts", steps, RECENT + 9);
}

static void test_deletes_old_settled_in_chunks(void)
{
    zg_err err;
    size_t n = 99;
    /* 9 old settled receipts (A 1..6, B 1..3), at most 4 per call */
    CHECK_OK(zg_store_delete_settled(T, CUT_MS, 4, &n, &err));
    CHECK_EQ_U64(n, 4);
    CHECK_OK(zg_store_delete_settled(T, CUT_MS, 4, &n, &err));
    CHECK_EQ_U64(n, 4);
    CHECK_OK(zg_store_delete_settled(T, CUT_MS, 4, &n, &err));
    CHECK_EQ_U64(n, 1);
    CHECK_OK(zg_store_delete_settled(T, CUT_MS, 4, &n, &err));
    CHECK_EQ_U64(n, 0);
    CHECK_EQ_INT(count_for(T, A, "SELECT COUNT(*) FROM receipts WHERE user=x'%s'"), 4);
    /* A's 7..8 (recent) and 9..10 (open) */
    CHECK_EQ_INT(count_for(T, A, "SELECT COUNT(*) FROM receipts WHERE user=x'%s' AND nonce >= x'0000000000000007'"), 4);
    CHECK_EQ_INT(count_for(T, B, "SELECT COUNT(*) FROM receipts WHERE user=x'%s'"), 0);
    CHECK_EQ_INT(count_for(T, C, "SELECT COUNT(*) FROM receipts WHERE user=x'%s'"), RECENT);
    CHECK_EQ_INT(count_for(T, -1, "SELECT COUNT(*) FROM accounts"), 3);
    /* an open receipt is never deleted, whatever its age */
    CHECK_OK(zg_store_delete_settled(T, NEW_MS + RECENT + 1, 100000, &n, &err));
    CHECK_EQ_U64(n, 2 + RECENT);
    CHECK_EQ_INT(count_for(T, -1, "SELECT COUNT(*) FROM receipts"), 2);
    CHECK_EQ_INT(count_for(T, -1, "SELECT COUNT(*) FROM receipts WHERE status < 2"), 2);
}

static void test_delete_without_index(void)
{
    zg_err err;
    size_t n = 99;
    CHECK_EQ_INT(zg_store_exec(T, sql_fn, "DROP INDEX receipts_settled_age"), ZG_OK);
    CHECK_EQ_INT(zg_store_delete_settled(T, CUT_MS, 10, &n, &err), ZG_EIO);
    CHECK_EQ_U64(n, 0);
    CHECK_MSG(strstr(err.msg, "receipts_settled_age") != NULL, "error without the index's name: %s", err.msg);
}

static zg_store *open_store(const char *dir, const char *name)
{
    char db[128];
    zg_err err;
    zg_store *s = NULL;
    snprintf(db, sizeof db, "%s/%s.db", dir, name);
    CHECK_OK(zg_store_open(&s, db, 0, 512, &err));
    return s;
}

int main(void)
{
    char dir[64];
    snprintf(dir, sizeof dir, "/tmp/zg-history-test-XXXXXX");
    if (!mkdtemp(dir)) return 1;
    R = open_store(dir, "reads");
    T = open_store(dir, "retention");
    if (R && T) {
        fill_reads(R);
        ZG_RUN(test_sums);
        ZG_RUN(test_cost_ignores_history);
        ZG_RUN(test_each_user);
        ZG_RUN(test_reads_without_index);
        fill_retention(T);
        ZG_RUN(test_nothing_to_delete_is_cheap);
        ZG_RUN(test_deletes_old_settled_in_chunks);
        ZG_RUN(test_delete_without_index);
    }
    zg_store_close(R);
    zg_store_close(T);
    if (zg_test_remove_dir(dir)) fprintf(stderr, "cannot remove %s\n", dir);
    ZG_TEST_END();
}
