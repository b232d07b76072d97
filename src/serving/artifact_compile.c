/* artifact_compile.c - Solidity source -> forge-style artefact through the
 * contracts/solc wrapper (see deploy.h). */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "serving/deploy.h"

/* Standard JSON input with the settings of contracts/foundry.toml; source i
 * is the file "<contract i>.sol". */
static char *solc_input(const char *const *sources, const char *const *contracts, size_t n)
{
    json_t *files = json_object();
    for (size_t i = 0; files && i < n; i++) {
        char file[160];
        snprintf(file, sizeof file, "%s.sol", contracts[i]);
        if (json_object_set_new(files, file, json_pack("{s:s}", "content", sources[i])) != 0) {
            json_decref(files);
            files = NULL;
        }
    }
    json_t *in = files ? json_pack("{s:s,s:o,s:{s:{s:b,s:i},s:s,s:{s:{s:[s,s]}}}}", "language", "Solidity",
                                   "sources", files, "settings", "optimizer", "enabled", 1, "runs", 200,
                                   "evmVersion", "cancun", "outputSelection", "*", "*", "abi",
                                   "evm.bytecode.object")
                       : NULL;
    char *text = in ? json_dumps(in, JSON_COMPACT) : NULL;
    json_decref(in);
    return text;
}

static int write_all(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w <= 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* Runs `solc --standard-json` with in_path as stdin and out_path as stdout. */
static int run_solc(const char *solc, const char *in_path, const char *out_path, zg_err *e)
{
    pid_t pid = fork();
    if (pid < 0)
        return zg_err_set(e, ZG_EIO, "cannot start %s", solc);
    if (pid == 0) {
        int in = open(in_path, O_RDONLY), out = open(out_path, O_WRONLY | O_TRUNC);
        if (in < 0 || out < 0 || dup2(in, 0) < 0 || dup2(out, 1) < 0)
            _exit(126);
        execl(solc, solc, "--standard-json", (char *)NULL);
        _exit(127);
    }
    int st = 0;
    if (waitpid(pid, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
        return zg_err_set(e, ZG_EIO, "%s --standard-json failed (exit %d; is node installed?)", solc,
                          WIFEXITED(st) ? WEXITSTATUS(st) : -1);
    return ZG_OK;
}

/* The first error of a solc answer, or NULL. */
static const char *first_error(const json_t *out)
{
    size_t i;
    json_t *err;
    json_array_foreach(json_object_get(out, "errors"), i, err) {
        const char *sev = json_string_value(json_object_get(err, "severity"));
        if (sev && strcmp(sev, "error") == 0) {
            const char *m = json_string_value(json_object_get(err, "formattedMessage"));
            return m ? m : json_string_value(json_object_get(err, "message"));
        }
    }
    return NULL;
}

static int write_artifact(const json_t *out, const char *contract, const char *out_path, zg_err *e)
{
    char file[160];
    snprintf(file, sizeof file, "%s.sol", contract);
    json_t *c = json_object_get(json_object_get(json_object_get(out, "contracts"), file), contract);
    json_t *abi = json_object_get(c, "abi");
    const char *obj = json_string_value(json_object_get(json_object_get(json_object_get(c, "evm"),
                                                                        "bytecode"), "object"));
    if (!json_is_array(abi) || !obj || !*obj)
        return zg_err_set(e, ZG_EINVAL, "solc: no contract %s in the source", contract);
    size_t len = strlen(obj) + 3;
    char *hex = malloc(len);
    if (!hex)
        return zg_err_set(e, ZG_ENOMEM, "out of memory");
    snprintf(hex, len, "0x%s", obj);
    json_t *art = json_pack("{s:O,s:{s:s}}", "abi", abi, "bytecode", "object", hex);
    free(hex);
    int rc = ZG_OK;
    if (!art)
        rc = zg_err_set(e, ZG_ENOMEM, "out of memory");
    else if (json_dump_file(art, out_path, JSON_COMPACT) != 0)
        rc = zg_err_set(e, ZG_EIO, "cannot write %s", out_path);
    json_decref(art);
    return rc;
}

int zg_artifact_compile(const char *solc_path, const char *source, const char *contract,
                        const char *out_path, zg_err *e)
{
    return zg_artifact_compile_many(solc_path, &source, &contract, &out_path, 1, e);
}

/* One solc run for all sources: node's start-up and the compiler's load
 * cost seconds, the verifiers themselves little. */
int zg_artifact_compile_many(const char *solc_path, const char *const *sources, const char *const *contracts,
                             const char *const *out_paths, size_t n, zg_err *e)
{
    char def[1024], in_path[] = "/tmp/zg-solc-in-XXXXXX", res_path[] = "/tmp/zg-solc-out-XXXXXX";
    if (!solc_path) {
        const char *root = getenv("ZG_ROOT");
        snprintf(def, sizeof def, "%s/contracts/solc", root ? root : ".");
        solc_path = def;
    }
    for (size_t i = 0; i < n; i++)
        if (strlen(contracts[i]) > 120)
            return zg_err_set(e, ZG_EINVAL, "contract name too long");
    char *input = solc_input(sources, contracts, n);
    if (!input)
        return zg_err_set(e, ZG_EINVAL, "cannot build the compiler input (source not UTF-8?)");
    int fin = mkstemp(in_path), fout = mkstemp(res_path), rc = ZG_OK;
    if (fin < 0 || fout < 0 || write_all(fin, input, strlen(input)))
        rc = zg_err_set(e, ZG_EIO, "cannot write a temporary file in /tmp");
    free(input);
    if (fin >= 0) close(fin);
    if (fout >= 0) close(fout);
    if (!rc)
        rc = run_solc(solc_path, in_path, res_path, e);
    json_t *out = NULL;
    if (!rc && !(out = json_load_file(res_path, 0, NULL)))
        rc = zg_err_set(e, ZG_EIO, "%s gave no JSON answer", solc_path);
    const char *msg = out ? first_error(out) : NULL;
    if (!rc && msg)
        rc = zg_err_set(e, ZG_EINVAL, "solc: %s", msg);
    for (size_t i = 0; !rc && i < n; i++)
        rc = write_artifact(out, contracts[i], out_paths[i], e);
    json_decref(out);
    if (fin >= 0) unlink(in_path);
    if (fout >= 0) unlink(res_path);
    return rc;
}
