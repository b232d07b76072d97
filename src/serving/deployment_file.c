/* deployment_file.c - the deployment JSON file (format in deploy.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/json.h"
#include "serving/deploy.h"

static json_t *addr_json(const zg_address *a)
{
    char hex[ZG_ADDRESS_STR_MAX];
    zg_address_to_checksum(a, hex);
    return json_string(hex);
}

int zg_deployment_write(const zg_deployment *d, const char *path, zg_err *e)
{
    json_t *vs = json_array();
    for (size_t i = 0; vs && i < d->n_verifiers; i++)
        json_array_append_new(vs, json_pack("{s:I,s:o,s:s}", "slots", (json_int_t)d->verifiers[i].slots,
                                            "address", addr_json(&d->verifiers[i].address), "contract",
                                            d->verifiers[i].contract));
    json_t *o = vs ? json_pack("{s:I,s:o,s:o,s:I,s:I,s:b,s:o}", "chainId", (json_int_t)d->chain_id,
                               "serving", addr_json(&d->serving), "deployer", addr_json(&d->deployer),
                               "block", (json_int_t)d->block, "lockTime", (json_int_t)d->lock_time,
                               "testVerifiers", d->test_verifiers, "verifiers", vs)
                   : NULL;
    if (!o)
        return zg_err_set(e, ZG_ENOMEM, "out of memory");
    char tmp[4096];
    int n = snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid());
    int rc = ZG_OK;
    if (n < 0 || (size_t)n >= sizeof tmp)
        rc = zg_err_set(e, ZG_EINVAL, "deployment path too long");
    else if (json_dump_file(o, tmp, JSON_INDENT(2) | JSON_SORT_KEYS) != 0)
        rc = zg_err_set(e, ZG_EIO, "cannot write %s: %s", tmp, strerror(errno));
    else if (rename(tmp, path) != 0) {
        rc = zg_err_set(e, ZG_EIO, "cannot rename %s to %s: %s", tmp, path, strerror(errno));
        unlink(tmp);
    }
    json_decref(o);
    return rc;
}

static int get_addr(const json_t *o, const char *key, zg_address *out, zg_err *e)
{
    const char *s;
    int rc = zg_json_get_str(o, key, &s, e);
    return rc ? rc : zg_address_parse(s, out, e);
}

static int read_verifiers(const json_t *arr, zg_deployment *d, zg_err *e)
{
    if (json_array_size(arr) == 0 || json_array_size(arr) > ZG_DEPLOY_MAX_VERIFIERS)
        return zg_err_set(e, ZG_EINVAL, "\"verifiers\": expected 1..%d entries", ZG_DEPLOY_MAX_VERIFIERS);
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v) {
        uint64_t slots;
        const char *name = "";
        int rc = zg_json_get_u64(v, "slots", &slots, e);
        if (!rc) rc = get_addr(v, "address", &d->verifiers[i].address, e);
        if (!rc && zg_json_get_str_opt(v, "contract", &name, e) == ZG_EINVAL)
            rc = ZG_EINVAL;
        if (rc)
            return zg_err_wrap(e, rc, "verifier %zu", i);
        if (slots == 0 || slots > UINT32_MAX)
            return zg_err_set(e, ZG_EINVAL, "verifier %zu: bad slot count", i);
        d->verifiers[i].slots = (uint32_t)slots;
        snprintf(d->verifiers[i].contract, sizeof d->verifiers[i].contract, "%s", name);
    }
    d->n_verifiers = json_array_size(arr);
    return ZG_OK;
}

int zg_deployment_read(const char *path, zg_deployment *out, zg_err *e)
{
    memset(out, 0, sizeof *out);
    json_error_t je;
    json_t *o = json_load_file(path, 0, &je);
    if (!o)
        return zg_err_set(e, access(path, F_OK) != 0 ? ZG_ENOTFOUND : ZG_EINVAL,
                          "deployment file %s: %s (deploy with `zg chain deploy`)", path, je.text);
    json_t *vs = NULL;
    int rc = zg_json_get_u64(o, "chainId", &out->chain_id, e);
    if (!rc) rc = get_addr(o, "serving", &out->serving, e);
    if (!rc) rc = get_addr(o, "deployer", &out->deployer, e);
    if (!rc) rc = zg_json_get_u64(o, "block", &out->block, e);
    if (!rc) rc = zg_json_get_u64(o, "lockTime", &out->lock_time, e);
    if (!rc) rc = zg_json_get_bool(o, "testVerifiers", &out->test_verifiers, e);
    if (!rc) rc = zg_json_get_array(o, "verifiers", &vs, e);
    if (!rc) rc = read_verifiers(vs, out, e);
    json_decref(o);
    return rc ? zg_err_wrap(e, rc, "deployment file %s", path) : ZG_OK;
}
