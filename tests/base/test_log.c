/* test_log.c - log lines: levels, format, redaction of secret-shaped hex. */
#include "zg_test.h"

#include "base/log.h"

#define K64 "4646464646464646464646464646464646464646464646464646464646464646"

static void check_redact(const char *in, const char *want)
{
    char s[512];
    snprintf(s, sizeof s, "%s", in);
    zg_log_redact(s);
    CHECK_EQ_STR(s, want);
}

static void test_redact(void)
{
    check_redact("key=0x" K64 " end", "key=0x<redacted> end");
    check_redact("key=" K64, "key=0x<redacted>");
    check_redact(K64 "," K64, "0x<redacted>,0x<redacted>");
    check_redact("short 0x1234 stays", "short 0x1234 stays");
    /* 63 and 65 digits are not a 32-byte secret's shape */
    check_redact("x" K64 "1", "x" K64 "1");
    check_redact("0x" K64 "1", "0x" K64 "1");
    check_redact("", "");
    check_redact("0x", "0x");
}

static void test_lines(void)
{
    char buf[4096] = {0};
    FILE *f = fmemopen(buf, sizeof buf - 1, "w");
    zg_log_to(f, ZG_LOG_INFO, ZG_LOG_DEBUG, "hidden");
    zg_log_to(f, ZG_LOG_INFO, ZG_LOG_WARN, "secret %s here", K64);
    uint8_t h[32];
    for (int i = 0; i < 32; i++)
        h[i] = (uint8_t)i;
    char sh[23];
    zg_log_short_hash(h, sh);
    CHECK_EQ_STR(sh, "0x00010203..1c1d1e1f");
    /* A long message truncated in the middle of a secret leaks no digits. */
    char big[2100];
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = 0;
    zg_log_to(f, ZG_LOG_INFO, ZG_LOG_ERROR, "%.1990s %s", big, K64);
    fclose(f);
    CHECK(strstr(buf, "hidden") == NULL);
    CHECK(strstr(buf, "WARN  secret 0x<redacted> here\n") != NULL);
    CHECK(strstr(buf, "4646") == NULL);
    CHECK(strstr(buf, "Z ERROR") != NULL);
    CHECK(buf[4] == '-' && buf[10] == 'T' && buf[23] == 'Z');
}

static void test_threshold(void)
{
    setenv("ZG_LOG", "debug", 1);
    CHECK_EQ_INT(zg_log_threshold(), ZG_LOG_DEBUG);
    setenv("ZG_LOG", "ERROR", 1);
    CHECK_EQ_INT(zg_log_threshold(), ZG_LOG_ERROR);
    setenv("ZG_LOG", "nonsense", 1);
    CHECK_EQ_INT(zg_log_threshold(), ZG_LOG_INFO);
    unsetenv("ZG_LOG");
    CHECK_EQ_INT(zg_log_threshold(), ZG_LOG_INFO);
}

int main(void)
{
    ZG_RUN(test_threshold);
    ZG_RUN(test_redact);
    ZG_RUN(test_lines);
    ZG_TEST_END();
}
