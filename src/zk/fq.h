/*
 * fq.h - the BN254 base field Fq, q = 21888242871839275222246405745257275088696311157297823662689037894645226208583.
 *
 * Coordinates of BN254 G1 points (and, through Fq2, of G2) live here. Elements
 * are zg_fq in Montgomery form; the operations are listed in mont.h
 * (ZG_MONT_DEFINE_FIELD): zg_fq_add, zg_fq_mul, zg_fq_inv, zg_fq_sqrt ...
 */
#ifndef ZG_ZK_FQ_H
#define ZG_ZK_FQ_H

#include "zk/mont.h"

ZG_MONT_DEFINE_FIELD(fq)

#endif
