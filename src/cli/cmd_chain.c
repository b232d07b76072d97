/* cmd_chain.c - `zg chain deploy`: a thin shell over zg_serving_deploy_keys
 * (serving/deploy.h), which makes the keys, the verifiers and the contracts. */
#include <errno.h>
#include <jansson.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/hex.h"
#include "cli/cli.h"
#include "eth/contract.h"
#include "eth/key.h"
#include "eth/keystore.h"
#include "eth/rpc.h"
#include "sdk/sdk_util.h"
#include "serving/deploy.h"
#include "zk/settle_circuit.h"

static const char help_chain[] =
    "Usage: zg chain deploy [--lock-time SECONDS] [--sizes 4,16] [--keys DIR] [--out FILE]\n"
    "                       [--threads N] [--zkey ZDIR]\n"
    "\n"
    "Deploys zg-serving on the chain of --rpc with the wallet (ZG_PRIVATE_KEY or\n"
    "the keystore), in three steps:\n"
    "  1. a Groth16 proving key of the settlement circuit for each size in --sizes\n"
    "     (receipt slots per proof), saved to DIR/settle_N.pk (what zg-provider's\n"
    "     settlement.proving_dir reads), its verifying key to DIR/settle_N.vk.json\n"
    "     (snarkjs format). The key comes from:\n"
    "       --zkey ZDIR  (PRODUCTION) ZDIR/settle_N.zkey, a snarkjs Groth16 key from\n"
    "                    a real ceremony (public phase-1 powers of tau, phase 2 with\n"
    "                    several contributors and a beacon, checked with `snarkjs\n"
    "                    zkey verify`); refused unless it fits our N-slot circuit;\n"
    "       otherwise    a DEVELOPMENT setup: tau, alpha, beta and delta are drawn\n"
    "                    on this machine, so whoever ran it can forge settlement\n"
    "                    proofs and take the deposits. Phase-2 contributions only\n"
    "                    re-randomise delta and CANNOT make such a key safe. Local\n"
    "                    networks and tests only; never for real money;\n"
    "  2. one Solidity batch verifier per size, generated from its verifying key,\n"
    "     compiled with solc-js (node contracts/solc) and deployed;\n"
    "  3. the Serving contract (forge artefact contracts/out/Serving.sol) with the\n"
    "     lock time and the verifiers.\n"
    "Writes the deployment JSON (chain id, Serving and verifier addresses, block,\n"
    "lock time, deployer) to --out, which every other command reads.\n"
    "\n"
    "  --lock-time SECONDS  how long a refund waits (default 3600)\n"
    "  --sizes LIST         circuit sizes (default 4,16)\n"
    "  --keys DIR           where the proving keys go (default <home>/keys)\n"
    "  --out FILE           the deployment JSON (default <home>/deployment.json)\n"
    "  --threads N          threads for the development setup (default: all cores)\n"
    "  --zkey ZDIR          ceremony keys ZDIR/settle_N.zkey instead of a setup\n";

#define MAX_SIZES 8

/* Parses "4,16" (1..ZG_SETTLE_MAX_SLOTS each, at most MAX_SIZES, no repeats). */
static int parse_sizes(uint32_t *sizes, size_t *n_out, const char *list, zg_err *e)
{
    size_t n = 0;
    const char *p = list;
    while (*p) {
        char *end;
        errno = 0;
        unsigned long v = strtoul(p, &end, 10);
        if (end == p || errno || v < 1 || v > ZG_SETTLE_MAX_SLOTS || (*end && *end != ','))
            return zg_err_set(e, ZG_EINVAL, "--sizes: expected slot counts 1..%d separated by commas, e.g. 4,16",
                              ZG_SETTLE_MAX_SLOTS);
        if (n == MAX_SIZES)
            return zg_err_set(e, ZG_EINVAL, "--sizes: at most %d circuit sizes", MAX_SIZES);
        for (size_t i = 0; i < n; i++)
            if (sizes[i] == v)
                return zg_err_set(e, ZG_EINVAL, "--sizes: %lu given twice", v);
        sizes[n++] = (uint32_t)v;
        p = *end ? end + 1 : end;
    }
    if (!n)
        return zg_err_set(e, ZG_EINVAL, "--sizes: no circuit size given");
    *n_out = n;
    return ZG_OK;
}

