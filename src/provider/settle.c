/*
 * provider/settle.c - the settlement rounds: which accounts are due, pruning
 * what the chain already paid, batching proofs into transactions, and the
 * bookkeeping after a transaction is mined.
 */
#define _GNU_SOURCE
#include "provider/settle_int.h"

#include <errno.h>
#include <jansson.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/hex.h"
#include "base/log.h"

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- database work (run on the store's writer thread) -------------------- */

typedef struct mark_job {
    const uint8_t *user;
    uint64_t first, last;       /* nonce range (inclusive) */
    int64_t settlement_id;      /* -1: found paid on chain */
    zg_u256 paid;               /* out: the fees marked settled */
    int64_t oldest_left;        /* out: created_ms of the oldest still unsettled */
} mark_job;

static int sum_fees(sqlite3 *db, mark_job *j, const uint8_t *a, const uint8_t *b)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, "SELECT fee FROM receipts WHERE user=? AND nonce BETWEEN ? AND ? AND status<2",
                           -1, &st, NULL) != SQLITE_OK)
        return ZG_EIO;
    sqlite3_bind_blob(st, 1, j->user, 20, SQLITE_STATIC);
    sqlite3_bind_blob(st, 2, a, 8, SQLITE_STATIC);
    sqlite3_bind_blob(st, 3, b, 8, SQLITE_STATIC);
    int rc = ZG_OK;
    j->paid = zg_u256_from_u64(0);
    while (!rc && sqlite3_step(st) == SQLITE_ROW) {
        zg_u256 fee;
        rc = zg_u256_from_dec(&fee, (const char *)sqlite3_column_text(st, 0), NULL);
        if (!rc) rc = zg_u256_add(&j->paid, &j->paid, &fee);
    }
    sqlite3_finalize(st);
    return rc;
}

static int mark_settled(sqlite3 *db, void *arg)
{
    mark_job *j = arg;
    uint8_t a[8], b[8];
    zg_store_nonce_be(j->first, a);
    zg_store_nonce_be(j->last, b);
    int rc = sum_fees(db, j, a, b);
    sqlite3_stmt *st = NULL;
    if (!rc && sqlite3_prepare_v2(db, "UPDATE receipts SET status=2, settlement_id=? WHERE user=? AND nonce "
                                      "BETWEEN ? AND ? AND status<2", -1, &st, NULL) != SQLITE_OK)
        rc = ZG_EIO;
    if (!rc) {
        sqlite3_bind_int64(st, 1, j->settlement_id);
        sqlite3_bind_blob(st, 2, j->user, 20, SQLITE_STATIC);
        sqlite3_bind_blob(st, 3, a, 8, SQLITE_STATIC);
        sqlite3_bind_blob(st, 4, b, 8, SQLITE_STATIC);
        if (sqlite3_step(st) != SQLITE_DONE) rc = ZG_EIO;
    }
    sqlite3_finalize(st);
    zg_store_unsettled left;
    if (!rc) rc = zg_store_read_unsettled(db, j->user, &left, NULL);
    if (!rc) j->oldest_left = left.oldest_ms;
    return rc;
}

typedef struct row_job {
    int64_t id;                 /* in/out: 0 = insert a pending row */
    const char *status, *tx_hash, *error;
    size_t n_proofs, n_receipts;
    zg_u256 total;
} row_job;

static int write_row(sqlite3 *db, void *arg)
{
    row_job *j = arg;
    sqlite3_stmt *st = NULL;
    char total[ZG_U256_DEC_MAX];
    zg_u256_to_dec(&j->total, total);
    const char *sql = j->id
        ? "UPDATE settlements SET status=?1, tx_hash=?2, error=?3, mined_ms=?4 WHERE id=?5"
        : "INSERT INTO settlements(status, tx_hash, error, created_ms, n_proofs, n_receipts, total)"
          " VALUES(?1,?2,?3,?4,?6,?7,?8)";
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) return ZG_EIO;
    sqlite3_bind_text(st, 1, j->status, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, j->tx_hash, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, j->error, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, now_ms());
    if (j->id) sqlite3_bind_int64(st, 5, j->id);
    sqlite3_bind_int64(st, 6, (sqlite3_int64)j->n_proofs);
    sqlite3_bind_int64(st, 7, (sqlite3_int64)j->n_receipts);
    sqlite3_bind_text(st, 8, total, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st) == SQLITE_DONE ? ZG_OK : ZG_EIO;
    sqlite3_finalize(st);
    if (!rc && !j->id) j->id = sqlite3_last_insert_rowid(db);
    return rc;
}

