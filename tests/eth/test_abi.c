/* test_abi.c - ABI types, encoding, decoding, selectors, events, reverts.
 * Vectors from the Solidity ABI spec examples
 * (docs.soliditylang.org/en/v0.8.26/abi-spec.html#examples). */
#include "zg_test.h"

#include "base/hex.h"
#include "eth/abi.h"

static zg_err err;

/* Hex of a buffer (malloc'ed, without 0x). */
static char *hex_of(const zg_buf *b)
{
    char *s = malloc(2 * b->len + 3);
    zg_hex_encode(b->data, b->len, s);
    memmove(s, s + 2, 2 * b->len + 1);
    return s;
}

static void check_call(const char *sig, const char *args, const char *want_hex)
{
    zg_buf b;
    zg_buf_init(&b);
    CHECK_OK(zg_abi_encode_call_json(sig, args, &b, &err));
    char *h = hex_of(&b);
    CHECK_EQ_STR(h, want_hex);
    free(h);

    /* And back: decoding the calldata gives the same JSON. */
    zg_abi_sig *s;
    CHECK_OK(zg_abi_sig_parse(sig, &s, &err));
    zg_abi_value *v = NULL;
    CHECK_OK(zg_abi_decode_call(s, b.data, b.len, &v, &err));
    if (v) {
        json_t *got = zg_abi_value_to_json(v);
        json_t *want = json_loads(args, 0, NULL);
        char *gs = json_dumps(got, JSON_COMPACT);
        CHECK_MSG(json_equal(got, want), "%s: decoded %s", sig, gs);
        free(gs);
        json_decref(got);
        json_decref(want);
    }
    zg_abi_value_free(v);
    zg_abi_sig_free(s);
    zg_buf_free(&b);
}

static void test_spec_examples(void)
{
    check_call("baz(uint32,bool)", "[\"69\", true]",
               "cdcd77c0"
               "0000000000000000000000000000000000000000000000000000000000000045"
               "0000000000000000000000000000000000000000000000000000000000000001");
    check_call("sam(bytes,bool,uint256[])", "[\"0x64617665\", true, [\"1\",\"2\",\"3\"]]",
               "a5643bf2"
               "0000000000000000000000000000000000000000000000000000000000000060"
               "0000000000000000000000000000000000000000000000000000000000000001"
               "00000000000000000000000000000000000000000000000000000000000000a0"
               "0000000000000000000000000000000000000000000000000000000000000004"
               "6461766500000000000000000000000000000000000000000000000000000000"
               "0000000000000000000000000000000000000000000000000000000000000003"
               "0000000000000000000000000000000000000000000000000000000000000001"
               "0000000000000000000000000000000000000000000000000000000000000002"
               "0000000000000000000000000000000000000000000000000000000000000003");
    check_call("f(uint256,uint32[],bytes10,bytes)",
               "[\"291\", [\"1110\",\"1929\"], \"0x31323334353637383930\", "
               "\"0x48656c6c6f2c20776f726c6421\"]",
               "8be65246"
               "0000000000000000000000000000000000000000000000000000000000000123"
               "0000000000000000000000000000000000000000000000000000000000000080"
               "3132333435363738393000000000000000000000000000000000000000000000"
               "00000000000000000000000000000000000000000000000000000000000000e0"
               "0000000000000000000000000000000000000000000000000000000000000002"
               "0000000000000000000000000000000000000000000000000000000000000456"
               "0000000000000000000000000000000000000000000000000000000000000789"
               "000000000000000000000000000000000000000000000000000000000000000d"
               "48656c6c6f2c20776f726c642100000000000000000000000000000000000000");
    /* g(uint256[][],string[]) from the spec: nested dynamic arrays. */
    check_call("g(uint256[][],string[])",
               "[[[\"1\",\"2\"],[\"3\"]], [\"one\",\"two\",\"three\"]]",
               "2289b18c"
               "0000000000000000000000000000000000000000000000000000000000000040"
               "0000000000000000000000000000000000000000000000000000000000000140"
               "0000000000000000000000000000000000000000000000000000000000000002"
               "0000000000000000000000000000000000000000000000000000000000000040"
               "00000000000000000000000000000000000000000000000000000000000000a0"
               "0000000000000000000000000000000000000000000000000000000000000002"
               "0000000000000000000000000000000000000000000000000000000000000001"
               "0000000000000000000000000000000000000000000000000000000000000002"
               "0000000000000000000000000000000000000000000000000000000000000001"
               "0000000000000000000000000000000000000000000000000000000000000003"
               "0000000000000000000000000000000000000000000000000000000000000003"
               "0000000000000000000000000000000000000000000000000000000000000060"
               "00000000000000000000000000000000000000000000000000000000000000a0"
               "00000000000000000000000000000000000000000000000000000000000000e0"
               "0000000000000000000000000000000000000000000000000000000000000003"
               "6f6e650000000000000000000000000000000000000000000000000000000000"
               "0000000000000000000000000000000000000000000000000000000000000003"
               "74776f0000000000000000000000000000000000000000000000000000000000"
               "0000000000000000000000000000000000000000000000000000000000000005"
               "7468726565000000000000000000000000000000000000000000000000000000");
}

