/*
 * bench_settle_gas.c - gas per settled receipt through Serving.settleFees on
 * a fresh anvil, with the real generated Groth16 verifier, beside the
 * per-receipt ECDSA settlement it replaces, measured in the same run.
 *
 * For each circuit size N (default 4 16 64), on its own fresh anvil:
 *   - zg_serving_deploy_dev: LOCAL DEVELOPMENT Groth16 setup of the N-slot
 *     settlement circuit (not a ceremony), its verifier generated, compiled
 *     (solc-js) and deployed with the Serving contract;
 *   - for each k (default 1 and 4): k fresh customer accounts, each with its
 *     Baby Jubjub signer, a deposit and N signed full receipts, one proof per
 *     account, and one settleFees transaction carrying the k proofs;
 *     checked: every account nonce is N, every balance dropped by its total,
 *     and the provider's income (balance change + gas paid) is the sum of the
 *     fees to the wei;
 *   - baseline: a small contract (compiled here with solc-js) that settles N
 *     receipts of one account the ECDSA way: per receipt keccak of the
 *     receipt, ecrecover, signer and nonce-order checks, fee sum; one storage
 *     write of the nonce per run. One transaction, gas measured.
 * Printed per (N, k): gasUsed of the transaction (21,000 base and calldata
 * included), calldata bytes and their gas (EIP-2028), the gas of the
 * verifyBatch call inside it (debug_traceTransaction), gas per receipt,
 * the ECDSA baseline per receipt and the ratio, proving time per receipt.
 *
 * Run from the repository root after `. scripts/env.sh` (needs ZG_ANVIL,
 * ZG_ROOT, node for solc-js, contracts/out/Serving.sol/Serving.json):
 *   bench_settle_gas [-k 1,4] [N ...]
 */
#include "../tests/zg_anvil.h" /* anvil start/stop and its dev keys (header-only) */

#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "base/hex.h"
#include "eth/contract.h"
#include "eth/keccak.h"
#include "serving/contract.h"
#include "serving/deploy.h"
#include "serving/receipt.h"
#include "zk/groth16.h"
#include "zk/settle_circuit.h"

#define MAX_K 16
#define MAX_SIZES 8
#define LOCK_TIME 86400

/* The ECDSA baseline: the minimum a per-receipt ECDSA settlement does. */
static const char *const ecdsa_src =
    "// SPDX-License-Identifier: MIT\n"
    "pragma solidity ^0.8.26;\n"
    "contract EcdsaSettleBaseline {\n"
    "    struct Receipt { uint64 nonce; uint128 fee; bytes32 requestHash; bytes32 r; bytes32 s; uint8 v; }\n"
    "    mapping(address => mapping(address => uint64)) public nonceOf;\n"
    "    function settle(address user, Receipt[] calldata rs) external returns (uint256 total) {\n"
    "        uint64 last = nonceOf[user][msg.sender];\n"
    "        for (uint256 i; i < rs.length; ++i) {\n"
    "            Receipt calldata x = rs[i];\n"
    "            require(x.nonce > last, \"nonce\");\n"
    "            bytes32 h = keccak256(abi.encode(user, msg.sender, x.nonce, x.fee, x.requestHash));\n"
    "            require(ecrecover(h, x.v, x.r, x.s) == user, \"signature\");\n"
    "            last = x.nonce;\n"
    "            total += x.fee;\n"
    "        }\n"
    "        nonceOf[user][msg.sender] = last;\n"
    "    }\n"
    "}\n";

typedef struct bench {
    zg_anvil anvil;
    zg_rpc *rpc;
    zg_eth_key deployer, provider;
    zg_address provider_addr;
    zg_serving sv;
    zg_address verifier;       /* the generated SettlementVerifier<N> */
    zg_groth16_pk pk;
    int have_pk;
    char dir[64];
    zg_err err;
} bench;