/* Unsettled receipts of user above nonce, in nonce order (read connection). */
static int load_open(zg_settler *s, const uint8_t user[20], uint64_t above, size_t max,
                     zg_store_receipt **out, size_t *n)
{
    *out = calloc(max ? max : 1, sizeof **out);
    *n = 0;
    if (!*out) return ZG_ENOMEM;
    uint8_t nb[8];
    zg_store_nonce_be(above, nb);
    sqlite3 *db = zg_store_read_lock(s->o.store);
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, "SELECT nonce, fee, request_hash, signature, created_ms FROM receipts"
                                    " WHERE user=? AND nonce>? AND status<2 ORDER BY nonce LIMIT ?",
                                -1, &st, NULL) == SQLITE_OK ? ZG_OK : ZG_EIO;
    if (!rc) {
        sqlite3_bind_blob(st, 1, user, 20, SQLITE_STATIC);
        sqlite3_bind_blob(st, 2, nb, 8, SQLITE_STATIC);
        sqlite3_bind_int64(st, 3, (sqlite3_int64)max);
    }
    while (!rc && sqlite3_step(st) == SQLITE_ROW) {
        zg_store_receipt *r = &(*out)[(*n)++];
        memcpy(r->user, user, 20);
        r->nonce = zg_store_nonce_from_be(sqlite3_column_blob(st, 0), sqlite3_column_bytes(st, 0));
        rc = zg_u256_from_dec(&r->fee, (const char *)sqlite3_column_text(st, 1), NULL);
        if (sqlite3_column_bytes(st, 2) == 32) memcpy(r->request_hash, sqlite3_column_blob(st, 2), 32);
        if (sqlite3_column_bytes(st, 3) == 64) memcpy(r->signature, sqlite3_column_blob(st, 3), 64);
        r->created_ms = sqlite3_column_int64(st, 4);
    }
    sqlite3_finalize(st);
    zg_store_read_unlock(s->o.store);
    return rc;
}

/* ---- a round -------------------------------------------------------------- */

typedef struct batch {
    zg_settle_proof *p;
    size_t *n_receipts;
    size_t n, cap;
    size_t proofs_total, receipts_total;
    zg_u256 paid_total;
    json_t *txs, *errors;
} batch;

static void note_error(batch *b, const char *fmt, const char *msg)
{
    char line[700];
    snprintf(line, sizeof line, fmt, msg);
    zg_log(ZG_LOG_WARN, "settlement: %s", line);
    json_array_append_new(b->errors, json_string(line));
}

/* After a mined transaction: receipts settled, books updated. */
static void book_mined(zg_settler *s, const batch *b, int64_t id)
{
    for (size_t i = 0; i < b->n; i++) {
        const zg_settle_proof *p = &b->p[i];
        mark_job j = {p->user, p->first_nonce, p->last_nonce, id, {{0}}, 0};
        if (zg_store_exec(s->o.store, mark_settled, &j)) zg_log(ZG_LOG_ERROR, "settlement: marking receipts settled failed");
        zg_accts_settled(s->o.accts, p->user, p->last_nonce, &j.paid, j.oldest_left);
    }
}