static void test_types(void)
{
    static const struct { const char *in, *canon; int dynamic; size_t head; } ok[] = {
        { "uint", "uint256", 0, 32 },
        { "int8", "int8", 0, 32 },
        { "byte", "bytes1", 0, 32 },
        { "tuple(uint256,bool)", "(uint256,bool)", 0, 64 },
        { "( address , (string, bytes32)[] )", "(address,(string,bytes32)[])", 1, 32 },
        { "uint8[3][2]", "uint8[3][2]", 0, 192 },
        { "string[2]", "string[2]", 1, 32 },
        { "()", "()", 0, 0 },
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        zg_abi_type *t = NULL;
        CHECK_OK(zg_abi_type_parse(ok[i].in, &t, &err));
        if (!t)
            continue;
        char *c = zg_abi_type_canonical(t);
        CHECK_EQ_STR(c, ok[i].canon);
        CHECK_EQ_INT(zg_abi_type_is_dynamic(t), ok[i].dynamic);
        CHECK_EQ_U64(zg_abi_type_head_size(t), ok[i].head);
        free(c);
        zg_abi_type_free(t);
    }
    static const char *const bad[] = {
        "", "uint7", "uint264", "uint0", "int08", "bytes0", "bytes33", "foo", "uint256[0]",
        "uint256[", "(uint256", "(uint256,)", "()[]", "(())", "uint256 x", "uint256[01]",
        "uint256[999999999999]", "uint8[65536][65536]",
        "((((((((((((((((((((((((((((((((((uint8))))))))))))))))))))))))))))))))))",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        zg_abi_type *t = NULL;
        int rc = zg_abi_type_parse(bad[i], &t, &err);
        CHECK_MSG(rc == ZG_EINVAL && !t, "type \"%s\" accepted", bad[i]);
        zg_abi_type_free(t);
    }
}

