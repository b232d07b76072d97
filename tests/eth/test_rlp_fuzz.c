/* test_rlp_fuzz.c - bounded, deterministic fuzzing of the RLP decoder.
 *
 * 1. Random valid structures (nested lists, strings of every header form)
 *    round-trip: decode(encode(x)) == x.
 * 2. Mutated inputs (random bytes, truncations, bit flips, inserted bytes,
 *    huge length prefixes) never crash the decoder; each input sits in a
 *    heap block of exactly its size so ASan flags any out-of-bounds read.
 *    Because the decoder accepts only canonical RLP, anything it accepts
 *    must re-encode to exactly the input bytes.
 * Bounded by an iteration count and a time cap; the seed is printed. */
#include <time.h>

#include "zg_test.h"

#include "eth/rlp.h"
#include "eth/zg_cast.h"

static zg_rng rng;

static uint64_t rnd(uint64_t n)
{
    return n ? zg_rng_next(&rng) % n : 0;
}

/* --- random valid structures, encoded straight away --- */

/* A string whose length hits each header form: 1 byte < 0x80, short, long. */
static int put_random_string(zg_buf *b)
{
    static uint8_t s[300];
    size_t n;
    switch (rnd(4)) {
    case 0: n = 1; break;
    case 1: n = rnd(56); break;
    case 2: n = 56 + rnd(200); break;
    default: n = rnd(4); break;
    }
    zg_rng_bytes(&rng, s, n);
    return zg_rlp_put_bytes(b, s, n);
}

static int put_random_item(zg_buf *b, int depth)
{
    if (depth >= 6 || rnd(3) != 0)
        return put_random_string(b);
    size_t mark, count = rnd(depth == 0 ? 12 : 6);
    zg_rlp_list_begin(b, &mark);
    for (size_t i = 0; i < count; i++)
        if (put_random_item(b, depth + 1))
            return ZG_ENOMEM;
    return zg_rlp_list_end(b, mark);
}

/* Re-encodes a decoded item (recursively) into out. */
static int reencode(const zg_rlp_item *it, zg_buf *out)
{
    if (!it->is_list)
        return zg_rlp_put_bytes(out, it->payload, it->len);
    size_t mark;
    zg_rlp_iter iter;
    zg_rlp_item x;
    int rc;
    zg_rlp_list_begin(out, &mark);
    zg_rlp_iter_init(&iter, it);
    while ((rc = zg_rlp_next(&iter, &x, NULL)) == ZG_OK)
        if (reencode(&x, out))
            return ZG_ENOMEM;
    return rc == ZG_ENOTFOUND ? zg_rlp_list_end(out, mark) : rc;
}

/* Decodes a copy of p in an exact-size heap block; if accepted, checks
 * that it re-encodes to itself. Returns 1 if accepted. */
static int decode_checked(const uint8_t *p, size_t n)
{
    uint8_t *copy = malloc(n ? n : 1);
    if (n)
        memcpy(copy, p, n);
    zg_rlp_item it;
    zg_err err;
    int ok = zg_rlp_decode(copy, n, &it, &err) == ZG_OK;
    if (ok) {
        zg_buf again;
        zg_buf_init(&again);
        int same = reencode(&it, &again) == ZG_OK && again.len == n &&
                   memcmp(again.data, copy, n) == 0;
        CHECK_MSG(same, "accepted input of %zu bytes does not re-encode to itself", n);
        zg_buf_free(&again);
    }
    free(copy);
    return ok;
}

static void test_roundtrip(void)
{
    int bad = 0;
    for (int i = 0; i < 3000; i++) {
        zg_buf b;
        zg_buf_init(&b);
        put_random_item(&b, 0);
        bad += !decode_checked(b.data, b.len);
        zg_buf_free(&b);
    }
    CHECK_EQ_INT(bad, 0);
}

/* --- mutations --- */

static void mutate(zg_buf *b)
{
    size_t n = b->len;
    switch (rnd(6)) {
    case 0: /* truncate */
        b->len = rnd(n + 1);
        break;
    case 1: /* flip a few bits */
        for (int k = 0, m = 1 + (int)rnd(3); k < m && n; k++)
            b->data[rnd(n)] ^= (uint8_t)(1u << rnd(8));
        break;
    case 2: /* overwrite a byte with a header byte */
        if (n)
            b->data[rnd(n)] = (uint8_t)(0x7f + rnd(0x81));
        break;
    case 3: { /* huge long-form length prefix in front */
        uint8_t h[9] = {(uint8_t)(rnd(2) ? 0xbf : 0xff)};
        for (int k = 1; k < 9; k++)
            h[k] = rnd(2) ? 0xff : (uint8_t)rnd(256);
        size_t hl = 1 + rnd(9);
        zg_buf_reserve(b, hl);
        memmove(b->data + hl, b->data, n);
        memcpy(b->data, h, hl);
        b->len = n + hl;
        break;
    }
    case 4: /* insert a random byte */
        zg_buf_append_byte(b, 0);
        if (n) {
            size_t at = rnd(n);
            memmove(b->data + at + 1, b->data + at, n - at);
            b->data[at] = (uint8_t)rnd(256);
        }
        break;
    default: /* replace with random bytes */
        b->len = 0;
        for (size_t k = rnd(40); k > 0; k--)
            zg_buf_append_byte(b, (uint8_t)rnd(256));
    }
}

static double elapsed(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

static void test_mutations(void)
{
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    long runs = 0, accepted = 0;
    for (; runs < 400000 && (runs % 256 || elapsed(&t0) < 2.0); runs++) {
        zg_buf b;
        zg_buf_init(&b);
        put_random_item(&b, 0);
        for (int m = 1 + (int)rnd(3); m > 0; m--)
            mutate(&b);
        accepted += decode_checked(b.data, b.len);
        zg_buf_free(&b);
    }
    fprintf(stderr, "mutations: %ld inputs, %ld accepted, %.2f s\n", runs, accepted,
            elapsed(&t0));
    CHECK(runs > 1000);
}

int main(void)
{
    zg_rng_seed(&rng, "test_rlp_fuzz");
    ZG_RUN(test_roundtrip);
    ZG_RUN(test_mutations);
    ZG_TEST_END();
}
