/* test_protocol.c - X-ZG-* headers: parse, format, round trip, every error. */
#include <string.h>

#include "serving/protocol.h"
#include "zg_test.h"

#define SIG "0x" \
    "0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20" \
    "2122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f40"

static const char *names[6] = {"x-zg-user", "X-ZG-NONCE", "X-ZG-Input-Fee",
                               "X-ZG-Previous-Output-Fee", "X-ZG-Fee", "X-ZG-Signature"};

static int parse(const char *vals[6], int *code, zg_proto_headers *h, zg_err *err)
{
    return zg_proto_headers_parse_pairs(h, names, vals, 6, code, err);
}

static void test_parse_ok(void)
{
    zg_err err;
    zg_proto_headers h;
    int code = -1;
    const char *v[6] = {"0xAbCdEf0123456789abcdef0123456789ABCDEF01", " 42 ", "1000",
                        "340282366920938463463374607431768211455", "0", SIG};
    /* fee mismatch is not a parse error */
    CHECK_OK(parse(v, &code, &h, &err));
    CHECK_EQ_INT(code, ZG_PROTO_OK);
    CHECK_EQ_U64(h.nonce, 42);
    CHECK_EQ_INT(h.user[0], 0xab);
    CHECK_EQ_INT(h.user[19], 0x01);
    CHECK_EQ_U64(h.input_fee.w[0], 1000);
    CHECK_EQ_U64(h.prev_output_fee.w[0], UINT64_MAX);
    CHECK_EQ_U64(h.prev_output_fee.w[1], UINT64_MAX);
    CHECK_EQ_INT(h.signature[0], 1);
    CHECK_EQ_INT(h.signature[63], 0x40);
    CHECK_EQ_INT(zg_proto_check_fee_sum(&h, &code, &err), ZG_EINVAL);
    CHECK_EQ_INT(code, ZG_PROTO_FEE_MISMATCH);
    CHECK(strstr(err.msg, "X-ZG-Fee 0 wei") != NULL);
}

static void test_round_trip(void)
{
    zg_err err;
    zg_proto_headers h, g;
    memset(&h, 0, sizeof h);
    for (int i = 0; i < 20; i++)
        h.user[i] = (uint8_t)(i * 13);
    for (int i = 0; i < 64; i++)
        h.signature[i] = (uint8_t)(255 - i);
    h.nonce = UINT64_MAX;
    h.input_fee = zg_u256_from_u64(7);
    h.prev_output_fee = zg_u256_from_u64(5);
    h.fee = zg_u256_from_u64(12);
    zg_proto_pair p[ZG_PROTO_NHEADERS];
    zg_proto_headers_format(&h, p);
    CHECK_EQ_STR(p[1].value, "18446744073709551615");
    CHECK_EQ_STR(p[4].value, "12");
    CHECK_EQ_INT(strlen(p[5].value), 130);
    const char *n[6], *v[6];
    for (int i = 0; i < 6; i++) {
        n[i] = p[i].name;
        v[i] = p[i].value;
    }
    CHECK_OK(zg_proto_headers_parse_pairs(&g, n, v, 6, NULL, &err));
    CHECK_EQ_MEM(&g, &h, sizeof h);
    CHECK_OK(zg_proto_check_fee_sum(&g, NULL, &err));
}

struct bad_case {
    int idx;
    const char *val; /* NULL = header missing */
    int code;
    const char *needle;
};

