/* devsetup.c - development Groth16 setup and verifier compilation (see devsetup.h). */
#include "cli/devsetup.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/hex.h"
#include "zk/groth16.h"
#include "zk/groth16_sol.h"
#include "zk/r1cs.h"
#include "zk/settle_circuit.h"

int zg_devsetup_sizes(zg_devsetup *d, const char *list, zg_err *e)
{
    d->n = 0;
    const char *p = list;
    while (*p) {
        char *end;
        errno = 0;
        unsigned long v = strtoul(p, &end, 10);
        if (end == p || errno || v < 1 || v > ZG_SETTLE_MAX_SLOTS || (*end && *end != ','))
            return zg_err_set(e, ZG_EINVAL, "--sizes: expected slot counts 1..%d separated by commas, e.g. 4,16",
                              ZG_SETTLE_MAX_SLOTS);
        if (d->n == ZG_DEVSETUP_MAX_SIZES)
            return zg_err_set(e, ZG_EINVAL, "--sizes: at most %d circuit sizes", ZG_DEVSETUP_MAX_SIZES);
        for (size_t i = 0; i < d->n; i++)
            if (d->sizes[i] == v)
                return zg_err_set(e, ZG_EINVAL, "--sizes: %lu given twice", v);
        d->sizes[d->n++] = (uint32_t)v;
        p = *end ? end + 1 : end;
    }
    if (!d->n)
        return zg_err_set(e, ZG_EINVAL, "--sizes: no circuit size given");
    return ZG_OK;
}

static int write_file(const char *path, const void *p, size_t n, zg_err *e)
{
    FILE *f = fopen(path, "w");
    int ok = f && fwrite(p, 1, n, f) == n;
    if (f && fclose(f) != 0)
        ok = 0;
    return ok ? ZG_OK : zg_err_set(e, ZG_EIO, "cannot write %s: %s", path, strerror(errno));
}

static int setup_one(zg_devsetup *d, size_t i, const char *dir, int threads, zg_err *e)
{
    zg_r1cs cs;
    zg_groth16_pk pk;
    memset(&cs, 0, sizeof cs);
    memset(&pk, 0, sizeof pk);
    char path[1200], name[64];
    int rc = zg_settle_circuit_shape(d->sizes[i], &cs, e);
    if (!rc)
        rc = zg_groth16_setup_dev(&pk, &cs, threads, e);
    zg_r1cs_free(&cs);
    if (!rc) {
        snprintf(path, sizeof path, "%s/settle_%u.pk", dir, d->sizes[i]);
        rc = zg_groth16_pk_save(path, &pk, e);
    }
    if (!rc) {
        zg_buf vk;
        zg_buf_init(&vk);
        snprintf(path, sizeof path, "%s/settle_%u.vk.json", dir, d->sizes[i]);
        rc = zg_groth16_vk_to_snarkjs(&vk, &pk.vk);
        if (!rc)
            rc = write_file(path, vk.data, vk.len, e);
        zg_buf_free(&vk);
    }
    if (!rc) {
        snprintf(name, sizeof name, "SettlementVerifier%u", d->sizes[i]);
        rc = zg_groth16_solidity(&d->source[i], &pk.vk, name, NULL, e);
    }
    zg_groth16_pk_free(&pk);
    if (rc)
        zg_err_wrap(e, rc, "setup of the %u-slot settlement circuit", d->sizes[i]);
    return rc;
}

int zg_devsetup_run(zg_devsetup *d, const char *dir, int threads, zg_err *e)
{
    snprintf(d->dir, sizeof d->dir, "%s", dir);
    if (mkdir(dir, 0700) != 0 && errno != EEXIST)
        return zg_err_set(e, ZG_EIO, "cannot create %s: %s", dir, strerror(errno));
    for (size_t i = 0; i < d->n; i++) {
        zg_buf_init(&d->source[i]);
        zg_buf_init(&d->bytecode[i]);
    }
    for (size_t i = 0; i < d->n; i++) {
        int rc = setup_one(d, i, dir, threads, e);
        if (rc)
            return rc;
    }
    return ZG_OK;
}

int zg_cli_repo_root(char *out, size_t cap, zg_err *e)
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
        /* <root>/build/zg or <root>/build-x/zg */
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

/* Runs `node <root>/contracts/solc --standard-json <in >out`. */
static int run_solc(const char *root, const char *in, const char *out, zg_err *e)
{
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "node '%s/contracts/solc' --standard-json <'%s' >'%s'", root, in, out);
    int st = system(cmd);
    if (st == -1 || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
        return zg_err_set(e, ZG_EIO, "the Solidity compiler (node %s/contracts/solc) failed: is node installed "
                          "(bash scripts/setup.sh)?", root);
    return ZG_OK;
}

