/*
 * sdk/state.h - the per-account request state of a customer, on disk.
 *
 * File: <home>/accounts/<contract>/<user>-<provider>.json (addresses in lower
 * case), content {"last_nonce":N,"owed_fee":"wei","owed_units":N}. Every
 * change happens under an exclusive flock on "<file>.lock" (so processes
 * sharing the home are serialised) and is written to a temporary file then
 * renamed (so a crash leaves the old or the new state, never a torn one).
 * In-process callers also hold the client's mutex around it.
 */
#ifndef ZG_SDK_STATE_H
#define ZG_SDK_STATE_H

#include <stddef.h>
#include <stdint.h>

#include "base/u256.h"
#include "zg/error.h"

typedef struct zg_sdk_state {
    uint64_t last_nonce;   /* the last nonce signed */
    zg_u256 owed_fee;      /* output fees of received answers not yet paid */
    uint64_t owed_units;   /* their output units */
} zg_sdk_state;

typedef struct zg_sdk_state_file {
    char path[1024];
    int lock_fd;           /* -1 when not locked */
} zg_sdk_state_file;

/* Builds the path (creating directories) for the account. */
int zg_sdk_state_open(zg_sdk_state_file *f, const char *home, const char *contract,
                      const char *user, const char *provider, zg_err *e);

/* Takes the lock and reads the state (a missing file is all zeros). */
int zg_sdk_state_lock(zg_sdk_state_file *f, zg_sdk_state *st, zg_err *e);

/* Writes the state atomically; keeps the lock. */
int zg_sdk_state_save(zg_sdk_state_file *f, const zg_sdk_state *st, zg_err *e);

/* Releases the lock (safe when not locked). */
void zg_sdk_state_unlock(zg_sdk_state_file *f);

/* The next nonce: max(last + 1, now in microseconds). */
uint64_t zg_sdk_next_nonce(uint64_t last);

#endif
