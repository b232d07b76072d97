/*
 * provider/broker.h - zg-provider's request path: the public proxy and the
 * loopback admin API, on libevent.
 *
 * Workers: one event loop per thread, each accepting on its own listening
 * socket of the port (SO_REUSEPORT: the kernel spreads the connections).
 * Each proxied request is checked (DESIGN.md "Request protocol", in order),
 * booked, its receipt journaled by the store, and only then sent upstream;
 * the answer is relayed (SSE chunk by chunk) while its output units are
 * counted, and what the next request owes is recorded.
 *
 * What the broker needs from the outside is passed in as hooks, so that the
 * request path does not depend on how the chain is read or signatures are
 * checked: zg-provider wires the contract bindings and EdDSA verification;
 * tests may wire their own.
 */
#ifndef ZG_PROVIDER_BROKER_H
#define ZG_PROVIDER_BROKER_H

#include <stdint.h>

#include "provider/accounts.h"
#include "provider/config.h"
#include "provider/metrics.h"
#include "provider/store.h"
#include "zg/error.h"

/* Checks a receipt's signature: r's user, nonce, fee and request_hash, this
 * provider, signed by signer (x || y). ZG_OK or ZG_ECRYPTO with a reason. */
typedef int (*zg_verify_fn)(void *ctx, const zg_store_receipt *r, const uint8_t provider[20],
                            const uint8_t signer[64], zg_err *e);

/* Asks the settlement loop to run now; returns ZG_OK once it has run, and
 * fills a JSON summary (malloc'ed) of what it did. */
typedef int (*zg_settle_now_fn)(void *ctx, char **summary_json, zg_err *e);

typedef struct zg_broker_deps {
    zg_store *store;
    zg_accts *accts;
    zg_metrics *metrics;
    zg_verify_fn verify;
    void *verify_ctx;
    zg_settle_now_fn settle_now;   /* NULL: POST /admin/settle answers 503 */
    void *settle_ctx;
} zg_broker_deps;

typedef struct zg_broker zg_broker;

/* Listens on cfg's public and admin addresses and starts the workers. cfg and
 * deps must outlive the broker. */
int zg_broker_start(zg_broker **out, const zg_pcfg *cfg, const uint8_t provider[20],
                    const zg_broker_deps *deps, zg_err *e);

int zg_broker_port(const zg_broker *b);
int zg_broker_admin_port(const zg_broker *b);

/* Stops accepting, ends the loops and joins the threads. b may be NULL. */
void zg_broker_stop(zg_broker *b);

/* Restores the account books from the store (call before zg_broker_start). */
int zg_broker_restore(zg_store *store, zg_accts *accts, zg_err *e);

#endif
