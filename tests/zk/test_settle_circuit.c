/* test_settle_circuit.c - the settlement circuit: honest receipts satisfy it;
 * forged signatures, repeated or decreasing nonces, wrong totals, receipts of
 * another account, real slots after empty ones, fees >= 2^128 and empty runs
 * cannot; the constraints do not depend on the values; snarkjs accepts our
 * .r1cs/.wtns export. Signatures come from circomlibjs (node). */
#include <unistd.h>

#include "zg_test.h"
#include "zk/babyjub.h"
#include "zk/eddsa.h"
#include "zk/poseidon.h"
#include "zk/r1cs_export.h"
#include "zk/settle_circuit.h"
#include "zk_node.h"

static const char *PRV = "1122334455667788990011223344556677889900112233445566778899001122";
static const char *PRV_OTHER = "99887766554433221100998877665544332211009988776655443322110099aa";

static zg_settle_input input;
static zg_fr signer_x, signer_y;

static void addr(uint8_t a[20], uint8_t seed)
{
    for (int i = 0; i < 20; i++)
        a[i] = (uint8_t)(seed * 31 + i * 7);
}

/* m = Poseidon(user, provider, nonce, fee, requestHash), as serving/receipt.h. */
static void message(zg_fr *m, const uint8_t user[20], const uint8_t prov[20], const zg_settle_receipt *r)
{
    zg_fr in[5];
    uint8_t be[32];
    zg_fr_from_bytes_reduce(&in[0], user, 20);
    zg_fr_from_bytes_reduce(&in[1], prov, 20);
    zg_fr_set_u64(&in[2], r->nonce);
    zg_u256_to_be(be, &r->fee);
    zg_fr_from_bytes_reduce(&in[3], be, 32);
    in[4] = r->request_hash;
    zg_poseidon(m, in, 5, NULL);
}

/* Fills receipt fields and signs each with key prv (user/provider per
 * receipt), the last one with PRV_OTHER. */
static int sign_all(const char *prv, zg_settle_receipt *r, size_t n, const uint8_t (*users)[20],
                    const uint8_t (*provs)[20])
{
    zg_fr msgs[9], ax, ay;
    zk_node_sig sigs[9];
    for (size_t i = 0; i < n; i++)
        message(&msgs[i], users[i], provs[i], &r[i]);
    if (zk_node_sign2(prv, msgs, n, &ax, &ay, sigs, PRV_OTHER, n - 1) != 0)
        return -1;
    for (size_t i = 0; i < n; i++) {
        r[i].r8x = sigs[i].r8x;
        r[i].r8y = sigs[i].r8y;
        r[i].s = sigs[i].s;
    }
    signer_x = ax;
    signer_y = ay;
    return 0;
}

static zg_settle_receipt receipt(uint64_t nonce, uint64_t fee_lo, uint64_t fee_hi, uint64_t rh)
{
    zg_settle_receipt r;
    memset(&r, 0, sizeof r);
    r.nonce = nonce;
    r.fee.w[0] = fee_lo;
    r.fee.w[1] = fee_hi;
    zg_fr_set_u64(&r.request_hash, rh * 0x9e3779b97f4a7c15ULL + 12345);
    return r;
}

/* 1 when building n_slots over rs gives a satisfying witness. */
static int provable(unsigned n_slots, const zg_settle_receipt *rs, size_t n)
{
    zg_settle_input in = input;
    in.receipts = rs;
    in.n_receipts = n;
    zg_r1cs r;
    zg_err err;
    int rc = zg_settle_circuit_build(n_slots, &in, &r, &err);
    CHECK_OK(rc);
    int ok = rc == ZG_OK && zg_r1cs_check(&r, r.witness, NULL, NULL) == ZG_OK;
    zg_r1cs_free(&r);
    return ok;
}

