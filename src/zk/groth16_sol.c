/*
 * groth16_sol.c - writes the Solidity batch verifier of a verifying key
 * (design in groth16_sol.h). The template is plain text with the key's
 * points spliced in as constants.
 */
#include <ctype.h>
#include <stdarg.h>
#include <string.h>

#include "zk/groth16_sol.h"

static int putf(zg_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int putf(zg_buf *b, const char *fmt, ...)
{
    char tmp[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof tmp) return ZG_EINTERNAL;
    return zg_buf_append(b, tmp, (size_t)n);
}

static int put(zg_buf *b, const char *s) { return zg_buf_append(b, s, strlen(s)); }

static void hex(char out[67], const zg_fq *x) { zg_fq_to_hex(out, x); }

static int put_const(zg_buf *b, const char *name, const zg_fq *x)
{
    char h[67];
    hex(h, x);
    return putf(b, "    uint256 internal constant %s = %s;\n", name, h);
}

static int put_g2_const(zg_buf *b, const char *name, const zg_g2_aff *p)
{
    zg_g2_aff n;
    char nm[64];
    zg_g2_affine_neg(&n, p);   /* the contract pairs with -beta, -gamma, -delta */
    const zg_fq *c[4] = {&n.x.c1, &n.x.c0, &n.y.c1, &n.y.c0};
    static const char *suffix[4] = {"X_IM", "X_RE", "Y_IM", "Y_RE"};
    int rc = ZG_OK;
    for (int i = 0; i < 4 && !rc; i++) {
        snprintf(nm, sizeof nm, "NEG_%s_%s", name, suffix[i]);
        rc = put_const(b, nm, c[i]);
    }
    return rc;
}

static const char *const interface_src =
    "interface ISettlementVerifier {\n"
    "    function verifyBatch(uint256[] calldata proofs, uint256[] calldata inputs) external view returns (bool);\n"
    "}\n\n";

/* Everything after the constants; NPUB is a constant of the contract. */
static const char *const body_src =
    "\n"
    "    /// @inheritdoc ISettlementVerifier\n"
    "    function verifyBatch(uint256[] calldata proofs, uint256[] calldata inputs) external view returns (bool) {\n"
    "        uint256 k = inputs.length / NPUB;\n"
    "        if (k == 0 || inputs.length != k * NPUB || proofs.length != k * 8) return false;\n"
    "        for (uint256 i; i < inputs.length; ++i) {\n"
    "            if (inputs[i] >= R) return false;\n"
    "        }\n"
    "        bytes32 seed = keccak256(abi.encodePacked(proofs, inputs));\n"
    "        // pairs: (rho_j A_j, B_j) for each proof, then 3 fixed-G2 pairs.\n"
    "        uint256[] memory p = new uint256[]((k + 3) * 6);\n"
    "        // acc: [sum rho, sum rho x_0 .. sum rho x_{NPUB-1}, Cx, Cy]\n"
    "        uint256[] memory acc = new uint256[](NPUB + 3);\n"
    "        for (uint256 j; j < k; ++j) {\n"
    "            if (!_fold(proofs, inputs, j, seed, p, acc)) return false;\n"
    "        }\n"
    "        return _finish(p, k, acc);\n"
    "    }\n"
    "\n"
    "    /// @dev Adds proof j to the batch: its scaled A and B as pair j, rho_j C_j\n"
    "    /// and rho_j times its inputs into acc.\n"
    "    function _fold(\n"
    "        uint256[] calldata proofs,\n"
    "        uint256[] calldata inputs,\n"
    "        uint256 j,\n"
    "        bytes32 seed,\n"
    "        uint256[] memory p,\n"
    "        uint256[] memory acc\n"
    "    ) internal view returns (bool ok) {\n"
    "        uint256 o = j * 8;\n"
    "        uint256 b = j * 6;\n"
    "        uint256 rho = 1;\n"
    "        if (j == 0) {\n"
    "            p[0] = proofs[0];\n"
    "            p[1] = proofs[1];\n"
    "            acc[NPUB + 1] = proofs[6];\n"
    "            acc[NPUB + 2] = proofs[7];\n"
    "        } else {\n"
    "            rho = uint256(keccak256(abi.encodePacked(seed, j))) % R;\n"
    "            (ok, p[b], p[b + 1]) = _mul(proofs[o], proofs[o + 1], rho);\n"
    "            if (!ok) return false;\n"
    "            (uint256 cx, uint256 cy) = (proofs[o + 6], proofs[o + 7]);\n"
    "            (ok, cx, cy) = _mul(cx, cy, rho);\n"
    "            if (!ok) return false;\n"
    "            (ok, acc[NPUB + 1], acc[NPUB + 2]) = _add(acc[NPUB + 1], acc[NPUB + 2], cx, cy);\n"
    "            if (!ok) return false;\n"
    "        }\n"
    "        p[b + 2] = proofs[o + 2];\n"
    "        p[b + 3] = proofs[o + 3];\n"
    "        p[b + 4] = proofs[o + 4];\n"
    "        p[b + 5] = proofs[o + 5];\n"
    "        acc[0] = addmod(acc[0], rho, R);\n"
    "        uint256 io = j * NPUB;\n"
    "        for (uint256 t; t < NPUB; ++t) {\n"
    "            acc[t + 1] = addmod(acc[t + 1], mulmod(rho, inputs[io + t], R), R);\n"
    "        }\n"
    "        return true;\n"
    "    }\n"
    "\n"
    "    /// @dev Appends ((sum rho) alpha, -beta), (sum rho L, -gamma), (sum rho C, -delta)\n"
    "    /// and runs the pairing check.\n"
    "    function _finish(uint256[] memory p, uint256 k, uint256[] memory acc) internal view returns (bool) {\n"
    "        bool ok;\n"
    "        uint256 b = k * 6;\n"
    "        (ok, p[b], p[b + 1]) = _mul(ALPHA_X, ALPHA_Y, acc[0]);\n"
    "        if (!ok) return false;\n"
    "        (p[b + 2], p[b + 3], p[b + 4], p[b + 5]) = (NEG_BETA_X_IM, NEG_BETA_X_RE, NEG_BETA_Y_IM, NEG_BETA_Y_RE);\n"
    "        (uint256 lx, uint256 ly) = _ic(0);\n"
    "        (ok, lx, ly) = _mul(lx, ly, acc[0]);\n"
    "        if (!ok) return false;\n"
    "        for (uint256 t; t < NPUB; ++t) {\n"
    "            (uint256 x, uint256 y) = _ic(t + 1);\n"
    "            (ok, x, y) = _mul(x, y, acc[t + 1]);\n"
    "            if (!ok) return false;\n"
    "            (ok, lx, ly) = _add(lx, ly, x, y);\n"
    "            if (!ok) return false;\n"
    "        }\n"
    "        (p[b + 6], p[b + 7]) = (lx, ly);\n"
    "        (p[b + 8], p[b + 9], p[b + 10], p[b + 11]) = (NEG_GAMMA_X_IM, NEG_GAMMA_X_RE, NEG_GAMMA_Y_IM, NEG_GAMMA_Y_RE);\n"
    "        (p[b + 12], p[b + 13]) = (acc[NPUB + 1], acc[NPUB + 2]);\n"
    "        (p[b + 14], p[b + 15], p[b + 16], p[b + 17]) = (NEG_DELTA_X_IM, NEG_DELTA_X_RE, NEG_DELTA_Y_IM, NEG_DELTA_Y_RE);\n"
    "        uint256 res;\n"
    "        assembly {\n"
    "            ok := staticcall(gas(), 0x08, add(p, 0x20), mul(mload(p), 0x20), 0x00, 0x20)\n"
    "            res := mload(0x00)\n"
    "        }\n"
    "        return ok && res == 1;\n"
    "    }\n"
    "\n"
    "    /// @dev ecMul precompile (EIP-196); fails on an invalid point.\n"
    "    function _mul(uint256 x, uint256 y, uint256 s) internal view returns (bool ok, uint256 rx, uint256 ry) {\n"
    "        assembly {\n"
    "            let m := mload(0x40)\n"
    "            mstore(m, x)\n"
    "            mstore(add(m, 0x20), y)\n"
    "            mstore(add(m, 0x40), s)\n"
    "            ok := staticcall(gas(), 0x07, m, 0x60, m, 0x40)\n"
    "            rx := mload(m)\n"
    "            ry := mload(add(m, 0x20))\n"
    "        }\n"
    "    }\n"
    "\n"
    "    /// @dev ecAdd precompile (EIP-196); fails on an invalid point.\n"
    "    function _add(uint256 x1, uint256 y1, uint256 x2, uint256 y2)\n"
    "        internal\n"
    "        view\n"
    "        returns (bool ok, uint256 rx, uint256 ry)\n"
    "    {\n"
    "        assembly {\n"
    "            let m := mload(0x40)\n"
    "            mstore(m, x1)\n"
    "            mstore(add(m, 0x20), y1)\n"
    "            mstore(add(m, 0x40), x2)\n"
    "            mstore(add(m, 0x60), y2)\n"
    "            ok := staticcall(gas(), 0x06, m, 0x80, m, 0x40)\n"
    "            rx := mload(m)\n"
    "            ry := mload(add(m, 0x20))\n"
    "        }\n"
    "    }\n";

static int valid_ident(const char *s)
{
    if (!s || !*s || !(isalpha((unsigned char)*s) || *s == '_')) return 0;
    for (; *s; s++)
        if (!(isalnum((unsigned char)*s) || *s == '_')) return 0;
    return 1;
}

static int valid_path(const char *s)
{
    if (!s || !*s) return 0;
    for (; *s; s++)
        if (*s == '"' || *s == '\\' || *s == '\n') return 0;
    return 1;
}

static int write_ic(zg_buf *b, const zg_groth16_vk *vk)
{
    int rc = put(b, "\n    /// @dev IC_i of the verifying key (i = 0..NPUB).\n"
                    "    function _ic(uint256 i) internal pure returns (uint256 x, uint256 y) {\n");
    for (uint32_t i = 0; !rc && i <= vk->n_public; i++) {
        char hx[67], hy[67];
        hex(hx, &vk->ic[i].x);
        hex(hy, &vk->ic[i].y);
        rc = putf(b, "        %sif (i == %u) return (%s, %s);\n", i ? "else " : "", i, hx, hy);
    }
    if (!rc) rc = put(b, "    }\n");
    return rc;
}

int zg_groth16_solidity(zg_buf *out, const zg_groth16_vk *vk, const char *contract_name,
                        const char *interface_import, zg_err *e)
{
    if (!valid_ident(contract_name))
        return zg_err_set(e, ZG_EINVAL, "solidity: \"%s\" is not a valid contract name",
                          contract_name ? contract_name : "(null)");
    if (interface_import && !valid_path(interface_import))
        return zg_err_set(e, ZG_EINVAL, "solidity: bad import path");
    if (vk->n_public == 0) return zg_err_set(e, ZG_EINVAL, "solidity: the key has no public inputs");
    int rc = put(out, "// SPDX-License-Identifier: MIT\n"
                      "// Generated by zg (src/zk/groth16_sol.c) from a Groth16 verifying key. Do not edit.\n"
                      "pragma solidity ^0.8.20;\n\n");
    if (!rc) rc = interface_import ? putf(out, "import {ISettlementVerifier} from \"%s\";\n\n", interface_import)
                                   : put(out, interface_src);
    if (!rc) rc = putf(out,
                       "/// @title %s\n"
                       "/// @notice Batch Groth16 (BN254) verifier: k proofs, one pairing check of k + 3 pairs\n"
                       "/// with a random linear combination (rho from keccak over all proofs and inputs).\n"
                       "contract %s is ISettlementVerifier {\n"
                       "    uint256 internal constant NPUB = %u;\n"
                       "    /// @dev BN254 scalar field order r (EIP-196).\n"
                       "    uint256 internal constant R =\n"
                       "        21888242871839275222246405745257275088548364400416034343698204186575808495617;\n",
                       contract_name, contract_name, vk->n_public);
    if (!rc) rc = put_const(out, "ALPHA_X", &vk->alpha1.x);
    if (!rc) rc = put_const(out, "ALPHA_Y", &vk->alpha1.y);
    if (!rc) rc = put_g2_const(out, "BETA", &vk->beta2);
    if (!rc) rc = put_g2_const(out, "GAMMA", &vk->gamma2);
    if (!rc) rc = put_g2_const(out, "DELTA", &vk->delta2);
    if (!rc) rc = put(out, body_src);
    if (!rc) rc = write_ic(out, vk);
    if (!rc) rc = put(out, "}\n");
    if (!rc) rc = zg_buf_append_byte(out, 0);
    if (!rc) out->len--;
    if (rc) return zg_err_set(e, rc, "solidity: out of memory");
    return ZG_OK;
}
