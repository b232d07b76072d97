/*
 * bench_restore.c - what a long settled history costs the broker's start-up
 * (zg_broker_restore) and its per-customer read of unsettled receipts
 * (zg_store_read_unsettled, also run after every settlement).
 *
 * Two stores with the same customers and the same open receipts (3 each);
 * one also holds -H settled receipts spread over the customers, as a
 * provider's database does after months. Each store's restore and reads are
 * timed in the same run; the ratio history/fresh is what the history costs
 * (1.0: nothing). As a baseline, the same run times the read the broker made
 * before store_unsettled.c: every row of the customer through the primary
 * key, skipping the settled ones. Every figure is taken with the database's
 * pages in memory (after a first pass), as after a quick restart.
 *
 * usage: bench_restore [-H settled receipts (default 1000000)] [-u customers (100)]
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <getopt.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "provider/accounts.h"
#include "provider/broker.h"
#include "provider/store.h"

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void die(const char *what, const char *why)
{
    fprintf(stderr, "bench_restore: %s: %s\n", what, why);
    exit(1);
}

static int no_chain(void *ctx, const uint8_t user[20], zg_chain_account *out, zg_err *e)
{
    (void)ctx; (void)user; (void)out;
    return zg_err_set(e, ZG_ERPC, "no chain in this bench");
}

/* Customer i is 18 zero bytes and i + 1 in the last two. */
typedef struct fill_job { long users, history; } fill_job;

static void customer_addr(long i, uint8_t out[20])
{
    memset(out, 0, 20);
    out[18] = (uint8_t)((i + 1) >> 8);
    out[19] = (uint8_t)(i + 1);
}

/* The rows the feeder would write, inserted in one transaction; receipt k
 * belongs to customer k % users, and the first history of them are
 * settled. Each customer's receipts get rising nonces. */
static int fill_fn(sqlite3 *db, void *arg)
{
    const fill_job *j = arg;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "INSERT INTO receipts(user, nonce, service, fee, input_fee, prev_output_fee,"
                               " request_hash, signature, created_ms, status) VALUES(?1, ?2, 'chat', '123456789000',"
                               " '1000', '0', zeroblob(32), zeroblob(64), ?3, ?4)", -1, &st, NULL))
        return ZG_EIO;
    int rc = ZG_OK;
    for (long k = 0; !rc && k < j->history + 3 * j->users; k++) {
        uint8_t user[20], nonce[8];
        customer_addr(k % j->users, user);
        zg_store_nonce_be((uint64_t)(k / j->users + 1), nonce);
        sqlite3_bind_blob(st, 1, user, 20, SQLITE_STATIC);
        sqlite3_bind_blob(st, 2, nonce, 8, SQLITE_STATIC);
        sqlite3_bind_int64(st, 3, 1700000000000 + k);
        sqlite3_bind_int(st, 4, k < j->history ? ZG_RECEIPT_SETTLED : ZG_RECEIPT_ACCEPTED);
        if (sqlite3_step(st) != SQLITE_DONE) rc = ZG_EIO;
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    if (rc) return rc;
    return sqlite3_exec(db, "INSERT OR IGNORE INTO accounts(user, owed) SELECT DISTINCT user, '0' FROM receipts",
                        NULL, NULL, NULL) == SQLITE_OK ? ZG_OK : ZG_EIO;
}

static zg_store *make_store(const char *dir, const char *name, long users, long history)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s.db", dir, name);
    zg_store *s;
    zg_err e;
    if (zg_store_open(&s, path, 0, 512, &e)) die("opening the store", e.msg);
    fill_job j = {users, history};
    double t = now_s();
    if (zg_store_exec(s, fill_fn, &j)) die("filling the store", "an SQL statement failed");
    printf("%-8s %ld settled + %ld open receipts, %ld customers, filled in %.1f s\n", name, history, 3 * users,
           users, now_s() - t);
    return s;
}

static double restore_s(zg_store *s)
{
    zg_accts *a;
    zg_err e;
    if (zg_accts_new(&a, no_chain, NULL, 60)) die("accounts", "out of memory");
    double t = now_s();
    if (zg_broker_restore(s, a, &e)) die("restore", e.msg);
    t = now_s() - t;
    zg_accts_free(a);
    return t;
}

/* The read before store_unsettled.c: a customer's every receipt. */
static void read_by_scan(sqlite3 *db, const uint8_t user[20])
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "SELECT nonce, fee, status, created_ms FROM receipts WHERE user=?", -1, &st, NULL))
        die("the scan", sqlite3_errmsg(db));
    sqlite3_bind_blob(st, 1, user, 20, SQLITE_STATIC);
    long open = 0;
    while (sqlite3_step(st) == SQLITE_ROW) open += sqlite3_column_int(st, 2) < 2;
    sqlite3_finalize(st);
    if (open != 3) die("the scan", "a customer without its 3 open receipts");
}

