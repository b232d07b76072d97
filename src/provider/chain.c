/*
 * provider/chain.c - the broker's link to the Serving contract, over the
 * contract bindings (serving/contract.h).
 *
 * Two RPC clients, each behind its own lock (a zg_rpc is one curl handle and
 * must not be shared between threads at once): one for account reads from
 * the request path, one for transactions (registration, settlement), so a
 * settlement waiting for its receipt never holds up a request's account read.
 */
#define _GNU_SOURCE
#include "provider/chain.h"

#include <errno.h>
#include <pthread.h>
#include <time.h>
#include <stdlib.h>
#include <string.h>

#include "serving/contract.h"

typedef struct link { pthread_mutex_t mu; zg_rpc *rpc; zg_serving sv; } link;

struct zg_pchain {
    const zg_pcfg *cfg;
    zg_eth_key key;
    zg_address provider;
    link reads, txs, events;
    uint64_t lock_time;
    /* event follower */
    zg_accts *accts;
    pthread_t follower;
    int following, stop;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    uint64_t next_block;
};

static int link_open(link *l, const zg_pcfg *cfg, const zg_address *contract, zg_err *e)
{
    pthread_mutex_init(&l->mu, NULL);
    int rc = zg_rpc_new(cfg->rpc_url, &l->rpc, e);
    if (rc)
        return zg_err_wrap(e, rc, "chain.rpc_url");
    zg_serving_init(&l->sv, l->rpc, contract);
    return ZG_OK;
}

static void link_close(link *l)
{
    if (l->rpc) zg_rpc_free(l->rpc);
    pthread_mutex_destroy(&l->mu);
}

int zg_pchain_new(zg_pchain **out, const zg_pcfg *cfg, const zg_eth_key *key, zg_err *e)
{
    *out = NULL;
    zg_address contract;
    int rc = zg_address_parse(cfg->contract, &contract, e);
    if (rc)
        return zg_err_wrap(e, rc, "chain.contract");
    zg_pchain *c = calloc(1, sizeof *c);
    if (!c) return zg_err_set(e, ZG_ENOMEM, "out of memory");
    c->cfg = cfg;
    c->key = *key;
    zg_eth_key_address(key, &c->provider);
    rc = link_open(&c->reads, cfg, &contract, e);
    if (!rc) rc = link_open(&c->txs, cfg, &contract, e);
    if (!rc) rc = link_open(&c->events, cfg, &contract, e);
    pthread_mutex_init(&c->mu, NULL);
    pthread_cond_init(&c->cv, NULL);
    if (!rc && (rc = zg_serving_lock_time(&c->reads.sv, &c->lock_time, e)))
        zg_err_wrap(e, rc, "reading the Serving contract at %s (is chain.contract right?)", cfg->contract);
    if (rc) {
        zg_pchain_free(c);
        return rc;
    }
    *out = c;
    return ZG_OK;
}

static void stop_following(zg_pchain *c)
{
    if (!c->following) return;
    pthread_mutex_lock(&c->mu);
    c->stop = 1;
    pthread_cond_signal(&c->cv);
    pthread_mutex_unlock(&c->mu);
    pthread_join(c->follower, NULL);
    c->following = 0;
}

void zg_pchain_free(zg_pchain *c)
{
    if (!c) return;
    stop_following(c);
    link_close(&c->reads);
    link_close(&c->txs);
    link_close(&c->events);
    pthread_mutex_destroy(&c->mu);
    pthread_cond_destroy(&c->cv);
    zg_eth_key_wipe(&c->key);
    free(c);
}

/* ---- registration --------------------------------------------------------- */

static int same_service(const zg_service *on, const zg_service_params *p)
{
    return on->service_type == p->service_type && strcmp(on->url, p->url) == 0 &&
           strcmp(on->model, p->model) == 0 && strcmp(on->verifiability, p->verifiability) == 0 &&
           zg_u256_cmp(&on->input_price, &p->input_price) == 0 &&
           zg_u256_cmp(&on->output_price, &p->output_price) == 0 &&
           strcmp(on->additional_properties, p->additional_properties) == 0;
}

static int register_one(zg_pchain *c, const zg_pcfg_service *s, zg_err *e)
{
    zg_service_params p = {s->name, ZG_SERVICE_CHAT, s->url, s->model, s->verifiability,
                           s->input_price, s->output_price, s->additional};
    int exists = 0;
    int rc = zg_serving_service_exists(&c->txs.sv, &c->provider, s->name, &exists, e);
    if (!rc && exists) {
        zg_service on;
        memset(&on, 0, sizeof on);
        rc = zg_serving_get_service(&c->txs.sv, &c->provider, s->name, &on, e);
        int same = !rc && same_service(&on, &p);
        zg_service_free(&on);
        if (same) return ZG_OK;
    }
    if (!rc) rc = zg_serving_add_or_update_service(&c->txs.sv, &c->key, &p, NULL, NULL, e);
    return rc ? zg_err_wrap(e, rc, "service '%s'", s->name) : ZG_OK;
}

int zg_pchain_register(zg_pchain *c, zg_err *e)
{
    pthread_mutex_lock(&c->txs.mu);
    int rc = ZG_OK;
    for (size_t i = 0; !rc && i < c->cfg->n_services; i++) rc = register_one(c, &c->cfg->services[i], e);
    pthread_mutex_unlock(&c->txs.mu);
    return rc;
}

/* ---- accounts ------------------------------------------------------------- */

