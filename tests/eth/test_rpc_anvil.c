/* test_rpc_anvil.c - the RPC client and sender against a real chain (anvil):
 * an EIP-1559 value transfer signed by our code, balances after it, a
 * contract deployment, events read back through receipts and eth_getLogs,
 * and reverts (Error(string), a custom error, Panic) decoded from eth_call,
 * eth_estimateGas and a mined failing transaction. */
#include "zg_anvil.h"
#include "zg_test.h"

#include "base/hex.h"
#include "eth/abi.h"
#include "eth/contract.h"
#include "eth/rpc.h"
#include "eth/sender.h"

static zg_err err;

/* Init code of this contract, compiled once with solc 0.8.26 (solc-js,
 * optimizer on, 200 runs) and checked in as hex:
 *
 * // SPDX-License-Identifier: MIT
 * pragma solidity 0.8.26;
 *
 * contract Reverter {
 *     error Bad(uint256 code, string why);
 *     event Ping(address indexed from, uint256 value);
 *
 *     function ping(uint256 v) external returns (uint256) {
 *         emit Ping(msg.sender, v);
 *         return v + 1;
 *     }
 *
 *     function fail() external pure {
 *         revert("nope");
 *     }
 *
 *     function failCustom(uint256 c) external pure {
 *         revert Bad(c, "custom");
 *     }
 *
 *     function overflow(uint8 a) external pure returns (uint8) {
 *         return a + 255;
 *     }
 * }
 */
static const char reverter_hex[] =
    "6080604052348015600e575f80fd5b506102338061001c5f395ff3fe608060405234801561000f575f80fd5b50600436"
    "1061004a575f3560e01c806364245fbc1461004e578063773acdef14610078578063a7b8133a14610099578063a9cc47"
    "18146100ae575b5f80fd5b61006161005c36600461017f565b6100b6565b60405160ff90911681526020015b60405180"
    "910390f35b61008b6100863660046101a6565b6100c8565b60405190815260200161006f565b6100ac6100a736600461"
    "01a6565b61010a565b005b6100ac61014e565b5f6100c28260ff6101d1565b92915050565b6040518181525f9033907f"
    "fd8d0c1dc3ab254ec49463a1192bb2423b3b851adedec1aa94dcd362dc063c9d9060200160405180910390a26100c282"
    "60016101ea565b80604051635a80ad6f60e01b8152600401610145918152604060208201819052600690820152656375"
    "73746f6d60d01b606082015260800190565b60405180910390fd5b60405162461bcd60e51b8152600401610145906020"
    "808252600490820152636e6f706560e01b604082015260600190565b5f6020828403121561018f575f80fd5b813560ff"
    "8116811461019f575f80fd5b9392505050565b5f602082840312156101b6575f80fd5b5035919050565b634e487b7160"
    "e01b5f52601160045260245ffd5b60ff81811683821601908111156100c2576100c26101bd565b808201808211156100"
    "c2576100c26101bd56fea264697066735822122015c530a13ff553d84c65b7fd74957fd9b59b75efc55bba6ea30801a9"
    "9ae0989564736f6c634300081a0033";

static const char *const reverter_errors[] = { "Bad(uint256 code, string why)" };

static zg_anvil anvil;
static zg_rpc *rpc;
static zg_address reverter; /* set by test_deploy */
static int deployed;

static void key_of(int i, zg_eth_key *k, zg_address *a)
{
    zg_eth_key_from_hex(k, zg_anvil_keys[i], &err);
    zg_eth_key_address(k, a);
}

