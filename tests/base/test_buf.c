/* test_buf.c - the growable buffer: appends, and reading and writing a
 * whole file. */
#include "zg_test.h"
#include "zg_rng.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/buf.h"

static char dir[64];

static void test_append(void)
{
    zg_buf b;
    zg_buf_init(&b);
    CHECK(b.data == NULL);
    CHECK_EQ_INT(zg_buf_append(&b, NULL, 0), ZG_OK);
    CHECK(b.data == NULL);
    uint8_t want[1000];
    for (size_t i = 0; i < sizeof want; i++) {
        want[i] = (uint8_t)(i * 7);
        CHECK_EQ_INT(zg_buf_append_byte(&b, want[i]), ZG_OK);
    }
    CHECK_EQ_U64(b.len, sizeof want);
    CHECK_EQ_MEM(b.data, want, sizeof want);
    CHECK_EQ_INT(zg_buf_reserve(&b, SIZE_MAX), ZG_ENOMEM);
    CHECK_EQ_U64(b.len, sizeof want);
    zg_buf_reset(&b);
    CHECK_EQ_U64(b.len, 0);
    CHECK(b.cap >= sizeof want);
    zg_buf_free(&b);
    CHECK(b.data == NULL && b.len == 0 && b.cap == 0);
}

/* Sizes around the 64 KiB read step, and content already in the buffer. */
static void test_read_file(void)
{
    zg_rng rng;
    zg_rng_seed(&rng, "buf_read_file");
    size_t sizes[] = {0, 1, 65535, 65536, 65537, 200003};
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        size_t n = sizes[k];
        uint8_t *want = malloc(n ? n : 1);
        zg_rng_bytes(&rng, want, n);
        CHECK_EQ_INT(zg_test_write_file(dir, "f", want, n), 0);
        char path[128];
        snprintf(path, sizeof path, "%s/f", dir);
        zg_err err;
        zg_buf b;
        zg_buf_init(&b);
        CHECK_OK(zg_buf_append(&b, "ab", 2));
        CHECK_OK(zg_buf_read_file(&b, path, &err));
        CHECK_EQ_U64(b.len, n + 2);
        if (b.len == n + 2) {
            CHECK_EQ_MEM(b.data, "ab", 2);
            CHECK_MSG(memcmp(b.data + 2, want, n) == 0, "content of a %zu-byte file differs", n);
        }
        zg_buf_free(&b);
        free(want);
    }
}

static void test_read_file_errors(void)
{
    zg_err err;
    zg_buf b;
    zg_buf_init(&b);
    char path[128];
    snprintf(path, sizeof path, "%s/missing", dir);
    CHECK_EQ_INT(zg_buf_read_file(&b, path, &err), ZG_EIO);
    CHECK_MSG(strstr(err.msg, path) != NULL, "message does not name the file: %s", err.msg);
    CHECK_EQ_U64(b.len, 0);
    CHECK_EQ_INT(zg_buf_read_file(&b, dir, &err), ZG_EIO); /* a directory opens but cannot be read */
    CHECK_EQ_INT(zg_buf_read_file(&b, path, NULL), ZG_EIO);
    zg_buf_free(&b);
}

/* zg_write_file replaces what was there (test_read_file covers the
 * content), and names the file when it fails. */
static void test_write_file(void)
{
    zg_err err;
    char path[128];
    snprintf(path, sizeof path, "%s/w", dir);
    CHECK_OK(zg_write_file(path, "0123456789", 10, &err));
    CHECK_OK(zg_write_file(path, "abc", 3, &err));
    zg_buf b;
    zg_buf_init(&b);
    CHECK_OK(zg_buf_read_file(&b, path, &err));
    CHECK_EQ_U64(b.len, 3);
    if (b.len == 3) CHECK_EQ_MEM(b.data, "abc", 3);
    zg_buf_free(&b);
    snprintf(path, sizeof path, "%s/no-such-dir/w", dir);
    CHECK_EQ_INT(zg_write_file(path, "x", 1, &err), ZG_EIO);
    CHECK_MSG(strstr(err.msg, path) != NULL, "message does not name the file: %s", err.msg);
    CHECK_EQ_INT(zg_write_file(dir, "x", 1, &err), ZG_EIO); /* a directory */
    CHECK_EQ_INT(zg_write_file(path, "x", 1, NULL), ZG_EIO);
}

int main(void)
{
    snprintf(dir, sizeof dir, "/tmp/zg-buf-test-XXXXXX");
    if (!mkdtemp(dir)) return 1;
    ZG_RUN(test_append);
    ZG_RUN(test_read_file);
    ZG_RUN(test_read_file_errors);
    ZG_RUN(test_write_file);
    if (zg_test_remove_dir(dir)) fprintf(stderr, "cannot remove %s\n", dir);
    ZG_TEST_END();
}
