/* test_amount.c - amounts with units: parsing, exactness, errors, formatting. */
#include "zg_test.h"

#include "base/amount.h"

static void check_parse(const char *s, const char *want_dec)
{
    zg_u256 w;
    zg_err err;
    char d[ZG_U256_DEC_MAX];
    int rc = zg_amount_parse(s, &w, &err);
    CHECK_MSG(rc == ZG_OK, "parse \"%s\": %s", s, err.msg);
    if (rc)
        return;
    zg_u256_to_dec(&w, d);
    CHECK_MSG(strcmp(d, want_dec) == 0, "parse \"%s\" = %s, want %s", s, d, want_dec);
}

static void test_parse(void)
{
    check_parse("1.5eth", "1500000000000000000");
    check_parse("1.5 ETH", "1500000000000000000");
    check_parse("2ether", "2000000000000000000");
    check_parse("20gwei", "20000000000");
    check_parse("0.000000001gwei", "1");
    check_parse("7wei", "7");
    check_parse("123", "123");
    check_parse("0x7b", "123");
    check_parse("0", "0");
    check_parse("0.000000000000000001eth", "1");
    check_parse("007.50eth", "7500000000000000000");
    check_parse("115792089237316195423570985008687907853269984665640564039457584007913129639935",
                "115792089237316195423570985008687907853269984665640564039457584007913129639935");
    check_parse("115792089237316195423570985008687907853269984665640564039457.584007913129639935eth",
                "115792089237316195423570985008687907853269984665640564039457584007913129639935");
}

static void test_parse_bad(void)
{
    zg_u256 w;
    zg_err err;
    const char *inval[] = {"", "eth", "1.5", "1.5wei", "0.0000000001gwei",
                           "0.0000000000000000001eth", "1.eth", ".5eth", "1,5eth", "-1eth",
                           "1.5 eth ", "1.5  eth", "1.5btc", "1e18", " 1eth", "1..5eth", "0x"};
    for (size_t i = 0; i < sizeof inval / sizeof inval[0]; i++)
        CHECK_MSG(zg_amount_parse(inval[i], &w, &err) == ZG_EINVAL, "accepted \"%s\"", inval[i]);
    CHECK_EQ_INT(zg_amount_parse(NULL, &w, &err), ZG_EINVAL);
    CHECK_EQ_INT(zg_amount_parse("115792089237316195423570985008687907853269984665640564039458eth", &w, &err), ZG_ERANGE);
    CHECK_EQ_INT(zg_amount_parse("115792089237316195423570985008687907853269984665640564039457584007913129639936", &w, &err), ZG_ERANGE);
    CHECK_EQ_INT(zg_amount_parse("99999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999wei", &w, &err), ZG_ERANGE);
}

static void check_format(const char *in, const char *want)
{
    zg_u256 w, back;
    zg_err err;
    char out[ZG_AMOUNT_STR_MAX];
    CHECK_OK(zg_amount_parse(in, &w, &err));
    zg_amount_format(&w, out);
    CHECK_EQ_STR(out, want);
    CHECK_OK(zg_amount_parse(out, &back, &err));
    CHECK(zg_u256_cmp(&w, &back) == 0);
}

static void test_format(void)
{
    check_format("1.5eth", "1.5 eth");
    check_format("20gwei", "20 gwei");
    check_format("7wei", "7 wei");
    check_format("0", "0 eth");
    check_format("1000000000", "1 gwei");
    check_format("1000000001", "1.000000001 gwei");
    check_format("0.001eth", "0.001 eth");
    check_format("0.123456789012345678eth", "0.123456789012345678 eth");
    check_format("0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
                 "115792089237316195423570985008687907853269984665640564039457.584007913129639935 eth");
}

int main(void)
{
    ZG_RUN(test_parse);
    ZG_RUN(test_parse_bad);
    ZG_RUN(test_format);
    ZG_TEST_END();
}