static void test_chain(void)
{
    uint64_t id = 0, n = 99;
    CHECK_OK(zg_rpc_chain_id(rpc, &id, &err));
    CHECK_EQ_U64(id, ZG_ANVIL_CHAIN_ID);
    CHECK_OK(zg_rpc_block_number(rpc, &n, &err));
    CHECK_EQ_U64(n, 0);
    zg_rpc_block b;
    CHECK_OK(zg_rpc_get_block(rpc, NULL, &b, &err));
    CHECK(!zg_u256_is_zero(&b.base_fee));
    CHECK(b.timestamp > 1600000000);
    CHECK_EQ_INT(zg_rpc_get_block(rpc, "0x1000", &b, &err), ZG_ENOTFOUND);
    zg_eth_key k;
    zg_address a;
    key_of(0, &k, &a);
    char addr[ZG_ADDRESS_STR_MAX];
    zg_address_to_checksum(&a, addr);
    CHECK_EQ_STR(addr, zg_anvil_addrs[0]);
    zg_u256 bal, want;
    CHECK_OK(zg_rpc_balance(rpc, &a, &bal, &err));
    zg_u256_from_dec(&want, "10000000000000000000000", &err);
    CHECK(zg_u256_cmp(&bal, &want) == 0);
    json_t *res = NULL;
    CHECK_OK(zg_rpc_call(rpc, "web3_clientVersion", "[]", &res, &err));
    CHECK(json_is_string(res) && strstr(json_string_value(res), "anvil") != NULL);
    json_decref(res);
    CHECK_EQ_INT(zg_rpc_call(rpc, "eth_noSuchMethod", NULL, &res, &err), ZG_ERPC);
    CHECK(strstr(err.msg, "eth_noSuchMethod") != NULL);
    CHECK_EQ_INT(zg_rpc_call(rpc, "eth_chainId", "{}", &res, &err), ZG_EINVAL);
}

static void test_value_transfer(void)
{
    zg_eth_key k;
    zg_address from, to;
    key_of(1, &k, &from);
    /* A fresh recipient: all its balance comes from this transfer. */
    memset(to.b, 0x5a, 20);
    to.b[0] = 0x42;
    zg_u256 before_from, before_to, after_from, after_to, value;
    CHECK_OK(zg_rpc_balance(rpc, &from, &before_from, &err));
    CHECK_OK(zg_rpc_balance(rpc, &to, &before_to, &err));
    CHECK(zg_u256_is_zero(&before_to));
    uint64_t nonce = 99;
    CHECK_OK(zg_rpc_nonce(rpc, &from, &nonce, &err));
    CHECK_EQ_U64(nonce, 0);
    zg_u256_from_dec(&value, "1500000000000000000", &err); /* 1.5 eth */

    zg_rpc_receipt rc;
    CHECK_OK(zg_send_tx(rpc, &k, &to, &value, NULL, 0, NULL, &rc, &err));
    CHECK_EQ_INT(rc.status, 1);
    CHECK_EQ_U64(rc.gas_used, 21000);
    CHECK(!rc.has_contract);
    CHECK(zg_address_eq(&rc.from, &from));
    CHECK_OK(zg_rpc_balance(rpc, &to, &after_to, &err));
    CHECK(zg_u256_cmp(&after_to, &value) == 0);
    /* Sender paid value + gas_used * effective price, exactly. */
    CHECK_OK(zg_rpc_balance(rpc, &from, &after_from, &err));
    zg_u256 gas = zg_u256_from_u64(rc.gas_used), cost, spent;
    zg_u256_mul(&cost, &gas, &rc.effective_gas_price);
    zg_u256_add(&cost, &cost, &value);
    zg_u256_sub(&spent, &before_from, &after_from);
    CHECK(zg_u256_cmp(&spent, &cost) == 0);
    CHECK_OK(zg_rpc_nonce(rpc, &from, &nonce, &err));
    CHECK_EQ_U64(nonce, 1);
    zg_rpc_receipt again;
    CHECK_OK(zg_rpc_get_receipt(rpc, rc.tx_hash, &again, &err));
    CHECK_EQ_U64(again.block_number, rc.block_number);
    zg_rpc_receipt_free(&again);
    zg_rpc_receipt_free(&rc);

    /* Reusing nonce 0 is a nonce conflict; an empty account cannot pay. */
    zg_send_opts o;
    memset(&o, 0, sizeof o);
    o.has_nonce = 1;
    o.nonce = 0;
    CHECK_EQ_INT(zg_send_tx(rpc, &k, &to, &value, NULL, 0, &o, &rc, &err), ZG_ESTATE);
    CHECK_MSG(strstr(err.msg, "nonce") != NULL, "%s", err.msg);
    zg_rpc_receipt_free(&rc);
    zg_eth_key poor;
    zg_address poor_addr;
    uint8_t secret[32];
    memset(secret, 0x11, 32);
    zg_eth_key_from_secret(&poor, secret, &err);
    zg_eth_key_address(&poor, &poor_addr);
    memset(&o, 0, sizeof o);
    o.gas_limit = 21000;
    int prc = zg_send_tx(rpc, &poor, &to, &value, NULL, 0, &o, &rc, &err);
    CHECK_MSG(prc == ZG_EFUNDS, "%d: %s", prc, err.msg);
    zg_rpc_receipt_free(&rc);

    /* A transaction nobody sent has no receipt; waiting gives up in time. */
    uint8_t nohash[32] = { 1, 2, 3 };
    CHECK_EQ_INT(zg_rpc_get_receipt(rpc, nohash, &again, &err), ZG_ENOTFOUND);
    CHECK_EQ_INT(zg_rpc_wait_receipt(rpc, nohash, 300, &again, &err), ZG_ETIMEOUT);
    zg_rpc_receipt_free(&again);
}

