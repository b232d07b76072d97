/* contract_settle.c - settleFees and the public inputs it builds (contract.h). */
#include <string.h>

#include "base/hex.h"
#include "serving/contract_internal.h"

static json_t *proof_json(const zg_settlement_proof *p)
{
    json_t *words = json_array();
    for (int w = 0; words && w < 8; w++) {
        char hex[67];
        zg_hex_encode(p->proof + 32 * w, 32, hex);
        if (json_array_append_new(words, json_string(hex))) {
            json_decref(words);
            return NULL;
        }
    }
    if (!words)
        return NULL;
    return json_pack("[I,o,o,o,o,o]", (json_int_t)p->slots, zg_sv_json_addr(&p->user),
                     zg_sv_json_u64(p->first_nonce), zg_sv_json_u64(p->last_nonce),
                     zg_sv_json_u256(&p->total), words);
}

int zg_serving_settle_fees(const zg_serving *s, const zg_eth_key *k,
                           const zg_settlement_proof *proofs, size_t n,
                           const zg_send_opts *opts, zg_rpc_receipt *rc, zg_err *e)
{
    if (n == 0)
        return zg_err_set(e, ZG_EINVAL, "settleFees: no proofs");
    json_t *list = json_array();
    for (size_t i = 0; list && i < n; i++) {
        json_t *p = proof_json(&proofs[i]);
        if (!p || json_array_append_new(list, p)) {
            json_decref(list);
            list = NULL;
        }
    }
    json_t *args = list ? json_pack("[o]", list) : NULL;
    return zg_sv_send(s, k, NULL, "settleFees(" ZG_T_PROOF "[])", args, opts, rc, e);
}

/* w = a | (b << 160) for an address a and a u64 b (b < 2^64 fits above bit 160). */
static void pack(const zg_address *a, uint64_t b, zg_u256 *out)
{
    uint8_t w[32] = {0};
    memcpy(w + 12, a->b, 20);
    for (int i = 0; i < 8; i++)
        w[11 - i] = (uint8_t)(b >> (8 * i));
    *out = zg_u256_from_be(w);
}

void zg_serving_public_inputs(const zg_settlement_proof *p, const zg_address *provider,
                              const zg_u256 signer[2], zg_u256 out[5])
{
    pack(&p->user, p->first_nonce, &out[0]);
    pack(provider, p->last_nonce, &out[1]);
    out[2] = p->total;
    out[3] = signer[0];
    out[4] = signer[1];
}