static int provable_slots(unsigned n_slots, const zg_settle_slot *slots, const zg_fr *claimed)
{
    zg_r1cs r;
    zg_err err;
    int rc = zg_settle_circuit_build_slots(n_slots, &input, slots, claimed, &r, &err);
    CHECK_OK(rc);
    int ok = rc == ZG_OK && zg_r1cs_check(&r, r.witness, NULL, NULL) == ZG_OK;
    zg_r1cs_free(&r);
    return ok;
}

static zg_settle_receipt good[4], other_signer;

static void test_honest(void)
{
    zg_settle_input in = input;
    in.receipts = good;
    in.n_receipts = 3;
    zg_r1cs r;
    zg_err err;
    CHECK_OK(zg_settle_circuit_build(4, &in, &r, &err));
    CHECK_OK(zg_r1cs_check(&r, r.witness, NULL, &err));
    CHECK_EQ_INT(r.n_public, 5);
    zg_fr pub[5];
    CHECK_OK(zg_settle_public_inputs(&in, pub, &err));
    for (int i = 0; i < 5; i++)
        CHECK(zg_fr_eq(&pub[i], &r.witness[1 + i]));
    printf("settle N=4: %u constraints, %u wires\n", r.n_constraints, r.n_wires);
    zg_r1cs_free(&r);
    CHECK(provable(2, good, 1));   /* one receipt, one empty slot */
    CHECK(provable(2, good, 2));   /* full */
    CHECK_OK(zg_settle_check_input(4, &in, &err));
    uint32_t fixed, per_slot;
    CHECK_OK(zg_settle_circuit_cost(&fixed, &per_slot, &err));
    printf("settle circuit: %u constraints per slot + %u per circuit\n", per_slot, fixed);
    CHECK(per_slot <= 4600);
}

static void test_same_shape(void)
{
    zg_settle_input in = input;
    in.receipts = good;
    in.n_receipts = 1;
    zg_r1cs a, b, c;
    zg_err err;
    CHECK_OK(zg_settle_circuit_build(2, &in, &a, &err));
    in.n_receipts = 2;
    CHECK_OK(zg_settle_circuit_build(2, &in, &b, &err));
    CHECK_OK(zg_settle_circuit_shape(2, &c, &err));
    int same = a.n_constraints == b.n_constraints && a.n_wires == b.n_wires &&
               a.n_constraints == c.n_constraints && a.n_wires == c.n_wires;
    for (int m = 0; m < 3 && same; m++) {
        size_t nt = a.row[m][a.n_constraints];
        same = memcmp(a.row[m], b.row[m], (a.n_constraints + 1) * sizeof(uint32_t)) == 0 &&
               memcmp(a.row[m], c.row[m], (a.n_constraints + 1) * sizeof(uint32_t)) == 0;
        for (size_t k = 0; k < nt && same; k++)
            same = a.terms[m][k].wire == b.terms[m][k].wire && zg_fr_eq(&a.terms[m][k].coeff, &b.terms[m][k].coeff) &&
                   a.terms[m][k].wire == c.terms[m][k].wire && zg_fr_eq(&a.terms[m][k].coeff, &c.terms[m][k].coeff);
    }
    CHECK_MSG(same, "the constraint system depends on the witness values");
    zg_r1cs_free(&a);
    zg_r1cs_free(&b);
    zg_r1cs_free(&c);
}

static void test_forged_signature(void)
{
    zg_settle_receipt rs[2] = {good[0], good[1]};
    zg_fr one;
    zg_fr_one(&one);
    zg_fr_add(&rs[1].s, &rs[1].s, &one);
    CHECK(!provable(2, rs, 2));
    /* a signature of another message (a fee raised after signing) */
    rs[1] = good[1];
    rs[1].fee.w[0] += 1;
    CHECK(!provable(2, rs, 2));
    /* another signer's valid signature of the same receipt */
    rs[1] = other_signer;
    CHECK(!provable(2, rs, 2));
}

static zg_settle_receipt repeated[2], decreasing[2], mixed_user[2], mixed_prov[2], big_fee[2];

