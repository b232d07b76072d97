/*
 * chain_setup.h - a Serving contract with real Groth16 verifiers on a test
 * anvil (header-only, for broker tests):
 *   1. a development setup (zg_groth16_setup_dev: TEST ONLY, not a ceremony)
 *      of the settlement circuit for each size, proving keys saved as
 *      DIR/settle_N.pk (the broker's settlement.proving_dir layout);
 *   2. the Solidity batch verifier of each verifying key
 *      (zg_groth16_solidity), compiled with the pinned solc-js;
 *   3. verifiers and Serving (forge artefact) deployed with cast.
 */
#ifndef ZG_TEST_CHAIN_SETUP_H
#define ZG_TEST_CHAIN_SETUP_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "zg_test.h"
#include "zk/groth16.h"
#include "zk/groth16_sol.h"
#include "zk/settle_circuit.h"

/* Runs cmd, returns its first output line (trimmed) in out. */
static int cs_run(const char *cmd, char *out, size_t cap)
{
    FILE *f = popen(cmd, "r");
    if (!f) return -1;
    out[0] = 0;
    if (!fgets(out, (int)cap, f)) out[0] = 0;
    char sink[256];
    while (fgets(sink, sizeof sink, f)) {}
    int st = pclose(f);
    out[strcspn(out, "\r\n")] = 0;
    return st == 0 && out[0] ? 0 : -1;
}

/* Deploys init code (hex file) from key; the new address into addr. */
static int cs_deploy(const char *rpc, const char *key, const char *code_file, const char *args_hex,
                     char addr[64])
{
    char cmd[8192], line[4096];
    snprintf(cmd, sizeof cmd,
             "%s send --rpc-url %s --private-key %s --json --create $(cat %s)%s 2>&1 | node -e \"let s='';"
             "process.stdin.on('data',d=>s+=d).on('end',()=>{try{console.log(JSON.parse(s).contractAddress)}"
             "catch(e){console.log('');console.error(s)}})\"",
             getenv("ZG_CAST"), rpc, key, code_file, args_hex ? args_hex : "");
    if (cs_run(cmd, line, sizeof line) || strncmp(line, "0x", 2) != 0) return -1;
    if (strlen(line) >= 64) return -1;
    memcpy(addr, line, strlen(line) + 1);
    return 0;
}

/* Compiles the verifier of vk and writes its init code (hex) to code_file. */
static int cs_verifier_code(const zg_groth16_vk *vk, const char *dir, unsigned slots, char *code_file, size_t cap)
{
    zg_buf sol;
    zg_buf_init(&sol);
    char name[64], path[512], cmd[2048], line[64];
    snprintf(name, sizeof name, "SettlementVerifier%u", slots);
    if (zg_groth16_solidity(&sol, vk, name, NULL, NULL)) return -1;
    snprintf(path, sizeof path, "%s/%s.sol", dir, name);
    int written = zg_test_write_file(dir, strrchr(path, '/') + 1, sol.data, strlen((const char *)sol.data));
    zg_buf_free(&sol);
    if (written != 0) return -1;
    snprintf(code_file, cap, "%s/%s.hex", dir, name);
    snprintf(cmd, sizeof cmd,
             "node -e \"const fs=require('fs'),solc=require('solc');const src=fs.readFileSync('%s','utf8');"
             "const o=JSON.parse(solc.compile(JSON.stringify({language:'Solidity',sources:{'V.sol':{content:src}},"
             "settings:{optimizer:{enabled:true,runs:200},outputSelection:{'*':{'*':['evm.bytecode.object']}}}})));"
             "if(!o.contracts){console.error(JSON.stringify(o.errors));process.exit(1)}"
             "fs.writeFileSync('%s','0x'+o.contracts['V.sol']['%s'].evm.bytecode.object);console.log('ok')\"",
             path, code_file, name);
    return cs_run(cmd, line, sizeof line);
}

/* The Serving init code from forge's artefact into a hex file. */
static int cs_serving_code(const char *root, const char *dir, char *code_file, size_t cap)
{
    char cmd[1024], line[64];
    snprintf(code_file, cap, "%s/Serving.hex", dir);
    snprintf(cmd, sizeof cmd, "%s/contracts/out/Serving.sol/Serving.json", root);
    if (access(cmd, R_OK) != 0) { /* a fresh tree: build the contracts (forge with the solc-js wrapper) */
        snprintf(cmd, sizeof cmd, "cd %s/contracts && %s build >/dev/null 2>&1 && echo ok", root,
                 getenv("ZG_FORGE") ? getenv("ZG_FORGE") : "forge");
        if (cs_run(cmd, line, sizeof line)) return -1;
    }
    snprintf(cmd, sizeof cmd,
             "node -e \"const fs=require('fs');const j=JSON.parse(fs.readFileSync('%s/contracts/out/Serving.sol/Serving.json'));"
             "fs.writeFileSync('%s',j.bytecode.object);console.log('ok')\"", root, code_file);
    return cs_run(cmd, line, sizeof line);
}

/* Sets up sizes[0..n), deploys; serving gets the contract address. */
static int chain_setup(const char *rpc, const char *deployer_key, const char *dir, const unsigned *sizes, size_t n,
                       uint64_t lock_time, char serving[64])
{
    const char *root = zg_test_root();
    char verifiers[8][64], code[512];
    if (n > sizeof verifiers / sizeof verifiers[0]) {
        fprintf(stderr, "chain_setup: at most 8 circuit sizes\n");
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        zg_r1cs cs;
        zg_groth16_pk pk;
        memset(&cs, 0, sizeof cs);
        memset(&pk, 0, sizeof pk);
        zg_err err;
        char path[512];
        if (zg_settle_circuit_shape(sizes[i], &cs, &err) || zg_groth16_setup_dev(&pk, &cs, 0, &err)) {
            fprintf(stderr, "setup of %u slots: %s\n", sizes[i], err.msg);
            return -1;
        }
        zg_r1cs_free(&cs);
        snprintf(path, sizeof path, "%s/settle_%u.pk", dir, sizes[i]);
        int rc = zg_groth16_pk_save(path, &pk, &err);
        if (!rc) rc = cs_verifier_code(&pk.vk, dir, sizes[i], code, sizeof code);
        zg_groth16_pk_free(&pk);
        if (rc || cs_deploy(rpc, deployer_key, code, NULL, verifiers[i])) {
            fprintf(stderr, "verifier of %u slots: compile or deploy failed\n", sizes[i]);
            return -1;
        }
    }
    char cmd[1024], args[2048], list_s[64] = "[", list_v[600] = "[";
    for (size_t i = 0; i < n; i++) {
        char t[sizeof verifiers[0] + 2];   /* a comma, an entry and its NUL */
        snprintf(t, sizeof t, "%s%u", i ? "," : "", sizes[i]);
        strcat(list_s, t);
        snprintf(t, sizeof t, "%s%.*s", i ? "," : "", (int)sizeof verifiers[0] - 1, verifiers[i]);
        strcat(list_v, t);
    }
    strcat(list_s, "]");
    strcat(list_v, "]");
    snprintf(cmd, sizeof cmd, "%s abi-encode 'c(uint256,uint32[],address[])' %llu '%s' '%s'", getenv("ZG_CAST"),
             (unsigned long long)lock_time, list_s, list_v);
    if (cs_run(cmd, args, sizeof args) || cs_serving_code(root, dir, code, sizeof code)) return -1;
    return cs_deploy(rpc, deployer_key, code, args + 2, serving);
}

#endif
