/*
 * provider/settle_prove.c - one settlement proof from a run of stored
 * receipts: the circuit input, the witness, the Groth16 proof.
 */
#include "provider/settle_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zk/eddsa.h"
#include "zk/groth16.h"
#include "zk/settle_circuit.h"

uint32_t zg_settle_pick_size(const uint32_t *sizes, size_t n, size_t remaining)
{
    uint32_t largest = 0, fit = 0;
    for (size_t i = 0; i < n; i++) {
        if (sizes[i] > largest) largest = sizes[i];
        if (sizes[i] >= remaining && (!fit || sizes[i] < fit)) fit = sizes[i];
    }
    return (remaining >= largest || !fit) ? largest : fit;
}

/* A stored receipt as the circuit wants it. */
static int to_circuit(const zg_store_receipt *r, zg_settle_receipt *out, zg_err *e)
{
    zg_eddsa_sig sig;
    int rc = zg_eddsa_sig_unpack(&sig, r->signature, e);
    if (rc)
        return zg_err_wrap(e, rc, "receipt nonce %llu", (unsigned long long)r->nonce);
    out->nonce = r->nonce;
    out->fee = r->fee;
    zg_fr_from_bytes_reduce(&out->request_hash, r->request_hash, 31); /* < 2^248 < r: exact */
    out->r8x = sig.r8.x;
    out->r8y = sig.r8.y;
    return zg_fr_from_canonical(&out->s, sig.s, e);
}

/* Loads the proving key of a circuit size (once). */
static const zg_groth16_pk *proving_key(zg_settler *s, uint32_t slots, zg_err *e)
{
    for (size_t i = 0; i < s->n_keys; i++)
        if (s->key_slots[i] == slots) return s->keys[i];
    if (s->n_keys == ZG_SETTLE_MAX_KEYS) { zg_err_set(e, ZG_ERANGE, "too many circuit sizes"); return NULL; }
    char path[1024];
    snprintf(path, sizeof path, "%s/settle_%u.pk", s->o.cfg->proving_dir ? s->o.cfg->proving_dir : ".", slots);
    zg_groth16_pk *pk = calloc(1, sizeof *pk);
    if (!pk) { zg_err_set(e, ZG_ENOMEM, "out of memory"); return NULL; }
    int rc = zg_groth16_pk_load(pk, path, e);
    if (rc) {
        free(pk);
        zg_err_wrap(e, rc, "proving key of the %u-slot circuit (%s; `zg chain deploy --keys DIR` writes it, "
                    "settlement.proving_dir names DIR)", slots, path);
        return NULL;
    }
    s->key_slots[s->n_keys] = slots;
    s->keys[s->n_keys++] = pk;
    return pk;
}

int zg_settle_prove_run(zg_settler *s, const uint8_t user[20], const uint8_t signer[64],
                        const zg_store_receipt *rs, size_t n, uint32_t slots, zg_settle_proof *out, zg_err *e)
{
    const zg_groth16_pk *pk = proving_key(s, slots, e);
    if (!pk) return e ? e->code : ZG_EIO;
    zg_settle_receipt *cr = calloc(n, sizeof *cr);
    if (!cr) return zg_err_set(e, ZG_ENOMEM, "out of memory");
    zg_settle_input in;
    memset(&in, 0, sizeof in);
    memcpy(in.user, user, 20);
    memcpy(in.provider, s->o.provider, 20);
    int rc = zg_fr_from_bytes_be(&in.signer_x, signer, e);
    if (!rc) rc = zg_fr_from_bytes_be(&in.signer_y, signer + 32, e);
    memset(out, 0, sizeof *out);
    for (size_t i = 0; !rc && i < n; i++) {
        rc = to_circuit(&rs[i], &cr[i], e);
        if (!rc) rc = zg_u256_add(&out->total, &out->total, &rs[i].fee);
    }
    in.n_receipts = n;
    in.receipts = cr;
    if (!rc) rc = zg_settle_check_input(slots, &in, e);
    zg_r1cs cs;
    memset(&cs, 0, sizeof cs);
    if (!rc) rc = zg_settle_circuit_build(slots, &in, &cs, e);
    zg_groth16_proof proof;
    if (!rc) rc = zg_groth16_prove(&proof, pk, &cs, NULL, s->o.prove_threads, e);
    zg_r1cs_free(&cs);
    free(cr);
    if (rc) return zg_err_wrap(e, rc, "proving receipts %llu..%llu", (unsigned long long)rs[0].nonce,
                               (unsigned long long)rs[n - 1].nonce);
    out->slots = slots;
    memcpy(out->user, user, 20);
    out->first_nonce = rs[0].nonce;
    out->last_nonce = rs[n - 1].nonce;
    zg_groth16_proof_to_bytes(out->proof, &proof);
    return ZG_OK;
}

void zg_settle_keys_free(zg_settler *s)
{
    for (size_t i = 0; i < s->n_keys; i++) {
        zg_groth16_pk_free(s->keys[i]);
        free(s->keys[i]);
    }
    s->n_keys = 0;
}