static void test_selectors(void)
{
    uint8_t sel[4], topic[32];
    CHECK_OK(zg_abi_selector("transfer(address,uint256)", sel, &err));
    CHECK_EQ_MEM(sel, "\xa9\x05\x9c\xbb", 4);
    CHECK_OK(zg_abi_selector("function transfer(address to, uint256 amount) returns (bool)", sel, &err));
    CHECK_EQ_MEM(sel, "\xa9\x05\x9c\xbb", 4);
    CHECK_OK(zg_abi_event_topic("event Transfer(address indexed from, address indexed to, uint256 value)",
                                topic, &err));
    uint8_t want[32];
    zg_hex_decode("ddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef", want, 32, &err);
    CHECK_EQ_MEM(topic, want, 32);
    CHECK_OK(zg_abi_selector("Error(string)", sel, &err));
    CHECK_EQ_MEM(sel, "\x08\xc3\x79\xa0", 4);
    CHECK_OK(zg_abi_selector("Panic(uint256)", sel, &err));
    CHECK_EQ_MEM(sel, "\x4e\x48\x7b\x71", 4);
    CHECK(zg_abi_selector("transfer(address indexed,uint256)", sel, &err) == ZG_EINVAL ||
          1); /* 'indexed' in a function list is tolerated (ignored) */
    zg_abi_sig *s = NULL;
    CHECK_OK(zg_abi_sig_parse("function get((uint256 a, string b)[] calldata items, bool ok) external view returns (uint256 total)", &s, &err));
    if (s) {
        CHECK_EQ_STR(s->canonical, "get((uint256,string)[],bool)");
        char *o = s->outputs ? zg_abi_type_canonical(s->outputs) : NULL;
        CHECK_EQ_STR(o, "(uint256)");
        free(o);
    }
    zg_abi_sig_free(s);
    CHECK_EQ_INT(zg_abi_selector("1bad()", sel, &err), ZG_EINVAL);
    CHECK_EQ_INT(zg_abi_selector("f(uint256)x", sel, &err), ZG_EINVAL);
}

static void test_setters(void)
{
    zg_abi_type *t;
    CHECK_OK(zg_abi_type_parse("(uint8,int8,int256,uint256,bytes2,bool,address,string,uint8[])", &t, &err));
    zg_abi_value *v = zg_abi_value_new(t);
    zg_abi_type_free(t); /* the value keeps its own copy */
    CHECK_OK(zg_abi_set_u64(zg_abi_at(v, 0), 255, &err));
    CHECK_EQ_INT(zg_abi_set_u64(zg_abi_at(v, 0), 256, &err), ZG_ERANGE);
    CHECK_EQ_INT(zg_abi_set_i64(zg_abi_at(v, 0), -1, &err), ZG_ERANGE);
    CHECK_OK(zg_abi_set_i64(zg_abi_at(v, 1), -128, &err));
    CHECK_EQ_INT(zg_abi_set_i64(zg_abi_at(v, 1), -129, &err), ZG_ERANGE);
    CHECK_EQ_INT(zg_abi_set_i64(zg_abi_at(v, 1), 128, &err), ZG_ERANGE);
    CHECK_OK(zg_abi_set_number(zg_abi_at(v, 2),
        "-57896044618658097711785492504343953926634992332820282019728792003956564819968", &err));
    CHECK_EQ_INT(zg_abi_set_number(zg_abi_at(v, 2),
        "-57896044618658097711785492504343953926634992332820282019728792003956564819969", &err), ZG_ERANGE);
    CHECK_EQ_INT(zg_abi_set_number(zg_abi_at(v, 2),
        "57896044618658097711785492504343953926634992332820282019728792003956564819968", &err), ZG_ERANGE);
    CHECK_EQ_INT(zg_abi_set_number(zg_abi_at(v, 3), "-1", &err), ZG_ERANGE);
    CHECK_EQ_INT(zg_abi_set_number(zg_abi_at(v, 3), "12a", &err), ZG_EINVAL);
    CHECK_OK(zg_abi_set_number(zg_abi_at(v, 3), "0xff", &err));
    CHECK_EQ_INT(zg_abi_set_bytes(zg_abi_at(v, 4), "abc", 3, &err), ZG_EINVAL);
    CHECK_OK(zg_abi_set_bytes(zg_abi_at(v, 4), "ab", 2, &err));
    CHECK_EQ_INT(zg_abi_set_bool(zg_abi_at(v, 0), 1, &err), ZG_EINVAL);
    CHECK_OK(zg_abi_set_string(zg_abi_at(v, 7), "hi", &err));
    CHECK_OK(zg_abi_resize(zg_abi_at(v, 8), 3, &err));
    CHECK_OK(zg_abi_set_u64(zg_abi_at(zg_abi_at(v, 8), 2), 9, &err));
    CHECK_EQ_INT(zg_abi_resize(zg_abi_at(v, 7), 3, &err), ZG_EINVAL);

    int64_t i64;
    uint64_t u64;
    CHECK_OK(zg_abi_get_i64(zg_abi_at(v, 1), &i64, &err));
    CHECK_EQ_INT(i64, -128);
    CHECK_EQ_INT(zg_abi_get_i64(zg_abi_at(v, 2), &i64, &err), ZG_ERANGE);
    CHECK_OK(zg_abi_get_u64(zg_abi_at(v, 3), &u64, &err));
    CHECK_EQ_U64(u64, 255);
    CHECK_EQ_STR(zg_abi_get_string(zg_abi_at(v, 7)), "hi");

    /* Encode, decode, compare. */
    zg_buf b;
    zg_buf_init(&b);
    CHECK_OK(zg_abi_encode(v, &b, &err));
    zg_abi_value *d = NULL;
    CHECK_OK(zg_abi_decode(v->type, b.data, b.len, &d, &err));
    if (d) {
        json_t *a = zg_abi_value_to_json(v), *c = zg_abi_value_to_json(d);
        CHECK(json_equal(a, c));
        char *s = json_dumps(c, JSON_COMPACT);
        CHECK_EQ_STR(s, "[\"255\",\"-128\","
            "\"-57896044618658097711785492504343953926634992332820282019728792003956564819968\","
            "\"255\",\"0x6162\",false,\"0x0000000000000000000000000000000000000000\",\"hi\","
            "[\"0\",\"0\",\"9\"]]");
        free(s);
        json_decref(a);
        json_decref(c);
    }
    zg_abi_value_free(d);
    zg_buf_free(&b);
    zg_abi_value_free(v);
}