static void test_deploy(void)
{
    zg_eth_key k;
    zg_address from;
    key_of(2, &k, &from);
    zg_buf code;
    zg_buf_init(&code);
    CHECK_OK(zg_hex_decode_buf(reverter_hex, &code, &err));
    zg_rpc_receipt rc;
    CHECK_OK(zg_send_tx(rpc, &k, NULL, NULL, code.data, code.len, NULL, &rc, &err));
    CHECK(rc.has_contract);
    reverter = rc.contract_address;
    deployed = rc.status == 1;
    zg_buf runtime;
    zg_buf_init(&runtime);
    CHECK_OK(zg_rpc_code(rpc, &reverter, &runtime, &err));
    CHECK(runtime.len > 100 && runtime.len < code.len);
    zg_buf_free(&runtime);
    zg_rpc_receipt_free(&rc);
    zg_buf_free(&code);
}

static void test_call_and_events(void)
{
    if (!deployed)
        return;
    zg_eth_key k;
    zg_address from;
    key_of(3, &k, &from);
    zg_abi_sig *ping, *ev;
    CHECK_OK(zg_abi_sig_parse("ping(uint256)(uint256)", &ping, &err));
    CHECK_OK(zg_abi_sig_parse("event Ping(address indexed from, uint256 value)", &ev, &err));
    zg_buf cd, out;
    zg_buf_init(&cd);
    zg_buf_init(&out);
    CHECK_OK(zg_abi_encode_call_json("ping(uint256)", "[\"41\"]", &cd, &err));

    /* eth_call: the result decodes as 42. */
    zg_rpc_msg m = { &from, &reverter, cd.data, cd.len, NULL, 0 };
    CHECK_OK(zg_rpc_eth_call(rpc, &m, NULL, &out, &err));
    zg_abi_value *v = NULL;
    CHECK_OK(zg_abi_decode_output(ping, out.data, out.len, &v, &err));
    uint64_t x = 0;
    if (v)
        CHECK_OK(zg_abi_get_u64(zg_abi_at(v, 0), &x, &err));
    CHECK_EQ_U64(x, 42);
    zg_abi_value_free(v);

    /* A transaction: the receipt carries the event. */
    zg_rpc_receipt rc;
    CHECK_OK(zg_send_tx(rpc, &k, &reverter, NULL, cd.data, cd.len, NULL, &rc, &err));
    CHECK_EQ_U64(rc.n_logs, 1);
    if (rc.n_logs == 1) {
        zg_rpc_log *l = &rc.logs[0];
        CHECK(zg_address_eq(&l->address, &reverter));
        v = NULL;
        CHECK_OK(zg_abi_decode_event(ev, (const uint8_t (*)[32])l->topics, l->n_topics, l->data,
                                     l->data_len, &v, &err));
        zg_address who;
        memset(&who, 0, sizeof who);
        if (v) {
            CHECK_OK(zg_abi_get_address(zg_abi_at(v, 0), &who, &err));
            CHECK_OK(zg_abi_get_u64(zg_abi_at(v, 1), &x, &err));
        }
        CHECK(zg_address_eq(&who, &from));
        CHECK_EQ_U64(x, 41);
        zg_abi_value_free(v);
    }
    /* eth_getLogs by address + topic0 + topic1 finds it; another sender does not. */
    zg_rpc_filter f;
    memset(&f, 0, sizeof f);
    f.address = &reverter;
    f.from_block = 0;
    f.to_tag = "latest";
    memcpy(f.topics[0], ev->topic, 32);
    f.topic_set[0] = 1;
    memcpy(f.topics[1] + 12, from.b, 20);
    f.topic_set[1] = 1;
    f.n_topics = 2;
    zg_rpc_log *logs = NULL;
    size_t n = 0;
    CHECK_OK(zg_rpc_get_logs(rpc, &f, &logs, &n, &err));
    CHECK_EQ_U64(n, 1);
    if (n == 1)
        CHECK_EQ_MEM(logs[0].tx_hash, rc.tx_hash, 32);
    zg_rpc_logs_free(logs, n);
    f.topics[1][31] ^= 1;
    CHECK_OK(zg_rpc_get_logs(rpc, &f, &logs, &n, &err));
    CHECK_EQ_U64(n, 0);
    zg_rpc_logs_free(logs, n);
    zg_rpc_receipt_free(&rc);
    zg_abi_sig_free(ping);
    zg_abi_sig_free(ev);
    zg_buf_free(&cd);
    zg_buf_free(&out);
}

