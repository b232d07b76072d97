/*
 * test_groth16.c - dev setup, prover and native verifier on small circuits:
 * valid proofs verify; any changed public input, a tampered proof, a wrong
 * witness or a mismatched key is rejected; keys and proofs survive their
 * binary formats; a phase-2 contribution keeps proofs valid and verifies.
 */
#include "zg_test.h"
#include "zk/groth16.h"
#include "zk_chain.h"

#include <unistd.h>

static zg_r1cs cs;
static zg_groth16_pk pk;

static void test_prove_verify(void)
{
    zg_err err;
    CHECK_EQ_INT(zk_chain_build(&cs, 500, 42), 0);
    CHECK_OK(zg_groth16_setup_dev(&pk, &cs, 0, &err));
    CHECK_EQ_INT(pk.log_n, 9);
    zg_groth16_proof proof;
    CHECK_OK(zg_groth16_prove(&proof, &pk, &cs, NULL, 0, &err));
    const zg_fr *pub = cs.witness + 1;
    CHECK_OK(zg_groth16_verify(&pk.vk, pub, 5, &proof, &err));
    /* Each public input changed by one: rejected. */
    for (int i = 0; i < 5; i++) {
        zg_fr x[5], one;
        memcpy(x, pub, sizeof x);
        zg_fr_one(&one);
        zg_fr_add(&x[i], &x[i], &one);
        CHECK_EQ_INT(zg_groth16_verify(&pk.vk, x, 5, &proof, &err), ZG_ECRYPTO);
    }
    CHECK_EQ_INT(zg_groth16_verify(&pk.vk, pub, 4, &proof, &err), ZG_EINVAL);
    /* Swapped A and C: rejected. */
    zg_groth16_proof bad = proof;
    bad.a = proof.c;
    bad.c = proof.a;
    CHECK_EQ_INT(zg_groth16_verify(&pk.vk, pub, 5, &bad, &err), ZG_ECRYPTO);
    /* A point off the curve: rejected. */
    bad = proof;
    zg_fq one;
    zg_fq_one(&one);
    zg_fq_add(&bad.a.y, &bad.a.y, &one);
    CHECK_EQ_INT(zg_groth16_verify(&pk.vk, pub, 5, &bad, &err), ZG_ECRYPTO);
    /* Two proofs of one statement differ (fresh r, s) and both verify. */
    zg_groth16_proof p2;
    CHECK_OK(zg_groth16_prove(&p2, &pk, &cs, NULL, 1, &err));
    CHECK(memcmp(&p2, &proof, sizeof p2) != 0);
    CHECK_OK(zg_groth16_verify(&pk.vk, pub, 5, &p2, &err));
}

static void test_batch(void)
{
    zg_err err;
    enum { K = 4 };
    zg_groth16_proof proofs[K];
    zg_fr in[K * 5];
    for (int j = 0; j < K; j++) {
        zg_r1cs c2;
        CHECK_EQ_INT(zk_chain_build(&c2, 500, 900 + (uint64_t)j), 0);
        CHECK_OK(zg_groth16_prove(&proofs[j], &pk, &c2, NULL, 0, &err));
        memcpy(&in[j * 5], c2.witness + 1, 5 * sizeof(zg_fr));
        zg_r1cs_free(&c2);
    }
    CHECK_OK(zg_groth16_verify_batch(&pk.vk, in, proofs, K, &err));
    CHECK_OK(zg_groth16_verify_batch(&pk.vk, in, proofs, 1, &err));
    zg_fr one;
    zg_fr_one(&one);
    zg_fr_add(&in[13], &in[13], &one);   /* proof 2, input 3 */
    CHECK_EQ_INT(zg_groth16_verify_batch(&pk.vk, in, proofs, K, &err), ZG_ECRYPTO);
    zg_fr_sub(&in[13], &in[13], &one);
    zg_groth16_proof t = proofs[1];
    proofs[1] = proofs[2];
    proofs[2] = t;
    CHECK_EQ_INT(zg_groth16_verify_batch(&pk.vk, in, proofs, K, &err), ZG_ECRYPTO);
    CHECK_EQ_INT(zg_groth16_verify_batch(&pk.vk, in, proofs, 0, &err), ZG_EINVAL);
}

static void test_bad_witness(void)
{
    zg_err err;
    zg_groth16_proof proof;
    zg_fr *w = malloc(cs.n_wires * sizeof *w);
    memcpy(w, cs.witness, cs.n_wires * sizeof *w);
    zg_fr_set_u64(&w[cs.n_wires - 1], 5);
    CHECK_EQ_INT(zg_groth16_prove(&proof, &pk, &cs, w, 0, &err), ZG_EINVAL);
    CHECK(strstr(err.msg, "constraint 499") != NULL);
    memcpy(w, cs.witness, cs.n_wires * sizeof *w);
    zg_fr_set_u64(&w[0], 2);
    CHECK_EQ_INT(zg_groth16_prove(&proof, &pk, &cs, w, 0, &err), ZG_EINVAL);
    CHECK(strstr(err.msg, "wire 0") != NULL);
    free(w);
    zg_r1cs other;
    CHECK_EQ_INT(zk_chain_build(&other, 300, 1), 0);
    CHECK_EQ_INT(zg_groth16_prove(&proof, &pk, &other, NULL, 0, &err), ZG_EINVAL);
    zg_r1cs_free(&other);
}