static void test_nonces(void)
{
    CHECK(!provable(2, repeated, 2));
    CHECK(!provable(2, decreasing, 2));
    zg_settle_input in = input;
    in.receipts = repeated;
    in.n_receipts = 2;
    zg_err err;
    CHECK(zg_settle_check_input(2, &in, &err) == ZG_EINVAL);
}

static void test_mixed_account(void)
{
    CHECK(!provable(2, mixed_user, 2));
    CHECK(!provable(2, mixed_prov, 2));
}

static void test_big_fee(void)
{
    CHECK(!provable(2, big_fee, 2));
}

static void test_wrong_total_and_prefix(void)
{
    zg_settle_slot slots[3];
    memset(slots, 0, sizeof slots);
    for (int i = 0; i < 3; i++) {
        slots[i].real = 1;
        slots[i].r = good[i];
    }
    CHECK(provable_slots(3, slots, NULL));
    /* claimed public inputs that differ in one field each (2 slots) */
    zg_settle_input in = input;
    in.receipts = good;
    in.n_receipts = 2;
    zg_fr pub[5], bad[5], one;
    zg_fr_one(&one);
    zg_settle_public_inputs(&in, pub, NULL);
    for (int k = 0; k < 5; k++) {
        memcpy(bad, pub, sizeof bad);
        zg_fr_add(&bad[k], &bad[k], &one);
        CHECK_MSG(!provable_slots(2, slots, bad), "public input %d changed yet provable", k);
    }
    /* real slot after an empty one, claiming the full run */
    zg_settle_slot gap[3];
    memcpy(gap, slots, sizeof gap);
    memset(&gap[1].r, 0, sizeof gap[1].r);
    gap[1].real = 0;
    zg_fr_one(&gap[1].r.r8y);
    zg_settle_receipt run[2] = {good[0], good[2]};
    in.receipts = run;
    in.n_receipts = 2;
    zg_settle_public_inputs(&in, pub, NULL);
    CHECK(!provable_slots(3, gap, pub));
    CHECK(!provable_slots(3, gap, NULL));
    /* an empty slot carrying a fee */
    zg_settle_slot feeful[3];
    memcpy(feeful, slots, sizeof feeful);
    feeful[2].real = 0;
    CHECK(!provable_slots(3, feeful, NULL));
    /* slot 0 empty: no run at all */
    zg_settle_slot none[2];
    memset(none, 0, sizeof none);
    zg_fr_one(&none[0].r.r8y);
    zg_fr_one(&none[1].r.r8y);
    CHECK(!provable_slots(2, none, NULL));
}

static void test_snarkjs_export(void)
{
    zg_settle_input in = input;
    in.receipts = good;
    in.n_receipts = 2;
    zg_r1cs r;
    zg_err err;
    CHECK_OK(zg_settle_circuit_build(2, &in, &r, &err));
    char dir[] = "/tmp/zg_settle_XXXXXX", pr[64], pw[64], pbad[64], cmd[512];
    CHECK(mkdtemp(dir) != NULL);
    snprintf(pr, sizeof pr, "%s/c.r1cs", dir);
    snprintf(pw, sizeof pw, "%s/w.wtns", dir);
    snprintf(pbad, sizeof pbad, "%s/bad.wtns", dir);
    CHECK_OK(zg_r1cs_write_r1cs(&r, pr, &err));
    CHECK_OK(zg_r1cs_write_wtns(r.witness, r.n_wires, pw, &err));
    zg_fr one;
    zg_fr_one(&one);
    zg_fr_add(&r.witness[3], &r.witness[3], &one);   /* total + 1 */
    CHECK_OK(zg_r1cs_write_wtns(r.witness, r.n_wires, pbad, &err));
    snprintf(cmd, sizeof cmd, "node node_modules/snarkjs/cli.js wtns check %s %s > %s/ok.log 2>&1", pr, pw, dir);
    CHECK_MSG(system(cmd) == 0, "snarkjs wtns check rejected our export (see %s/ok.log)", dir);
    snprintf(cmd, sizeof cmd, "node node_modules/snarkjs/cli.js wtns check %s %s > %s/bad.log 2>&1", pr, pbad, dir);
    CHECK_MSG(system(cmd) != 0, "snarkjs wtns check accepted a tampered witness");
    if (zg_test_remove_dir(dir))
        fprintf(stderr, "could not remove %s\n", dir);
    zg_r1cs_free(&r);
}

