/* test_err.c - zg_err_set, zg_err_wrap and zg_code_name (src/base/err.c). */
#include "zg_test.h"
#include "zg/error.h"

static void test_set_and_clear(void)
{
    zg_err e;
    CHECK_EQ_INT(zg_err_set(&e, ZG_EFUNDS, "need %d wei", 5), ZG_EFUNDS);
    CHECK_EQ_INT(e.code, ZG_EFUNDS);
    CHECK_EQ_STR(e.msg, "need 5 wei");
    zg_err_clear(&e);
    CHECK_EQ_INT(e.code, ZG_OK);
    CHECK_EQ_STR(e.msg, "");
    CHECK_EQ_INT(zg_err_set(NULL, ZG_EIO, "ignored"), ZG_EIO);
    zg_err_clear(NULL); /* must not crash */
}

static void test_wrap_keeps_the_code(void)
{
    zg_err e;
    zg_err_set(&e, ZG_ERANGE, "too big");
    CHECK_EQ_INT(zg_err_wrap(&e, ZG_ERANGE, "field %s", "fee"), ZG_ERANGE);
    CHECK_EQ_STR(e.msg, "field fee: too big");
    CHECK_EQ_INT(e.code, ZG_ERANGE);
    /* Without a zg_err the code passed in still comes back, never a
     * stand-in such as ZG_EINTERNAL. */
    CHECK_EQ_INT(zg_err_wrap(NULL, ZG_ETIMEOUT, "waiting"), ZG_ETIMEOUT);
}

static void test_wrap_truncates_long_messages(void)
{
    zg_err e;
    char big[2 * ZG_ERR_MSG_MAX];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    zg_err_set(&e, ZG_EINVAL, "%s", "inner");
    CHECK_EQ_INT(zg_err_wrap(&e, ZG_EINVAL, "%s", big), ZG_EINVAL);
    CHECK(strlen(e.msg) < ZG_ERR_MSG_MAX);
    CHECK(e.msg[0] == 'x');
    zg_err_set(&e, ZG_EINVAL, "%s", big);
    zg_err_wrap(&e, ZG_EINVAL, "outer");
    CHECK(strncmp(e.msg, "outer: xxx", 10) == 0);
    CHECK(strlen(e.msg) < ZG_ERR_MSG_MAX);
}

static void test_code_names(void)
{
    CHECK_EQ_STR(zg_code_name(ZG_OK), "ZG_OK");
    CHECK_EQ_STR(zg_code_name(ZG_EFUNDS), "ZG_EFUNDS");
    CHECK_EQ_STR(zg_code_name(ZG_EINTERNAL), "ZG_EINTERNAL");
    CHECK_EQ_STR(zg_code_name(-1), "ZG_E?");
    CHECK_EQ_STR(zg_code_name(ZG_EINTERNAL + 1), "ZG_E?");
}

int main(void)
{
    ZG_RUN(test_set_and_clear);
    ZG_RUN(test_wrap_keeps_the_code);
    ZG_RUN(test_wrap_truncates_long_messages);
    ZG_RUN(test_code_names);
    ZG_TEST_END();
}
