/*
 * test_deploy_zkey.c - the production path of zg_serving_deploy_keys: a
 * snarkjs .zkey (here exported from a development key with
 * zg_groth16_zkey_export, standing in for a ceremony's) is imported, its
 * verifier deployed on anvil, and a key made for another circuit size is
 * refused with a message naming the file and the counts.
 */
#include "zg_anvil.h"
#include "zg_test.h"

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/buf.h"
#include "serving/deploy.h"
#include "zk/groth16.h"
#include "zk/settle_circuit.h"

static zg_err err;

#define LOCK 3600

/* Writes a development key of the `slots`-slot circuit as <dir>/settle_<as>.zkey
 * and returns its verifying key as snarkjs JSON in vk_json. */
static void export_key(const char *dir, uint32_t slots, uint32_t as, zg_buf *vk_json)
{
    zg_r1cs cs;
    zg_groth16_pk pk;
    memset(&cs, 0, sizeof cs);
    memset(&pk, 0, sizeof pk);
    char path[1100];
    snprintf(path, sizeof path, "%s/settle_%u.zkey", dir, as);
    CHECK_OK(zg_settle_circuit_shape(slots, &cs, &err));
    CHECK_OK(zg_groth16_setup_dev(&pk, &cs, 0, &err));
    CHECK_OK(zg_groth16_zkey_export(&pk, &cs, path, &err));
    if (vk_json)
        CHECK_OK(zg_groth16_vk_to_snarkjs(vk_json, &pk.vk));
    zg_groth16_pk_free(&pk);
    zg_r1cs_free(&cs);
}

static int file_equals(const char *path, const zg_buf *b)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    char *p = malloc(b->len + 1);
    size_t n = p ? fread(p, 1, b->len + 1, f) : 0;
    fclose(f);
    int eq = p && n == b->len && memcmp(p, b->data, n) == 0;
    free(p);
    return eq;
}

static void rm_dir(const char *dir)
{
    CHECK(zg_test_remove_dir(dir) == 0);
}

/* `zg chain deploy --zkey DIR --sizes 2` against url; returns the exit code,
 * stderr in errbuf. */
static int cli_deploy(const char *url, const char *zdir, const char *kdir, char *errbuf, size_t cap)
{
    const char *build = getenv("ZG_BUILD") ? getenv("ZG_BUILD") : "build";
    char cmd[4096], errf[] = "/tmp/zg-zkey-err-XXXXXX";
    int fd = mkstemp(errf);
    if (fd < 0)
        return -1;
    close(fd);
    snprintf(cmd, sizeof cmd,
             "env ZG_HOME='%s' ZG_PRIVATE_KEY=%s '%s/zg' chain deploy --rpc %s --zkey '%s' --sizes 2 "
             "--keys '%s' --out '%s/deployment.json' >/dev/null 2>'%s'",
             kdir, zg_anvil_keys[0], build, url, zdir, kdir, kdir, errf);
    int st = system(cmd);
    FILE *f = fopen(errf, "r");
    size_t n = f ? fread(errbuf, 1, cap - 1, f) : 0;
    errbuf[n] = '\0';
    if (f)
        fclose(f);
    unlink(errf);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void test_deploy_zkey(void)
{
    char zdir[] = "/tmp/zg-zkey-XXXXXX", kdir[] = "/tmp/zg-keys-XXXXXX", bad[] = "/tmp/zg-zbad-XXXXXX";
    char serving[1024], path[1100];
    const char *root = zg_test_root();
    CHECK(mkdtemp(zdir) && mkdtemp(kdir) && mkdtemp(bad));
    CHECK_OK(zg_artifact_path(root, "Serving", serving, sizeof serving, &err));
    zg_buf vk;
    zg_buf_init(&vk);
    export_key(zdir, 2, 2, &vk);
    export_key(bad, 4, 2, NULL); /* a 4-slot key under the 2-slot name */

    zg_anvil a;
    if (zg_anvil_start(&a) != 0) {
        CHECK_MSG(0, "anvil did not start");
        return;
    }
    zg_rpc *rpc = NULL;
    zg_eth_key k;
    CHECK_OK(zg_rpc_new(a.url, &rpc, &err));
    CHECK_OK(zg_eth_key_from_hex(&k, zg_anvil_keys[0], &err));
    uint32_t sizes[1] = {2};
    zg_deploy_keys_opts o = {.sizes = sizes, .n_sizes = 1, .lock_time = LOCK, .keys_dir = kdir,
                             .zkey_dir = zdir, .serving_artifact = serving};
    zg_deployment d;
    memset(&d, 0, sizeof d);
    CHECK_OK(zg_serving_deploy_keys(rpc, &k, &o, &d, &err));
    CHECK_EQ_INT(d.test_verifiers, 0);
    CHECK_EQ_INT(d.n_verifiers, 1);
    CHECK_EQ_INT(d.verifiers[0].slots, 2);
    CHECK_EQ_STR(d.verifiers[0].contract, "SettlementVerifier2");
    /* The verifier comes from the imported key, not from a fresh setup. */
    snprintf(path, sizeof path, "%s/settle_2.vk.json", kdir);
    CHECK(file_equals(path, &vk));
    snprintf(path, sizeof path, "%s/settle_2.pk", kdir);
    CHECK(access(path, R_OK) == 0);

    /* A key of the 4-slot circuit offered as settle_2.zkey: refused before
     * anything is deployed. */
    o.zkey_dir = bad;
    CHECK_EQ_INT(zg_serving_deploy_keys(rpc, &k, &o, &d, &err), ZG_EINVAL);
    CHECK(strstr(err.msg, "settle_2.zkey is not a key of the 2-slot settlement circuit") != NULL);
    /* A missing key names the file. */
    o.zkey_dir = "/nonexistent-zg";
    CHECK(zg_serving_deploy_keys(rpc, &k, &o, &d, &err) != ZG_OK);
    CHECK(strstr(err.msg, "/nonexistent-zg/settle_2.zkey") != NULL);

    /* The same through `zg chain deploy --zkey`. */
    char msg[4096];
    CHECK_EQ_INT(cli_deploy(a.url, zdir, kdir, msg, sizeof msg), 0);
    CHECK_MSG(strstr(msg, "importing ceremony keys") != NULL, "stderr: %s", msg);
    snprintf(path, sizeof path, "%s/deployment.json", kdir);
    CHECK(access(path, R_OK) == 0);
    snprintf(path, sizeof path, "%s/settle_2.vk.json", kdir);
    CHECK(file_equals(path, &vk));
    CHECK_EQ_INT(cli_deploy(a.url, bad, kdir, msg, sizeof msg), 1);
    CHECK_MSG(strstr(msg, "settle_2.zkey is not a key of the 2-slot settlement circuit") != NULL, "stderr: %s", msg);

    zg_rpc_free(rpc);
    zg_eth_key_wipe(&k);
    zg_anvil_stop(&a);
    zg_buf_free(&vk);
    rm_dir(zdir);
    rm_dir(kdir);
    rm_dir(bad);
}

int main(void)
{
    ZG_RUN(test_deploy_zkey);
    ZG_TEST_END();
}
