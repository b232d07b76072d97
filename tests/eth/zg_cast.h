/*
 * zg_cast.h - helpers for tests that cross-check against cast ($ZG_CAST):
 * running cast and reading its one-line answer, and a seeded PRNG so that a
 * failing run can be repeated (the seed is printed; set ZG_SEED to reuse it).
 */
#ifndef ZG_TEST_CAST_H
#define ZG_TEST_CAST_H

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* splitmix64: small, good enough for test data, fully determined by the seed. */
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

/* The cast binary, or NULL (with a message) when ZG_CAST is unusable. */
static inline const char *zg_cast_path(void)
{
    const char *c = getenv("ZG_CAST");
    if (!c || access(c, X_OK) != 0) {
        fprintf(stderr, "ZG_CAST is not set to an executable cast (run through ctest)\n");
        return NULL;
    }
    return c;
}

/* Runs "$ZG_CAST <args>" (args formatted like printf; quote them yourself),
 * stores its first output line without the newline in out. Returns 0 when
 * cast exited 0 and printed a line. */
static inline int zg_cast(char *out, size_t cap, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static inline int zg_cast(char *out, size_t cap, const char *fmt, ...)
{
    const char *c = zg_cast_path();
    out[0] = '\0';
    if (!c)
        return -1;
    size_t n = strlen(c) + 8192;
    char *cmd = malloc(n);
    int k = snprintf(cmd, n, "'%s' ", c);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd + k, n - (size_t)k, fmt, ap);
    va_end(ap);
    FILE *p = popen(cmd, "r");
    free(cmd);
    if (!p)
        return -1;
    int got = fgets(out, (int)cap, p) != NULL;
    char sink[256];
    while (fgets(sink, sizeof sink, p))
        ;
    int st = pclose(p);
    out[strcspn(out, "\r\n")] = '\0';
    return got && st == 0 ? 0 : -1;
}

#endif