/* No wire of an honest witness can change alone: each private wire is pinned
 * by some constraint it appears in (a cheap under-constraint detector). */
static void test_no_free_wire(void)
{
    zg_settle_input in = input;
    in.receipts = good;
    in.n_receipts = 1;   /* one real and one empty slot */
    zg_r1cs r;
    zg_err err;
    CHECK_OK(zg_settle_circuit_build(2, &in, &r, &err));
    /* constraints of each wire (CSR over all three matrices) */
    uint32_t *cnt = calloc(r.n_wires + 1, sizeof *cnt), *idx = NULL, *fill = NULL;
    for (int m = 0; m < 3; m++)
        for (uint32_t k = 0; k < r.row[m][r.n_constraints]; k++)
            cnt[r.terms[m][k].wire + 1]++;
    for (uint32_t w = 0; w < r.n_wires; w++)
        cnt[w + 1] += cnt[w];
    idx = malloc((cnt[r.n_wires] + 1) * sizeof *idx);
    fill = calloc(r.n_wires, sizeof *fill);
    for (int m = 0; m < 3; m++)
        for (uint32_t i = 0; i < r.n_constraints; i++)
            for (uint32_t k = r.row[m][i]; k < r.row[m][i + 1]; k++) {
                uint32_t w = r.terms[m][k].wire;
                idx[cnt[w] + fill[w]++] = i;
            }
    zg_fr one, a, b, c, ab;
    zg_fr_one(&one);
    uint32_t n_free = 0, first_free = 0;
    for (uint32_t w = 1; w < r.n_wires; w++) {
        zg_fr saved = r.witness[w];
        zg_fr_add(&r.witness[w], &r.witness[w], &one);
        int pinned = 0;
        for (uint32_t k = cnt[w]; k < cnt[w + 1] && !pinned; k++) {
            uint32_t i = idx[k];
            zg_r1cs_row_eval(&r, 0, i, r.witness, &a);
            zg_r1cs_row_eval(&r, 1, i, r.witness, &b);
            zg_r1cs_row_eval(&r, 2, i, r.witness, &c);
            zg_fr_mul(&ab, &a, &b);
            pinned = !zg_fr_eq(&ab, &c);
        }
        r.witness[w] = saved;
        if (!pinned && n_free++ == 0)
            first_free = w;
    }
    CHECK_MSG(n_free == 0, "%u wires can change alone (first: wire %u of %u)", n_free, first_free, r.n_wires);
    free(cnt);
    free(idx);
    free(fill);
    zg_r1cs_free(&r);
}

/* The broker's path: receipts signed by our native EdDSA (h4), packed as in
 * X-ZG-Signature, unpacked by zg_settle_receipt_from_packed. */
