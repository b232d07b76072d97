/*
 * serving/deploy.h - deploying the settlement verifiers and the Serving
 * contract from forge artefacts, and the deployment file other commands read.
 *
 * Artefacts are forge's JSON output (contracts/out/<File>.sol/<Name>.json:
 * "abi" and "bytecode.object"); build them with `forge build` in contracts/.
 *
 * Deployment file (JSON; written atomically; the CLI's default path is
 * <home>/deployment.json, see `zg chain deploy`; the SDK reads "serving"):
 *   {
 *     "chainId": 31337,
 *     "serving": "0x...",                 the Serving contract
 *     "deployer": "0x...",
 *     "block": 12,                        block of the Serving deployment (logs start here)
 *     "lockTime": 86400,
 *     "testVerifiers": false,             true only for test deployments
 *     "verifiers": [ {"slots": 4, "address": "0x...", "contract": "SettlementVerifier4"}, ... ]
 *   }
 *
 * Refusing test verifiers: unless opts->allow_test_verifiers is set (tests
 * only), zg_serving_deploy refuses a verifier artefact
 *   - whose contract name starts with "Test" (contracts/test/TestVerifier.sol), or
 *   - whose ABI has isTestVerifier() (the TestVerifier's marker), or
 *   - whose ABI lacks verifyBatch(uint256[],uint256[]) or whose bytecode is empty.
 * After deploying each verifier it also probes it: verifyBatch of one
 * all-zero proof with inputs 1..5 must return false (a verifier that accepts
 * garbage is refused in every mode), so an accept-all contract cannot slip
 * through under another name.
 */
#ifndef ZG_SERVING_DEPLOY_H
#define ZG_SERVING_DEPLOY_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "eth/key.h"
#include "eth/rpc.h"
#include "eth/sender.h"
#include "zg/error.h"

#define ZG_DEPLOY_MAX_VERIFIERS 16

/* One forge artefact. */
typedef struct zg_artifact {
    char name[128];     /* contract name (the file name without .json) */
    zg_buf code;        /* init code (bytecode.object) */
    json_t *abi;        /* the "abi" array */
} zg_artifact;

/* Loads path; ZG_ENOTFOUND if missing (with a hint to run forge build),
 * ZG_EINVAL if malformed. */
int zg_artifact_load(const char *path, zg_artifact *out, zg_err *e);
void zg_artifact_free(zg_artifact *a);
/* 1 if the ABI has a function named name (with canonical input types
 * inputs, e.g. "uint256[],uint256[]"; NULL: any inputs). */
int zg_artifact_has_function(const zg_artifact *a, const char *name, const char *inputs);

/* Path of a forge artefact under root: <root>/contracts/out/<name>.sol/<name>.json
 * (the layout forge uses when the file and the contract share a name). */
int zg_artifact_path(const char *root, const char *name, char *out, size_t out_len, zg_err *e);

/* Compiles one Solidity source (imports must be inline; e.g. a verifier from
 * zg_groth16_solidity with interface_import NULL) with the solc wrapper
 * (solc_path; NULL: $ZG_ROOT/contracts/solc, i.e. the pinned solc-js 0.8.26,
 * optimizer on, 200 runs, evm cancun: the settings of foundry.toml) and writes
 * the artefact of `contract` in forge's layout ({"abi", "bytecode":{"object"}})
 * to out_path, which should be named <contract>.json. ZG_EINVAL with the
 * compiler's first error; ZG_EIO if the compiler cannot run. Needs node. */
int zg_artifact_compile(const char *solc_path, const char *source, const char *contract,
                        const char *out_path, zg_err *e);
/* The same for n sources in ONE compiler run (node's start-up dominates):
 * sources[i] defines contracts[i], whose artefact goes to out_paths[i]. */
int zg_artifact_compile_many(const char *solc_path, const char *const *sources, const char *const *contracts,
                             const char *const *out_paths, size_t n, zg_err *e);

typedef struct zg_deploy_verifier {
    uint32_t slots;          /* circuit size the verifier checks */
    const char *artifact;    /* forge artefact path */
} zg_deploy_verifier;

typedef struct zg_deploy_opts {
    const char *serving_artifact;          /* NULL: ZG_ROOT (or .)/contracts/out/Serving.sol/Serving.json */
    const zg_deploy_verifier *verifiers;   /* 1..ZG_DEPLOY_MAX_VERIFIERS */
    size_t n_verifiers;
    uint64_t lock_time;                    /* seconds, > 0 */
    int allow_test_verifiers;              /* TESTS ONLY: accept the TestVerifier */
    const zg_send_opts *send;              /* NULL: defaults */
} zg_deploy_opts;