typedef struct row {
    unsigned n, k;
    uint64_t gas, calldata, calldata_gas;
    uint64_t verify_gas;       /* the verifyBatch call frame inside the settlement */
    double build_ms, prove_ms;
} row;

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int fail(bench *b, const char *what)
{
    fprintf(stderr, "bench_settle_gas: %s: %s\n", what, b->err.msg);
    return -1;
}

/* Calldata of a mined transaction: its length and EIP-2028 gas (4 per zero
 * byte, 16 per non-zero byte). */
static int tx_calldata(bench *b, const uint8_t hash[32], uint64_t *len, uint64_t *gas)
{
    char hex[67], params[80];
    zg_hex_encode(hash, 32, hex);
    snprintf(params, sizeof params, "[\"%s\"]", hex);
    json_t *res = NULL;
    zg_buf data;
    zg_buf_init(&data);
    int rc = zg_rpc_call(b->rpc, "eth_getTransactionByHash", params, &res, &b->err);
    const char *input = rc ? NULL : json_string_value(json_object_get(res, "input"));
    if (!rc && !input)
        rc = zg_err_set(&b->err, ZG_EINVAL, "transaction without input");
    if (!rc)
        rc = zg_hex_decode_buf(input, &data, &b->err);
    *len = data.len;
    *gas = 0;
    for (size_t i = 0; i < data.len; i++)
        *gas += data.data[i] ? 16 : 4;
    zg_buf_free(&data);
    json_decref(res);
    return rc;
}

static json_t *hex_word(const uint8_t *p, size_t n)
{
    char hex[2 * 32 + 3];
    zg_hex_encode(p, n, hex);
    return json_string(hex);
}

static void fr_to_u256(const zg_fr *x, zg_u256 *out)
{
    uint8_t be[32];
    zg_fr_to_bytes_be(be, x);
    *out = zg_u256_from_be(be);
}

/* Fee of receipt i of customer j: distinct, non-round values. */
static zg_u256 fee_of(unsigned j, unsigned i)
{
    return zg_u256_from_u64(1000000000000ull + 7919ull * j + 104729ull * i + i * i);
}

/* A fresh customer: random key, 1 ETH from the deployer, an account with
 * the provider holding deposit, its signer private key. */
static int new_customer(bench *b, zg_eth_key *k, zg_address *a, uint8_t prv[32], const zg_u256 *deposit)
{
    zg_u256 eth = zg_u256_from_u64(1000000000000000000ull);
    zg_u256 signer[2];
    zg_bj_point pub;
    if (zg_eth_key_generate(k, &b->err) || zg_eth_key_address(k, a))
        return fail(b, "customer key");
    zg_rpc_receipt tx;
    memset(&tx, 0, sizeof tx);
    int rc = zg_send_tx(b->rpc, &b->deployer, a, &eth, NULL, 0, NULL, &tx, &b->err);
    zg_rpc_receipt_free(&tx);
    if (rc)
        return fail(b, "funding a customer");
    if (zg_signer_key_derive(prv, k, b->provider_addr.b, &b->err))
        return fail(b, "signer key");
    zg_signer_public(prv, &pub, NULL);
    fr_to_u256(&pub.x, &signer[0]);
    fr_to_u256(&pub.y, &signer[1]);
    if (zg_serving_add_account(&b->sv, k, &b->provider_addr, signer, deposit, NULL, NULL, &b->err))
        return fail(b, "addAccount");
    return 0;
}

/* N receipts (nonces 1..n) signed by the customer's signer, as circuit slots. */
static int sign_receipts(bench *b, const zg_address *user, const uint8_t prv[32], unsigned j, unsigned n,
                         zg_settle_receipt *out, zg_u256 *total)
{
    *total = zg_u256_from_u64(0);
    for (unsigned i = 0; i < n; i++) {
        zg_receipt r;
        uint8_t sig[64];
        char body[64];
        memset(&r, 0, sizeof r);
        memcpy(r.user, user->b, 20);
        memcpy(r.provider, b->provider_addr.b, 20);
        r.nonce = i + 1;
        r.fee = fee_of(j, i);
        int len = snprintf(body, sizeof body, "{\"request\":%u,\"customer\":%u}", i, j);
        zg_receipt_request_hash(body, (size_t)len, r.request_hash);
        if (zg_receipt_sign(sig, &r, prv, &b->err) ||
            zg_settle_receipt_from_packed(&out[i], r.nonce, &r.fee, r.request_hash, sig, &b->err) ||
            zg_u256_add(total, total, &r.fee))
            return fail(b, "signing a receipt");
    }
    return 0;
}

