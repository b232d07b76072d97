/*
 * zg_rng.h - the seeded generator of every C test that needs random data.
 *
 * splitmix64: small, good enough for test data, and fully determined by its
 * seed, so a failure can be replayed. Tests that draw fresh values each run
 * seed with zg_rng_seed(), which takes ZG_SEED when set and otherwise the
 * clock, and prints the seed; fuzz-style loops that must be identical every
 * run start from a fixed seed: `zg_rng r = {12345};`.
 */
#ifndef ZG_TEST_RNG_H
#define ZG_TEST_RNG_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

typedef struct zg_rng {
    uint64_t s;
} zg_rng;

static inline uint64_t zg_rng_next(zg_rng *r)
{
    uint64_t z = (r->s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static inline void zg_rng_bytes(zg_rng *r, uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (uint8_t)zg_rng_next(r);
}

/* Seeds from ZG_SEED if set, else from the clock; prints the seed. */
static inline void zg_rng_seed(zg_rng *r, const char *test)
{
    const char *env = getenv("ZG_SEED");
    uint64_t seed = env ? strtoull(env, NULL, 0) : (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
    fprintf(stderr, "%s: seed %llu (rerun with ZG_SEED=%llu)\n", test,
            (unsigned long long)seed, (unsigned long long)seed);
    r->s = seed;
}

#endif
