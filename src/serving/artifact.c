/* artifact.c - forge artefacts: bytecode and ABI (see deploy.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/hex.h"
#include "serving/deploy.h"

void zg_artifact_free(zg_artifact *a)
{
    if (!a)
        return;
    zg_buf_free(&a->code);
    json_decref(a->abi);
    a->abi = NULL;
}

/* The contract name: the file name without directories and ".json". */
static int name_of(const char *path, char *out, size_t len, zg_err *e)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t n = strlen(base);
    if (n > 5 && strcmp(base + n - 5, ".json") == 0)
        n -= 5;
    if (n == 0 || n >= len)
        return zg_err_set(e, ZG_EINVAL, "artefact %s: cannot tell the contract name", path);
    memcpy(out, base, n);
    out[n] = '\0';
    return ZG_OK;
}

int zg_artifact_load(const char *path, zg_artifact *out, zg_err *e)
{
    memset(out, 0, sizeof *out);
    zg_buf_init(&out->code);
    json_error_t je;
    json_t *root = json_load_file(path, 0, &je);
    if (!root)
        return zg_err_set(e, access(path, F_OK) != 0 ? ZG_ENOTFOUND : ZG_EINVAL,
                          "artefact %s: %s (build the contracts: cd contracts && forge build)", path,
                          je.text);
    int rc = name_of(path, out->name, sizeof out->name, e);
    json_t *abi = json_object_get(root, "abi");
    json_t *bc = json_object_get(root, "bytecode");
    json_t *obj = json_is_object(bc) ? json_object_get(bc, "object") : bc;
    if (!rc && !json_is_array(abi))
        rc = zg_err_set(e, ZG_EINVAL, "artefact %s: no \"abi\" array", path);
    if (!rc && !json_is_string(obj))
        rc = zg_err_set(e, ZG_EINVAL, "artefact %s: no \"bytecode.object\"", path);
    if (!rc && zg_hex_decode_buf(json_string_value(obj), &out->code, e))
        rc = zg_err_wrap(e, rc, "artefact %s: bytecode", path);
    if (!rc && out->code.len == 0)
        rc = zg_err_set(e, ZG_EINVAL, "artefact %s: empty bytecode (an interface or abstract "
                        "contract cannot be deployed)", path);
    if (!rc)
        out->abi = json_incref(abi);
    json_decref(root);
    if (rc)
        zg_artifact_free(out);
    return rc;
}

int zg_artifact_has_function(const zg_artifact *a, const char *name, const char *inputs)
{
    size_t i;
    json_t *item;
    json_array_foreach(a->abi, i, item) {
        const char *type = json_string_value(json_object_get(item, "type"));
        const char *n = json_string_value(json_object_get(item, "name"));
        if (!type || !n || strcmp(type, "function") != 0 || strcmp(n, name) != 0)
            continue;
        if (!inputs)
            return 1;
        /* Canonical input list of elementary types (enough for our checks). */
        char buf[256] = "";
        size_t j;
        json_t *in;
        json_array_foreach(json_object_get(item, "inputs"), j, in) {
            const char *t = json_string_value(json_object_get(in, "type"));
            if (!t || strlen(buf) + strlen(t) + 2 >= sizeof buf)
                break;
            if (j)
                strcat(buf, ",");
            strcat(buf, t);
        }
        if (strcmp(buf, inputs) == 0)
            return 1;
    }
    return 0;
}

int zg_artifact_path(const char *root, const char *name, char *out, size_t out_len, zg_err *e)
{
    int n = snprintf(out, out_len, "%s/contracts/out/%s.sol/%s.json", root ? root : ".", name, name);
    if (n < 0 || (size_t)n >= out_len)
        return zg_err_set(e, ZG_EINVAL, "artefact path too long");
    return ZG_OK;
}