/* Witness and Groth16 proof of one customer's run; times added to r. */
static int prove_run(bench *b, const zg_address *user, const uint8_t prv[32], unsigned j, unsigned n,
                     zg_settlement_proof *p, row *r)
{
    zg_settle_receipt *rs = calloc(n, sizeof *rs);
    if (!rs)
        return fail(b, "out of memory");
    zg_settle_input in;
    memset(&in, 0, sizeof in);
    memcpy(in.user, user->b, 20);
    memcpy(in.provider, b->provider_addr.b, 20);
    zg_bj_point pub;
    zg_signer_public(prv, &pub, NULL);
    in.signer_x = pub.x;
    in.signer_y = pub.y;
    in.n_receipts = n;
    in.receipts = rs;
    memset(p, 0, sizeof *p);
    int rc = sign_receipts(b, user, prv, j, n, rs, &p->total);
    zg_r1cs cs;
    memset(&cs, 0, sizeof cs);
    zg_groth16_proof proof;
    double t0 = now_ms();
    if (!rc && zg_settle_circuit_build(n, &in, &cs, &b->err))
        rc = fail(b, "building the witness");
    double t1 = now_ms();
    if (!rc && zg_groth16_prove(&proof, &b->pk, &cs, NULL, 0, &b->err))
        rc = fail(b, "proving");
    r->build_ms += t1 - t0;
    r->prove_ms += now_ms() - t1;
    zg_r1cs_free(&cs);
    free(rs);
    if (rc)
        return rc;
    p->slots = n;
    p->user = *user;
    p->first_nonce = 1;
    p->last_nonce = n;
    zg_groth16_proof_to_bytes(p->proof, &proof);
    return 0;
}

/* After the settlement: nonce N and balance deposit - total on every account. */
static int check_accounts(bench *b, const zg_address *users, const zg_settlement_proof *ps, unsigned k,
                          unsigned n, const zg_u256 *deposit)
{
    for (unsigned j = 0; j < k; j++) {
        zg_account_info a;
        zg_u256 want;
        if (zg_serving_get_account(&b->sv, &users[j], &b->provider_addr, &a, &b->err))
            return fail(b, "getAccount");
        zg_u256_sub(&want, deposit, &ps[j].total);
        if (a.nonce != n || zg_u256_cmp(&a.balance, &want) != 0) {
            fprintf(stderr, "bench_settle_gas: account %u not settled (nonce %llu, want %u)\n", j,
                    (unsigned long long)a.nonce, n);
            return -1;
        }
    }
    return 0;
}

/* income = after - before + gas paid must equal the sum of the totals. */
static int check_income(bench *b, const zg_u256 *before, const zg_rpc_receipt *rc,
                        const zg_settlement_proof *ps, unsigned k)
{
    zg_u256 after, paid, income, sum = zg_u256_from_u64(0), gas = zg_u256_from_u64(rc->gas_used);
    if (zg_rpc_balance(b->rpc, &b->provider_addr, &after, &b->err))
        return fail(b, "provider balance");
    for (unsigned j = 0; j < k; j++)
        zg_u256_add(&sum, &sum, &ps[j].total);
    if (zg_u256_mul(&paid, &gas, &rc->effective_gas_price) || zg_u256_add(&income, &after, &paid) ||
        zg_u256_sub(&income, &income, before) || zg_u256_cmp(&income, &sum) != 0) {
        char got[80], want[80];
        zg_u256_to_dec(&income, got);
        zg_u256_to_dec(&sum, want);
        fprintf(stderr, "bench_settle_gas: provider income %s wei, fees %s wei\n", got, want);
        return -1;
    }
    return 0;
}