static json_t *standard_input(const zg_devsetup *d)
{
    json_t *sources = json_object();
    for (size_t i = 0; i < d->n; i++) {
        char file[64];
        snprintf(file, sizeof file, "SettlementVerifier%u.sol", d->sizes[i]);
        json_object_set_new(sources, file, json_pack("{s:s#}", "content", (const char *)d->source[i].data,
                                                     (int)strnlen((const char *)d->source[i].data, d->source[i].len)));
    }
    return json_pack("{s:s,s:o,s:{s:{s:b,s:i},s:s,s:{s:{s:[s,s]}}}}", "language", "Solidity", "sources", sources,
                     "settings", "optimizer", "enabled", 1, "runs", 200, "evmVersion", "cancun",
                     "outputSelection", "*", "*", "abi", "evm.bytecode.object");
}


/* Writes <dir>/SettlementVerifier<N>.json in forge's artefact shape
 * ({"abi":[...],"bytecode":{"object":"0x.."}}), what serving/deploy.h loads. */
static int write_artifact(const char *dir, const char *name, json_t *contract, zg_err *e)
{
    char path[1200];
    snprintf(path, sizeof path, "%s/%s.json", dir, name);
    json_t *obj = json_object_get(json_object_get(json_object_get(contract, "evm"), "bytecode"), "object");
    json_t *a = json_pack("{s:O,s:{s:s+}}", "abi", json_object_get(contract, "abi"), "bytecode", "object", "0x",
                          json_string_value(obj));
    int rc = a && json_dump_file(a, path, JSON_COMPACT) == 0 ? ZG_OK
                                                             : zg_err_set(e, ZG_EIO, "cannot write %s", path);
    json_decref(a);
    return rc;
}

static int read_bytecodes(zg_devsetup *d, json_t *out, zg_err *e)
{
    size_t i;
    json_t *er;
    json_array_foreach(json_object_get(out, "errors"), i, er) {
        json_t *sev = json_object_get(er, "severity");
        if (json_is_string(sev) && strcmp(json_string_value(sev), "error") == 0)
            return zg_err_set(e, ZG_EIO, "compiling a verifier: %.300s",
                              json_string_value(json_object_get(er, "formattedMessage")));
    }
    for (i = 0; i < d->n; i++) {
        char file[64], name[64];
        snprintf(file, sizeof file, "SettlementVerifier%u.sol", d->sizes[i]);
        snprintf(name, sizeof name, "SettlementVerifier%u", d->sizes[i]);
        json_t *c = json_object_get(json_object_get(json_object_get(out, "contracts"), file), name);
        json_t *obj = json_object_get(json_object_get(json_object_get(c, "evm"), "bytecode"), "object");
        if (!json_is_string(obj) || !json_string_length(obj))
            return zg_err_set(e, ZG_EIO, "the compiler gave no bytecode for %s", name);
        zg_buf_reset(&d->bytecode[i]);
        int rc = zg_hex_decode_buf(json_string_value(obj), &d->bytecode[i], e);
        if (!rc)
            rc = write_artifact(d->dir, name, c, e);
        if (rc)
            return rc;
    }
    return ZG_OK;
}

int zg_devsetup_compile(zg_devsetup *d, zg_err *e)
{
    char root[1024], in[64], out[64];
    int rc = zg_cli_repo_root(root, sizeof root, e);
    if (rc)
        return rc;
    snprintf(in, sizeof in, "/tmp/zg-solc-%d.in.json", (int)getpid());
    snprintf(out, sizeof out, "/tmp/zg-solc-%d.out.json", (int)getpid());
    json_t *input = standard_input(d);
    if (!input || json_dump_file(input, in, JSON_COMPACT) != 0)
        rc = zg_err_set(e, ZG_EIO, "cannot write %s", in);
    json_decref(input);
    if (!rc)
        rc = run_solc(root, in, out, e);
    json_error_t je;
    json_t *o = rc ? NULL : json_load_file(out, 0, &je);
    if (!rc && !o)
        rc = zg_err_set(e, ZG_EIO, "the Solidity compiler's output is not JSON: %s", je.text);
    if (!rc)
        rc = read_bytecodes(d, o, e);
    json_decref(o);
    unlink(in);
    unlink(out);
    return rc;
}

void zg_devsetup_free(zg_devsetup *d)
{
    for (size_t i = 0; i < d->n; i++) {
        zg_buf_free(&d->source[i]);
        zg_buf_free(&d->bytecode[i]);
    }
}