static void test_errors(void)
{
    const struct bad_case cases[] = {
        {0, NULL, ZG_PROTO_MISSING_HEADER, "X-ZG-User: missing"},
        {5, NULL, ZG_PROTO_MISSING_HEADER, "X-ZG-Signature: missing"},
        {0, "0x1234", ZG_PROTO_BAD_HEADER, "X-ZG-User"},
        {0, "0xZZcdef0123456789abcdef0123456789abcdef01", ZG_PROTO_BAD_HEADER, "non-hex"},
        {0, "abcdef0123456789abcdef0123456789abcdef0101", ZG_PROTO_BAD_HEADER, "0x and 40"},
        {1, "-1", ZG_PROTO_BAD_HEADER, "X-ZG-Nonce: not a decimal"},
        {1, "0", ZG_PROTO_BAD_HEADER, "at least 1"},
        {1, "", ZG_PROTO_BAD_HEADER, "X-ZG-Nonce"},
        {1, "18446744073709551616", ZG_PROTO_BAD_HEADER, "2^64"},
        {1, "0x10", ZG_PROTO_BAD_HEADER, "decimal"},
        {2, "1e5", ZG_PROTO_BAD_HEADER, "X-ZG-Input-Fee"},
        {3, "340282366920938463463374607431768211456", ZG_PROTO_BAD_HEADER, "2^128"},
        {4, "+5", ZG_PROTO_BAD_HEADER, "X-ZG-Fee"},
        {5, "0x1234", ZG_PROTO_BAD_HEADER, "128 hex"},
        {5, SIG "00", ZG_PROTO_BAD_HEADER, "X-ZG-Signature"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *v[6] = {"0xabcdef0123456789abcdef0123456789abcdef01", "1", "1", "0", "1", SIG};
        const char *n[6];
        memcpy(n, names, sizeof n);
        v[cases[i].idx] = cases[i].val;
        if (!cases[i].val)
            n[cases[i].idx] = "X-Other";
        zg_err err;
        zg_proto_headers h;
        memset(&h, 0xee, sizeof h);
        zg_proto_headers before = h;
        int code = 0;
        int rc = zg_proto_headers_parse_pairs(&h, n, v, 6, &code, &err);
        CHECK_MSG(rc == ZG_EINVAL, "case %zu rc %d", i, rc);
        CHECK_MSG(code == cases[i].code, "case %zu code %d", i, code);
        CHECK_MSG(strstr(err.msg, cases[i].needle) != NULL, "case %zu msg '%s'", i, err.msg);
        CHECK_MSG(memcmp(&h, &before, sizeof h) == 0, "case %zu changed output", i);
    }
}

static void test_status(void)
{
    CHECK_EQ_INT(zg_proto_status(ZG_PROTO_MISSING_HEADER), 400);
    CHECK_EQ_INT(zg_proto_status(ZG_PROTO_UNKNOWN_SERVICE), 404);
    CHECK_EQ_INT(zg_proto_status(ZG_PROTO_BAD_SIGNATURE), 401);
    CHECK_EQ_INT(zg_proto_status(ZG_PROTO_NONCE_REUSED), 409);
    CHECK_EQ_INT(zg_proto_status(ZG_PROTO_INSUFFICIENT_BALANCE), 402);
    CHECK_EQ_INT(zg_proto_status(ZG_PROTO_UPSTREAM), 502);
    CHECK_EQ_INT(zg_proto_status(ZG_PROTO_OVERLOADED), 503);
    CHECK_EQ_INT(zg_proto_status(999), 500);
    for (int c = 0; c < ZG_PROTO_NCODES; c++)
        CHECK_EQ_INT(zg_proto_code_from_name(zg_proto_code_name(c)), c);
    CHECK_EQ_INT(zg_proto_code_from_name("nope"), -1);
}

static void test_error_body(void)
{
    zg_err err;
    char *b = zg_proto_error_body(ZG_PROTO_NONCE_REUSED, "nonce 3 \"is\" not above 5");
    CHECK(b != NULL);
    CHECK_EQ_STR(b, "{\"error\":{\"code\":\"nonce_reused\",\"message\":\"nonce 3 \\\"is\\\" not above 5\"}}");
    int code;
    char name[32], msg[64];
    CHECK_OK(zg_proto_error_parse(b, strlen(b), &code, name, msg, sizeof msg, &err));
    CHECK_EQ_INT(code, ZG_PROTO_NONCE_REUSED);
    CHECK_EQ_STR(name, "nonce_reused");
    CHECK_EQ_STR(msg, "nonce 3 \"is\" not above 5");
    free(b);
    char small[8];
    const char *o = "{\"error\":{\"code\":\"whatever\",\"message\":\"a long message\"}}";
    CHECK_OK(zg_proto_error_parse(o, strlen(o), &code, NULL, small, sizeof small, &err));
    CHECK_EQ_INT(code, -1);
    CHECK_EQ_STR(small, "a long ");
    CHECK_EQ_INT(zg_proto_error_parse("{}", 2, &code, NULL, NULL, 0, &err), ZG_EINVAL);
    CHECK_EQ_INT(zg_proto_error_parse("<html>", 6, &code, NULL, NULL, 0, &err), ZG_EINVAL);
}

static void test_parse_fee(void)
{
    zg_err err;
    zg_u256 f;
    CHECK_OK(zg_proto_parse_fee(&f, "0", "x", &err));
    CHECK(zg_u256_is_zero(&f));
    CHECK_EQ_INT(zg_proto_parse_fee(&f, "", "X-ZG-Output-Fee", &err), ZG_EINVAL);
    CHECK(strstr(err.msg, "X-ZG-Output-Fee") != NULL);
    CHECK_EQ_INT(zg_proto_parse_fee(&f, "99999999999999999999999999999999999999999999", "x", &err), ZG_ERANGE);
}

int main(void)
{
    ZG_RUN(test_parse_ok);
    ZG_RUN(test_round_trip);
    ZG_RUN(test_errors);
    ZG_RUN(test_status);
    ZG_RUN(test_error_body);
    ZG_RUN(test_parse_fee);
    ZG_TEST_END();
}
