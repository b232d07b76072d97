/* test_fee.c - the "byte" unit rule and fee arithmetic. */
#include <string.h>

#include "serving/fee.h"
#include "zg_test.h"

static zg_fee_rule rule(const char *ap, uint64_t in, uint64_t out)
{
    zg_fee_rule r;
    zg_u256 a = zg_u256_from_u64(in), b = zg_u256_from_u64(out);
    memset(&r, 0, sizeof r);
    zg_fee_rule_init(&r, ap, &a, &b, NULL);
    return r;
}

static void test_rule(void)
{
    zg_err err;
    zg_fee_rule r;
    zg_u256 p = zg_u256_from_u64(1);
    CHECK_OK(zg_fee_rule_init(&r, NULL, &p, &p, &err));
    CHECK_EQ_INT(r.unit, ZG_UNIT_BYTE);
    CHECK_EQ_U64(r.max_tokens, ZG_FEE_DEFAULT_MAX_TOKENS);
    CHECK_OK(zg_fee_rule_init(&r, "{\"unit\":\"byte\",\"maxTokens\":64,\"bytesPerToken\":4}", &p, &p, &err));
    CHECK_EQ_U64(r.max_tokens, 64);
    CHECK_EQ_U64(r.bytes_per_token, 4);
    CHECK_EQ_INT(zg_fee_rule_init(&r, "{\"unit\":\"token\"}", &p, &p, &err), ZG_EINVAL);
    CHECK(strstr(err.msg, "\"token\" is not supported") != NULL);
    CHECK_EQ_INT(zg_fee_rule_init(&r, "[1]", &p, &p, &err), ZG_EINVAL);
    CHECK_EQ_INT(zg_fee_rule_init(&r, "{\"bytesPerToken\":0}", &p, &p, &err), ZG_EINVAL);
    CHECK_EQ_INT(zg_fee_rule_init(&r, "{\"maxTokens\":\"5\"}", &p, &p, &err), ZG_EINVAL);
}

static void test_units_in(void)
{
    zg_err err;
    zg_fee_rule r = rule("", 1, 1);
    uint64_t u = 99;
    /* "héllo" is 6 UTF-8 bytes; \u00e9 escaped counts the same; "€" is 3 bytes */
    const char *b = "{\"model\":\"m\",\"messages\":[{\"role\":\"system\",\"content\":\"h\\u00e9llo\"},"
                    "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"\xe2\x82\xac!\"}]},"
                    "{\"role\":\"assistant\",\"content\":null}]}";
    CHECK_OK(zg_fee_units_in(&r, b, strlen(b), &u, &err));
    CHECK_EQ_U64(u, 6 + 4);
    const char *bad[] = {
        "not json", "{}", "{\"messages\":[]}", "{\"messages\":[1]}",
        "{\"messages\":[{\"content\":5}]}",
        "{\"messages\":[{\"content\":[{\"type\":\"image_url\",\"image_url\":{}}]}]}",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        u = 77;
        CHECK_MSG(zg_fee_units_in(&r, bad[i], strlen(bad[i]), &u, &err) == ZG_EINVAL, "case %zu", i);
        CHECK_EQ_U64(u, 77);
    }
}

static void test_units_out(void)
{
    zg_err err;
    zg_fee_rule r = rule("", 1, 1);
    uint64_t u = 0;
    const char *a = "{\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"abc \xc3\xa9\"}}]}";
    CHECK_OK(zg_fee_units_out_answer(&r, a, strlen(a), &u, &err));
    CHECK_EQ_U64(u, 6);
    CHECK_EQ_INT(zg_fee_units_out_answer(&r, "{}", 2, &u, &err), ZG_EINVAL);
    u = 0;
    const char *c1 = "{\"choices\":[{\"delta\":{\"role\":\"assistant\"}}]}";
    const char *c2 = "{\"choices\":[{\"delta\":{\"content\":\"hello\"}}]}";
    const char *c3 = "{\"choices\":[],\"usage\":{\"completion_tokens\":2}}";
    CHECK_OK(zg_fee_units_out_chunk(&r, c1, strlen(c1), &u, &err));
    CHECK_OK(zg_fee_units_out_chunk(&r, c2, strlen(c2), &u, &err));
    CHECK_OK(zg_fee_units_out_chunk(&r, c2, strlen(c2), &u, &err));
    CHECK_OK(zg_fee_units_out_chunk(&r, c3, strlen(c3), &u, &err));
    CHECK_EQ_U64(u, 10);
    CHECK_EQ_INT(zg_fee_units_out_chunk(&r, "[DONE]", 6, &u, &err), ZG_EINVAL);
}

