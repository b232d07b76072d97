/*
 * test_groth16_snarkjs.c - interop with snarkjs 0.7.6 (node_modules): our
 * proof with our exported vkey.json is accepted by `snarkjs groth16 verify`
 * (the CLI), and rejected (through require('snarkjs') in one node process)
 * with any one of the 5 public inputs changed.
 */
#include "zg_test.h"
#include "zk/groth16.h"
#include "zk_chain.h"

#include <sys/stat.h>
#include <unistd.h>

static void test_snarkjs_verify(void)
{
    zg_err err;
    zg_r1cs cs;
    zg_groth16_pk pk;
    zg_groth16_proof proof;
    CHECK_EQ_INT(zk_chain_build(&cs, 300, 7), 0);
    CHECK_OK(zg_groth16_setup_dev(&pk, &cs, 0, &err));
    CHECK_OK(zg_groth16_prove(&proof, &pk, &cs, NULL, 0, &err));
    CHECK_OK(zg_groth16_verify(&pk.vk, cs.witness + 1, 5, &proof, &err));

    char dir[] = "/tmp/zg_snarkjs_XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    zg_buf vk, pr, pub;
    zg_buf_init(&vk);
    zg_buf_init(&pr);
    zg_buf_init(&pub);
    CHECK_EQ_INT(zg_groth16_vk_to_snarkjs(&vk, &pk.vk), ZG_OK);
    CHECK_EQ_INT(zg_groth16_proof_to_snarkjs(&pr, &proof), ZG_OK);
    CHECK_EQ_INT(zg_groth16_public_to_snarkjs(&pub, cs.witness + 1, 5), ZG_OK);
    CHECK(strstr((char *)vk.data, "\"protocol\": \"groth16\"") != NULL);
    CHECK(strlen((char *)pr.data) == pr.len);
    CHECK_EQ_INT(zg_test_write_file(dir, "vkey.json", vk.data, vk.len), 0);
    CHECK_EQ_INT(zg_test_write_file(dir, "proof.json", pr.data, pr.len), 0);
    CHECK_EQ_INT(zg_test_write_file(dir, "public.json", pub.data, pub.len), 0);

    char cmd[2048];
    snprintf(cmd, sizeof cmd,
             "cd %s && node %s/node_modules/snarkjs/cli.js groth16 verify vkey.json public.json proof.json"
             " > verify.out 2>&1 && grep -q 'OK!' verify.out",
             dir, zg_test_root());
    CHECK_MSG(system(cmd) == 0, "snarkjs groth16 verify accepts our proof (see %s/verify.out)", dir);

    /* One node process: the original verifies; each input + 1 does not. */
    snprintf(cmd, sizeof cmd,
             "cd %s && node -e \""
             "const s=require('%s/node_modules/snarkjs');const fs=require('fs');"
             "const vk=JSON.parse(fs.readFileSync('vkey.json'));const pr=JSON.parse(fs.readFileSync('proof.json'));"
             "const pub=JSON.parse(fs.readFileSync('public.json'));"
             "(async()=>{let out=[];out.push(await s.groth16.verify(vk,pub,pr));"
             "for(let i=0;i<pub.length;i++){const p=pub.slice();p[i]=(BigInt(p[i])+1n).toString();"
             "out.push(await s.groth16.verify(vk,p,pr));}"
             "console.log(out.join(','));process.exit(0);})().catch(e=>{console.error(e);process.exit(2);});"
             "\" > variants.out 2>&1 && grep -qx 'true,false,false,false,false,false' variants.out",
             dir, zg_test_root());
    CHECK_MSG(system(cmd) == 0, "snarkjs rejects every changed public input (see %s/variants.out)", dir);

    CHECK_EQ_INT(zg_test_remove_dir(dir), 0);
    zg_buf_free(&vk);
    zg_buf_free(&pr);
    zg_buf_free(&pub);
    zg_groth16_pk_free(&pk);
    zg_r1cs_free(&cs);
}

int main(void)
{
    ZG_RUN(test_snarkjs_verify);
    ZG_TEST_END();
}
