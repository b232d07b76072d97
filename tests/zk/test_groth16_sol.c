/*
 * test_groth16_sol.c - the generated Solidity batch verifier on anvil:
 * compiled with solc-js, deployed with ethers (tests/zk/js/sol_verify.js), it
 * accepts our proofs one at a time and in batches of 4 and 16, and rejects a
 * changed input, swapped proofs, a point off the curve, an input >= r, a
 * C from another proof and bad lengths. Prints the gas of verifyBatch for
 * k = 1, 4, 16 (gasUsed of a transaction: includes the 21k base and calldata).
 */
#include "zg_test.h"
#include "zg_anvil.h"
#include "zk/groth16.h"
#include "zk/groth16_sol.h"
#include "zk_chain.h"

#define K_MAX 16

static zg_groth16_proof proofs[K_MAX];
static zg_fr inputs[K_MAX][5];

static void put_words(FILE *f, const uint8_t *b, size_t nwords, int *first)
{
    for (size_t i = 0; i < nwords; i++) {
        zg_fr dummy;
        (void)dummy;
        /* words as 0x hex strings: ethers accepts them as uint256 */
        fprintf(f, "%s\"0x", *first ? "" : ",");
        for (int j = 0; j < 32; j++) fprintf(f, "%02x", b[32 * i + j]);
        fputc('"', f);
        *first = 0;
    }
}

/* Writes one case: proofs idx[0..k), inputs of in_idx[0..k), with optional tampering. */
typedef struct tcase {
    const char *name;
    int k;
    int idx[K_MAX], in_idx[K_MAX];
    int tamper;   /* 0 none, 1 input+1 of proof 1 (or 0), 2 A.y+1 of proof 0, 3 input = r, 4 C from another proof, 5 drop an input */
} tcase;

static void write_case(FILE *f, const tcase *c, int first_case)
{
    uint8_t pb[K_MAX][256];
    for (int j = 0; j < c->k; j++) zg_groth16_proof_to_bytes(pb[j], &proofs[c->idx[j]]);
    if (c->tamper == 2) pb[0][63] ^= 1;
    if (c->tamper == 4) memcpy(pb[0] + 192, pb[1] + 192, 64);
    fprintf(f, "%s{\"name\":\"%s\",\"proofs\":[", first_case ? "" : ",", c->name);
    int first = 1;
    for (int j = 0; j < c->k; j++) put_words(f, pb[j], 8, &first);
    fprintf(f, "],\"inputs\":[");
    first = 1;
    for (int j = 0; j < c->k; j++)
        for (int t = 0; t < 5; t++) {
            uint8_t w[32];
            zg_fr x = inputs[c->in_idx[j]][t];
            if (c->tamper == 1 && j == (c->k > 1 ? 1 : 0) && t == 2) {
                zg_fr one;
                zg_fr_one(&one);
                zg_fr_add(&x, &x, &one);
            }
            zg_fr_to_bytes_be(w, &x);
            if (c->tamper == 3 && j == 0 && t == 0) {
                /* r itself, which no zg_fr can hold */
                for (int i = 0; i < 4; i++)
                    for (int b = 0; b < 8; b++) w[31 - 8 * i - b] = (uint8_t)(zg_fr_field.p[i] >> (8 * b));
            }
            if (c->tamper == 5 && j == c->k - 1 && t == 4) continue;
            put_words(f, w, 1, &first);
        }
    fprintf(f, "]}\n");
}