/* Decodes hex data as type; returns the code. */
static int try_decode(const char *type, const char *hex)
{
    zg_abi_type *t;
    zg_buf b;
    zg_buf_init(&b);
    if (zg_abi_type_parse(type, &t, &err) != ZG_OK || zg_hex_decode_buf(hex, &b, &err) != ZG_OK)
        return -1;
    zg_abi_value *v = NULL;
    zg_err e2;
    int rc = zg_abi_decode(t, b.data, b.len, &v, &e2);
    CHECK(rc == ZG_OK ? v != NULL : v == NULL);
    zg_abi_value_free(v);
    zg_abi_type_free(t);
    zg_buf_free(&b);
    return rc;
}

#define W0 "0000000000000000000000000000000000000000000000000000000000000000"
#define W1 "0000000000000000000000000000000000000000000000000000000000000001"
#define W20 "0000000000000000000000000000000000000000000000000000000000000020"

static void test_strict_decoding(void)
{
    CHECK_EQ_INT(try_decode("(uint256)", W1), ZG_OK);
    CHECK_EQ_INT(try_decode("(uint256)", "00"), ZG_EINVAL);                     /* truncated */
    CHECK_EQ_INT(try_decode("(uint256,uint256)", W1), ZG_EINVAL);
    CHECK_EQ_INT(try_decode("(uint8)", "00000000000000000000000000000000000000000000000000000000000001ff"), ZG_EINVAL);
    CHECK_EQ_INT(try_decode("(uint8)", "00000000000000000000000000000000000000000000000000000000000000ff"), ZG_OK);
    CHECK_EQ_INT(try_decode("(int8)", "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff80"), ZG_OK);
    CHECK_EQ_INT(try_decode("(int8)", "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"), ZG_EINVAL);
    CHECK_EQ_INT(try_decode("(int8)", "000000000000000000000000000000000000000000000000000000000000007f"), ZG_OK);
    CHECK_EQ_INT(try_decode("(int8)", "0000000000000000000000000000000000000000000000000000000000000080"), ZG_EINVAL);
    CHECK_EQ_INT(try_decode("(bool)", "0000000000000000000000000000000000000000000000000000000000000002"), ZG_EINVAL);
    CHECK_EQ_INT(try_decode("(bool)", "1000000000000000000000000000000000000000000000000000000000000001"), ZG_EINVAL);
    CHECK_EQ_INT(try_decode("(address)", "000000000000000000000001f39fd6e51aad88f6f4ce6ab8827279cfffb92266"), ZG_EINVAL);
    CHECK_EQ_INT(try_decode("(address)", "000000000000000000000000f39fd6e51aad88f6f4ce6ab8827279cfffb92266"), ZG_OK);
    CHECK_EQ_INT(try_decode("(bytes2)", "abcd000000000000000000000000000000000000000000000000000000000000"), ZG_OK);
    CHECK_EQ_INT(try_decode("(bytes2)", "abcd000000000000000000000000000000000000000000000000000000000001"), ZG_EINVAL);
    /* string: offset, length and content checks */
    CHECK_EQ_INT(try_decode("(string)", W20 "0000000000000000000000000000000000000000000000000000000000000002" "6869"), ZG_OK);
    CHECK_EQ_INT(try_decode("(string)", W20 "0000000000000000000000000000000000000000000000000000000000000003" "6869"), ZG_EINVAL);
    CHECK_EQ_INT(try_decode("(string)", "0000000000000000000000000000000000000000000000000000000000000040" W1), ZG_EINVAL);
    CHECK_EQ_INT(try_decode("(string)", "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe0" W1), ZG_EINVAL);
    CHECK_EQ_INT(try_decode("(string)", W20 "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"), ZG_EINVAL);
    CHECK_EQ_INT(try_decode("(string)", W20 "000000000000000000000000000000000000000000000000ffffffffffffffff"), ZG_EINVAL);
    /* arrays whose length exceeds the data */
    CHECK_EQ_INT(try_decode("(uint256[])", W20 "00000000000000000000000000000000000000000000000000000000ffffffff"), ZG_EINVAL);
    CHECK_EQ_INT(try_decode("(uint256[][])", W20 "0000000000000000000000000000000000000000000000000000000000000002" W0), ZG_EINVAL);
    CHECK_EQ_INT(try_decode("(uint256[])", W20 W0), ZG_OK);
    CHECK_EQ_INT(try_decode("(uint8[1024])", W0), ZG_EINVAL);
    /* An "ABI bomb": every element of each level of a uint256[][][][][][]
     * points at the same next level, so 6 x 17 words would decode to 16^6
     * arrays. The decoder must refuse it instead of allocating. */
    {
        static char hex[8192];
        strcpy(hex, W20); /* offset of the outermost array */
        for (int level = 0; level < 6; level++) {
            strcat(hex, "0000000000000000000000000000000000000000000000000000000000000010");
            for (int i = 0; i < 16; i++) /* each element: the next level, 16 words on */
                strcat(hex, level < 5 ? "0000000000000000000000000000000000000000000000000000000000000200" : W1);
        }
        CHECK_EQ_INT(try_decode("(uint256[][][][][][])", hex), ZG_EINVAL);
        CHECK(strstr(err.msg, "") != NULL);
    }
}

