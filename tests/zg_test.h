/*
 * zg_test.h - the assertion header of every C test.
 *
 * A test program is a main() that calls test functions through ZG_RUN; each
 * CHECK counts a pass or a failure (with file, line and the values) and goes
 * on, so one run shows every broken assertion. ZG_TEST_END prints the plain
 * closing line "N passed, N failed" and returns non-zero when anything failed.
 *
 *   static void test_hex(void) { CHECK_EQ_INT(zg_hex_decode(...), ZG_OK); }
 *   int main(void) { ZG_RUN(test_hex); ZG_TEST_END(); }
 */
#ifndef ZG_TEST_H
#define ZG_TEST_H

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"

static int zg_test_passed, zg_test_failed;

/* The repository root: CTest sets ZG_ROOT; "." when a test is run by hand
 * from the root. */
static inline const char *zg_test_root(void)
{
    const char *r = getenv("ZG_ROOT");
    return r ? r : ".";
}

/* Removes dir and everything in it (a test's temporary directory, made by
 * mkdtemp: no spaces or quotes in its path); 0, or -1 when that failed. */
static inline int zg_test_remove_dir(const char *dir)
{
    char cmd[1100];
    int n = snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return n > 0 && (size_t)n < sizeof cmd && system(cmd) == 0 ? 0 : -1;
}

/* Writes len bytes to dir/name; 0, or -1 when the file cannot be written. */
static inline int zg_test_write_file(const char *dir, const char *name, const void *p, size_t len)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return zg_write_file(path, p, len, NULL) == ZG_OK ? 0 : -1;
}

#define ZG_FAIL_(...)                                                   \
    do {                                                                \
        zg_test_failed++;                                               \
        fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__);            \
        fprintf(stderr, __VA_ARGS__);                                   \
        fputc('\n', stderr);                                            \
    } while (0)

#define CHECK(cond)                                                     \
    do {                                                                \
        if (cond) zg_test_passed++;                                     \
        else ZG_FAIL_("%s", #cond);                                     \
    } while (0)

#define CHECK_MSG(cond, ...)                                            \
    do {                                                                \
        if (cond) zg_test_passed++;                                     \
        else ZG_FAIL_(__VA_ARGS__);                                     \
    } while (0)

#define CHECK_EQ_INT(a, b)                                              \
    do {                                                                \
        long long a_ = (long long)(a), b_ = (long long)(b);             \
        if (a_ == b_) zg_test_passed++;                                 \
        else ZG_FAIL_("%s == %s (%lld != %lld)", #a, #b, a_, b_);       \
    } while (0)

#define CHECK_EQ_U64(a, b)                                              \
    do {                                                                \
        uint64_t a_ = (uint64_t)(a), b_ = (uint64_t)(b);                \
        if (a_ == b_) zg_test_passed++;                                 \
        else ZG_FAIL_("%s == %s (%" PRIu64 " != %" PRIu64 ")", #a, #b, a_, b_); \
    } while (0)

#define CHECK_EQ_STR(a, b)                                              \
    do {                                                                \
        const char *a_ = (a), *b_ = (b);                                \
        if (a_ && b_ && strcmp(a_, b_) == 0) zg_test_passed++;          \
        else ZG_FAIL_("%s == %s (\"%s\" != \"%s\")", #a, #b,            \
                      a_ ? a_ : "(null)", b_ ? b_ : "(null)");          \
    } while (0)

#define CHECK_EQ_MEM(a, b, n)                                           \
    do {                                                                \
        if (memcmp((a), (b), (n)) == 0) zg_test_passed++;               \
        else ZG_FAIL_("%s == %s (%zu bytes differ)", #a, #b, (size_t)(n)); \
    } while (0)

/* Asserts that a zg call returned ZG_OK, printing its error message if not.
 * Needs a `zg_err err;` in scope. */
#define CHECK_OK(call)                                                  \
    do {                                                                \
        int rc_ = (call);                                               \
        if (rc_ == 0) zg_test_passed++;                                 \
        else ZG_FAIL_("%s -> %d: %s", #call, rc_, err.msg);             \
    } while (0)

#define ZG_RUN(fn)                                                      \
    do {                                                                \
        int before_ = zg_test_failed;                                   \
        fn();                                                           \
        fprintf(stderr, "%s %s\n", zg_test_failed == before_ ? "ok  " : "FAIL", #fn); \
    } while (0)

#define ZG_TEST_END()                                                   \
    do {                                                                \
        printf("%d passed, %d failed\n", zg_test_passed, zg_test_failed); \
        return zg_test_failed ? 1 : 0;                                  \
    } while (0)

#endif