static void test_packed_native(void)
{
    uint8_t prv[32], packed_key[32], sig[64], rh[31];
    for (int i = 0; i < 32; i++)
        prv[i] = (uint8_t)(200 - i);
    zg_bj_point a;
    zg_eddsa_public_key(&a, prv);
    zg_bj_pack(packed_key, &a);
    zg_settle_input in;
    memset(&in, 0, sizeof in);
    memcpy(in.user, input.user, 20);
    memcpy(in.provider, input.provider, 20);
    zg_err err;
    CHECK_OK(zg_settle_signer_from_packed(&in, packed_key, &err));
    zg_settle_receipt rs[2];
    for (int i = 0; i < 2; i++) {
        zg_settle_receipt tmp = receipt(100 + 3 * (uint64_t)i, 5000 + (uint64_t)i, 0, 0);
        for (int k = 0; k < 31; k++)
            rh[k] = (uint8_t)(k * 13 + i);
        zg_fr_from_bytes_reduce(&tmp.request_hash, rh, 31);
        zg_fr m;
        message(&m, in.user, in.provider, &tmp);
        zg_eddsa_sig es;
        zg_eddsa_sign(&es, prv, &m);
        zg_eddsa_sig_pack(sig, &es);
        CHECK_OK(zg_settle_receipt_from_packed(&rs[i], tmp.nonce, &tmp.fee, rh, sig, &err));
    }
    in.receipts = rs;
    in.n_receipts = 2;
    zg_r1cs r;
    CHECK_OK(zg_settle_circuit_build(2, &in, &r, &err));
    CHECK_OK(zg_r1cs_check(&r, r.witness, NULL, &err));
    zg_r1cs_free(&r);
    sig[40] ^= 1;   /* a corrupted S still unpacks (or not): never provable */
    if (zg_settle_receipt_from_packed(&rs[1], rs[1].nonce, &rs[1].fee, rh, sig, NULL) == ZG_OK) {
        CHECK_OK(zg_settle_circuit_build(2, &in, &r, &err));
        CHECK(zg_r1cs_check(&r, r.witness, NULL, NULL) != ZG_OK);
        zg_r1cs_free(&r);
    }
}

int main(void)
{
    addr(input.user, 1);
    addr(input.provider, 2);
    uint8_t other[20];
    addr(other, 3);
    /* all receipts signed in one node run (keeps the test fast) */
    zg_settle_receipt all[9];
    uint8_t users[9][20], provs[9][20];
    for (int i = 0; i < 9; i++) {
        memcpy(users[i], input.user, 20);
        memcpy(provs[i], input.provider, 20);
    }
    all[0] = receipt(5, 1000, 0, 1);
    all[1] = receipt(9, 250, 0, 2);
    all[2] = receipt(10, 0, 1, 3);        /* fee 2^64 */
    all[3] = receipt(5, 7, 0, 4);         /* repeats nonce 5 */
    all[4] = receipt(4, 7, 0, 5);         /* below nonce 5 */
    all[5] = receipt(9, 250, 0, 6);       /* signed for another user */
    memcpy(users[5], other, 20);
    all[6] = receipt(9, 250, 0, 7);       /* signed for another provider */
    memcpy(provs[6], other, 20);
    all[7] = receipt(9, 0, 0, 8);
    all[7].fee.w[2] = 1;                  /* fee 2^128 */
    all[8] = receipt(9, 250, 0, 2);       /* receipt 1, signed by PRV_OTHER */
    if (sign_all(PRV, all, 9, (const uint8_t(*)[20])users, (const uint8_t(*)[20])provs) != 0) {
        CHECK_MSG(0, "node tests/zk/eddsa_sign.js failed (circomlibjs on NODE_PATH?)");
        ZG_TEST_END();
    }
    input.signer_x = signer_x;
    input.signer_y = signer_y;
    memcpy(good, all, 3 * sizeof *good);
    repeated[0] = decreasing[0] = mixed_user[0] = mixed_prov[0] = big_fee[0] = all[0];
    repeated[1] = all[3];
    decreasing[1] = all[4];
    mixed_user[1] = all[5];
    mixed_prov[1] = all[6];
    big_fee[1] = all[7];
    other_signer = all[8];
    ZG_RUN(test_honest);
    ZG_RUN(test_same_shape);
    ZG_RUN(test_forged_signature);
    ZG_RUN(test_nonces);
    ZG_RUN(test_mixed_account);
    ZG_RUN(test_big_fee);
    ZG_RUN(test_wrong_total_and_prefix);
    ZG_RUN(test_snarkjs_export);
    ZG_RUN(test_packed_native);
    ZG_RUN(test_no_free_wire);
    ZG_TEST_END();
}