/* gasUsed of the calls to `to` in a callTracer frame and its subcalls. */
static uint64_t frame_gas(const json_t *f, const char *to)
{
    uint64_t g = 0;
    const char *t = json_string_value(json_object_get(f, "to"));
    const char *used = json_string_value(json_object_get(f, "gasUsed"));
    if (t && used && !strcasecmp(t, to))
        return strtoull(used, NULL, 16);
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(f, "calls"), i, c) g += frame_gas(c, to);
    return g;
}

/* Gas of verifyBatch inside the settlement (anvil's debug_traceTransaction,
 * callTracer: the gas used by the call frame into the verifier). */
static int verifier_gas(bench *b, const uint8_t hash[32], uint64_t *out)
{
    char hex[67], params[128], to[ZG_ADDRESS_STR_MAX];
    zg_hex_encode(hash, 32, hex);
    snprintf(params, sizeof params, "[\"%s\",{\"tracer\":\"callTracer\"}]", hex);
    zg_address_to_checksum(&b->verifier, to);
    json_t *res = NULL;
    if (zg_rpc_call(b->rpc, "debug_traceTransaction", params, &res, &b->err))
        return fail(b, "tracing the settlement");
    *out = frame_gas(res, to);
    json_decref(res);
    return 0;
}

/* k customers, N receipts each, one settleFees with k proofs. */
static int settle_k(bench *b, unsigned n, unsigned k, row *r)
{
    zg_eth_key keys[MAX_K];
    zg_address users[MAX_K];
    zg_settlement_proof ps[MAX_K];
    zg_u256 deposit = zg_u256_from_u64(100000000000000000ull), before;
    memset(r, 0, sizeof *r);
    r->n = n;
    r->k = k;
    int rc = 0;
    for (unsigned j = 0; !rc && j < k; j++) {
        uint8_t prv[32];
        rc = new_customer(b, &keys[j], &users[j], prv, &deposit);
        if (!rc)
            rc = prove_run(b, &users[j], prv, j, n, &ps[j], r);
        memset(prv, 0, sizeof prv);
        zg_eth_key_wipe(&keys[j]);
    }
    if (rc)
        return rc;
    if (zg_rpc_balance(b->rpc, &b->provider_addr, &before, &b->err))
        return fail(b, "provider balance");
    zg_rpc_receipt tx;
    memset(&tx, 0, sizeof tx);
    if (zg_serving_settle_fees(&b->sv, &b->provider, ps, k, NULL, &tx, &b->err))
        rc = fail(b, "settleFees");
    if (!rc && tx_calldata(b, tx.tx_hash, &r->calldata, &r->calldata_gas))
        rc = fail(b, "reading the transaction");
    if (!rc)
        rc = verifier_gas(b, tx.tx_hash, &r->verify_gas);
    r->gas = tx.gas_used;
    if (!rc)
        rc = check_income(b, &before, &tx, ps, k);
    zg_rpc_receipt_free(&tx);
    if (!rc)
        rc = check_accounts(b, users, ps, k, n, &deposit);
    return rc;
}

/* ------------------------------------------------------- ECDSA baseline */

static int deploy_ecdsa(bench *b, zg_address *out)
{
    char path[128];
    snprintf(path, sizeof path, "%s/EcdsaSettleBaseline.json", b->dir);
    zg_artifact art;
    memset(&art, 0, sizeof art);
    if (zg_artifact_compile(NULL, ecdsa_src, "EcdsaSettleBaseline", path, &b->err) ||
        zg_artifact_load(path, &art, &b->err))
        return fail(b, "compiling the ECDSA baseline");
    unlink(path);
    zg_rpc_receipt tx;
    memset(&tx, 0, sizeof tx);
    int rc = zg_contract_deploy(b->rpc, &b->deployer, art.code.data, art.code.len, NULL, NULL, NULL, &tx,
                                &b->err);
    *out = tx.contract_address;
    zg_rpc_receipt_free(&tx);
    zg_artifact_free(&art);
    return rc ? fail(b, "deploying the ECDSA baseline") : 0;
}

