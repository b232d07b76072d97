/* test_hex.c - hex encoding/decoding, including malformed input. */
#include "zg_test.h"

#include "base/hex.h"

static void test_roundtrip(void)
{
    zg_err err;
    uint8_t in[4] = {0x00, 0xab, 0xCD, 0xff}, out[4];
    char hx[11];
    zg_hex_encode(in, 4, hx);
    CHECK_EQ_STR(hx, "0x00abcdff");
    CHECK_OK(zg_hex_decode(hx, out, 4, &err));
    CHECK_EQ_MEM(in, out, 4);
    CHECK_OK(zg_hex_decode("00ABCDFF", out, 4, &err));
    CHECK_EQ_MEM(in, out, 4);
    CHECK_OK(zg_hex_decode("0X00abcdff", out, 4, &err));
    zg_hex_encode(in, 0, hx);
    CHECK_EQ_STR(hx, "0x");
}

static void test_malformed(void)
{
    zg_err err;
    uint8_t out[4];
    const char *bad[] = {"0x00abcdf", "0x00abcdfg", "0x00abcd", "0x00abcdff00", " 0x00abcdff",
                         "0x00abcd ff", "0x-0abcdff", "0xx0abcdff", "0x00abcdf\xff"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        CHECK_MSG(zg_hex_decode(bad[i], out, 4, &err) == ZG_EINVAL, "accepted \"%s\"", bad[i]);
    CHECK_EQ_INT(zg_hex_decode(NULL, out, 4, &err), ZG_EINVAL);
}

static void test_buf(void)
{
    zg_err err;
    zg_buf b;
    zg_buf_init(&b);
    CHECK_OK(zg_hex_decode_buf("0x", &b, &err));
    CHECK_EQ_INT(b.len, 0);
    CHECK_OK(zg_hex_decode_buf("0102", &b, &err));
    CHECK_OK(zg_hex_decode_buf("0x03", &b, &err));
    CHECK_EQ_INT(b.len, 3);
    CHECK_EQ_MEM(b.data, "\x01\x02\x03", 3);
    CHECK_EQ_INT(zg_hex_decode_buf("0x0", &b, &err), ZG_EINVAL);
    CHECK_EQ_INT(zg_hex_decode_buf("0x04zz", &b, &err), ZG_EINVAL);
    CHECK_EQ_INT(b.len, 3); /* unchanged on error */
    zg_buf_free(&b);
}

static void test_buf_growth(void)
{
    zg_buf b;
    zg_buf_init(&b);
    int ok = 1;
    for (int i = 0; i < 10000; i++)
        ok &= zg_buf_append_byte(&b, (uint8_t)i) == ZG_OK;
    ok &= b.len == 10000;
    for (int i = 0; i < 10000 && ok; i++)
        ok = b.data[i] == (uint8_t)i;
    CHECK(ok);
    CHECK_EQ_INT(zg_buf_reserve(&b, SIZE_MAX), ZG_ENOMEM);
    CHECK_EQ_INT(zg_buf_append(&b, NULL, 0), ZG_OK);
    zg_buf_reset(&b);
    CHECK_EQ_INT(b.len, 0);
    zg_buf_free(&b);
    CHECK(b.data == NULL);
}

int main(void)
{
    ZG_RUN(test_roundtrip);
    ZG_RUN(test_malformed);
    ZG_RUN(test_buf);
    ZG_RUN(test_buf_growth);
    ZG_TEST_END();
}
