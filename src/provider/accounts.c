/*
 * provider/accounts.c - cached accounts and the atomic check-and-book step.
 */
#include "provider/accounts.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "serving/protocol.h"

struct zg_accts {
    pthread_mutex_t mu;
    zg_acct **slots;           /* open addressing by user address */
    size_t n_slots, n;
    zg_chain_account_fn fetch;
    void *fetch_ctx;
    int64_t refresh_ms;
};

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static size_t slot_of(const zg_accts *t, const uint8_t user[20])
{
    uint64_t h;
    memcpy(&h, user + 12, 8); /* addresses are keccak output: already uniform */
    return (size_t)h & (t->n_slots - 1);
}

static zg_acct *find(const zg_accts *t, const uint8_t user[20])
{
    for (size_t i = slot_of(t, user);; i = (i + 1) & (t->n_slots - 1)) {
        zg_acct *a = t->slots[i];
        if (!a) return NULL;
        if (memcmp(a->user, user, 20) == 0) return a;
    }
}

static int grow(zg_accts *t)
{
    size_t old_n = t->n_slots;
    zg_acct **old = t->slots;
    zg_acct **fresh = calloc(old_n * 2, sizeof *fresh);
    if (!fresh) return ZG_ENOMEM;
    t->slots = fresh;
    t->n_slots = old_n * 2;
    for (size_t i = 0; i < old_n; i++) {
        if (!old[i]) continue;
        size_t j = slot_of(t, old[i]->user);
        while (t->slots[j]) j = (j + 1) & (t->n_slots - 1);
        t->slots[j] = old[i];
    }
    free(old);
    return ZG_OK;
}

/* Finds or creates (empty, never fetched) the entry; NULL on ENOMEM. Locked. */
static zg_acct *get_or_add(zg_accts *t, const uint8_t user[20])
{
    zg_acct *a = find(t, user);
    if (a) return a;
    if ((t->n + 1) * 2 > t->n_slots && grow(t)) return NULL;
    a = calloc(1, sizeof *a);
    if (!a) return NULL;
    memcpy(a->user, user, 20);
    size_t i = slot_of(t, user);
    while (t->slots[i]) i = (i + 1) & (t->n_slots - 1);
    t->slots[i] = a;
    t->n++;
    return a;
}

int zg_accts_new(zg_accts **out, zg_chain_account_fn fetch, void *fetch_ctx, uint64_t refresh_s)
{
    zg_accts *t = calloc(1, sizeof *t);
    if (!t) return ZG_ENOMEM;
    t->n_slots = 64;
    t->slots = calloc(t->n_slots, sizeof *t->slots);
    if (!t->slots) { free(t); return ZG_ENOMEM; }
    pthread_mutex_init(&t->mu, NULL);
    t->fetch = fetch;
    t->fetch_ctx = fetch_ctx;
    t->refresh_ms = (int64_t)refresh_s * 1000;
    *out = t;
    return ZG_OK;
}

void zg_accts_free(zg_accts *t)
{
    if (!t) return;
    for (size_t i = 0; i < t->n_slots; i++) free(t->slots[i]);
    free(t->slots);
    pthread_mutex_destroy(&t->mu);
    free(t);
}

/* Reads the chain without holding the lock (it is a network call), then
 * installs the result. A chain nonce above what the broker accepted moves
 * last_nonce up: receipts at or below it can never be paid again. */
int zg_accts_refresh(zg_accts *t, const uint8_t user[20], zg_err *e)
{
    if (!t->fetch) return zg_err_set(e, ZG_ERPC, "no chain configured to read accounts from");
    zg_chain_account c;
    memset(&c, 0, sizeof c);
    int rc = t->fetch(t->fetch_ctx, user, &c, e);
    if (rc) return rc;
    pthread_mutex_lock(&t->mu);
    zg_acct *a = get_or_add(t, user);
    if (a) {
        a->chain = c;
        a->refreshed_ms = now_ms();
        if (c.nonce > a->last_nonce) a->last_nonce = c.nonce;
    }
    pthread_mutex_unlock(&t->mu);
    return a ? ZG_OK : zg_err_set(e, ZG_ENOMEM, "out of memory");
}