/* When the earliest unprocessed refund matures (0: none). */
static int refund_maturity(zg_pchain *c, const zg_address *user, const zg_account_info *a, uint64_t *at, zg_err *e)
{
    *at = 0;
    if (zg_u256_is_zero(&a->pending_refund) || a->refund_head >= a->refund_count) return ZG_OK;
    zg_refund *list = NULL;
    size_t n = 0;
    uint64_t total = 0;
    int rc = zg_serving_get_refunds(&c->reads.sv, user, &c->provider, a->refund_head,
                                    ZG_SERVING_MAX_PENDING_REFUNDS, &list, &n, &total, e);
    for (size_t i = 0; !rc && i < n; i++) {
        if (list[i].processed || zg_u256_is_zero(&list[i].amount)) continue;
        uint64_t m = list[i].created_at + c->lock_time;
        if (!*at || m < *at) *at = m;
    }
    free(list);
    return rc;
}

int zg_pchain_account(void *ctx, const uint8_t user[20], zg_chain_account *out, zg_err *e)
{
    zg_pchain *c = ctx;
    zg_address u;
    memcpy(u.b, user, 20);
    memset(out, 0, sizeof *out);
    pthread_mutex_lock(&c->reads.mu);
    int exists = 0;
    int rc = zg_serving_account_exists(&c->reads.sv, &u, &c->provider, &exists, e);
    zg_account_info a;
    if (!rc && exists) rc = zg_serving_get_account(&c->reads.sv, &u, &c->provider, &a, e);
    if (!rc && exists) rc = refund_maturity(c, &u, &a, &out->refund_matures_at, e);
    pthread_mutex_unlock(&c->reads.mu);
    if (rc) return zg_err_wrap(e, rc, "reading the account from the Serving contract");
    if (!exists) return ZG_OK;
    out->exists = 1;
    out->balance = a.balance;
    out->pending_refund = a.pending_refund;
    out->nonce = a.nonce;
    zg_u256_to_be(out->signer, &a.signer[0]);
    zg_u256_to_be(out->signer + 32, &a.signer[1]);
    return ZG_OK;
}

/* ---- settlement ----------------------------------------------------------- */

int zg_pchain_settle(void *ctx, const zg_settle_proof *proofs, size_t n, uint8_t tx_hash[32], zg_err *e)
{
    zg_pchain *c = ctx;
    zg_settlement_proof *p = calloc(n ? n : 1, sizeof *p);
    if (!p) return zg_err_set(e, ZG_ENOMEM, "out of memory");
    for (size_t i = 0; i < n; i++) {
        p[i].slots = proofs[i].slots;
        memcpy(p[i].user.b, proofs[i].user, 20);
        p[i].first_nonce = proofs[i].first_nonce;
        p[i].last_nonce = proofs[i].last_nonce;
        p[i].total = proofs[i].total;
        memcpy(p[i].proof, proofs[i].proof, 256);
    }
    zg_rpc_receipt rc;
    memset(&rc, 0, sizeof rc);
    pthread_mutex_lock(&c->txs.mu);
    int r = zg_serving_settle_fees(&c->txs.sv, &c->key, p, n, NULL, &rc, e);
    pthread_mutex_unlock(&c->txs.mu);
    memcpy(tx_hash, rc.tx_hash, 32);
    zg_rpc_receipt_free(&rc);
    free(p);
    return r;
}

/* ---- events --------------------------------------------------------------- */

/* One poll: the events since next_block; cached accounts they name re-read. */
static void poll_events(zg_pchain *c)
{
    uint64_t latest = 0;
    zg_serving_event *evs = NULL;
    size_t n = 0;
    zg_err err;
    if (zg_rpc_block_number(c->events.rpc, &latest, &err) || latest < c->next_block) return;
    /* all of the contract's events (the bindings filter by provider only per
     * event kind); the ones of other providers are skipped here */
    if (zg_serving_get_events(&c->events.sv, c->next_block, latest, 0, NULL, NULL, &evs, &n, &err))
        return; /* the next poll asks again from the same block */
    c->next_block = latest + 1;
    for (size_t i = 0; i < n; i++) {
        if (evs[i].kind == ZG_EV_SERVICE_UPDATED || evs[i].kind == ZG_EV_SERVICE_REMOVED) continue;
        if (memcmp(evs[i].provider.b, c->provider.b, 20) != 0) continue;
        if (zg_accts_is_cached(c->accts, evs[i].user.b)) zg_accts_refresh(c->accts, evs[i].user.b, NULL);
    }
    zg_serving_events_free(evs, n);
}

static void *follow_main(void *arg)
{
    zg_pchain *c = arg;
    pthread_mutex_lock(&c->mu);
    while (!c->stop) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_sec += (time_t)c->cfg->events_poll_s;
        while (!c->stop && pthread_cond_timedwait(&c->cv, &c->mu, &ts) != ETIMEDOUT) {}
        if (c->stop) break;
        pthread_mutex_unlock(&c->mu);
        poll_events(c);
        pthread_mutex_lock(&c->mu);
    }
    pthread_mutex_unlock(&c->mu);
    return NULL;
}

int zg_pchain_follow(zg_pchain *c, zg_accts *accts, zg_err *e)
{
    if (!c->cfg->events_poll_s || c->following) return ZG_OK;
    c->accts = accts;
    int rc = zg_rpc_block_number(c->events.rpc, &c->next_block, e);
    if (rc)
        return zg_err_wrap(e, rc, "following the contract's events");
    if (pthread_create(&c->follower, NULL, follow_main, c))
        return zg_err_set(e, ZG_EIO, "cannot start the event follower thread");
    pthread_setname_np(c->follower, "zg-chain");
    c->following = 1;
    return ZG_OK;
}
