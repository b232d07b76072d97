/*
 * test_groth16_zkey.c - a key from a snarkjs ceremony works with our prover:
 * snarkjs 0.7.6 builds a .zkey for our circuit (exported as iden3 .r1cs by
 * zk/r1cs_export.h) from a fresh powers-of-tau file; we import it, prove with
 * our prover, verify natively, and snarkjs verifies our proof with the
 * verification key it exported itself. Corrupted .zkey files are refused.
 * The other way round, snarkjs proves with our dev key exported as .zkey.
 */
#include "zg_test.h"
#include "zk/groth16.h"
#include "zk/r1cs_export.h"
#include "zk_chain.h"

#include <unistd.h>

static void test_zkey_import(void)
{
    zg_err err;
    zg_r1cs cs;
    char dir[] = "/tmp/zg_zkey_XXXXXX", path[512], cmd[2048];
    CHECK(mkdtemp(dir) != NULL);
    CHECK_EQ_INT(zk_chain_build(&cs, 50, 3), 0);
    snprintf(path, sizeof path, "%s/c.r1cs", dir);
    CHECK_OK(zg_r1cs_write_r1cs(&cs, path, &err));
    snprintf(cmd, sizeof cmd, "node %s/tests/zk/js/zkey_tool.js setup %s 7 > %s/log 2>&1 && grep -qx OK %s/log",
             zg_test_root(), dir, dir, dir);
    CHECK_MSG(system(cmd) == 0, "snarkjs setup failed (see %s/log)", dir);

    zg_groth16_pk pk;
    snprintf(path, sizeof path, "%s/c.zkey", dir);
    CHECK_OK(zg_groth16_zkey_import(&pk, path, &err));
    CHECK_EQ_INT(pk.n_constraints, 50);
    CHECK_EQ_INT(pk.n_wires, cs.n_wires);
    CHECK_EQ_INT(pk.n_public, 5);

    zg_groth16_proof proof;
    CHECK_OK(zg_groth16_prove(&proof, &pk, &cs, NULL, 0, &err));
    CHECK_OK(zg_groth16_verify(&pk.vk, cs.witness + 1, 5, &proof, &err));
    zg_buf pr, pub;
    zg_buf_init(&pr);
    zg_buf_init(&pub);
    CHECK_EQ_INT(zg_groth16_proof_to_snarkjs(&pr, &proof), ZG_OK);
    CHECK_EQ_INT(zg_groth16_public_to_snarkjs(&pub, cs.witness + 1, 5), ZG_OK);
    CHECK_EQ_INT(zg_test_write_file(dir, "proof.json", pr.data, pr.len), 0);
    CHECK_EQ_INT(zg_test_write_file(dir, "public.json", pub.data, pub.len), 0);
    zg_buf_free(&pr);
    zg_buf_free(&pub);
    snprintf(cmd, sizeof cmd, "node %s/tests/zk/js/zkey_tool.js verify %s > %s/verify.out 2>&1 && grep -qx OK %s/verify.out",
             zg_test_root(), dir, dir, dir);
    CHECK_MSG(system(cmd) == 0, "snarkjs rejects our proof made with its key (see %s/verify.out)", dir);
    zg_groth16_pk_free(&pk);

    /* Corruptions: a flipped byte inside the A points, a truncated file. */
    snprintf(path, sizeof path, "%s/c.zkey", dir);
    FILE *f = fopen(path, "r+b");
    CHECK(f != NULL);
    if (f) {
        fseek(f, 0, SEEK_END);
        long len = ftell(f);
        fseek(f, len / 2, SEEK_SET);
        int c = fgetc(f);
        fseek(f, len / 2, SEEK_SET);
        fputc(c ^ 0x55, f);
        fclose(f);
        int rc = zg_groth16_zkey_import(&pk, path, &err);
        if (rc == ZG_OK) zg_groth16_pk_free(&pk);
        CHECK_EQ_INT(rc, ZG_EINVAL);
        CHECK_EQ_INT(truncate(path, len - 100), 0);
        CHECK_EQ_INT(zg_groth16_zkey_import(&pk, path, &err), ZG_EINVAL);
    }
    snprintf(path, sizeof path, "%s/vk.json", dir);
    CHECK_EQ_INT(zg_groth16_zkey_import(&pk, path, &err), ZG_EINVAL);
    CHECK_EQ_INT(zg_groth16_zkey_import(&pk, "/nonexistent/x.zkey", &err), ZG_EIO);
    if (zg_test_failed == 0) {
        CHECK_EQ_INT(zg_test_remove_dir(dir), 0);
    }
    zg_r1cs_free(&cs);
}

/* Our dev key as a .zkey: snarkjs proves with it (witness from our .wtns
 * exporter), the proof verifies with our exported vkey.json and natively,
 * and importing the file gives back our key. */
static void test_zkey_export(void)
{
    zg_err err;
    zg_r1cs cs;
    zg_groth16_pk pk, back;
    char dir[] = "/tmp/zg_zkeyx_XXXXXX", path[512], cmd[2048];
    CHECK(mkdtemp(dir) != NULL);
    CHECK_EQ_INT(zk_chain_build(&cs, 100, 11), 0);
    CHECK_OK(zg_groth16_setup_dev(&pk, &cs, 0, &err));
    snprintf(path, sizeof path, "%s/c.zkey", dir);
    CHECK_OK(zg_groth16_zkey_export(&pk, &cs, path, &err));
    CHECK_OK(zg_groth16_zkey_import(&back, path, &err));
    CHECK_EQ_INT(back.n_constraints, cs.n_constraints);
    CHECK_EQ_MEM(back.h1, pk.h1, sizeof(zg_g1_aff) << pk.log_n);
    CHECK_EQ_MEM(back.b2, pk.b2, sizeof(zg_g2_aff) * pk.n_wires);
    CHECK_EQ_MEM(back.vk.ic, pk.vk.ic, sizeof(zg_g1_aff) * 6);
    zg_groth16_pk_free(&back);
    snprintf(path, sizeof path, "%s/c.wtns", dir);
    CHECK_OK(zg_r1cs_write_wtns(cs.witness, cs.n_wires, path, &err));
    zg_buf vk;
    zg_buf_init(&vk);
    CHECK_EQ_INT(zg_groth16_vk_to_snarkjs(&vk, &pk.vk), ZG_OK);
    CHECK_EQ_INT(zg_test_write_file(dir, "vk.json", vk.data, vk.len), 0);
    zg_buf_free(&vk);
    snprintf(cmd, sizeof cmd, "node %s/tests/zk/js/zkey_tool.js prove %s > %s/log 2>&1 && grep -qx OK %s/log",
             zg_test_root(), dir, dir, dir);
    CHECK_MSG(system(cmd) == 0, "snarkjs could not prove with our exported key (see %s)", dir);
    if (zg_test_failed == 0) {
        CHECK_EQ_INT(zg_test_remove_dir(dir), 0);
    }
    zg_groth16_pk_free(&pk);
    zg_r1cs_free(&cs);
}

int main(void)
{
    ZG_RUN(test_zkey_import);
    ZG_RUN(test_zkey_export);
    ZG_TEST_END();
}
