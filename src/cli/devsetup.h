/*
 * cli/devsetup.h - what `zg chain deploy` does before the contract: the
 * development Groth16 setup of the settlement circuits and the compilation
 * of their Solidity verifiers.
 *
 * DEVELOPMENT ONLY: zg_groth16_setup_dev draws the toxic waste on this
 * machine; whoever keeps it can forge settlement proofs. A deployment that
 * holds real money needs a phase-2 ceremony (zg_groth16_contribute).
 */
#ifndef ZG_CLI_DEVSETUP_H
#define ZG_CLI_DEVSETUP_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "zg/error.h"

#define ZG_DEVSETUP_MAX_SIZES 8

typedef struct zg_devsetup {
    uint32_t sizes[ZG_DEVSETUP_MAX_SIZES];
    size_t n;
    zg_buf source[ZG_DEVSETUP_MAX_SIZES];   /* Solidity of each verifier */
    zg_buf bytecode[ZG_DEVSETUP_MAX_SIZES]; /* its compiled init code */
    char dir[1024];                         /* keys dir; also gets the verifiers'
                                             * forge-style artefacts
                                             * SettlementVerifier<N>.json */
} zg_devsetup;

/* Parses "4,16" into d->sizes (1..4096 each, at most 8, no repeats). */
int zg_devsetup_sizes(zg_devsetup *d, const char *list, zg_err *e);

/* For each size: the circuit's shape, a development setup, the proving key
 * written to <keys_dir>/settle_<N>.pk (what zg-provider's
 * settlement.proving_dir reads), the verifying key as snarkjs JSON
 * (<keys_dir>/settle_<N>.vk.json), and the verifier's Solidity source. */
int zg_devsetup_run(zg_devsetup *d, const char *keys_dir, int threads, zg_err *e);

/* Compiles every verifier with solc-js (node <root>/contracts/solc
 * --standard-json; root from $ZG_ROOT, else the directory above the zg
 * binary's). Fills d->bytecode. ZG_EIO if node or the compiler fails. */
int zg_devsetup_compile(zg_devsetup *d, zg_err *e);

/* The repository root (for contracts/), as above. */
int zg_cli_repo_root(char *out, size_t cap, zg_err *e);

void zg_devsetup_free(zg_devsetup *d);

#endif
