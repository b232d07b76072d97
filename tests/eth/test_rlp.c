/* test_rlp.c - RLP: the examples of the Ethereum wiki/yellow paper, strict
 * decoding of non-canonical and truncated input. */
#include "zg_test.h"

#include "base/hex.h"
#include "eth/rlp.h"

static void check_buf(const zg_buf *b, const char *want_hex)
{
    char hx[512];
    zg_hex_encode(b->data, b->len, hx);
    CHECK_EQ_STR(hx, want_hex);
}

static void test_encode_strings(void)
{
    zg_buf b;
    zg_buf_init(&b);
    zg_rlp_put_bytes(&b, (const uint8_t *)"dog", 3);
    check_buf(&b, "0x83646f67");
    zg_buf_reset(&b);
    zg_rlp_put_bytes(&b, NULL, 0);
    check_buf(&b, "0x80");
    zg_buf_reset(&b);
    zg_rlp_put_bytes(&b, (const uint8_t *)"\x0f", 1);
    check_buf(&b, "0x0f");
    zg_buf_reset(&b);
    zg_rlp_put_bytes(&b, (const uint8_t *)"\x80", 1);
    check_buf(&b, "0x8180");
    zg_buf_reset(&b);
    const char *lorem = "Lorem ipsum dolor sit amet, consectetur adipisicing elit";
    zg_rlp_put_bytes(&b, (const uint8_t *)lorem, strlen(lorem));
    CHECK(b.len == 58 && b.data[0] == 0xb8 && b.data[1] == 56);
    zg_buf_free(&b);
}

static void test_encode_ints(void)
{
    zg_buf b;
    zg_buf_init(&b);
    uint64_t v[] = {0, 15, 127, 128, 1024, 0xffffffffffffffffull};
    const char *want[] = {"0x80", "0x0f", "0x7f", "0x8180", "0x820400", "0x88ffffffffffffffff"};
    for (int i = 0; i < 6; i++) {
        zg_buf_reset(&b);
        zg_rlp_put_u64(&b, v[i]);
        check_buf(&b, want[i]);
    }
    zg_buf_free(&b);
}

static void test_encode_lists(void)
{
    zg_buf b;
    size_t m0, m1, m2, m3;
    zg_buf_init(&b);
    zg_rlp_list_begin(&b, &m0);
    zg_rlp_put_bytes(&b, (const uint8_t *)"cat", 3);
    zg_rlp_put_bytes(&b, (const uint8_t *)"dog", 3);
    zg_rlp_list_end(&b, m0);
    check_buf(&b, "0xc88363617483646f67");
    /* The set-theoretical representation of three: [ [], [[]], [ [], [[]] ] ]. */
    zg_buf_reset(&b);
    zg_rlp_list_begin(&b, &m0);
    zg_rlp_list_begin(&b, &m1);
    zg_rlp_list_end(&b, m1);
    zg_rlp_list_begin(&b, &m1);
    zg_rlp_list_begin(&b, &m2);
    zg_rlp_list_end(&b, m2);
    zg_rlp_list_end(&b, m1);
    zg_rlp_list_begin(&b, &m1);
    zg_rlp_list_begin(&b, &m2);
    zg_rlp_list_end(&b, m2);
    zg_rlp_list_begin(&b, &m2);
    zg_rlp_list_begin(&b, &m3);
    zg_rlp_list_end(&b, m3);
    zg_rlp_list_end(&b, m2);
    zg_rlp_list_end(&b, m1);
    zg_rlp_list_end(&b, m0);
    check_buf(&b, "0xc7c0c1c0c3c0c1c0");
    /* A list longer than 55 bytes takes the long form. */
    zg_buf_reset(&b);
    zg_rlp_list_begin(&b, &m0);
    for (int i = 0; i < 20; i++)
        zg_rlp_put_bytes(&b, (const uint8_t *)"dog", 3);
    zg_rlp_list_end(&b, m0);
    CHECK(b.len == 82 && b.data[0] == 0xf8 && b.data[1] == 80);
    zg_rlp_item it;
    zg_err err;
    size_t n;
    CHECK_OK(zg_rlp_decode(b.data, b.len, &it, &err));
    CHECK_OK(zg_rlp_list_count(&it, &n, &err));
    CHECK_EQ_INT(n, 20);
    zg_buf_free(&b);
}

static int decode_hex(const char *hex, zg_rlp_item *it, zg_buf *b, zg_err *err)
{
    zg_buf_reset(b);
    if (zg_hex_decode_buf(hex, b, err))
        return -1;
    return zg_rlp_decode(b->data, b->len, it, err);
}