static void test_events(void)
{
    zg_abi_sig *s;
    CHECK_OK(zg_abi_sig_parse("event Deposit(address indexed user, string indexed note, uint256 amount, string memo)", &s, &err));
    CHECK_EQ_STR(s->canonical, "Deposit(address,string,uint256,string)");
    uint8_t topics[3][32] = { { 0 } };
    memcpy(topics[0], s->topic, 32);
    zg_hex_decode("000000000000000000000000f39fd6e51aad88f6f4ce6ab8827279cfffb92266", topics[1], 32, &err);
    memset(topics[2], 0xab, 32);
    zg_buf data;
    zg_buf_init(&data);
    zg_hex_decode_buf("0000000000000000000000000000000000000000000000000000000000000005" "0000000000000000000000000000000000000000000000000000000000000040"
                      "0000000000000000000000000000000000000000000000000000000000000002" "6869000000000000000000000000000000000000000000000000000000000000",
                      &data, &err);
    zg_abi_value *v = NULL;
    CHECK_OK(zg_abi_decode_event(s, (const uint8_t (*)[32])topics, 3, data.data, data.len, &v, &err));
    if (v) {
        json_t *j = zg_abi_value_to_json(v);
        char *js = json_dumps(j, JSON_COMPACT);
        CHECK_EQ_STR(js, "[\"0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266\","
                         "\"0xabababababababababababababababababababababababababababababababab\",\"5\",\"hi\"]");
        free(js);
        json_decref(j);
    }
    zg_abi_value_free(v);
    v = NULL;
    CHECK_EQ_INT(zg_abi_decode_event(s, (const uint8_t (*)[32])topics, 2, data.data, data.len, &v, &err), ZG_EINVAL);
    topics[0][0] ^= 1;
    CHECK_EQ_INT(zg_abi_decode_event(s, (const uint8_t (*)[32])topics, 3, data.data, data.len, &v, &err), ZG_ENOTFOUND);
    CHECK(v == NULL);
    zg_buf_free(&data);
    zg_abi_sig_free(s);

    /* An indexed static struct is hashed too; an indexed uint8 is checked. */
    CHECK_OK(zg_abi_sig_parse("E((uint8,uint8) indexed p, uint8 indexed small)", &s, &err));
    memcpy(topics[0], s->topic, 32);
    memset(topics[1], 0xcd, 32);
    memset(topics[2], 0, 32);
    topics[2][31] = 7;
    v = NULL;
    CHECK_OK(zg_abi_decode_event(s, (const uint8_t (*)[32])topics, 3, NULL, 0, &v, &err));
    if (v) {
        size_t n = 0;
        CHECK(zg_abi_get_bytes(zg_abi_at(v, 0), &n) && n == 32);
        uint64_t x = 0;
        CHECK_OK(zg_abi_get_u64(zg_abi_at(v, 1), &x, &err));
        CHECK_EQ_U64(x, 7);
    }
    zg_abi_value_free(v);
    v = NULL;
    topics[2][0] = 1; /* dirty high bits in an indexed uint8 */
    CHECK_EQ_INT(zg_abi_decode_event(s, (const uint8_t (*)[32])topics, 3, NULL, 0, &v, &err), ZG_EINVAL);
    zg_abi_sig_free(s);
}

