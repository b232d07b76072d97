/*
 * r1cs_export.h - write a constraint system and a witness in the iden3 binary
 * formats that circom and snarkjs use, so snarkjs can check our artefacts
 * (`snarkjs wtns check circuit.r1cs witness.wtns`, `snarkjs r1cs info`, setup).
 *
 *   .r1cs v1: "r1cs", version 1, sections 1 (header: field size, prime, wires,
 *             public outputs = 0, public inputs = n_public, private inputs,
 *             labels, constraints), 2 (constraints: per matrix A, B, C the term
 *             count then (wire u32, coefficient) pairs), 3 (wire -> label, the
 *             identity here). Integers little-endian; field elements as 32-byte
 *             little-endian canonical integers (not Montgomery).
 *   .wtns v2: "wtns", version 2, sections 1 (field size, prime, count) and 2
 *             (the values, 32-byte little-endian canonical).
 */
#ifndef ZG_ZK_R1CS_EXPORT_H
#define ZG_ZK_R1CS_EXPORT_H

#include "base/buf.h"
#include "zg/error.h"
#include "zk/r1cs.h"

/* Append the encodings to out (ZG_ENOMEM on failure). */
int zg_r1cs_encode_r1cs(const zg_r1cs *r, zg_buf *out, zg_err *e);
int zg_r1cs_encode_wtns(const zg_fr *w, uint32_t n_wires, zg_buf *out, zg_err *e);

/* Write them to files (ZG_EIO with the path and reason on failure). w may be
 * r->witness. */
int zg_r1cs_write_r1cs(const zg_r1cs *r, const char *path, zg_err *e);
int zg_r1cs_write_wtns(const zg_fr *w, uint32_t n_wires, const char *path, zg_err *e);

#endif
