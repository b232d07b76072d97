/*
 * provider/verify.c - receipt signature verification with a key cache.
 */
#include "provider/verify.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "serving/receipt.h"

typedef struct entry { uint8_t signer[64]; zg_eddsa_pubkey *pk; int bad; } entry;

struct zg_verifier {
    pthread_mutex_t mu;
    entry *e;          /* append-only: entries are never moved or freed while running */
    size_t n, cap;
};

int zg_verifier_new(zg_verifier **out, size_t max_keys)
{
    zg_verifier *v = calloc(1, sizeof *v);
    if (!v) return ZG_ENOMEM;
    v->cap = max_keys ? max_keys : 1;
    v->e = calloc(v->cap, sizeof *v->e);
    if (!v->e) { free(v); return ZG_ENOMEM; }
    pthread_mutex_init(&v->mu, NULL);
    *out = v;
    return ZG_OK;
}

void zg_verifier_free(zg_verifier *v)
{
    if (!v) return;
    for (size_t i = 0; i < v->n; i++) free(v->e[i].pk);
    free(v->e);
    pthread_mutex_destroy(&v->mu);
    free(v);
}

static int point_of(const uint8_t signer[64], zg_bj_point *p, zg_err *e)
{
    if (zg_fr_from_bytes_be(&p->x, signer, e) || zg_fr_from_bytes_be(&p->y, signer + 32, e))
        return zg_err_set(e, ZG_ECRYPTO, "the account's signer key is not a field element pair");
    return ZG_OK;
}

/* The prepared key of signer, preparing it on first use; NULL when the cache
 * is full (*bad = 1 when the key itself is invalid). Entries are immutable
 * once published, so the pointer stays valid without the lock. */
static const zg_eddsa_pubkey *cached(zg_verifier *v, const uint8_t signer[64], int *bad)
{
    *bad = 0;
    pthread_mutex_lock(&v->mu);
    for (size_t i = 0; i < v->n; i++) {
        if (memcmp(v->e[i].signer, signer, 64) == 0) {
            *bad = v->e[i].bad;
            const zg_eddsa_pubkey *pk = v->e[i].pk;
            pthread_mutex_unlock(&v->mu);
            return pk;
        }
    }
    pthread_mutex_unlock(&v->mu);
    zg_eddsa_pubkey *pk = malloc(sizeof *pk);
    zg_bj_point a;
    int invalid = !pk || point_of(signer, &a, NULL) || zg_eddsa_pubkey_prepare(pk, &a, NULL);
    pthread_mutex_lock(&v->mu);
    if (v->n == v->cap) {          /* full: do not keep it */
        pthread_mutex_unlock(&v->mu);
        free(pk);
        *bad = invalid && pk;
        return NULL;
    }
    entry *en = &v->e[v->n++];
    memcpy(en->signer, signer, 64);
    en->bad = invalid;
    en->pk = invalid ? (free(pk), NULL) : pk;
    *bad = invalid;
    pthread_mutex_unlock(&v->mu);
    return en->pk;
}

int zg_verifier_check(void *ctx, const zg_store_receipt *sr, const uint8_t provider[20],
                      const uint8_t signer[64], zg_err *e)
{
    zg_verifier *v = ctx;
    zg_receipt r;
    memcpy(r.user, sr->user, 20);
    memcpy(r.provider, provider, 20);
    r.nonce = sr->nonce;
    r.fee = sr->fee;
    memcpy(r.request_hash, sr->request_hash, 31);
    int bad;
    const zg_eddsa_pubkey *pk = cached(v, signer, &bad);
    if (bad) return zg_err_set(e, ZG_ECRYPTO, "the account's signer is not a valid Baby Jubjub key");
    if (pk) {
        if (zg_receipt_verify(pk, &r, sr->signature, e))
            return zg_err_set(e, ZG_ECRYPTO, "the signature does not verify with the account's signer "
                              "for this user, nonce, fee and body");
        return ZG_OK;
    }
    /* cache full: the unprepared path */
    zg_bj_point a;
    zg_fr m;
    zg_eddsa_sig sig;
    if (point_of(signer, &a, e) || zg_receipt_message(&m, &r, e) ||
        zg_eddsa_sig_unpack(&sig, sr->signature, e) || zg_eddsa_verify(&a, &m, &sig, e))
        return zg_err_set(e, ZG_ECRYPTO, "the signature does not verify with the account's signer "
                          "for this user, nonce, fee and body");
    return ZG_OK;
}