/* eth_call of a reverting function: the decoded reason is in the message. */
static void expect_call_revert(const char *sig, const char *args, const char *reason)
{
    zg_buf cd, out;
    zg_buf_init(&cd);
    zg_buf_init(&out);
    CHECK_OK(zg_abi_encode_call_json(sig, args, &cd, &err));
    zg_rpc_msg m = { NULL, &reverter, cd.data, cd.len, NULL, 0 };
    CHECK_EQ_INT(zg_rpc_eth_call(rpc, &m, NULL, &out, &err), ZG_EREVERT);
    CHECK_MSG(strstr(err.msg, reason) != NULL, "%s: message \"%s\" lacks \"%s\"", sig, err.msg, reason);
    size_t len = 0;
    zg_rpc_last_revert(rpc, &len);
    CHECK(len >= 4);
    uint64_t gas;
    CHECK_EQ_INT(zg_rpc_estimate_gas(rpc, &m, &gas, &err), ZG_EREVERT);
    CHECK_MSG(strstr(err.msg, reason) != NULL, "estimate %s: \"%s\"", sig, err.msg);
    zg_buf_free(&cd);
    zg_buf_free(&out);
}

static void test_reverts(void)
{
    if (!deployed)
        return;
    zg_rpc_set_errors(rpc, reverter_errors, 1);
    expect_call_revert("fail()", "[]", "Error(\"nope\")");
    expect_call_revert("failCustom(uint256)", "[\"7\"]", "Bad(7, \"custom\")");
    expect_call_revert("overflow(uint8)", "[\"3\"]", "Panic(0x11: arithmetic overflow or underflow)");

    /* Without the signature list the custom error is shown by selector. */
    zg_rpc_set_errors(rpc, NULL, 0);
    expect_call_revert("failCustom(uint256)", "[\"7\"]", "unknown error 0x");
    zg_rpc_set_errors(rpc, reverter_errors, 1);

    /* The sender refuses to send what reverts in estimation. */
    zg_eth_key k;
    zg_address from;
    key_of(4, &k, &from);
    zg_buf cd;
    zg_buf_init(&cd);
    CHECK_OK(zg_abi_encode_call_json("failCustom(uint256)", "[\"9\"]", &cd, &err));
    zg_rpc_receipt rc;
    CHECK_EQ_INT(zg_send_tx(rpc, &k, &reverter, NULL, cd.data, cd.len, NULL, &rc, &err), ZG_EREVERT);
    CHECK_MSG(strstr(err.msg, "Bad(9, \"custom\")") != NULL, "%s", err.msg);
    zg_rpc_receipt_free(&rc);

    /* With a fixed gas limit it is sent, mined with status 0, and the
     * reason is replayed. */
    zg_send_opts o;
    memset(&o, 0, sizeof o);
    o.gas_limit = 100000;
    CHECK_EQ_INT(zg_send_tx(rpc, &k, &reverter, NULL, cd.data, cd.len, &o, &rc, &err), ZG_EREVERT);
    CHECK_EQ_INT(rc.status, 0);
    CHECK(rc.block_number > 0);
    CHECK_MSG(strstr(err.msg, "mined but failed") && strstr(err.msg, "Bad(9, \"custom\")"), "%s", err.msg);
    zg_rpc_receipt_free(&rc);
    zg_buf_free(&cd);
}

