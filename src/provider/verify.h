/*
 * provider/verify.h - receipt signature checks for the broker (a
 * zg_verify_fn over serving/receipt.h), with prepared signer keys cached.
 *
 * Preparing a signer key (subgroup check + 48 KiB comb table) costs much more
 * than a verification with it, and a customer sends many requests with one
 * key, so prepared keys are kept, up to a bound; past it, verification still
 * works, on the slower unprepared path.
 */
#ifndef ZG_PROVIDER_VERIFY_H
#define ZG_PROVIDER_VERIFY_H

#include <stddef.h>
#include <stdint.h>

#include "provider/store.h"
#include "zg/error.h"

typedef struct zg_verifier zg_verifier;

int zg_verifier_new(zg_verifier **out, size_t max_keys);
void zg_verifier_free(zg_verifier *v);

/* zg_verify_fn: ctx is a zg_verifier. signer is x || y (32-byte big-endian). */
int zg_verifier_check(void *ctx, const zg_store_receipt *r, const uint8_t provider[20],
                      const uint8_t signer[64], zg_err *e);

#endif
