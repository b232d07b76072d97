/*
 * fr.h - the BN254 scalar field Fr, r = 21888242871839275222246405745257275088548364400416034343698204186575808495617.
 *
 * Fr is the field of Groth16 witnesses and of the NTT, and the base field of
 * Baby Jubjub (so Poseidon, EdDSA-Poseidon and receipts live here). Elements
 * are zg_fr in Montgomery form; the operations are listed in mont.h
 * (ZG_MONT_DEFINE_FIELD): zg_fr_add, zg_fr_mul, zg_fr_inv, zg_fr_from_str ...
 */
#ifndef ZG_ZK_FR_H
#define ZG_ZK_FR_H

#include "zk/mont.h"

ZG_MONT_DEFINE_FIELD(fr)

#endif