/* One receipt of the baseline: fields as the contract hashes them
 * (abi.encode(user, provider, nonce, fee, requestHash)), ECDSA-signed by user. */
static json_t *ecdsa_receipt(bench *b, const zg_eth_key *user, const zg_address *ua, unsigned i)
{
    uint8_t msg[160] = {0}, h[32], sig[65], rh[32];
    zg_u256 fee = fee_of(0, i);
    char body[32], fee_dec[80], nonce_dec[24];
    int len = snprintf(body, sizeof body, "{\"request\":%u}", i);
    zg_keccak256(body, (size_t)len, rh);
    memcpy(msg + 12, ua->b, 20);
    memcpy(msg + 44, b->provider_addr.b, 20);
    for (int s = 0; s < 8; s++)
        msg[95 - s] = (uint8_t)((uint64_t)(i + 1) >> (8 * s));
    zg_u256_to_be(msg + 96, &fee);
    memcpy(msg + 128, rh, 32);
    zg_keccak256(msg, sizeof msg, h);
    if (zg_eth_sign_hash(user, h, sig, &b->err))
        return NULL;
    zg_u256_to_dec(&fee, fee_dec);
    snprintf(nonce_dec, sizeof nonce_dec, "%u", i + 1);
    return json_pack("[s,s,o,o,o,I]", nonce_dec, fee_dec, hex_word(rh, 32), hex_word(sig, 32),
                     hex_word(sig + 32, 32), (json_int_t)(27 + sig[64]));
}

/* Gas of one transaction settling n receipts of a fresh account the ECDSA
 * way through contract (21,000 base and calldata included); checks the
 * stored nonce afterwards. */
static int ecdsa_baseline(bench *b, const zg_address *contract, unsigned n, uint64_t *gas, uint64_t *calldata)
{
    zg_address ua;
    zg_eth_key user;
    if (zg_eth_key_generate(&user, &b->err))
        return fail(b, "baseline key");
    zg_eth_key_address(&user, &ua);
    char addr[ZG_ADDRESS_STR_MAX], paddr[ZG_ADDRESS_STR_MAX];
    zg_address_to_checksum(&ua, addr);
    zg_address_to_checksum(&b->provider_addr, paddr);
    json_t *list = json_array();
    for (unsigned i = 0; list && i < n; i++) {
        json_t *r = ecdsa_receipt(b, &user, &ua, i);
        if (!r || json_array_append_new(list, r)) {
            json_decref(list);
            list = NULL;
        }
    }
    zg_eth_key_wipe(&user);
    json_t *args = list ? json_pack("[s,o]", addr, list) : NULL;
    char *text = args ? json_dumps(args, JSON_COMPACT) : NULL;
    json_decref(args);
    if (!text)
        return fail(b, "building the ECDSA receipts");
    zg_rpc_receipt tx;
    memset(&tx, 0, sizeof tx);
    uint64_t cd_gas;
    int rc = zg_contract_send(b->rpc, &b->provider, contract, NULL,
                              "settle(address,(uint64,uint128,bytes32,bytes32,bytes32,uint8)[])", text, NULL,
                              &tx, &b->err);
    free(text);
    if (rc || tx_calldata(b, tx.tx_hash, calldata, &cd_gas))
        rc = fail(b, "ECDSA settle");
    *gas = tx.gas_used;
    zg_rpc_receipt_free(&tx);
    if (rc)
        return rc;
    char args2[128];
    snprintf(args2, sizeof args2, "[\"%s\",\"%s\"]", addr, paddr);
    zg_abi_value *v = NULL;
    uint64_t nonce = 0;
    rc = zg_contract_view(b->rpc, contract, NULL, "nonceOf(address,address)(uint64)", args2, &v, &b->err);
    if (!rc)
        rc = zg_abi_get_u64(zg_abi_at(v, 0), &nonce, &b->err);
    zg_abi_value_free(v);
    if (rc)
        return fail(b, "ECDSA nonceOf");
    if (nonce != n) {
        fprintf(stderr, "bench_settle_gas: ECDSA baseline did not settle (nonce %llu)\n",
                (unsigned long long)nonce);
        return -1;
    }
    return 0;
}