int zg_accts_signer(zg_accts *t, const uint8_t user[20], uint8_t signer[64], zg_err *e)
{
    pthread_mutex_lock(&t->mu);
    zg_acct *a = find(t, user);
    int fresh = a && a->refreshed_ms && (t->refresh_ms == 0 || now_ms() - a->refreshed_ms < t->refresh_ms);
    int exists = a && a->chain.exists;
    if (fresh && exists) memcpy(signer, a->chain.signer, 64);
    pthread_mutex_unlock(&t->mu);
    if (!fresh) {
        int rc = zg_accts_refresh(t, user, e);
        /* a chain outage does not stop the customers the broker already
         * knows: their cached view (refreshed again once the chain is back)
         * is used; an unknown account still needs the chain */
        if (rc && !exists) return rc;
        pthread_mutex_lock(&t->mu);
        a = find(t, user);
        exists = a && a->chain.exists;
        if (exists) memcpy(signer, a->chain.signer, 64);
        pthread_mutex_unlock(&t->mu);
    }
    if (!exists) return zg_err_set(e, ZG_ENOTFOUND, "this user has no account with this provider; "
                                   "create one with `zg account create`");
    return ZG_OK;
}

/* available = balance - pendingRefund (0 if the refund exceeds it). */
static zg_u256 available(const zg_acct *a)
{
    zg_u256 r;
    if (zg_u256_sub(&r, &a->chain.balance, &a->chain.pending_refund)) r = zg_u256_from_u64(0);
    return r;
}

/* unsettled + reserved + fee + reserve, or ERANGE. */
static int need_of(const zg_acct *a, const zg_admit *q, zg_u256 *need)
{
    if (zg_u256_add(need, &a->unsettled, &a->reserved)) return ZG_ERANGE;
    if (zg_u256_add(need, need, &q->fee)) return ZG_ERANGE;
    return zg_u256_add(need, need, &q->reserve);
}

static int check_locked(const zg_acct *a, const zg_admit *q, zg_err *e)
{
    char x[ZG_U256_DEC_MAX], y[ZG_U256_DEC_MAX];
    if (q->nonce <= a->last_nonce)
        return zg_err_set(e, ZG_PROTO_NONCE_REUSED, "nonce %llu is not above the last accepted nonce %llu",
                          (unsigned long long)q->nonce, (unsigned long long)a->last_nonce);
    zg_u256 sum;
    if (zg_u256_add(&sum, &q->input_fee, &q->prev_output_fee) || zg_u256_cmp(&sum, &q->fee) != 0) {
        zg_u256_to_dec(&q->fee, x); zg_u256_to_dec(&q->input_fee, y);
        char z[ZG_U256_DEC_MAX];
        zg_u256_to_dec(&q->prev_output_fee, z);
        return zg_err_set(e, ZG_PROTO_FEE_MISMATCH, "fee %s wei is not input fee %s + previous output fee %s", x, y, z);
    }
    if (zg_u256_cmp(&q->input_fee, &q->min_input_fee) < 0) {
        zg_u256_to_dec(&q->input_fee, x); zg_u256_to_dec(&q->min_input_fee, y);
        return zg_err_set(e, ZG_PROTO_INPUT_FEE_LOW, "input fee %s wei is below the %s wei this request's input costs", x, y);
    }
    if (zg_u256_cmp(&q->prev_output_fee, &a->owed) < 0) {
        zg_u256_to_dec(&q->prev_output_fee, x); zg_u256_to_dec(&a->owed, y);
        return zg_err_set(e, ZG_PROTO_OUTPUT_FEE_OWED, "previous output fee %s wei is below the %s wei owed "
                          "for the previous answer", x, y);
    }
    zg_u256 need, avail = available(a);
    if (need_of(a, q, &need) || zg_u256_cmp(&need, &avail) > 0) {
        zg_u256_to_dec(&need, x); zg_u256_to_dec(&avail, y);
        return zg_err_set(e, ZG_PROTO_INSUFFICIENT_BALANCE, "insufficient balance: unsettled fees, this fee and the "
                          "output reserve need %s wei, the account has %s wei available; deposit more", x, y);
    }
    return ZG_OK;
}

static void book_locked(zg_acct *a, zg_admit *q)
{
    q->prev_last_nonce = a->last_nonce;
    q->prev_owed = a->owed;
    a->last_nonce = q->nonce;
    zg_u256_add(&a->unsettled, &a->unsettled, &q->fee);   /* need_of proved these fit */
    zg_u256_add(&a->reserved, &a->reserved, &q->reserve);
    a->owed = zg_u256_from_u64(0);
    if (!a->oldest_ms) a->oldest_ms = q->now_ms;
    a->inflight++;
}