static int submit_once(zg_settler *s, batch *b)
{
    if (!b->n) return ZG_OK;
    row_job row = {0, "pending", NULL, NULL, b->n, 0, {{0}}};
    for (size_t i = 0; i < b->n; i++) {
        row.n_receipts += b->n_receipts[i];
        zg_u256_add(&row.total, &row.total, &b->p[i].total);
    }
    zg_store_exec(s->o.store, write_row, &row);
    uint8_t tx[32];
    zg_err err;
    zg_err_clear(&err);
    int rc = s->o.submit ? s->o.submit(s->o.submit_ctx, b->p, b->n, tx, &err)
                         : zg_err_set(&err, ZG_ESTATE, "no chain to submit settlements to");
    char hex[67] = "";
    if (!rc) zg_hex_encode(tx, 32, hex);
    row.status = rc ? (rc == ZG_EREVERT ? "failed" : "unknown") : "mined";
    row.tx_hash = rc ? NULL : hex;
    row.error = rc ? err.msg : NULL;
    zg_store_exec(s->o.store, write_row, &row);
    if (rc) {
        atomic_fetch_add(&s->o.metrics->settle_failures, 1);
        note_error(b, "settleFees: %s", err.msg);
    } else {
        book_mined(s, b, row.id);
        atomic_fetch_add(&s->o.metrics->settle_txs, 1);
        atomic_fetch_add(&s->o.metrics->settled_receipts, row.n_receipts);
        json_array_append_new(b->txs, json_string(hex));
        char total[ZG_U256_DEC_MAX], short_hash[23];
        zg_u256_to_dec(&row.total, total);
        zg_log_short_hash(tx, short_hash);
        zg_log(ZG_LOG_INFO, "settlement: %zu proof(s), %zu receipt(s), %s wei in tx %s", b->n, row.n_receipts,
               total, short_hash);
        b->proofs_total += b->n;
        b->receipts_total += row.n_receipts;
        zg_u256_add(&b->paid_total, &b->paid_total, &row.total);
    }
    b->n = 0;
    return rc;
}

static int batch_add(batch *b, const zg_settle_proof *p, size_t n_receipts);

/* Sends the batch; when a transaction of several accounts is refused, each
 * account is retried alone, so that one account the contract refuses (its
 * balance drawn by a matured refund, say) does not hold up the others. */
static int submit(zg_settler *s, batch *b)
{
    size_t n = b->n;
    zg_settle_proof *p = n ? malloc(n * sizeof *p) : NULL;
    size_t *nr = n ? malloc(n * sizeof *nr) : NULL;
    if (n && (!p || !nr)) { free(p); free(nr); return submit_once(s, b); }
    if (n) { memcpy(p, b->p, n * sizeof *p); memcpy(nr, b->n_receipts, n * sizeof *nr); }
    int rc = submit_once(s, b);
    int several = 0;
    for (size_t i = 1; i < n; i++) several |= memcmp(p[i].user, p[0].user, 20) != 0;
    if (rc == ZG_EREVERT && several) {
        rc = ZG_OK;
        for (size_t i = 0; i < n;) {
            size_t j = i;
            while (j < n && memcmp(p[j].user, p[i].user, 20) == 0) j++;
            for (size_t k = i; k < j; k++) batch_add(b, &p[k], nr[k]);
            if (submit_once(s, b)) rc = ZG_EREVERT;
            i = j;
        }
    }
    free(p);
    free(nr);
    return rc;
}

static int batch_add(batch *b, const zg_settle_proof *p, size_t n_receipts)
{
    if (b->n == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 8;
        zg_settle_proof *np = realloc(b->p, cap * sizeof *np);
        if (!np) return ZG_ENOMEM;
        b->p = np;
        size_t *nn = realloc(b->n_receipts, cap * sizeof *nn);
        if (!nn) return ZG_ENOMEM;
        b->n_receipts = nn;
        b->cap = cap;
    }
    b->p[b->n] = *p;
    b->n_receipts[b->n++] = n_receipts;
    return ZG_OK;
}

/* Marks what the chain already paid (nonce <= chain nonce) as settled. */
static void prune(zg_settler *s, const uint8_t user[20], uint64_t chain_nonce)
{
    if (!chain_nonce) return;
    mark_job j = {user, 0, chain_nonce, -1, {{0}}, 0};
    if (zg_store_exec(s->o.store, mark_settled, &j) == ZG_OK && !zg_u256_is_zero(&j.paid))
        zg_accts_settled(s->o.accts, user, chain_nonce, &j.paid, j.oldest_left);
}

static uint32_t max_size(const zg_pcfg *c)
{
    uint32_t m = 0;
    for (size_t i = 0; i < c->n_circuit_sizes; i++) if (c->circuit_sizes[i] > m) m = c->circuit_sizes[i];
    return m;
}