static void test_decode(void)
{
    zg_buf b;
    zg_rlp_item it, x;
    zg_rlp_iter iter;
    zg_err err;
    zg_buf_init(&b);
    CHECK_OK(decode_hex("0xc88363617483646f67", &it, &b, &err));
    CHECK(it.is_list && it.len == 8);
    zg_rlp_iter_init(&iter, &it);
    CHECK_OK(zg_rlp_next(&iter, &x, &err));
    CHECK(!x.is_list && x.len == 3 && memcmp(x.payload, "cat", 3) == 0);
    CHECK_OK(zg_rlp_next(&iter, &x, &err));
    CHECK(memcmp(x.payload, "dog", 3) == 0);
    CHECK_EQ_INT(zg_rlp_next(&iter, &x, &err), ZG_ENOTFOUND);
    uint64_t v;
    CHECK_OK(decode_hex("0x820400", &it, &b, &err));
    CHECK_OK(zg_rlp_get_u64(&it, &v, &err));
    CHECK_EQ_U64(v, 1024);
    CHECK_OK(decode_hex("0x80", &it, &b, &err));
    CHECK_OK(zg_rlp_get_u64(&it, &v, &err));
    CHECK_EQ_U64(v, 0);
    CHECK_OK(decode_hex("0x7f", &it, &b, &err));
    CHECK(it.len == 1 && it.payload[0] == 0x7f);
    zg_buf_free(&b);
}

static void test_decode_strict(void)
{
    zg_buf b;
    zg_rlp_item it;
    zg_err err;
    zg_buf_init(&b);
    const char *bad[] = {
        "0x",            /* empty */
        "0x8100",        /* single byte < 0x80 not as itself */
        "0x817f",
        "0xb800",        /* long form for a short string */
        "0xb83700",      /* long form with length 55 */
        "0xb90038" ,     /* length with a leading zero */
        "0x83646f",      /* truncated string */
        "0xc883636174",  /* truncated list */
        "0xc3836461",    /* list whose item overruns it */
        "0x83646f6700",  /* trailing byte */
        "0xbf0fffffffffffffffff", /* 8-byte length beyond the input */
        "0xbfffffffffffffffff", /* truncated 8-byte length */
        "0xf8",          /* missing length byte */
        "0xc2b800",      /* bad item nested in a list */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        CHECK_MSG(decode_hex(bad[i], &it, &b, &err) == ZG_EINVAL, "accepted %s", bad[i]);
    uint64_t v;
    zg_u256 u;
    CHECK_OK(decode_hex("0x820004", &it, &b, &err));
    CHECK_EQ_INT(zg_rlp_get_u64(&it, &v, &err), ZG_EINVAL); /* leading zero */
    CHECK_OK(decode_hex("0x00", &it, &b, &err));
    CHECK_EQ_INT(zg_rlp_get_u64(&it, &v, &err), ZG_EINVAL); /* 0 must be 0x80 */
    CHECK_OK(decode_hex("0x89010000000000000000", &it, &b, &err));
    CHECK_EQ_INT(zg_rlp_get_u64(&it, &v, &err), ZG_ERANGE);
    CHECK_OK(zg_rlp_get_u256(&it, &u, &err));
    CHECK_OK(decode_hex("0xc0", &it, &b, &err));
    CHECK_EQ_INT(zg_rlp_get_u64(&it, &v, &err), ZG_EINVAL);
    zg_buf_free(&b);
}

static void test_depth(void)
{
    zg_buf b;
    zg_rlp_item it;
    zg_err err;
    size_t marks[100];
    zg_buf_init(&b);
    for (int i = 0; i < 100; i++)
        zg_rlp_list_begin(&b, &marks[i]);
    for (int i = 99; i >= 0; i--)
        zg_rlp_list_end(&b, marks[i]);
    CHECK_EQ_INT(zg_rlp_decode(b.data, b.len, &it, &err), ZG_EINVAL);
    CHECK(strstr(err.msg, "nesting") != NULL);
    zg_buf_free(&b);
}

int main(void)
{
    ZG_RUN(test_encode_strings);
    ZG_RUN(test_encode_ints);
    ZG_RUN(test_encode_lists);
    ZG_RUN(test_decode);
    ZG_RUN(test_decode_strict);
    ZG_RUN(test_depth);
    ZG_TEST_END();
}
