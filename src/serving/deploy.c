/* deploy.c - deploying the verifiers and Serving from forge artefacts (deploy.h). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eth/contract.h"
#include "serving/deploy.h"

static int is_test(const zg_artifact *a)
{
    return strncmp(a->name, "Test", 4) == 0 || zg_artifact_has_function(a, "isTestVerifier", NULL);
}

/* The refusal rules of deploy.h for one verifier artefact. */
static int check_verifier(const zg_artifact *a, int allow_test, zg_err *e)
{
    if (!zg_artifact_has_function(a, "verifyBatch", "uint256[],uint256[]"))
        return zg_err_set(e, ZG_EINVAL, "%s is not a settlement verifier (no "
                          "verifyBatch(uint256[],uint256[]) in its ABI)", a->name);
    if (is_test(a) && !allow_test)
        return zg_err_set(e, ZG_EINVAL, "%s is the test-only verifier (it accepts forged proofs); "
                          "deploy the verifiers generated from the circuits' verifying keys", a->name);
    return ZG_OK;
}

/* A verifier must reject an all-zero proof for inputs 1..5. */
static int probe(zg_rpc *r, const zg_address *v, const char *name, zg_err *e)
{
    zg_abi_value *out = NULL;
    zg_err pe;
    int rc = zg_contract_view(r, v, NULL, "verifyBatch(uint256[],uint256[])(bool)",
                              "[[\"0\",\"0\",\"0\",\"0\",\"0\",\"0\",\"0\",\"0\"],"
                              "[\"1\",\"2\",\"3\",\"4\",\"5\"]]", &out, &pe);
    int ok = 0;
    if (rc == ZG_EREVERT)
        return ZG_OK;   /* rejecting by reverting is rejecting */
    if (rc)
        return zg_err_set(e, rc, "probing verifier %s: %s", name, pe.msg);
    rc = zg_abi_get_bool(zg_abi_at(out, 0), &ok, e);
    zg_abi_value_free(out);
    if (rc)
        return rc;
    if (ok)
        return zg_err_set(e, ZG_EINVAL, "verifier %s accepts an all-zero proof: refusing to use it", name);
    return ZG_OK;
}

static int deploy_code(zg_rpc *r, const zg_eth_key *k, const zg_artifact *a, const char *ctor_types,
                       const char *args, const zg_send_opts *send, zg_address *addr,
                       uint64_t *block, zg_err *e)
{
    zg_rpc_receipt rc_;
    memset(&rc_, 0, sizeof rc_);
    int rc = zg_contract_deploy(r, k, a->code.data, a->code.len, ctor_types, args, send, &rc_, e);
    if (!rc && !rc_.has_contract)
        rc = zg_err_set(e, ZG_ERPC, "the receipt names no contract address");
    if (!rc) {
        *addr = rc_.contract_address;
        if (block)
            *block = rc_.block_number;
    }
    zg_rpc_receipt_free(&rc_);
    return rc ? zg_err_wrap(e, rc, "deploying %s", a->name) : ZG_OK;
}

static int check_opts(const zg_deploy_opts *o, zg_err *e)
{
    if (o->n_verifiers == 0 || o->n_verifiers > ZG_DEPLOY_MAX_VERIFIERS)
        return zg_err_set(e, ZG_EINVAL, "deploy: give 1..%d verifiers", ZG_DEPLOY_MAX_VERIFIERS);
    if (o->lock_time == 0)
        return zg_err_set(e, ZG_EINVAL, "deploy: lock time must be > 0 seconds");
    for (size_t i = 0; i < o->n_verifiers; i++) {
        if (o->verifiers[i].slots == 0 || !o->verifiers[i].artifact)
            return zg_err_set(e, ZG_EINVAL, "deploy: verifier %zu needs a size and an artefact", i);
        for (size_t j = 0; j < i; j++)
            if (o->verifiers[j].slots == o->verifiers[i].slots)
                return zg_err_set(e, ZG_EINVAL, "deploy: circuit size %u given twice",
                                  o->verifiers[i].slots);
    }
    return ZG_OK;
}

/* Constructor arguments of Serving: [lockTime, [sizes], [verifiers]]. */
static char *ctor_args(const zg_deployment *d)
{
    json_t *sizes = json_array(), *addrs = json_array();
    for (size_t i = 0; sizes && addrs && i < d->n_verifiers; i++) {
        char hex[ZG_ADDRESS_STR_MAX];
        zg_address_to_checksum(&d->verifiers[i].address, hex);
        json_array_append_new(sizes, json_integer(d->verifiers[i].slots));
        json_array_append_new(addrs, json_string(hex));
    }
    char lock[24];
    snprintf(lock, sizeof lock, "%" PRIu64, d->lock_time);
    json_t *args = (sizes && addrs) ? json_pack("[s,o,o]", lock, sizes, addrs) : NULL;
    char *text = args ? json_dumps(args, JSON_COMPACT) : NULL;
    json_decref(args);
    return text;
}

int zg_serving_deploy(zg_rpc *r, const zg_eth_key *k, const zg_deploy_opts *o, zg_deployment *out,
                      zg_err *e)
{
    memset(out, 0, sizeof *out);
    int rc = check_opts(o, e);
    if (rc)
        return rc;
    char def[1024];
    const char *serving_path = o->serving_artifact;
    if (!serving_path) {
        const char *root = getenv("ZG_ROOT");
        if ((rc = zg_artifact_path(root ? root : ".", "Serving", def, sizeof def, e)))
            return rc;
        serving_path = def;
    }
    zg_artifact serving;
    if ((rc = zg_artifact_load(serving_path, &serving, e)))
        return rc;
    /* Check every verifier artefact before sending anything. */
    zg_artifact arts[ZG_DEPLOY_MAX_VERIFIERS];
    size_t loaded = 0;
    while (!rc && loaded < o->n_verifiers) {
        if ((rc = zg_artifact_load(o->verifiers[loaded].artifact, &arts[loaded], e)))
            break;   /* a failed load leaves nothing to free */
        loaded++;
        rc = check_verifier(&arts[loaded - 1], o->allow_test_verifiers, e);
    }
    if (!rc) rc = zg_rpc_chain_id(r, &out->chain_id, e);
    if (!rc) rc = zg_eth_key_address(k, &out->deployer);
    out->lock_time = o->lock_time;
    for (size_t i = 0; !rc && i < o->n_verifiers; i++) {
        out->verifiers[i].slots = o->verifiers[i].slots;
        snprintf(out->verifiers[i].contract, sizeof out->verifiers[i].contract, "%s", arts[i].name);
        rc = deploy_code(r, k, &arts[i], NULL, NULL, o->send, &out->verifiers[i].address, NULL, e);
        if (!rc) rc = probe(r, &out->verifiers[i].address, arts[i].name, e);
        if (!rc && is_test(&arts[i]))
            out->test_verifiers = 1;
        out->n_verifiers = i + 1;
    }
    if (!rc) {
        char *args = ctor_args(out);
        rc = args ? deploy_code(r, k, &serving, "(uint256,uint32[],address[])", args, o->send,
                                &out->serving, &out->block, e)
                  : zg_err_set(e, ZG_ENOMEM, "out of memory");
        free(args);
    }
    for (size_t i = 0; i < loaded; i++)
        zg_artifact_free(&arts[i]);
    zg_artifact_free(&serving);
    return rc;
}