static void test_compute(void)
{
    zg_err err;
    zg_fee_rule r = rule("", 3, 5);
    zg_u256 in, prev, fee;
    CHECK_OK(zg_fee_compute(&r, 10, 7, &in, &prev, &fee, &err));
    CHECK_EQ_U64(in.w[0], 30);
    CHECK_EQ_U64(prev.w[0], 35);
    CHECK_EQ_U64(fee.w[0], 65);
    /* 2^64-1 wei per unit times 2^64-1 units < 2^128: fine; the sum overflows */
    zg_fee_rule big = rule("", UINT64_MAX, UINT64_MAX);
    CHECK_OK(zg_fee_compute(&big, UINT64_MAX, 0, &in, &prev, &fee, &err));
    CHECK_EQ_INT(zg_fee_compute(&big, UINT64_MAX, UINT64_MAX, &in, &prev, &fee, &err), ZG_ERANGE);
    zg_fee_rule huge;
    zg_u256 p = {{0, 0, 1, 0}}, one = zg_u256_from_u64(1);
    CHECK_OK(zg_fee_rule_init(&huge, NULL, &p, &one, &err));
    CHECK_EQ_INT(zg_fee_compute(&huge, 1, 0, &in, NULL, NULL, &err), ZG_ERANGE);
    CHECK_OK(zg_fee_compute(&huge, 0, 3, NULL, NULL, &fee, &err));
    CHECK_EQ_U64(fee.w[0], 3);
}

static void test_reserve(void)
{
    zg_err err;
    zg_fee_rule r = rule("{\"maxTokens\":100,\"bytesPerToken\":8}", 1, 2);
    uint64_t units;
    zg_u256 res;
    const char *b1 = "{\"messages\":[],\"max_tokens\":10}";
    CHECK_OK(zg_fee_reserve(&r, b1, strlen(b1), &units, &res, &err));
    CHECK_EQ_U64(units, 80);
    CHECK_EQ_U64(res.w[0], 160);
    const char *b2 = "{\"max_tokens\":1000}"; /* capped at maxTokens */
    CHECK_OK(zg_fee_reserve(&r, b2, strlen(b2), &units, &res, &err));
    CHECK_EQ_U64(units, 800);
    const char *b3 = "{\"max_completion_tokens\":3,\"max_tokens\":50}";
    CHECK_OK(zg_fee_reserve(&r, b3, strlen(b3), &units, NULL, &err));
    CHECK_EQ_U64(units, 24);
    CHECK_OK(zg_fee_reserve(&r, "{}", 2, &units, NULL, &err));
    CHECK_EQ_U64(units, 800);
    const char *b4 = "{\"max_tokens\":0}";
    CHECK_EQ_INT(zg_fee_reserve(&r, b4, strlen(b4), &units, NULL, &err), ZG_EINVAL);
    const char *b5 = "{\"max_tokens\":\"9\"}";
    CHECK_EQ_INT(zg_fee_reserve(&r, b5, strlen(b5), &units, NULL, &err), ZG_EINVAL);
}

int main(void)
{
    ZG_RUN(test_rule);
    ZG_RUN(test_units_in);
    ZG_RUN(test_units_out);
    ZG_RUN(test_compute);
    ZG_RUN(test_reserve);
    ZG_TEST_END();
}