/* ------------------------------------------------------------- per size */

static const char *repo_root(void)
{
    const char *r = getenv("ZG_ROOT");
    return r && *r ? r : ".";
}

/* Fresh anvil, dev setup + verifier + Serving, proving key loaded. */
static int start_size(bench *b, unsigned n, double *setup_ms)
{
    char serving[1024], pk_path[128];
    uint32_t size = n;
    zg_deployment d;
    /* A 100M block gas limit (anvil's default is 30M) so the ECDSA baseline
     * of N*k = 4096 receipts (~28M gas + the sender's 20% margin) fits in a
     * block; it changes no measured figure. */
    static const char *const anvil_args[] = {"--gas-limit", "100000000", NULL};
    if (zg_anvil_start_args(&b->anvil, anvil_args) != 0)
        return -1;
    if (zg_rpc_new(b->anvil.url, &b->rpc, &b->err))
        return fail(b, "RPC client");
    zg_rpc_set_timeouts(b->rpc, 5000, 120000);
    if (zg_artifact_path(repo_root(), "Serving", serving, sizeof serving, &b->err))
        return fail(b, "Serving artefact");
    double t0 = now_ms();
    if (zg_serving_deploy_dev(b->rpc, &b->deployer, &size, 1, LOCK_TIME, b->dir, serving, NULL, &d, &b->err))
        return fail(b, "deploy (setup, verifier, Serving)");
    *setup_ms = now_ms() - t0;
    zg_serving_init(&b->sv, b->rpc, &d.serving);
    b->verifier = d.verifiers[0].address;
    snprintf(pk_path, sizeof pk_path, "%s/settle_%u.pk", b->dir, n);
    if (zg_groth16_pk_load(&b->pk, pk_path, &b->err))
        return fail(b, "loading the proving key");
    b->have_pk = 1;
    return 0;
}

/* Removes what deploy_dev and the baseline wrote into the private temp dir
 * (proving key, verifier artefacts, exported vk...), whatever their names. */
static void clean_dir(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *ent;
    char path[512];
    while (d && (ent = readdir(d)) != NULL) {
        if (ent->d_name[0] == '.')
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, ent->d_name);
        unlink(path);
    }
    if (d)
        closedir(d);
}

static void stop_size(bench *b, unsigned n)
{
    (void)n;
    clean_dir(b->dir);
    if (b->have_pk)
        zg_groth16_pk_free(&b->pk);
    b->have_pk = 0;
    zg_rpc_free(b->rpc);
    b->rpc = NULL;
    zg_anvil_stop(&b->anvil);
}

static void print_row(const row *r, uint64_t ecdsa_gas)
{
    unsigned m = r->n * r->k;
    double per = (double)r->gas / m, ecdsa_per = (double)ecdsa_gas / m;
    printf("%5u %3u %10llu %8llu %9llu %9llu %9.0f %10llu %9.0f %7.1fx %9.1f %9.1f\n", r->n, r->k,
           (unsigned long long)r->gas, (unsigned long long)r->calldata, (unsigned long long)r->calldata_gas,
           (unsigned long long)r->verify_gas,
           per, (unsigned long long)ecdsa_gas, ecdsa_per, ecdsa_per / per, r->build_ms / m, r->prove_ms / m);
    fflush(stdout);
}

/* One (N, k) row: the settlement, then the baseline with as many receipts. */
static int run_row(bench *b, const zg_address *ecdsa, unsigned n, unsigned k)
{
    row r;
    uint64_t ecdsa_gas = 0, ecdsa_cd = 0;
    int rc = settle_k(b, n, k, &r);
    if (!rc)
        rc = ecdsa_baseline(b, ecdsa, n * k, &ecdsa_gas, &ecdsa_cd);
    if (!rc)
        print_row(&r, ecdsa_gas);
    return rc;
}