/* The restore before store_unsettled.c, as a baseline: the customers from
 * every receipt, then each customer's every receipt. */
static double restore_by_scan_s(zg_store *s)
{
    sqlite3 *db = zg_store_read_lock(s);
    sqlite3_stmt *st;
    double t = now_s();
    if (sqlite3_prepare_v2(db, "SELECT user FROM receipts UNION SELECT user FROM accounts", -1, &st, NULL))
        die("the scan", sqlite3_errmsg(db));
    while (sqlite3_step(st) == SQLITE_ROW) read_by_scan(db, sqlite3_column_blob(st, 0));
    sqlite3_finalize(st);
    t = now_s() - t;
    zg_store_read_unlock(s);
    return t;
}

/* Mean time of one customer's read, over every customer, reps times. */
static double read_s(zg_store *s, long users, int scan, int reps)
{
    sqlite3 *db = zg_store_read_lock(s);
    double t = now_s();
    for (int r = 0; r < reps; r++)
        for (long i = 0; i < users; i++) {
            uint8_t u[20];
            customer_addr(i, u);
            zg_store_unsettled out;
            zg_err e;
            if (scan) read_by_scan(db, u);
            else if (zg_store_read_unsettled(db, u, &out, &e)) die("read", e.msg);
            else if (out.oldest_ms == 0) die("read", "a customer without open receipts");
        }
    t = (now_s() - t) / (double)(users * reps);
    zg_store_read_unlock(s);
    return t;
}

/* The stores' files (databases, WAL, journals), then the directory. */
static void remove_dir(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *ent;
    char path[512];
    while (d && (ent = readdir(d)) != NULL)
        if (ent->d_name[0] != '.' && snprintf(path, sizeof path, "%s/%s", dir, ent->d_name) < (int)sizeof path)
            unlink(path);
    if (d) closedir(d);
    if (rmdir(dir)) fprintf(stderr, "bench_restore: could not remove %s\n", dir);
}

int main(int argc, char **argv)
{
    long history = 1000000, users = 100;
    int o;
    while ((o = getopt(argc, argv, "H:u:")) != -1) {
        if (o == 'H') history = atol(optarg);
        else if (o == 'u') users = atol(optarg);
        else {
            fprintf(stderr, "usage: bench_restore [-H settled receipts (default 1000000)] [-u customers (100)]\n");
            return 2;
        }
    }
    if (history < 0 || users < 1 || users > 65000) die("options", "-H >= 0, 1 <= -u <= 65000");
    char dir[] = "/tmp/zg-bench-restore-XXXXXX";
    if (!mkdtemp(dir)) die("temporary directory", "mkdtemp failed");
    zg_store *fresh = make_store(dir, "fresh", users, 0);
    zg_store *old = make_store(dir, "history", users, history);
    /* a first pass of each loads the pages into SQLite's cache, so that
     * neither is timed on a colder cache than the other */
    restore_by_scan_s(fresh); restore_by_scan_s(old); restore_s(fresh); restore_s(old);
    double bf = restore_by_scan_s(fresh), bh = restore_by_scan_s(old);
    double rf = restore_s(fresh), rh = restore_s(old);
    int reps = 20;
    double uf = read_s(fresh, users, 0, reps), uh = read_s(old, users, 0, reps);
    double sf = read_s(fresh, users, 1, 1), sh = read_s(old, users, 1, 1);
    printf("restore          fresh %8.2f ms  history %8.2f ms  ratio %.2f\n", rf * 1e3, rh * 1e3, rh / rf);
    printf("restore by scan  fresh %8.2f ms  history %8.2f ms  ratio %.2f  (baseline)\n", bf * 1e3, bh * 1e3,
           bh / bf);
    printf("read             fresh %8.1f us  history %8.1f us  ratio %.2f  (one customer's unsettled receipts)\n",
           uf * 1e6, uh * 1e6, uh / uf);
    printf("read by scan     fresh %8.1f us  history %8.1f us  ratio %.2f  (baseline: the read through every receipt)\n",
           sf * 1e6, sh * 1e6, sh / sf);
    printf("with history: restore %.0fx faster than by scan, read %.0fx\n", bh / rh, sh / uh);
    zg_store_close(fresh);
    zg_store_close(old); /* the last connection's close checkpoints the WAL into the file */
    char path[512];
    struct stat st;
    snprintf(path, sizeof path, "%s/history.db", dir);
    if (history && stat(path, &st) == 0)
        printf("history database: %.0f bytes per receipt\n", (double)st.st_size / (double)(history + 3 * users));
    remove_dir(dir);
    return 0;
}