/* Proves the account's open receipts (as far as its balance covers) and adds
 * the proofs to b. All proofs of one account go in the same transaction:
 * the contract accepts a first nonce above a gap, so a later run landing
 * without an earlier one would make the earlier receipts unpayable. */
static int settle_account(zg_settler *s, const uint8_t user[20], batch *b)
{
    zg_err err;
    if (zg_accts_refresh(s->o.accts, user, &err)) { note_error(b, "reading an account: %s", err.msg); return ZG_ERPC; }
    zg_acct a;
    if (zg_accts_get(s->o.accts, user, &a) || !a.chain.exists) return ZG_OK;
    prune(s, user, a.chain.nonce);
    const zg_pcfg *c = s->o.cfg;
    size_t max = (size_t)max_size(c) * c->settle_max_proofs;
    zg_store_receipt *rs = NULL;
    size_t n = 0;
    int rc = load_open(s, user, a.chain.nonce, max, &rs, &n);
    /* a settlement may not take more than the account holds */
    zg_u256 sum = zg_u256_from_u64(0);
    size_t fit = 0;
    while (!rc && fit < n && !zg_u256_add(&sum, &sum, &rs[fit].fee) && zg_u256_cmp(&sum, &a.chain.balance) <= 0) fit++;
    batch acc;
    memset(&acc, 0, sizeof acc);
    for (size_t off = 0; !rc && off < fit;) {
        uint32_t slots = zg_settle_pick_size(c->circuit_sizes, c->n_circuit_sizes, fit - off);
        size_t k = fit - off < slots ? fit - off : slots;
        zg_settle_proof p;
        if ((rc = zg_settle_prove_run(s, user, a.chain.signer, rs + off, k, slots, &p, &err))) {
            note_error(b, "%s", err.msg);
            break;
        }
        if ((rc = batch_add(&acc, &p, k))) break;
        off += k;
    }
    if (!rc && acc.n && b->n + acc.n > c->settle_max_proofs) submit(s, b);
    for (size_t i = 0; !rc && i < acc.n; i++) rc = batch_add(b, &acc.p[i], acc.n_receipts[i]);
    free(acc.p);
    free(acc.n_receipts);
    free(rs);
    return rc;
}

static int due(const zg_settler *s, const zg_acct *a, int force, int64_t now)
{
    const zg_pcfg *c = s->o.cfg;
    if (zg_u256_is_zero(&a->unsettled) && !a->oldest_ms) return 0;
    if (force) return 1;
    if (zg_u256_cmp(&a->unsettled, &c->settle_threshold) >= 0) return 1;
    if (a->oldest_ms && now - a->oldest_ms >= (int64_t)c->settle_max_age_s * 1000) return 1;
    return a->chain.refund_matures_at &&
           (uint64_t)now / 1000 + c->settle_refund_margin_s >= a->chain.refund_matures_at;
}

/* Deletes the settled receipts older than store.keep_settled_s, a chunk per
 * store transaction (about 0.1 s for 2,000 in a database of a million), so
 * that writes queued meanwhile wait for one chunk at most; and at most
 * DELETE_CHUNKS per round, so that the backlog of a first run on an old
 * database is spread over rounds instead of holding up the next settlement. */
#define DELETE_CHUNK 2000
#define DELETE_CHUNKS 50

static void delete_old_receipts(zg_settler *s)
{
    uint64_t keep = s->o.cfg->keep_settled_s;
    if (!keep) return;
    int64_t before = now_ms() - (int64_t)keep * 1000;
    size_t n, total = 0;
    zg_err err;
    for (int chunk = 0; chunk < DELETE_CHUNKS; chunk++) {
        if (zg_store_delete_settled(s->o.store, before, DELETE_CHUNK, &n, &err)) {
            zg_log(ZG_LOG_WARN, "settlement: %s", err.msg);
            break;
        }
        total += n;
        if (n < DELETE_CHUNK) break;
    }
    if (!total) return;
    atomic_fetch_add(&s->o.metrics->deleted_receipts, total);
    zg_log(ZG_LOG_INFO, "settlement: deleted %zu settled receipts older than %llu s (store.keep_settled_s)", total,
           (unsigned long long)keep);
}