/* The repository root (for contracts/): $ZG_ROOT, else the directory above
 * the zg binary's (<root>/build/zg) that holds contracts/solc. */
static int repo_root(char *out, size_t cap, zg_err *e)
{
    const char *env = getenv("ZG_ROOT");
    char exe[1024];
    struct stat st;
    if (env && *env) {
        snprintf(out, cap, "%s", env);
        return ZG_OK;
    }
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        for (int up = 0; up < 2; up++) {
            char *slash = strrchr(exe, '/');
            if (!slash)
                break;
            *slash = '\0';
            char probe[1100];
            snprintf(probe, sizeof probe, "%s/contracts/solc", exe);
            if (stat(probe, &st) == 0) {
                snprintf(out, cap, "%s", exe);
                return ZG_OK;
            }
        }
    }
    return zg_err_set(e, ZG_ENOTFOUND, "cannot find the repository (contracts/solc): set ZG_ROOT");
}

struct deploy {
    zg_cli *g;
    zg_rpc *rpc;
    zg_eth_key key;
    zg_address from;
    uint32_t sizes[MAX_SIZES];
    size_t n_sizes;
    const char *zkey;
    zg_deployment dep;
    uint64_t lock_time;
    char keys[1024], out[1024];
};

static int load_key(struct deploy *x, zg_err *e)
{
    const char *hex = getenv("ZG_PRIVATE_KEY");
    int rc;
    if (hex && *hex)
        rc = zg_eth_key_from_hex(&x->key, hex, NULL) ? zg_err_set(e, ZG_ECRYPTO, "ZG_PRIVATE_KEY is not a private key")
                                                     : ZG_OK;
    else {
        char path[1024];
        const char *pw = x->g->password_file ? NULL : getenv("ZG_PASSWORD");
        char buf[256] = "";
        if (x->g->password_file) {
            FILE *f = fopen(x->g->password_file, "r");
            if (f && fgets(buf, sizeof buf, f))
                buf[strcspn(buf, "\r\n")] = '\0';
            if (f)
                fclose(f);
            pw = buf;
        }
        rc = x->g->copts.keystore ? (snprintf(path, sizeof path, "%s", x->g->copts.keystore), ZG_OK)
                                  : zg_wallet_default_path(path, sizeof path, e);
        if (!rc)
            rc = zg_keystore_read_file(path, pw ? pw : "", &x->key, NULL, e);
        memset(buf, 0, sizeof buf);
    }
    if (!rc)
        zg_eth_key_address(&x->key, &x->from);
    return rc;
}

/* Keys, verifiers and Serving through the library; then the deployment file. */
static int deploy_contracts(struct deploy *x, int threads, zg_err *e)
{
    char root[1024], serving[1200], solc[1100];
    int rc = repo_root(root, sizeof root, e);
    if (!rc)
        rc = zg_artifact_path(root, "Serving", serving, sizeof serving, e);
    snprintf(solc, sizeof solc, "%s/contracts/solc", root);
    zg_deploy_keys_opts o = {.sizes = x->sizes, .n_sizes = x->n_sizes, .lock_time = x->lock_time,
                             .keys_dir = x->keys, .zkey_dir = x->zkey, .threads = threads,
                             .serving_artifact = serving, .solc_path = solc};
    if (!rc)
        rc = zg_serving_deploy_keys(x->rpc, &x->key, &o, &x->dep, e);
    if (!rc)
        rc = zg_sdk_mkdirs_for(x->out, e);
    if (!rc)
        rc = zg_deployment_write(&x->dep, x->out, e);
    return rc;
}

