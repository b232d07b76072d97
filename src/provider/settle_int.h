/*
 * provider/settle_int.h - the settler's insides, shared by its files.
 */
#ifndef ZG_PROVIDER_SETTLE_INT_H
#define ZG_PROVIDER_SETTLE_INT_H

#include <pthread.h>
#include <stdatomic.h>

#include "provider/settle.h"

#define ZG_SETTLE_MAX_KEYS 8

struct zg_groth16_pk;

struct zg_settler {
    zg_settler_opts o;
    pthread_mutex_t round;        /* one round at a time */
    pthread_mutex_t mu;
    pthread_cond_t cv;
    pthread_t thread;
    int started, stop;
    uint32_t key_slots[ZG_SETTLE_MAX_KEYS];
    struct zg_groth16_pk *keys[ZG_SETTLE_MAX_KEYS];
    size_t n_keys;
};

/* Proves one run rs[0..n) (nonce order, n <= slots) of user's receipts. */
int zg_settle_prove_run(zg_settler *s, const uint8_t user[20], const uint8_t signer[64],
                        const zg_store_receipt *rs, size_t n, uint32_t slots, zg_settle_proof *out,
                        zg_err *e);

void zg_settle_keys_free(zg_settler *s);

#endif