static void test_solidity_on_anvil(void)
{
    zg_err err;
    zg_r1cs cs;
    zg_groth16_pk pk;
    CHECK_EQ_INT(zk_chain_build(&cs, 64, 1), 0);
    CHECK_OK(zg_groth16_setup_dev(&pk, &cs, 0, &err));
    for (int j = 0; j < K_MAX; j++) {
        zg_r1cs c2;
        CHECK_EQ_INT(zk_chain_build(&c2, 64, 100 + (uint64_t)j), 0);
        CHECK_OK(zg_groth16_prove(&proofs[j], &pk, &c2, NULL, 0, &err));
        memcpy(inputs[j], c2.witness + 1, sizeof inputs[j]);
        zg_r1cs_free(&c2);
    }
    zg_buf sol;
    zg_buf_init(&sol);
    CHECK_OK(zg_groth16_solidity(&sol, &pk.vk, "Verifier", NULL, &err));
    CHECK_EQ_INT(zg_groth16_solidity(&sol, &pk.vk, "1bad name", NULL, &err), ZG_EINVAL);

    char dir[] = "/tmp/zg_sol_XXXXXX", path[512];
    CHECK(mkdtemp(dir) != NULL);
    snprintf(path, sizeof path, "%s/Verifier.sol", dir);
    FILE *f = fopen(path, "w");
    CHECK(f != NULL);
    if (!f) return;
    fwrite(sol.data, 1, sol.len, f);
    fclose(f);
    zg_buf_free(&sol);

    static tcase cases[] = {
        {"ok_k1", 1, {0}, {0}, 0},
        {"ok_k1_b", 1, {5}, {5}, 0},
        {"ok_k4", 4, {0, 1, 2, 3}, {0, 1, 2, 3}, 0},
        {"ok_k16", 16, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15},
         {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}, 0},
        {"bad_input_k1", 1, {0}, {0}, 1},
        {"bad_input_k4", 4, {0, 1, 2, 3}, {0, 1, 2, 3}, 1},
        {"swapped_k2", 2, {1, 0}, {0, 1}, 0},
        {"wrong_inputs_k1", 1, {0}, {1}, 0},
        {"bad_point_k1", 1, {0}, {0}, 2},
        {"bad_point_k4", 4, {0, 1, 2, 3}, {0, 1, 2, 3}, 2},
        {"input_eq_r", 1, {0}, {0}, 3},
        {"other_c_k4", 4, {0, 1, 2, 3}, {0, 1, 2, 3}, 4},
        {"short_inputs", 2, {0, 1}, {0, 1}, 5},
    };
    size_t nc = sizeof cases / sizeof cases[0];
    snprintf(path, sizeof path, "%s/cases.json", dir);
    f = fopen(path, "w");
    CHECK(f != NULL);
    if (!f) return;
    fputc('[', f);
    for (size_t i = 0; i < nc; i++) write_case(f, &cases[i], i == 0);
    fputs("]\n", f);
    fclose(f);

    zg_anvil a;
    if (zg_anvil_start(&a) != 0) {
        CHECK_MSG(0, "anvil did not start");
        return;
    }
    char cmd[2048];
    /* ethers waits for receipts without a deadline: bound the whole script so
     * that a lost poll fails this test in minutes instead of hanging CI. */
    snprintf(cmd, sizeof cmd, "timeout 240 node %s/tests/zk/js/sol_verify.js %s %s %s > %s/out.txt 2>&1", zg_test_root(), dir,
             a.url, zg_anvil_keys[0], dir);
    int rc = system(cmd);
    zg_anvil_stop(&a);
    CHECK_MSG(rc == 0, "sol_verify.js failed or ran over 240 s (see %s/out.txt)", dir);
    snprintf(path, sizeof path, "%s/out.txt", dir);
    f = fopen(path, "r");
    CHECK(f != NULL);
    if (!f) return;
    char line[512];
    int seen = 0;
    while (fgets(line, sizeof line, f)) {
        char name[64], res[16], gas[32];
        if (strncmp(line, "deployed", 8) == 0) { printf("%s", line); continue; }
        if (sscanf(line, "%63s %15s %31s", name, res, gas) != 3) continue;
        int want = strncmp(name, "ok_", 3) == 0;
        CHECK_MSG(strcmp(res, want ? "true" : "false") == 0, "case %s: got %s, want %s", name, res,
                  want ? "true" : "false");
        if (want) printf("gas verifyBatch %s: %s\n", name, gas);
        seen++;
    }
    fclose(f);
    CHECK_EQ_INT(seen, (int)nc);
    if (zg_test_failed == 0) {
        CHECK_EQ_INT(zg_test_remove_dir(dir), 0);
    }
    zg_groth16_pk_free(&pk);
    zg_r1cs_free(&cs);
}

int main(void)
{
    ZG_RUN(test_solidity_on_anvil);
    ZG_TEST_END();
}
