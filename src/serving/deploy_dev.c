/* deploy_dev.c - development deployment: local Groth16 setups, generated
 * verifiers, Serving (see deploy.h). */
#include <stdio.h>
#include <string.h>

#include "serving/deploy.h"
#include "zk/groth16.h"
#include "zk/groth16_sol.h"
#include "zk/settle_circuit.h"

/* Setup of one size: saves the proving key, writes the verifier artefact. */
static int setup_one(uint32_t slots, const char *pk_dir, char *artifact, size_t cap, zg_err *e)
{
    zg_r1cs cs;
    zg_groth16_pk pk;
    memset(&cs, 0, sizeof cs);
    memset(&pk, 0, sizeof pk);
    char path[1024], name[64];
    snprintf(name, sizeof name, "SettlementVerifier%u", slots);
    int n = snprintf(path, sizeof path, "%s/settle_%u.pk", pk_dir, slots);
    int m = snprintf(artifact, cap, "%s/%s.json", pk_dir, name);
    if (n < 0 || (size_t)n >= sizeof path || m < 0 || (size_t)m >= cap)
        return zg_err_set(e, ZG_EINVAL, "proving key directory path too long");
    int rc = zg_settle_circuit_shape(slots, &cs, e);
    if (!rc) rc = zg_groth16_setup_dev(&pk, &cs, 0, e);
    zg_r1cs_free(&cs);
    if (!rc) rc = zg_groth16_pk_save(path, &pk, e);
    zg_buf sol;
    zg_buf_init(&sol);
    if (!rc) rc = zg_groth16_solidity(&sol, &pk.vk, name, NULL, e);
    zg_groth16_pk_free(&pk);
    if (!rc) rc = zg_artifact_compile(NULL, (const char *)sol.data, name, artifact, e);
    zg_buf_free(&sol);
    return rc ? zg_err_wrap(e, rc, "circuit of %u slots", slots) : ZG_OK;
}

int zg_serving_deploy_dev(zg_rpc *r, const zg_eth_key *k, const uint32_t *sizes, size_t n,
                          uint64_t lock_time, const char *pk_dir, const char *serving_artifact,
                          const zg_send_opts *send, zg_deployment *out, zg_err *e)
{
    if (n == 0 || n > ZG_DEPLOY_MAX_VERIFIERS)
        return zg_err_set(e, ZG_EINVAL, "deploy: give 1..%d circuit sizes", ZG_DEPLOY_MAX_VERIFIERS);
    char paths[ZG_DEPLOY_MAX_VERIFIERS][1024];
    zg_deploy_verifier vs[ZG_DEPLOY_MAX_VERIFIERS];
    for (size_t i = 0; i < n; i++) {
        int rc = setup_one(sizes[i], pk_dir, paths[i], sizeof paths[i], e);
        if (rc)
            return rc;
        vs[i].slots = sizes[i];
        vs[i].artifact = paths[i];
    }
    zg_deploy_opts o = {.serving_artifact = serving_artifact, .verifiers = vs, .n_verifiers = n,
                        .lock_time = lock_time, .send = send};
    return zg_serving_deploy(r, k, &o, out, e);
}