static int run_deploy(struct deploy *x, const char *sizes, int threads, zg_err *e)
{
    int rc;
    const char *env = getenv("ZG_RPC_URL");
    const char *url = x->g->copts.rpc_url ? x->g->copts.rpc_url : env && *env ? env : "http://127.0.0.1:8545";
    if ((rc = parse_sizes(x->sizes, &x->n_sizes, sizes, e)) || (rc = load_key(x, e)) || (rc = zg_rpc_new(url, &x->rpc, e)))
        return rc;
    zg_rpc_set_timeouts(x->rpc, 3000, 120000);
    uint64_t chain;
    if ((rc = zg_rpc_chain_id(x->rpc, &chain, e)))
        return zg_err_wrap(e, rc, "cannot reach the chain at %s (is it running? see --rpc / ZG_RPC_URL)", url);
    if (!x->g->json && x->zkey)
        fprintf(stderr, "importing ceremony keys %s/settle_N.zkey for sizes %s into %s ...\n", x->zkey, sizes,
                x->keys);
    else if (!x->g->json)
        fprintf(stderr, "development Groth16 setup (NOT for production) for sizes %s into %s ...\n", sizes, x->keys);
    if ((rc = deploy_contracts(x, threads, e)))
        return rc;
    char s[ZG_ADDR_MAX];
    zg_address_to_checksum(&x->dep.serving, s);
    if (x->g->json) {
        json_error_t je;
        json_t *j = json_load_file(x->out, 0, &je);
        zg_cli_print_json(j);
    } else {
        printf("Serving deployed at %s (block %llu, lock time %llu s, %zu verifier(s)); deployment written to %s\n",
               s, (unsigned long long)x->dep.block, (unsigned long long)x->dep.lock_time, x->dep.n_verifiers, x->out);
    }
    return ZG_OK;
}
static int cmd_deploy(zg_cli *g, int argc, char **argv)
{
    const char *lock = "3600", *sizes = "4,16", *keys = NULL, *out = NULL, *threads = "0", *zkey = NULL;
    zg_cli_opt o[] = {{"lock-time", 1, &lock, NULL}, {"sizes", 1, &sizes, NULL},     {"keys", 1, &keys, NULL},
                      {"out", 1, &out, NULL},         {"threads", 1, &threads, NULL}, {"zkey", 1, &zkey, NULL},
                      {0}};
    char *pos[ZG_CLI_MAXPOS];
    int n, rc;
    if ((rc = zg_cli_parse(g, argc, argv, o, help_chain, pos, &n)) >= 0)
        return rc;
    if (n)
        return zg_cli_usage(g, "unexpected argument '%s'", pos[0]);
    char *end;
    struct deploy *x = calloc(1, sizeof *x);
    if (!x)
        return ZG_EXIT_ERROR;
    x->g = g;
    x->zkey = zkey;
    x->lock_time = strtoull(lock, &end, 10);
    long th = strtol(threads, NULL, 10);
    zg_err e;
    zg_err_clear(&e);
    char home[512];
    if (*end || !*lock || x->lock_time > 365ull * 86400 * 10)
        rc = zg_cli_usage(g, "--lock-time must be a number of seconds");
    else if (zg_sdk_home(g->copts.home, home, sizeof home, &e))
        rc = zg_cli_fail(g, &e);
    else {
        snprintf(x->keys, sizeof x->keys, "%s", keys ? keys : "");
        if (!keys)
            snprintf(x->keys, sizeof x->keys, "%.500s/keys", home);
        snprintf(x->out, sizeof x->out, "%s", out ? out : "");
        if (!out)
            snprintf(x->out, sizeof x->out, "%.500s/deployment.json", home);
        rc = -1;
        if (zg_sdk_mkdirs_for(x->keys, &e) || run_deploy(x, sizes, th > 0 ? (int)th : (int)sysconf(_SC_NPROCESSORS_ONLN), &e))
            rc = e.code == ZG_EINVAL && strstr(e.msg, "--sizes") ? zg_cli_usage(g, "%s", e.msg) : zg_cli_fail(g, &e);
    }
    zg_rpc_free(x->rpc);
    zg_eth_key_wipe(&x->key);
    free(x);
    return rc >= 0 ? rc : ZG_EXIT_OK;
}

int zg_cmd_chain(zg_cli *g, int argc, char **argv)
{
    g->prog = "zg chain";
    if (argc < 1 || argv[0][0] == '-') {
        char *pos[ZG_CLI_MAXPOS];
        int n, rc = zg_cli_parse(g, argc, argv, NULL, help_chain, pos, &n);
        return rc >= 0 ? rc : zg_cli_usage(g, "missing subcommand: deploy");
    }
    if (strcmp(argv[0], "deploy") == 0) {
        g->prog = "zg chain deploy";
        return cmd_deploy(g, argc - 1, argv + 1);
    }
    return zg_cli_usage(g, "unknown subcommand '%s' (deploy)", argv[0]);
}
