/* test_abi_fuzz.c - bounded fuzzing of the ABI decoder, the type parser and
 * the revert decoder. Mutations are deterministic (fixed-seed PRNG); the run
 * stops after a fixed number of cases or ~2 s, whichever comes first, so it
 * fits the suite in Release and under ASan. Properties checked:
 *   - decoding never crashes or reads out of bounds (ASan), returns ZG_OK
 *     or ZG_EINVAL, and never leaves a value behind on error;
 *   - whatever decodes re-encodes and decodes again to the same JSON. */
#include <time.h>

#include "zg_test.h"
#include "zg_rng.h"

#include "eth/abi.h"

static zg_err err;
static zg_rng rng = {0x0123456789abcdefull};
static uint64_t rnd(void)
{
    return zg_rng_next(&rng);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Seeds: a type and a valid value of it (JSON). */
static const struct { const char *type, *json; } seeds[] = {
    { "(uint8,int256,address,bool,bytes,string,bytes32,uint256[],(uint64,string)[2])",
      "[\"7\",\"-5\",\"0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266\",true,\"0x1234\",\"hello\","
      "\"0x0000000000000000000000000000000000000000000000000000000000000001\",[\"1\",\"2\"],"
      "[[\"1\",\"a\"],[\"2\",\"bc\"]]]" },
    { "(string[],bytes[2],(bool,address)[])",
      "[[\"x\",\"\",\"yz\"],[\"0x\",\"0xff\"],[[true,\"0x0000000000000000000000000000000000000001\"]]]" },
    { "(uint256[][],int8[3])", "[[[\"1\"],[],[\"2\",\"3\"]],[\"-1\",\"0\",\"127\"]]" },
    { "((string,(uint8,bytes)[],bool[2]),string[2][])",
      "[[\"s\",[[\"1\",\"0x01\"],[\"2\",\"0x\"]],[true,false]],[[\"a\",\"b\"],[\"c\",\"d\"]]]" },
    { "(bytes)", "[\"0x000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f2021\"]" },
};

/* Words that make decoders trip: offsets, lengths, sign bits, all ones. */
static void interesting_word(uint8_t w[32], size_t len)
{
    memset(w, 0, 32);
    uint64_t v;
    switch (rnd() % 8) {
    case 0: v = 0x20; break;
    case 1: v = len; break;
    case 2: v = len - rnd() % 64; break;
    case 3: v = rnd() % 256; break;
    case 4: memset(w, 0xff, 32); return;
    case 5: w[0] = 0x80; return;
    case 6: v = UINT64_MAX - rnd() % 64; break;
    default: v = 1ull << (rnd() % 64); break;
    }
    for (int i = 0; i < 8; i++)
        w[31 - i] = (uint8_t)(v >> (8 * i));
}

static void mutate(zg_buf *b)
{
    int rounds = 1 + (int)(rnd() % 4);
    for (int r = 0; r < rounds; r++) {
        size_t n = b->len;
        switch (rnd() % 6) {
        case 0: /* flip a bit */
            if (n)
                b->data[rnd() % n] ^= (uint8_t)(1u << (rnd() % 8));
            break;
        case 1: /* overwrite a word with something interesting */
            if (n >= 32) {
                size_t at = (rnd() % (n / 32)) * 32;
                interesting_word(b->data + at, n);
            }
            break;
        case 2: /* truncate */
            if (n)
                b->len = rnd() % n;
            break;
        case 3: { /* append words */
            uint8_t w[32];
            interesting_word(w, n);
            zg_buf_append(b, w, 32 - (rnd() % 2) * (rnd() % 32));
            break;
        }
        case 4: /* set a byte */
            if (n)
                b->data[rnd() % n] = (uint8_t)rnd();
            break;
        default: /* copy one word over another */
            if (n >= 64) {
                size_t a = (rnd() % (n / 32)) * 32, c = (rnd() % (n / 32)) * 32;
                memmove(b->data + a, b->data + c, 32);
            }
            break;
        }
    }
}

static void check_round_trip(const zg_abi_type *t, const zg_abi_value *v)
{
    zg_buf again;
    zg_buf_init(&again);
    CHECK_OK(zg_abi_encode(v, &again, &err));
    zg_abi_value *w = NULL;
    CHECK_OK(zg_abi_decode(t, again.data, again.len, &w, &err));
    if (w) {
        json_t *a = zg_abi_value_to_json(v), *b = zg_abi_value_to_json(w);
        CHECK(json_equal(a, b));
        json_decref(a);
        json_decref(b);
    }
    zg_abi_value_free(w);
    zg_buf_free(&again);
}

static void test_decoder(void)
{
    size_t n_seeds = sizeof seeds / sizeof seeds[0];
    zg_abi_type *types[8];
    zg_buf valid[8];
    for (size_t i = 0; i < n_seeds; i++) {
        CHECK_OK(zg_abi_type_parse(seeds[i].type, &types[i], &err));
        zg_abi_value *v = NULL;
        CHECK_OK(zg_abi_value_parse_json(types[i], seeds[i].json, &v, &err));
        zg_buf_init(&valid[i]);
        CHECK_OK(zg_abi_encode(v, &valid[i], &err));
        zg_abi_value_free(v);
    }
    double end = now_s() + 2.0;
    long cases = 0, decoded = 0, bad_codes = 0;
    for (; cases < 200000 && now_s() < end; cases++) {
        size_t s = rnd() % n_seeds;
        zg_buf b;
        zg_buf_init(&b);
        zg_buf_append(&b, valid[s].data, valid[s].len);
        mutate(&b);
        /* Decode into the seed's type, or sometimes another one. */
        const zg_abi_type *t = types[rnd() % 4 == 0 ? rnd() % n_seeds : s];
        zg_abi_value *v = (zg_abi_value *)&b; /* must be reset to NULL on error */
        zg_err e2;
        int rc = zg_abi_decode(t, b.data, b.len, &v, &e2);
        if (rc == ZG_OK) {
            decoded++;
            if (decoded % 16 == 0)
                check_round_trip(t, v);
            zg_abi_value_free(v);
        } else {
            if (rc != ZG_EINVAL || v != NULL)
                bad_codes++;
        }
        zg_buf_free(&b);
    }
    CHECK_EQ_INT(bad_codes, 0);
    CHECK(decoded > 0);
    fprintf(stderr, "decoder: %ld cases, %ld decoded\n", cases, decoded);
    for (size_t i = 0; i < n_seeds; i++) {
        zg_abi_type_free(types[i]);
        zg_buf_free(&valid[i]);
    }
}

static void test_type_parser(void)
{
    static const char *const pieces[] = {
        "uint", "int8", "uint256", "bytes", "bytes32", "bytes0", "string", "address", "bool",
        "(", ")", ",", "[", "]", "[2]", "[]", "[0]", "tuple(", " ", "x", "indexed", "9",
    };
    double end = now_s() + 0.5;
    long cases = 0;
    for (; cases < 50000 && now_s() < end; cases++) {
        char s[256] = "";
        int n = 1 + (int)(rnd() % 12);
        for (int i = 0; i < n; i++)
            strcat(s, pieces[rnd() % (sizeof pieces / sizeof pieces[0])]);
        zg_abi_type *t = NULL;
        zg_err e2;
        int rc = zg_abi_type_parse(s, &t, &e2);
        CHECK_MSG(rc == ZG_OK ? t != NULL : (rc == ZG_EINVAL && t == NULL), "type \"%s\": %d", s, rc);
        if (t) { /* canonical form parses to the same canonical form */
            char *c = zg_abi_type_canonical(t);
            zg_abi_type *t2 = NULL;
            CHECK_OK(zg_abi_type_parse(c, &t2, &err));
            char *c2 = t2 ? zg_abi_type_canonical(t2) : NULL;
            CHECK_EQ_STR(c, c2);
            free(c);
            free(c2);
            zg_abi_type_free(t2);
        }
        zg_abi_type_free(t);
        zg_abi_sig *sig = NULL;
        char fn[300];
        snprintf(fn, sizeof fn, "f%s", s);
        if (zg_abi_sig_parse(fn, &sig, &e2) == ZG_OK)
            CHECK(sig != NULL);
        zg_abi_sig_free(sig);
    }
}

static void test_revert_decoder(void)
{
    static const char *const sigs[] = { "Bad(uint256,string)", "Worse((bytes,uint8[])[])" };
    uint8_t buf[200];
    char out[128];
    for (int i = 0; i < 20000; i++) {
        size_t n = rnd() % sizeof buf;
        for (size_t k = 0; k < n; k++)
            buf[k] = (uint8_t)(rnd() % 3 == 0 ? 0 : rnd());
        if (n >= 4 && rnd() % 2) { /* a known selector most of the time */
            static const uint8_t known[3][4] = { { 0x08, 0xc3, 0x79, 0xa0 }, { 0x4e, 0x48, 0x7b, 0x71 } };
            memcpy(buf, known[rnd() % 2], 4);
        }
        int rc = zg_abi_describe_revert(buf, n, sigs, 2, out, sizeof out);
        CHECK(rc == ZG_OK || rc == ZG_EINVAL || rc == ZG_ENOTFOUND);
        CHECK(strlen(out) < sizeof out);
    }
}

int main(void)
{
    ZG_RUN(test_decoder);
    ZG_RUN(test_type_parser);
    ZG_RUN(test_revert_decoder);
    ZG_TEST_END();
}
