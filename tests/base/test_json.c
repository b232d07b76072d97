/* test_json.c - typed JSON getters: values, type errors naming the field. */
#include "zg_test.h"

#include "base/json.h"

static const char doc[] =
    "{\"name\":\"chat\",\"n\":42,\"q\":\"0x2a\",\"d\":\"42\",\"neg\":-1,\"big\":"
    "\"0x10000000000000000\",\"ok\":true,\"o\":{},\"a\":[1],\"f\":1.5,\"nul\":null}";

static void test_getters(void)
{
    zg_err err;
    json_t *j = NULL;
    CHECK_OK(zg_json_parse(doc, strlen(doc), &j, &err));
    const char *s;
    uint64_t u;
    zg_u256 w;
    int b;
    json_t *o;
    CHECK_OK(zg_json_get_str(j, "name", &s, &err));
    CHECK_EQ_STR(s, "chat");
    CHECK_OK(zg_json_get_u64(j, "n", &u, &err));
    CHECK_EQ_U64(u, 42);
    CHECK_OK(zg_json_get_u64(j, "q", &u, &err));
    CHECK_EQ_U64(u, 42);
    CHECK_OK(zg_json_get_u64(j, "d", &u, &err));
    CHECK_EQ_U64(u, 42);
    CHECK_OK(zg_json_get_u256(j, "big", &w, &err));
    CHECK(w.w[1] == 1 && w.w[0] == 0);
    CHECK_OK(zg_json_get_bool(j, "ok", &b, &err));
    CHECK(b == 1);
    CHECK_OK(zg_json_get_obj(j, "o", &o, &err));
    CHECK_OK(zg_json_get_array(j, "a", &o, &err));
    CHECK_EQ_INT(zg_json_get_str_opt(j, "nul", &s, &err), ZG_ENOTFOUND);
    CHECK_EQ_INT(zg_json_get_str_opt(j, "absent", &s, &err), ZG_ENOTFOUND);
    json_decref(j);
}

static void test_errors(void)
{
    zg_err err;
    json_t *j = NULL;
    CHECK_OK(zg_json_parse(doc, strlen(doc), &j, &err));
    const char *s;
    uint64_t u;
    int b;
    json_t *o;
    CHECK_EQ_INT(zg_json_get_str(j, "n", &s, &err), ZG_EINVAL);
    CHECK(strstr(err.msg, "\"n\"") && strstr(err.msg, "integer"));
    CHECK_EQ_INT(zg_json_get_str(j, "missing", &s, &err), ZG_EINVAL);
    CHECK(strstr(err.msg, "\"missing\"") != NULL);
    CHECK_EQ_INT(zg_json_get_u64(j, "neg", &u, &err), ZG_ERANGE);
    CHECK_EQ_INT(zg_json_get_u64(j, "big", &u, &err), ZG_ERANGE);
    CHECK(strstr(err.msg, "\"big\"") != NULL);
    CHECK_EQ_INT(zg_json_get_u64(j, "f", &u, &err), ZG_EINVAL);
    CHECK_EQ_INT(zg_json_get_u64(j, "name", &u, &err), ZG_EINVAL);
    CHECK(strstr(err.msg, "\"name\"") != NULL);
    CHECK_EQ_INT(zg_json_get_bool(j, "n", &b, &err), ZG_EINVAL);
    CHECK_EQ_INT(zg_json_get_obj(j, "a", &o, &err), ZG_EINVAL);
    CHECK_EQ_INT(zg_json_get_array(j, "o", &o, &err), ZG_EINVAL);
    CHECK_EQ_INT(zg_json_get_str(NULL, "x", &s, &err), ZG_EINVAL);
    /* codes are the same without a zg_err */
    CHECK_EQ_INT(zg_json_get_u64(j, "name", &u, NULL), ZG_EINVAL);
    CHECK_EQ_INT(zg_json_get_u64(j, "big", &u, NULL), ZG_ERANGE);
    json_decref(j);
    CHECK_EQ_INT(zg_json_parse("{\"a\":", 5, &j, &err), ZG_EINVAL);
    CHECK(strstr(err.msg, "line 1") != NULL);
    CHECK_EQ_INT(zg_json_parse("{\"a\":1,\"a\":2}", 13, &j, &err), ZG_EINVAL);
}

static void test_make(void)
{
    zg_u256 v = zg_u256_from_u64(255);
    json_t *h = zg_json_u256_hex(&v), *d = zg_json_u256_dec(&v);
    CHECK_EQ_STR(json_string_value(h), "0xff");
    CHECK_EQ_STR(json_string_value(d), "255");
    json_decref(h);
    json_decref(d);
}

int main(void)
{
    ZG_RUN(test_getters);
    ZG_RUN(test_errors);
    ZG_RUN(test_make);
    ZG_TEST_END();
}