typedef struct zg_deployment {
    uint64_t chain_id;
    zg_address serving;
    zg_address deployer;
    uint64_t block;
    uint64_t lock_time;
    int test_verifiers;
    size_t n_verifiers;
    struct {
        uint32_t slots;
        zg_address address;
        char contract[128];
    } verifiers[ZG_DEPLOY_MAX_VERIFIERS];
} zg_deployment;

/* Deploys every verifier, then Serving(lockTime, sizes, verifiers), from key k. */
int zg_serving_deploy(zg_rpc *r, const zg_eth_key *k, const zg_deploy_opts *o, zg_deployment *out,
                      zg_err *e);

/*
 * The deployment behind `zg chain deploy` (and the broker-side tools): for
 * each circuit size N in o->sizes,
 *   - the proving key: either
 *       o->zkey_dir == NULL: a DEVELOPMENT setup (zg_groth16_setup_dev) of the
 *         settlement circuit. It draws tau, alpha, beta and delta on this
 *         machine: whoever ran it can forge settlement proofs. Phase-2
 *         contributions (zg_groth16_contribute) only re-randomise delta and
 *         CANNOT make such a key safe. Local networks and tests only.
 *       o->zkey_dir set: the PRODUCTION path. <zkey_dir>/settle_<N>.zkey, a
 *         snarkjs Groth16 key from a real ceremony (public phase-1 powers of
 *         tau, phase 2 with several contributors and a beacon, checked with
 *         `snarkjs zkey verify`), imported with zg_groth16_zkey_import. It is
 *         refused (ZG_EINVAL, naming the file and the counts) unless its
 *         constraint, wire and public input counts are those of
 *         zg_settle_circuit_shape(N). No setup is done.
 *   - saved as <keys_dir>/settle_<N>.pk (the broker's settlement.proving_dir
 *     layout) and its verifying key as <keys_dir>/settle_<N>.vk.json (snarkjs
 *     format, for `snarkjs groth16 verify`);
 *   - its verifier generated (zg_groth16_solidity, contract
 *     SettlementVerifier<N>); all verifiers compiled in one solc run into
 *     <keys_dir>/SettlementVerifier<N>.json;
 * then zg_serving_deploy with these real verifiers (never the TestVerifier).
 * keys_dir is created (0700) if missing.
 */
typedef struct zg_deploy_keys_opts {
    const uint32_t *sizes;          /* circuit sizes, 1..ZG_DEPLOY_MAX_VERIFIERS of them */
    size_t n_sizes;
    uint64_t lock_time;             /* seconds, > 0 */
    const char *keys_dir;           /* output: proving/verifying keys, verifier artefacts */
    const char *zkey_dir;           /* NULL: development setup; else ceremony keys (above) */
    int threads;                    /* for the development setup; 0: all CPUs */
    const char *serving_artifact;   /* as in zg_deploy_opts */
    const char *solc_path;          /* as in zg_artifact_compile (NULL: $ZG_ROOT/contracts/solc) */
    const zg_send_opts *send;       /* NULL: defaults */
} zg_deploy_keys_opts;

int zg_serving_deploy_keys(zg_rpc *r, const zg_eth_key *k, const zg_deploy_keys_opts *o, zg_deployment *out,
                           zg_err *e);

/* Only the key step of zg_serving_deploy_keys (no chain): keys, vk JSON and
 * compiled verifier artefacts in o->keys_dir; artifacts[i] gets the path of
 * size i's artefact. */
int zg_serving_prepare_keys(const zg_deploy_keys_opts *o, char (*artifacts)[1024], zg_err *e);

/* zg_serving_deploy_keys with a development setup (all CPUs), keys in pk_dir. */
int zg_serving_deploy_dev(zg_rpc *r, const zg_eth_key *k, const uint32_t *sizes, size_t n,
                          uint64_t lock_time, const char *pk_dir, const char *serving_artifact,
                          const zg_send_opts *send, zg_deployment *out, zg_err *e);

/* Writes d to path (JSON above) via a temporary file and rename. */
int zg_deployment_write(const zg_deployment *d, const char *path, zg_err *e);
/* Reads a deployment file; ZG_ENOTFOUND if missing, ZG_EINVAL if malformed. */
int zg_deployment_read(const char *path, zg_deployment *out, zg_err *e);

#endif