static void test_serialization(void)
{
    zg_err err;
    zg_groth16_proof proof, back;
    CHECK_OK(zg_groth16_prove(&proof, &pk, &cs, NULL, 0, &err));
    uint8_t b[ZG_GROTH16_PROOF_BYTES];
    zg_groth16_proof_to_bytes(b, &proof);
    CHECK_OK(zg_groth16_proof_from_bytes(&back, b, &err));
    CHECK_EQ_MEM(&back, &proof, sizeof back);
    b[255] ^= 1;   /* C.y changed: off the curve */
    CHECK_EQ_INT(zg_groth16_proof_from_bytes(&back, b, &err), ZG_EINVAL);
    memset(b + 64, 0xff, 32);   /* B.x.im >= q */
    CHECK_EQ_INT(zg_groth16_proof_from_bytes(&back, b, &err), ZG_EINVAL);

    zg_buf vb;
    zg_buf_init(&vb);
    CHECK_EQ_INT(zg_groth16_vk_write(&vb, &pk.vk), ZG_OK);
    CHECK_EQ_U64(vb.len, 4 + 4 + 64 + 3 * 128 + 6 * 64);
    zg_groth16_vk vk;
    CHECK_OK(zg_groth16_vk_read(&vk, vb.data, vb.len, &err));
    CHECK_OK(zg_groth16_verify(&vk, cs.witness + 1, 5, &proof, &err));
    CHECK_EQ_INT(zg_groth16_vk_read(&vk, vb.data, vb.len - 1, &err), ZG_EINVAL);
    zg_groth16_vk_free(&vk);
    zg_buf_free(&vb);

    char path[] = "/tmp/zg_test_pk_XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    close(fd);
    CHECK_OK(zg_groth16_pk_save(path, &pk, &err));
    zg_groth16_pk pk2;
    CHECK_OK(zg_groth16_pk_load(&pk2, path, &err));
    CHECK_OK(zg_groth16_prove(&proof, &pk2, &cs, NULL, 0, &err));
    CHECK_OK(zg_groth16_verify(&pk.vk, cs.witness + 1, 5, &proof, &err));
    zg_groth16_pk_free(&pk2);
    /* A truncated file is refused. */
    CHECK_EQ_INT(truncate(path, 1000), 0);
    CHECK(zg_groth16_pk_load(&pk2, path, &err) != ZG_OK);
    unlink(path);
}

static void test_contribution(void)
{
    zg_err err;
    zg_groth16_pk before, after;
    CHECK_OK(zg_groth16_pk_copy(&before, &pk));
    CHECK_OK(zg_groth16_pk_copy(&after, &pk));
    CHECK_OK(zg_groth16_contribute(&after, 0, &err));
    CHECK(memcmp(&after.delta1, &before.delta1, sizeof after.delta1) != 0);
    CHECK_OK(zg_groth16_verify_contribution(&before, &after, &err));
    zg_groth16_proof proof;
    CHECK_OK(zg_groth16_prove(&proof, &after, &cs, NULL, 0, &err));
    CHECK_OK(zg_groth16_verify(&after.vk, cs.witness + 1, 5, &proof, &err));
    /* The old vk no longer accepts it (delta changed). */
    CHECK_EQ_INT(zg_groth16_verify(&before.vk, cs.witness + 1, 5, &proof, &err), ZG_ECRYPTO);
    /* A contribution that scales only part of H is caught. */
    zg_groth16_pk forged;
    CHECK_OK(zg_groth16_pk_copy(&forged, &after));
    forged.h1[3] = before.h1[3];
    CHECK_EQ_INT(zg_groth16_verify_contribution(&before, &forged, &err), ZG_ECRYPTO);
    forged.h1[3] = after.h1[3];
    forged.vk.ic[1] = before.vk.ic[2];
    CHECK_EQ_INT(zg_groth16_verify_contribution(&before, &forged, &err), ZG_ECRYPTO);
    zg_groth16_pk_free(&forged);
    zg_groth16_pk_free(&before);
    zg_groth16_pk_free(&after);
}

int main(void)
{
    ZG_RUN(test_prove_verify);
    ZG_RUN(test_batch);
    ZG_RUN(test_bad_witness);
    ZG_RUN(test_serialization);
    ZG_RUN(test_contribution);
    zg_groth16_pk_free(&pk);
    zg_r1cs_free(&cs);
    ZG_TEST_END();
}