static int run_size(bench *b, unsigned n, const unsigned *ks, size_t nk)
{
    double setup_ms = 0;
    zg_address ecdsa;
    int rc = start_size(b, n, &setup_ms);
    if (!rc)
        rc = deploy_ecdsa(b, &ecdsa);
    if (!rc) {
        printf("# N=%u: dev setup + verifier compile + deployment %.1f s\n", n, setup_ms / 1e3);
        fflush(stdout);
    }
    for (size_t i = 0; !rc && i < nk; i++)
        rc = run_row(b, &ecdsa, n, ks[i]);
    stop_size(b, n);
    return rc;
}

/* ------------------------------------------------------------------ main */

static int parse_ks(const char *s, unsigned *ks, size_t *nk)
{
    *nk = 0;
    while (*s) {
        char *end;
        unsigned long v = strtoul(s, &end, 10);
        if (end == s || v == 0 || v > MAX_K || *nk == MAX_K)
            return -1;
        ks[(*nk)++] = (unsigned)v;
        s = *end == ',' ? end + 1 : end;
        if (*end && *end != ',')
            return -1;
    }
    return *nk ? 0 : -1;
}

static int parse_args(int argc, char **argv, unsigned *sizes, size_t *ns, unsigned *ks, size_t *nk)
{
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-k") && i + 1 < argc) {
            if (parse_ks(argv[++i], ks, nk))
                return -1;
            continue;
        }
        char *end;
        unsigned long v = strtoul(argv[i], &end, 10);
        if (*end || v == 0 || v > ZG_SETTLE_MAX_SLOTS || *ns == MAX_SIZES)
            return -1;
        sizes[(*ns)++] = (unsigned)v;
    }
    if (*ns == 0) {
        sizes[0] = 4, sizes[1] = 16, sizes[2] = 64;
        *ns = 3;
    }
    return 0;
}

int main(int argc, char **argv)
{
    unsigned sizes[MAX_SIZES], ks[MAX_K] = {1, 4};
    size_t ns = 0, nk = 2;
    if (parse_args(argc, argv, sizes, &ns, ks, &nk)) {
        fprintf(stderr, "usage: bench_settle_gas [-k K1,K2,...] [N ...]   (K <= %d, N <= %d; "
                "defaults: -k 1,4  4 16 64)\n", MAX_K, ZG_SETTLE_MAX_SLOTS);
        return 2;
    }
    static bench b; /* large-ish; zero-initialised */
    snprintf(b.dir, sizeof b.dir, "/tmp/zg-gas-XXXXXX");
    if (!mkdtemp(b.dir)) {
        perror("bench_settle_gas: mkdtemp");
        return 1;
    }
    if (zg_eth_key_from_hex(&b.deployer, zg_anvil_keys[0], &b.err) ||
        zg_eth_key_from_hex(&b.provider, zg_anvil_keys[1], &b.err)) {
        rmdir(b.dir);
        fail(&b, "dev keys");
        return 1;
    }
    zg_eth_key_address(&b.provider, &b.provider_addr);
    printf("# settleFees on anvil, real generated Groth16 verifier (DEVELOPMENT setup), gas = gasUsed of the\n"
           "# transaction (21,000 base + calldata + execution); ECDSA = same-run baseline, N*k receipts in one tx\n");
    printf("%5s %3s %10s %8s %9s %9s %9s %10s %9s %8s %9s %9s\n", "N", "k", "gasUsed", "calldata", "cd_gas",
           "verify",
           "gas/rcpt", "ecdsa_gas", "ecdsa/rc", "ratio", "wit ms/rc", "prv ms/rc");
    int rc = 0;
    for (size_t i = 0; !rc && i < ns; i++)
        rc = run_size(&b, sizes[i], ks, nk);
    rmdir(b.dir);
    return rc ? 1 : 0;
}
