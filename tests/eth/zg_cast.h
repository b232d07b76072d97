/*
 * zg_cast.h - helpers for tests that cross-check against cast ($ZG_CAST):
 * running cast and reading its one-line answer (random data: zg_rng.h).
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

#include "zg_rng.h"

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
