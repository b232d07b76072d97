/*
 * tests/zk/test_blake512.c - BLAKE-512 against npm blake-hash, the package
 * circomlibjs derives its EdDSA keys with (owner h4). Known vector plus random
 * (seeded) messages of every length class around the 128-byte block and the
 * 112-byte padding boundary, one-shot and chunked.
 */
#include "zg_test.h"
#include "cjs_run.h"
#include "zk/blake512.h"

static zg_rng rng;

static void hex_of(char *out, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++) sprintf(out + 2 * i, "%02x", p[i]);
}

static void test_empty(void)
{
    uint8_t d[64];
    char h[129];
    zg_blake512("", 0, d);
    hex_of(h, d, 64);
    /* BLAKE-512("") from the BLAKE reference (and blake-hash). */
    CHECK_EQ_STR(h, "a8cfbbd73726062df0c6864dda65defe58ef0cc52a5625090fa17601e1eecd1b"
                    "628e94f396ae402a00acc9eab77b4d4c2e852aaaa25a636d80af3fc7913ef5b8");
}

#define N 40

static void test_against_blake_hash(void)
{
    static const size_t lens[] = {1, 32, 64, 110, 111, 112, 113, 127, 128, 129, 239, 240, 255, 256, 257, 1000};
    static uint8_t msg[N][1100];
    static size_t len[N];
    static char want[N][129];
    zk_text in = {0};
    for (int i = 0; i < N; i++) {
        len[i] = i < 16 ? lens[i] : (size_t)(zg_rng_next(&rng) % 1100);
        if (len[i] == 0) len[i] = 1;
        zg_rng_bytes(&rng, msg[i], len[i]);
        zk_text_hex(&in, msg[i], len[i]);
        zk_text_printf(&in, "\n");
        /* chunked in uneven pieces */
        zg_blake512_ctx c;
        uint8_t d[64];
        zg_blake512_init(&c);
        size_t off = 0, step = 1 + (size_t)i % 37;
        while (off < len[i]) {
            size_t n = len[i] - off < step ? len[i] - off : step;
            zg_blake512_update(&c, msg[i] + off, n);
            off += n;
        }
        zg_blake512_final(&c, d);
        hex_of(want[i], d, 64);
        uint8_t d2[64];
        zg_blake512(msg[i], len[i], d2);
        CHECK(memcmp(d, d2, 64) == 0);
    }
    char *lines[N + 1];
    char *out = zk_node_lines("blake512.js", &in, lines, N + 1, N);
    if (!out) return;
    for (size_t i = 0; i < N; i++) CHECK_MSG(strcmp(lines[i], want[i]) == 0, "length %zu differs", len[i]);
    free(out);
}

int main(void)
{
    rng = zk_rng_seeded("test_blake512");
    ZG_RUN(test_empty);
    ZG_RUN(test_against_blake_hash);
    ZG_TEST_END();
}