int zg_settler_run(zg_settler *s, int force, char **summary_json, zg_err *e)
{
    pthread_mutex_lock(&s->round);
    batch b;
    memset(&b, 0, sizeof b);
    b.txs = json_array();
    b.errors = json_array();
    zg_acct *all = NULL;
    size_t n = 0;
    int rc = zg_accts_snapshot(s->o.accts, &all, &n);
    int64_t now = now_ms();
    for (size_t i = 0; !rc && i < n; i++)
        if (due(s, &all[i], force, now)) settle_account(s, all[i].user, &b);
    submit(s, &b);
    delete_old_receipts(s);
    free(all);
    free(b.p);
    free(b.n_receipts);
    pthread_mutex_unlock(&s->round);
    char total[ZG_U256_DEC_MAX];
    zg_u256_to_dec(&b.paid_total, total);
    size_t n_err = json_array_size(b.errors);
    json_t *j = json_pack("{s:I,s:I,s:s,s:o,s:o}", "proofs", (json_int_t)b.proofs_total,
                          "receipts", (json_int_t)b.receipts_total, "total", total, "txs", b.txs,
                          "errors", b.errors);
    if (summary_json) *summary_json = j ? json_dumps(j, JSON_COMPACT) : NULL;
    json_decref(j);
    if (rc) return zg_err_set(e, rc, "settlement round failed");
    if (n_err && !b.proofs_total) return zg_err_set(e, ZG_ESTATE, "settlement failed: see the errors in the summary");
    return ZG_OK;
}

int zg_settler_settle_now(void *ctx, char **summary_json, zg_err *e)
{
    return zg_settler_run(ctx, 1, summary_json, e);
}

/* ---- lifecycle ------------------------------------------------------------ */

static void *loop_main(void *arg)
{
    zg_settler *s = arg;
    pthread_mutex_lock(&s->mu);
    while (!s->stop) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_sec += (time_t)s->o.cfg->settle_interval_s;
        while (!s->stop && pthread_cond_timedwait(&s->cv, &s->mu, &ts) != ETIMEDOUT) {}
        if (s->stop) break;
        pthread_mutex_unlock(&s->mu);
        zg_err err;
        if (zg_settler_run(s, 0, NULL, &err)) zg_log(ZG_LOG_WARN, "settlement round: %s", err.msg);
        pthread_mutex_lock(&s->mu);
    }
    pthread_mutex_unlock(&s->mu);
    return NULL;
}

/* A 'pending' row left by a broker that died while its transaction was out:
 * its fate is unknown here; the chain nonces settle it (pruning). */
static int mark_stale(sqlite3 *db, void *arg)
{
    return sqlite3_exec(db, "UPDATE settlements SET status='unknown', error='the broker stopped while the "
                            "transaction was pending; receipts the chain paid are pruned by nonce' "
                            "WHERE status='pending'", NULL, NULL, NULL) == SQLITE_OK ? ZG_OK : ZG_EIO;
}

int zg_settler_new(zg_settler **out, const zg_settler_opts *o, zg_err *e)
{
    zg_settler *s = calloc(1, sizeof *s);
    if (!s) return zg_err_set(e, ZG_ENOMEM, "out of memory");
    s->o = *o;
    pthread_mutex_init(&s->round, NULL);
    pthread_mutex_init(&s->mu, NULL);
    pthread_cond_init(&s->cv, NULL);
    zg_store_exec(s->o.store, mark_stale, NULL);
    *out = s;
    return ZG_OK;
}

int zg_settler_start(zg_settler *s, zg_err *e)
{
    if (pthread_create(&s->thread, NULL, loop_main, s)) return zg_err_set(e, ZG_EIO, "cannot start the settlement thread");
    pthread_setname_np(s->thread, "zg-settle");
    s->started = 1;
    return ZG_OK;
}

void zg_settler_free(zg_settler *s)
{
    if (!s) return;
    pthread_mutex_lock(&s->mu);
    s->stop = 1;
    pthread_cond_signal(&s->cv);
    pthread_mutex_unlock(&s->mu);
    if (s->started) pthread_join(s->thread, NULL);
    zg_settle_keys_free(s);
    pthread_mutex_destroy(&s->round);
    pthread_mutex_destroy(&s->mu);
    pthread_cond_destroy(&s->cv);
    free(s);
}
