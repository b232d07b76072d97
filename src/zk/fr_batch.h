/*
 * fr_batch.h - Fr helpers the Groth16 code needs beyond fr.h (kept out of
 * the field files on purpose): batch inversion and OS randomness.
 */
#ifndef ZG_ZK_FR_BATCH_H
#define ZG_ZK_FR_BATCH_H

#include <stddef.h>

#include "zg/error.h"
#include "zk/fr.h"

/* a[i] = a[i]^-1 for all i with one field inversion (Montgomery's trick);
 * zeros stay zero. ZG_ENOMEM. */
int zg_fr_batch_inv(zg_fr *a, size_t n);

/* A uniformly random nonzero element from getrandom() (64 bytes reduced mod r). ZG_EIO. */
int zg_fr_random(zg_fr *r, zg_err *e);

#endif