int zg_accts_admit(zg_accts *t, const uint8_t user[20], zg_admit *q, zg_err *e)
{
    for (int attempt = 0;; attempt++) {
        pthread_mutex_lock(&t->mu);
        zg_acct *a = find(t, user);
        int rc = a ? check_locked(a, q, e) : zg_err_set(e, ZG_PROTO_NO_ACCOUNT, "account not loaded");
        if (!rc) book_locked(a, q);
        pthread_mutex_unlock(&t->mu);
        /* the deposit may have grown since the cache was filled */
        if (rc != ZG_PROTO_INSUFFICIENT_BALANCE || attempt || !t->fetch) return rc;
        zg_err e2;
        if (zg_accts_refresh(t, user, &e2)) return rc;
    }
}

void zg_accts_rollback(zg_accts *t, const uint8_t user[20], const zg_admit *q, zg_u256 *owed_out)
{
    pthread_mutex_lock(&t->mu);
    zg_acct *a = find(t, user);
    if (a) {
        if (a->last_nonce == q->nonce) a->last_nonce = q->prev_last_nonce;
        if (zg_u256_sub(&a->unsettled, &a->unsettled, &q->fee)) a->unsettled = zg_u256_from_u64(0);
        if (zg_u256_sub(&a->reserved, &a->reserved, &q->reserve)) a->reserved = zg_u256_from_u64(0);
        zg_u256_add(&a->owed, &a->owed, &q->prev_owed);
        if (a->inflight) a->inflight--;
        if (zg_u256_is_zero(&a->unsettled)) a->oldest_ms = 0;
        *owed_out = a->owed;
    }
    pthread_mutex_unlock(&t->mu);
}

void zg_accts_answered(zg_accts *t, const uint8_t user[20], const zg_u256 *reserve,
                       const zg_u256 *output_fee, zg_u256 *owed_out)
{
    pthread_mutex_lock(&t->mu);
    zg_acct *a = find(t, user);
    if (a) {
        if (zg_u256_sub(&a->reserved, &a->reserved, reserve)) a->reserved = zg_u256_from_u64(0);
        zg_u256_add(&a->owed, &a->owed, output_fee);
        if (a->inflight) a->inflight--;
        *owed_out = a->owed;
    }
    pthread_mutex_unlock(&t->mu);
}

void zg_accts_restore(zg_accts *t, const uint8_t user[20], uint64_t last_nonce,
                      const zg_u256 *unsettled, const zg_u256 *owed, int64_t oldest_ms)
{
    pthread_mutex_lock(&t->mu);
    zg_acct *a = get_or_add(t, user);
    if (a) {
        if (last_nonce > a->last_nonce) a->last_nonce = last_nonce;
        a->unsettled = *unsettled;
        a->owed = *owed;
        a->oldest_ms = oldest_ms;
    }
    pthread_mutex_unlock(&t->mu);
}

void zg_accts_settled(zg_accts *t, const uint8_t user[20], uint64_t nonce, const zg_u256 *paid,
                      int64_t oldest_ms_left)
{
    pthread_mutex_lock(&t->mu);
    zg_acct *a = find(t, user);
    if (a) {
        if (zg_u256_sub(&a->unsettled, &a->unsettled, paid)) a->unsettled = zg_u256_from_u64(0);
        if (nonce > a->chain.nonce) a->chain.nonce = nonce;
        if (nonce > a->last_nonce) a->last_nonce = nonce;
        a->oldest_ms = oldest_ms_left;
        a->refreshed_ms = 0; /* the balance changed on chain: read it again */
    }
    pthread_mutex_unlock(&t->mu);
}

int zg_accts_snapshot(zg_accts *t, zg_acct **out, size_t *n)
{
    pthread_mutex_lock(&t->mu);
    zg_acct *copy = malloc((t->n ? t->n : 1) * sizeof *copy);
    size_t k = 0;
    if (copy)
        for (size_t i = 0; i < t->n_slots; i++)
            if (t->slots[i]) copy[k++] = *t->slots[i];
    pthread_mutex_unlock(&t->mu);
    if (!copy) return ZG_ENOMEM;
    *out = copy;
    *n = k;
    return ZG_OK;
}

int zg_accts_get(zg_accts *t, const uint8_t user[20], zg_acct *out)
{
    pthread_mutex_lock(&t->mu);
    zg_acct *a = find(t, user);
    if (a) *out = *a;
    pthread_mutex_unlock(&t->mu);
    return a ? ZG_OK : ZG_ENOTFOUND;
}

int zg_accts_is_cached(zg_accts *t, const uint8_t user[20])
{
    pthread_mutex_lock(&t->mu);
    int r = find(t, user) != NULL;
    pthread_mutex_unlock(&t->mu);
    return r;
}
