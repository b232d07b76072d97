/*
 * eth/contract.h - calling contracts by signature: the glue of abi.h,
 * rpc.h and sender.h that contract bindings use.
 *
 *   zg_abi_value *out;
 *   zg_contract_view(rpc, &token, NULL, "balanceOf(address)(uint256)",
 *                    "[\"0xf39F...\"]", &out, &e);
 *   zg_contract_send(rpc, &key, &serving, &deposit, "depositFund(address)",
 *                    "[\"0x7099...\"]", NULL, &receipt, &e);
 *
 * Arguments are the JSON form of eth/abi.h (numbers as decimal or 0x
 * strings, addresses and bytes as 0x hex, tuples and arrays as JSON arrays).
 * Reverts come back as ZG_EREVERT with the reason decoded using the error
 * signatures registered on the client (zg_rpc_set_errors).
 */
#ifndef ZG_ETH_CONTRACT_H
#define ZG_ETH_CONTRACT_H

#include "eth/abi.h"
#include "eth/rpc.h"
#include "eth/sender.h"

/* eth_call of sig with args at "latest"; sig must declare its outputs
 * ("f(uint256)(bool,string)"); *out is the decoded output tuple. from may
 * be NULL (the call then runs from the zero address). */
int zg_contract_view(zg_rpc *r, const zg_address *to, const zg_address *from,
                     const char *sig, const char *args_json, zg_abi_value **out, zg_err *e);

/* Sends a transaction calling sig with args (value may be NULL); as
 * zg_send_tx (free the receipt with zg_rpc_receipt_free). */
int zg_contract_send(zg_rpc *r, const zg_eth_key *k, const zg_address *to,
                     const zg_u256 *value, const char *sig, const char *args_json,
                     const zg_send_opts *opts, zg_rpc_receipt *out, zg_err *e);

/* Deploys init code (e.g. forge's bytecode.object) with constructor
 * arguments: ctor_types is their tuple type ("(address[],uint256)") and
 * args_json their values; both NULL when the constructor takes none. The
 * new address is out->contract_address. As zg_send_tx otherwise. */
int zg_contract_deploy(zg_rpc *r, const zg_eth_key *k, const uint8_t *code, size_t code_len,
                       const char *ctor_types, const char *args_json,
                       const zg_send_opts *opts, zg_rpc_receipt *out, zg_err *e);

/* Decodes a log as event sig (see zg_abi_decode_event): ZG_ENOTFOUND when
 * the log is another event. */
int zg_contract_decode_log(const zg_abi_sig *sig, const zg_rpc_log *log, zg_abi_value **out,
                           zg_err *e);

#endif