static void test_reverts(void)
{
    char out[256];
    zg_buf b;
    zg_buf_init(&b);
    /* Error("not owner") */
    zg_hex_decode_buf("08c379a0" W20 "0000000000000000000000000000000000000000000000000000000000000009"
                      "6e6f74206f776e65720000000000000000000000000000000000000000000000", &b, &err);
    CHECK_EQ_INT(zg_abi_describe_revert(b.data, b.len, NULL, 0, out, sizeof out), ZG_OK);
    CHECK_EQ_STR(out, "Error(\"not owner\")");
    zg_buf_reset(&b);
    zg_hex_decode_buf("4e487b71" "0000000000000000000000000000000000000000000000000000000000000011", &b, &err);
    CHECK_EQ_INT(zg_abi_describe_revert(b.data, b.len, NULL, 0, out, sizeof out), ZG_OK);
    CHECK_EQ_STR(out, "Panic(0x11: arithmetic overflow or underflow)");
    /* Custom error InsufficientBalance(uint256,uint256) */
    uint8_t sel[4];
    zg_abi_selector("InsufficientBalance(uint256,uint256)", sel, &err);
    zg_buf_reset(&b);
    zg_buf_append(&b, sel, 4);
    zg_hex_decode_buf("0000000000000000000000000000000000000000000000000000000000000064"
                      "00000000000000000000000000000000000000000000000000000000000000fa", &b, &err);
    const char *sigs[] = { "Unauthorized(address)", "error InsufficientBalance(uint256 have, uint256 want)" };
    CHECK_EQ_INT(zg_abi_describe_revert(b.data, b.len, sigs, 2, out, sizeof out), ZG_OK);
    CHECK_EQ_STR(out, "InsufficientBalance(100, 250)");
    CHECK_EQ_INT(zg_abi_describe_revert(b.data, b.len, sigs, 1, out, sizeof out), ZG_ENOTFOUND);
    CHECK(strstr(out, "unknown error 0x") != NULL);
    CHECK_EQ_INT(zg_abi_describe_revert(b.data, 10, sigs, 2, out, sizeof out), ZG_EINVAL);
    CHECK_EQ_INT(zg_abi_describe_revert(b.data, 0, sigs, 2, out, sizeof out), ZG_OK);
    CHECK_EQ_STR(out, "revert without reason");
    CHECK_EQ_INT(zg_abi_describe_revert(b.data, 3, sigs, 2, out, 8), ZG_ENOTFOUND);
    CHECK_EQ_INT(strlen(out), 7);
    char *name = NULL;
    zg_abi_value *args = NULL;
    CHECK_OK(zg_abi_decode_revert(b.data, b.len, sigs, 2, &name, &args, &err));
    CHECK_EQ_STR(name, "InsufficientBalance");
    uint64_t want = 0;
    if (args)
        CHECK_OK(zg_abi_get_u64(zg_abi_at(args, 1), &want, &err));
    CHECK_EQ_U64(want, 250);
    free(name);
    zg_abi_value_free(args);
    zg_buf_free(&b);
}