/* The by-signature helpers of eth/contract.h. */
static void test_contract_helpers(void)
{
    if (!deployed)
        return;
    zg_eth_key k;
    zg_address from;
    key_of(5, &k, &from);
    zg_abi_value *out = NULL;
    CHECK_OK(zg_contract_view(rpc, &reverter, &from, "ping(uint256)(uint256)", "[\"99\"]", &out, &err));
    char *text = out ? zg_abi_value_to_text(out) : NULL;
    CHECK_EQ_STR(text, "(100)");
    free(text);
    zg_abi_value_free(out);
    CHECK_EQ_INT(zg_contract_view(rpc, &reverter, NULL, "fail()()", "[]", &out, &err), ZG_EREVERT);
    CHECK(strstr(err.msg, "fail()") && strstr(err.msg, "Error(\"nope\")"));
    CHECK_EQ_INT(zg_contract_view(rpc, &reverter, NULL, "ping(uint256)", "[\"1\"]", &out, &err), ZG_EINVAL);
    zg_address nobody;
    memset(nobody.b, 0x77, 20);
    CHECK_EQ_INT(zg_contract_view(rpc, &nobody, NULL, "ping(uint256)(uint256)", "[\"1\"]", &out, &err), ZG_ENOTFOUND);

    zg_rpc_receipt rc;
    CHECK_OK(zg_contract_send(rpc, &k, &reverter, NULL, "ping(uint256)", "[\"5\"]", NULL, &rc, &err));
    zg_abi_sig *ev;
    CHECK_OK(zg_abi_sig_parse("Ping(address indexed from, uint256 value)", &ev, &err));
    CHECK_EQ_U64(rc.n_logs, 1);
    if (rc.n_logs == 1) {
        zg_abi_value *v = NULL;
        CHECK_OK(zg_contract_decode_log(ev, &rc.logs[0], &v, &err));
        char *t = v ? zg_abi_value_to_text(v) : NULL;
        char want[128], addr[ZG_ADDRESS_STR_MAX];
        zg_address_to_checksum(&from, addr);
        snprintf(want, sizeof want, "(%s, 5)", addr);
        CHECK_EQ_STR(t, want);
        free(t);
        zg_abi_value_free(v);
    }
    zg_abi_sig_free(ev);
    zg_rpc_receipt_free(&rc);

    /* Deploy through the helper (no constructor arguments here). */
    zg_buf code;
    zg_buf_init(&code);
    CHECK_OK(zg_hex_decode_buf(reverter_hex, &code, &err));
    CHECK_OK(zg_contract_deploy(rpc, &k, code.data, code.len, "()", "[]", NULL, &rc, &err));
    CHECK(rc.has_contract && !zg_address_eq(&rc.contract_address, &reverter));
    zg_rpc_receipt_free(&rc);
    CHECK_EQ_INT(zg_contract_deploy(rpc, &k, code.data, code.len, "(uint8)", "[\"256\"]", NULL, &rc, &err), ZG_ERANGE);
    zg_rpc_receipt_free(&rc);
    zg_buf_free(&code);
    CHECK_EQ_INT(zg_contract_send(rpc, &k, &reverter, NULL, "ping(uint8)", "[\"300\"]", NULL, &rc, &err), ZG_ERANGE);
    zg_rpc_receipt_free(&rc);
}

