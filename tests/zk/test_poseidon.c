/*
 * tests/zk/test_poseidon.c - Poseidon against circomlibjs (h4).
 * The generated constants equal circomlibjs's poseidon_constants.json, and
 * the optimized and reference round forms both equal circomlibjs's hash for
 * every width on random (seeded) inputs.
 */
#include "zg_test.h"
#include "cjs_run.h"
#include "zk/poseidon.h"

static zg_rng rng;

static void random_fr(zg_fr *r)
{
    uint8_t b[32];
    zg_rng_bytes(&rng, b, sizeof b);
    switch (zg_rng_next(&rng) % 16) {
    case 0: zg_fr_zero(r); return;
    case 1: zg_fr_one(r); zg_fr_neg(r, r); return;  /* r - 1 */
    case 2: zg_fr_set_u64(r, zg_rng_next(&rng) % 1000); return;
    default: zg_fr_from_bytes_reduce(r, b, sizeof b); return;
    }
}

static void test_constants(void)
{
    char *out = zk_node_run("poseidon_constants.js", NULL);
    CHECK(out != NULL);
    if (!out) return;
    char *save = NULL;
    int widths = 0;
    for (char *line = strtok_r(out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char *s2 = NULL;
        unsigned t = (unsigned)strtoul(strtok_r(line, " ", &s2), NULL, 10), rp = 0;
        CHECK_EQ_INT(zg_poseidon_partial_rounds(t, &rp), ZG_OK);
        size_t i = 0, bad = 0, total = (size_t)(8 + rp) * t;
        char *tok;
        zg_fr v;
        char dec[80];
        while ((tok = strtok_r(NULL, " ", &s2)) && strcmp(tok, "|") != 0) {
            if (zg_poseidon_round_constant(t, i++, &v) != ZG_OK) { bad++; continue; }
            zg_fr_to_dec(dec, &v);
            if (strcmp(dec, tok) != 0) bad++;
        }
        CHECK_MSG(i == total && bad == 0, "t=%u: %zu constants (want %zu), %zu differ", t, i, total, bad);
        unsigned k = 0;
        bad = 0;
        while ((tok = strtok_r(NULL, " ", &s2))) {
            if (zg_poseidon_mds(t, k / t, k % t, &v) != ZG_OK) { bad++; k++; continue; }
            k++;
            zg_fr_to_dec(dec, &v);
            if (strcmp(dec, tok) != 0) bad++;
        }
        CHECK_MSG(k == t * t && bad == 0, "t=%u: %u MDS entries, %zu differ", t, k, bad);
        widths++;
    }
    CHECK_EQ_INT(widths, 16);
    free(out);
}

#define CASES_PER_WIDTH 12

static void test_against_circomlibjs(void)
{
    static zg_fr in[16 * CASES_PER_WIDTH][16], want[16 * CASES_PER_WIDTH];
    zk_text text = {0};
    size_t ncase = 0;
    zg_err err;
    for (size_t n = 1; n <= 16; n++)
        for (int k = 0; k < CASES_PER_WIDTH; k++, ncase++) {
            for (size_t i = 0; i < n; i++) {
                char dec[80];
                random_fr(&in[ncase][i]);
                zg_fr_to_dec(dec, &in[ncase][i]);
                zk_text_printf(&text, "%s%s", i ? " " : "", dec);
            }
            zk_text_printf(&text, "\n");
            zg_fr opt, ref;
            CHECK_OK(zg_poseidon(&opt, in[ncase], n, &err));
            CHECK_OK(zg_poseidon_reference(&ref, in[ncase], n, &err));
            CHECK_MSG(zg_fr_eq(&opt, &ref), "optimized != reference for n=%zu", n);
            want[ncase] = opt;
        }
    static char *lines[16 * CASES_PER_WIDTH + 1];
    char *out = zk_node_lines("poseidon.js", &text, lines, 16 * CASES_PER_WIDTH + 1, ncase);
    if (!out) return;
    size_t bad = 0;
    for (size_t i = 0; i < ncase; i++) {
        char dec[80];
        zg_fr_to_dec(dec, &want[i]);
        if (strcmp(dec, lines[i]) != 0) {
            if (bad++ < 5) fprintf(stderr, "case %zu (n=%zu): C %s js %s\n", i, i / CASES_PER_WIDTH + 1, dec, lines[i]);
        }
    }
    CHECK_MSG(bad == 0, "%zu of %zu Poseidon hashes differ from circomlibjs", bad, ncase);
    free(out);
}

static void test_known_vector(void)
{
    /* circomlib's published test vector: Poseidon([1, 2]). */
    zg_fr in[2], h;
    zg_err err;
    char dec[80];
    zg_fr_set_u64(&in[0], 1);
    zg_fr_set_u64(&in[1], 2);
    CHECK_OK(zg_poseidon(&h, in, 2, &err));
    zg_fr_to_dec(dec, &h);
    CHECK_EQ_STR(dec, "7853200120776062878684798364095072458815029376092732009249414926327459813530");
}

static void test_bad_arity(void)
{
    zg_fr in[17], h;
    zg_err err;
    memset(in, 0, sizeof in);
    CHECK_EQ_INT(zg_poseidon(&h, in, 0, &err), ZG_EINVAL);
    CHECK_EQ_INT(zg_poseidon(&h, in, 17, &err), ZG_EINVAL);
}

int main(void)
{
    rng = zk_rng_seeded("test_poseidon");
    ZG_RUN(test_known_vector);
    ZG_RUN(test_bad_arity);
    ZG_RUN(test_constants);
    ZG_RUN(test_against_circomlibjs);
    ZG_TEST_END();
}