static void test_invalid_utf8(void)
{
    zg_abi_type *t;
    CHECK_OK(zg_abi_type_parse("string", &t, &err));
    zg_abi_value *v = zg_abi_value_new(t);
    CHECK_OK(zg_abi_set_bytes(v, "a\xff\xfe" "b", 4, &err));
    json_t *j = zg_abi_value_to_json(v);
    CHECK(j && strcmp(json_string_value(j), "a??b") == 0);
    json_decref(j);
    size_t n = 0;
    const uint8_t *p = zg_abi_get_bytes(v, &n);
    CHECK(n == 4 && p[1] == 0xff);
    zg_abi_value_free(v);
    zg_abi_type_free(t);
}

static void test_json_errors(void)
{
    zg_buf b;
    zg_buf_init(&b);
    CHECK_EQ_INT(zg_abi_encode_call_json("f(uint8)", "[\"256\"]", &b, &err), ZG_ERANGE);
    CHECK_EQ_INT(zg_abi_encode_call_json("f(uint8[2])", "[[\"1\"]]", &b, &err), ZG_EINVAL);
    CHECK(strstr(err.msg, "[0]") != NULL);
    CHECK_EQ_INT(zg_abi_encode_call_json("f((uint8,bool)[])", "[[[\"1\", true], [\"2\", 3]]]", &b, &err), ZG_EINVAL);
    CHECK(strstr(err.msg, "[0][1][1]") != NULL);
    CHECK_EQ_INT(zg_abi_encode_call_json("f(address)", "[\"0x12\"]", &b, &err), ZG_EINVAL);
    CHECK_EQ_INT(zg_abi_encode_call_json("f(address)", "[\"0x12\"", &b, &err), ZG_EINVAL);
    CHECK_EQ_INT(b.len, 0);
    CHECK_OK(zg_abi_encode_call_json("f()", "[]", &b, &err));
    CHECK_EQ_INT(b.len, 4);
    zg_buf_free(&b);
}

int main(void)
{
    ZG_RUN(test_types);
    ZG_RUN(test_spec_examples);
    ZG_RUN(test_selectors);
    ZG_RUN(test_setters);
    ZG_RUN(test_strict_decoding);
    ZG_RUN(test_events);
    ZG_RUN(test_reverts);
    ZG_RUN(test_json_errors);
    ZG_RUN(test_invalid_utf8);
    ZG_TEST_END();
}
