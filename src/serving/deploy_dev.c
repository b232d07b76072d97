/* deploy_dev.c - keys (development setup or imported ceremony .zkey),
 * generated verifiers and the Serving deployment (see deploy.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "base/buf.h"
#include "serving/deploy.h"
#include "zk/groth16.h"
#include "zk/groth16_sol.h"
#include "zk/settle_circuit.h"

/* A ceremony key must be a key of OUR circuit of `slots` slots: a key of
 * another size or circuit would give a verifier no honest proof passes. */
static int check_shape(const zg_groth16_pk *pk, const zg_r1cs *cs, const char *path, uint32_t slots, zg_err *e)
{
    if (pk->n_constraints == cs->n_constraints && pk->n_wires == cs->n_wires && pk->n_public == cs->n_public)
        return ZG_OK;
    return zg_err_set(e, ZG_EINVAL,
                      "%s is not a key of the %u-slot settlement circuit: it has %u constraints, %u wires, "
                      "%u public inputs; the circuit has %u, %u, %u (wrong size, or another circuit version?)",
                      path, slots, pk->n_constraints, pk->n_wires, pk->n_public, cs->n_constraints, cs->n_wires,
                      cs->n_public);
}

/* The proving key of one size: imported from <zkey_dir>/settle_<N>.zkey, or
 * a development setup. */
static int make_key(const zg_deploy_keys_opts *o, uint32_t slots, zg_groth16_pk *pk, zg_err *e)
{
    zg_r1cs cs;
    memset(&cs, 0, sizeof cs);
    int rc = zg_settle_circuit_shape(slots, &cs, e);
    if (!rc && o->zkey_dir) {
        char path[1024];
        int n = snprintf(path, sizeof path, "%s/settle_%u.zkey", o->zkey_dir, slots);
        if (n < 0 || (size_t)n >= sizeof path)
            rc = zg_err_set(e, ZG_EINVAL, "zkey directory path too long");
        if (!rc)
            rc = zg_groth16_zkey_import(pk, path, e);
        if (!rc)
            rc = check_shape(pk, &cs, path, slots, e);
    } else if (!rc) {
        rc = zg_groth16_setup_dev(pk, &cs, o->threads, e);
    }
    zg_r1cs_free(&cs);
    return rc;
}

/* One size: key, settle_N.pk, settle_N.vk.json and the verifier's source. */
static int prepare_one(const zg_deploy_keys_opts *o, uint32_t slots, zg_buf *sol, zg_err *e)
{
    zg_groth16_pk pk;
    memset(&pk, 0, sizeof pk);
    char path[1100], name[64];
    snprintf(name, sizeof name, "SettlementVerifier%u", slots);
    int rc = make_key(o, slots, &pk, e);
    if (!rc) {
        snprintf(path, sizeof path, "%s/settle_%u.pk", o->keys_dir, slots);
        rc = zg_groth16_pk_save(path, &pk, e);
    }
    if (!rc) {
        zg_buf vk;
        zg_buf_init(&vk);
        snprintf(path, sizeof path, "%s/settle_%u.vk.json", o->keys_dir, slots);
        rc = zg_groth16_vk_to_snarkjs(&vk, &pk.vk) ? zg_err_set(e, ZG_ENOMEM, "out of memory")
                                                   : zg_write_file(path, vk.data, vk.len, e);
        zg_buf_free(&vk);
    }
    if (!rc)
        rc = zg_groth16_solidity(sol, &pk.vk, name, NULL, e);
    zg_groth16_pk_free(&pk);
    return rc ? zg_err_wrap(e, rc, "circuit of %u slots", slots) : ZG_OK;
}

int zg_serving_prepare_keys(const zg_deploy_keys_opts *o, char (*artifacts)[1024], zg_err *e)
{
    if (o->n_sizes == 0 || o->n_sizes > ZG_DEPLOY_MAX_VERIFIERS)
        return zg_err_set(e, ZG_EINVAL, "deploy: give 1..%d circuit sizes", ZG_DEPLOY_MAX_VERIFIERS);
    if (!o->keys_dir || strlen(o->keys_dir) > 900)
        return zg_err_set(e, ZG_EINVAL, "deploy: keys directory missing or path too long");
    if (mkdir(o->keys_dir, 0700) != 0 && errno != EEXIST)
        return zg_err_set(e, ZG_EIO, "cannot create %s: %s", o->keys_dir, strerror(errno));
    zg_buf sol[ZG_DEPLOY_MAX_VERIFIERS];
    char names[ZG_DEPLOY_MAX_VERIFIERS][64];
    const char *srcs[ZG_DEPLOY_MAX_VERIFIERS], *cons[ZG_DEPLOY_MAX_VERIFIERS], *outs[ZG_DEPLOY_MAX_VERIFIERS];
    int rc = ZG_OK;
    for (size_t i = 0; i < o->n_sizes; i++)
        zg_buf_init(&sol[i]);
    for (size_t i = 0; !rc && i < o->n_sizes; i++) {
        rc = prepare_one(o, o->sizes[i], &sol[i], e);
        if (!rc)
            rc = zg_buf_append_byte(&sol[i], 0) ? zg_err_set(e, ZG_ENOMEM, "out of memory") : ZG_OK;
        snprintf(names[i], sizeof names[i], "SettlementVerifier%u", o->sizes[i]);
        snprintf(artifacts[i], 1024, "%s/%s.json", o->keys_dir, names[i]);
        srcs[i] = (const char *)sol[i].data;
        cons[i] = names[i];
        outs[i] = artifacts[i];
    }
    if (!rc)
        rc = zg_artifact_compile_many(o->solc_path, srcs, cons, outs, o->n_sizes, e);
    for (size_t i = 0; i < o->n_sizes; i++)
        zg_buf_free(&sol[i]);
    return rc;
}

int zg_serving_deploy_keys(zg_rpc *r, const zg_eth_key *k, const zg_deploy_keys_opts *o, zg_deployment *out,
                           zg_err *e)
{
    char paths[ZG_DEPLOY_MAX_VERIFIERS][1024];
    zg_deploy_verifier vs[ZG_DEPLOY_MAX_VERIFIERS];
    int rc = zg_serving_prepare_keys(o, paths, e);
    if (rc)
        return rc;
    for (size_t i = 0; i < o->n_sizes; i++) {
        vs[i].slots = o->sizes[i];
        vs[i].artifact = paths[i];
    }
    zg_deploy_opts d = {.serving_artifact = o->serving_artifact, .verifiers = vs, .n_verifiers = o->n_sizes,
                        .lock_time = o->lock_time, .send = o->send};
    return zg_serving_deploy(r, k, &d, out, e);
}

int zg_serving_deploy_dev(zg_rpc *r, const zg_eth_key *k, const uint32_t *sizes, size_t n,
                          uint64_t lock_time, const char *pk_dir, const char *serving_artifact,
                          const zg_send_opts *send, zg_deployment *out, zg_err *e)
{
    zg_deploy_keys_opts o = {.sizes = sizes, .n_sizes = n, .lock_time = lock_time, .keys_dir = pk_dir,
                             .serving_artifact = serving_artifact, .send = send};
    return zg_serving_deploy_keys(r, k, &o, out, e);
}
