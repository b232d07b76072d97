/*
 * tests/zk/cjs_run.h - run a circomlibjs check script from a C test (owner h4).
 *
 * zk_node_run writes `input` to a temporary file, runs
 * `node $ZG_ROOT/tests/zk/js/<script> <file>` and returns its whole stdout
 * (malloc'd, NUL-terminated; NULL on failure). Many cases go in one call
 * because node takes a while to start. zk_node_lines does that for a script
 * that answers one line per case, and checks the count. zk_rng_seeded gives a seeded zg_rng
 * (zg_rng.h) so that a failing run can be repeated with ZG_SEED=<seed>.
 */
#ifndef ZG_TESTS_ZK_CJS_RUN_H
#define ZG_TESTS_ZK_CJS_RUN_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "zg_rng.h"
#include "zg_test.h"

/* A generator seeded from ZG_SEED or the clock (zg_rng.h), seed printed. */
static inline zg_rng zk_rng_seeded(const char *what)
{
    zg_rng r;
    zg_rng_seed(&r, what);
    return r;
}

/* A growable text buffer for building the input. */
typedef struct zk_text { char *p; size_t len, cap; } zk_text;

static inline void zk_text_printf(zk_text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#include <stdarg.h>
static inline void zk_text_printf(zk_text *t, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) return;
    if (t->len + (size_t)n + 1 > t->cap) {
        size_t cap = t->cap ? t->cap : 4096;
        while (cap < t->len + (size_t)n + 1) cap *= 2;
        char *np = realloc(t->p, cap);
        if (!np) abort();
        t->p = np;
        t->cap = cap;
    }
    va_start(ap, fmt);
    vsnprintf(t->p + t->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    t->len += (size_t)n;
}

static inline void zk_text_hex(zk_text *t, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++) zk_text_printf(t, "%02x", p[i]);
}

static inline char *zk_node_run(const char *script, const zk_text *input)
{
    const char *root = zg_test_root();
    char path[] = "/tmp/zg_zk_node_XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) return NULL;
    FILE *f = fdopen(fd, "w");
    if (!f) { close(fd); unlink(path); return NULL; }
    if (input && input->len) fwrite(input->p, 1, input->len, f);
    fclose(f);
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "node '%s/tests/zk/js/%s' '%s'", root, script, path);
    FILE *pp = popen(cmd, "r");
    if (!pp) { unlink(path); return NULL; }
    size_t cap = 1 << 16, len = 0;
    char *out = malloc(cap);
    if (!out) abort();
    size_t n;
    while ((n = fread(out + len, 1, cap - len - 1, pp)) > 0) {
        len += n;
        if (cap - len < 4096) {
            cap *= 2;
            char *np = realloc(out, cap);
            if (!np) abort();
            out = np;
        }
    }
    out[len] = 0;
    int st = pclose(pp);
    unlink(path);
    if (st != 0) {
        fprintf(stderr, "node %s failed (status %d): %s\n", script, st, out);
        free(out);
        return NULL;
    }
    return out;
}

/* Splits text into lines in place; returns the count, lines[] points into text. */
static inline size_t zk_lines(char *text, char **lines, size_t max)
{
    size_t n = 0;
    char *save = NULL;
    for (char *l = strtok_r(text, "\n", &save); l && n < max; l = strtok_r(NULL, "\n", &save))
        lines[n++] = l;
    return n;
}

/* Runs script on *input (its text is then freed) and splits the output into
 * lines. Checks that node succeeded and printed exactly `want` lines (of at
 * most max); returns the output to free() (lines[] point into it), or NULL
 * after a failed check. */
static inline char *zk_node_lines(const char *script, zk_text *input, char **lines, size_t max, size_t want)
{
    char *out = zk_node_run(script, input);
    free(input->p);
    input->p = NULL;
    CHECK_MSG(out != NULL, "node %s printed nothing usable", script);
    if (!out) return NULL;
    size_t n = zk_lines(out, lines, max);
    CHECK_EQ_INT(n, want);
    if (n != want) {
        free(out);
        return NULL;
    }
    return out;
}

#endif