static void test_generic_and_fees(void)
{
    /* anvil-specific methods through the generic call. */
    zg_rpc_block b1, b2;
    CHECK_OK(zg_rpc_get_block(rpc, NULL, &b1, &err));
    json_t *res = NULL;
    CHECK_OK(zg_rpc_call(rpc, "evm_increaseTime", "[3600]", &res, &err));
    json_decref(res);
    CHECK_OK(zg_rpc_call(rpc, "evm_mine", NULL, &res, &err));
    json_decref(res);
    CHECK_OK(zg_rpc_get_block(rpc, NULL, &b2, &err));
    CHECK_EQ_U64(b2.number, b1.number + 1);
    CHECK(b2.timestamp >= b1.timestamp + 3600);
    zg_u256 max_fee, prio;
    CHECK_OK(zg_rpc_suggest_fees(rpc, &max_fee, &prio, &err));
    CHECK(zg_u256_cmp(&max_fee, &b2.base_fee) > 0);
}

/* A pre-London chain: no base fee, so the sender falls back to EIP-155. */
static void test_legacy_chain(void)
{
    zg_anvil old;
    const char *args[] = { "--hardfork", "berlin", NULL };
    if (zg_anvil_start_args(&old, args) != 0) {
        CHECK_MSG(0, "cannot start a berlin anvil");
        return;
    }
    zg_rpc *r = NULL;
    CHECK_OK(zg_rpc_new(old.url, &r, &err));
    zg_rpc_block b;
    CHECK_OK(zg_rpc_get_block(r, NULL, &b, &err));
    CHECK_EQ_INT(b.has_base_fee, 0);
    zg_u256 mf, pf;
    CHECK_EQ_INT(zg_rpc_suggest_fees(r, &mf, &pf, &err), ZG_ESTATE);
    zg_eth_key k;
    zg_address from, to;
    key_of(6, &k, &from);
    memset(to.b, 0x66, 20);
    zg_u256 value = zg_u256_from_u64(12345), bal;
    zg_rpc_receipt rc;
    CHECK_OK(zg_send_tx(r, &k, &to, &value, NULL, 0, NULL, &rc, &err));
    CHECK_EQ_INT(rc.status, 1);
    zg_rpc_receipt_free(&rc);
    CHECK_OK(zg_rpc_balance(r, &to, &bal, &err));
    CHECK(zg_u256_cmp(&bal, &value) == 0);
    zg_rpc_free(r);
    zg_anvil_stop(&old);

    /* And legacy on demand on a London chain. */
    zg_send_opts o;
    memset(&o, 0, sizeof o);
    o.legacy = 1;
    CHECK_OK(zg_send_tx(rpc, &k, &to, &value, NULL, 0, &o, &rc, &err));
    CHECK_EQ_INT(rc.status, 1);
    zg_rpc_receipt_free(&rc);
}

int main(void)
{
    if (zg_anvil_start(&anvil) != 0) {
        fprintf(stderr, "cannot start anvil\n");
        return 1;
    }
    if (zg_rpc_new(anvil.url, &rpc, &err) != ZG_OK) {
        zg_anvil_stop(&anvil);
        return 1;
    }
    ZG_RUN(test_chain);
    ZG_RUN(test_value_transfer);
    ZG_RUN(test_deploy);
    ZG_RUN(test_call_and_events);
    ZG_RUN(test_reverts);
    ZG_RUN(test_contract_helpers);
    ZG_RUN(test_generic_and_fees);
    ZG_RUN(test_legacy_chain);
    zg_rpc_free(rpc);
    zg_anvil_stop(&anvil);
    ZG_TEST_END();
}
