/*
 * test_contract_anvil.c - the Serving bindings against a real chain (anvil):
 * deployment from forge artefacts (refusing the TestVerifier unless the
 * test-only flag is set), the deployment file, a service registered, updated
 * and removed, an account created, funded, refunded after anvil's time travel,
 * a settlement through the TestVerifier (and its replay refused), everything
 * read back through the views, the events decoded from receipts and from
 * eth_getLogs, and typed custom errors.
 *
 * Needs contracts/out (forge build; a build dependency of this test).
 */
#include "zg_anvil.h"
#include "zg_test.h"

#include <jansson.h>
#include <unistd.h>

#include "base/hex.h"
#include "eth/abi.h"
#include "eth/contract.h"
#include "eth/keccak.h"
#include "serving/contract.h"
#include "serving/deploy.h"
#include "zk/groth16.h"
#include "zk/groth16_sol.h"
#include "zk/settle_circuit.h"

static zg_err err;

#define LOCK 3600

static void artefact(const char *name, char *out, size_t len)
{
    zg_artifact_path(zg_test_root(), name, out, len, &err);
}

static zg_u256 u(uint64_t x)
{
    return zg_u256_from_u64(x);
}

static zg_u256 dec(const char *s)
{
    zg_u256 v;
    zg_u256_from_dec(&v, s, NULL);
    return v;
}

static int u256_eq(const zg_u256 *a, const zg_u256 *b)
{
    return zg_u256_cmp(a, b) == 0;
}

/* A valid Baby Jubjub key: Base8 (circomlibjs babyJub.Base8). */
static void signer_key(zg_u256 k[2])
{
    k[0] = dec("5299619240641551281634865583518297030282874472190772894086521144482721001553");
    k[1] = dec("16950150798460657717958625567821834550301663161624707787222815936182638968203");
}

/* The TestVerifier's marker: keccak256("zg-test-proof" ++ in0..in4). */
static void test_proof(zg_settlement_proof *p, const zg_address *provider, const zg_u256 signer[2])
{
    zg_u256 in[5];
    uint8_t msg[13 + 5 * 32];
    memcpy(msg, "zg-test-proof", 13);
    zg_serving_public_inputs(p, provider, signer, in);
    for (int i = 0; i < 5; i++)
        zg_u256_to_be(msg + 13 + 32 * i, &in[i]);
    memset(p->proof, 0, sizeof p->proof);
    zg_keccak256(msg, sizeof msg, p->proof);
}

/* Every function signature we bind must be in forge's methodIdentifiers. */
static void check_selectors(void)
{
    char path[1024];
    artefact("Serving", path, sizeof path);
    json_t *j = json_load_file(path, 0, NULL);
    CHECK(j != NULL);
    json_t *ids = json_object_get(j, "methodIdentifiers");
    static const char *const sigs[] = {
        "addOrUpdateService((string,uint8,string,string,string,uint256,uint256,string))",
        "removeService(string)",
        "settleFees((uint32,address,uint64,uint64,uint256,uint256[8])[])",
        "addAccount(address,uint256[2])", "depositFund(address)", "requestRefund(address,uint256)",
        "processRefund(address)", "deleteAccount(address)", "getService(address,string)",
        "getServices(uint256,uint256)", "serviceCount()", "serviceExists(address,string)",
        "getAccount(address,address)", "accountExists(address,address)",
        "settledNonce(address,address)", "getAccountsOfUser(address,uint256,uint256)",
        "getAccountsOfProvider(address,uint256,uint256)",
        "getRefunds(address,address,uint256,uint256)", "lockTime()", "circuitSizes()",
        "verifierOf(uint32)", "serviceKey(address,string)", "accountKey(address,address)",
    };
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
        CHECK_MSG(json_is_string(json_object_get(ids, sigs[i])), "not in the ABI: %s", sigs[i]);
    CHECK_EQ_INT(json_object_size(ids), sizeof sigs / sizeof sigs[0] + 8); /* + the 8 MAX_* / SERVICE_TYPE_MAX constants */
    json_decref(j);
}

static int time_travel(zg_rpc *rpc, long seconds)
{
    char params[32];
    json_t *res = NULL;
    snprintf(params, sizeof params, "[%ld]", seconds);
    int rc = zg_rpc_call(rpc, "evm_increaseTime", params, &res, &err);
    json_decref(res);
    res = NULL;
    if (!rc)
        rc = zg_rpc_call(rpc, "evm_mine", "[]", &res, &err);
    json_decref(res);
    return rc;
}

typedef struct world {
    zg_anvil anvil;
    zg_rpc *rpc;
    zg_eth_key deployer, provider, user;
    zg_address provider_addr, user_addr;
    zg_deployment dep;
    zg_serving sv;
} world;

static void deploy(world *w)
{
    char serving[1024], tv[1024];
    artefact("Serving", serving, sizeof serving);
    artefact("TestVerifier", tv, sizeof tv);
    zg_deploy_verifier vs[2] = {{4, tv}, {16, tv}};
    zg_deploy_opts o = {.serving_artifact = serving, .verifiers = vs, .n_verifiers = 2, .lock_time = LOCK};

    /* Without the test-only flag the TestVerifier is refused, nothing sent. */
    CHECK_EQ_INT(zg_serving_deploy(w->rpc, &w->deployer, &o, &w->dep, &err), ZG_EINVAL);
    CHECK(strstr(err.msg, "test-only") != NULL);
    /* Not a verifier at all. */
    zg_deploy_verifier bad[1] = {{4, serving}};
    zg_deploy_opts ob = o;
    ob.verifiers = bad;
    ob.n_verifiers = 1;
    CHECK_EQ_INT(zg_serving_deploy(w->rpc, &w->deployer, &ob, &w->dep, &err), ZG_EINVAL);
    CHECK(strstr(err.msg, "not a settlement verifier") != NULL);
    /* Missing artefact. */
    zg_deploy_verifier missing[1] = {{4, "/nonexistent/X.json"}};
    ob.verifiers = missing;
    CHECK_EQ_INT(zg_serving_deploy(w->rpc, &w->deployer, &ob, &w->dep, &err), ZG_ENOTFOUND);

    o.allow_test_verifiers = 1;
    CHECK_OK(zg_serving_deploy(w->rpc, &w->deployer, &o, &w->dep, &err));
    CHECK_EQ_INT(w->dep.chain_id, ZG_ANVIL_CHAIN_ID);
    CHECK_EQ_INT(w->dep.n_verifiers, 2);
    CHECK_EQ_INT(w->dep.test_verifiers, 1);
    CHECK_EQ_INT(w->dep.lock_time, LOCK);
    CHECK_EQ_STR(w->dep.verifiers[1].contract, "TestVerifier");

    /* The deployment file round-trips. */
    char path[] = "/tmp/zg-deployment-XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    close(fd);
    zg_deployment back;
    CHECK_OK(zg_deployment_write(&w->dep, path, &err));
    CHECK_OK(zg_deployment_read(path, &back, &err));
    CHECK(zg_address_eq(&back.serving, &w->dep.serving));
    CHECK(zg_address_eq(&back.verifiers[1].address, &w->dep.verifiers[1].address));
    CHECK_EQ_INT(back.verifiers[1].slots, 16);
    CHECK_EQ_INT(back.block, w->dep.block);
    CHECK_EQ_INT(back.test_verifiers, 1);
    unlink(path);
    CHECK_EQ_INT(zg_deployment_read(path, &back, &err), ZG_ENOTFOUND);

    zg_serving_init(&w->sv, w->rpc, &w->dep.serving);
    uint64_t lock = 0;
    CHECK_OK(zg_serving_lock_time(&w->sv, &lock, &err));
    CHECK_EQ_INT(lock, LOCK);
    uint32_t *sizes = NULL;
    size_t n = 0;
    CHECK_OK(zg_serving_circuit_sizes(&w->sv, &sizes, &n, &err));
    CHECK_EQ_INT(n, 2);
    if (n == 2)
        CHECK(sizes[0] == 4 && sizes[1] == 16);
    free(sizes);
    zg_address v;
    CHECK_OK(zg_serving_verifier_of(&w->sv, 16, &v, &err));
    CHECK(zg_address_eq(&v, &w->dep.verifiers[1].address));
}

/* An accept-all "verifier": refused by the probe, with or without the
 * test-only flag. Init code compiled once with contracts/solc (solc-js
 * 0.8.26, optimizer 200 runs, bytecodeHash none) from:
 *   contract AcceptAll {
 *       function verifyBatch(uint256[] calldata, uint256[] calldata) external pure returns (bool) {
 *           return true;
 *       }
 *   }                                                                      */
static const char accept_all_code[] =
    "0x6080604052348015600e575f80fd5b5061011a8061001c5f395ff3fe608060405234801561000f575f80fd5b50600436"
    "10610029575f3560e01c806311aa3f221461002d575b5f80fd5b61004561003b3660046100a1565b6001949350505050565b"
    "604051901515815260200160405180910390f35b5f8083601f840112610069575f80fd5b50813567ffffffffffffffff8111"
    "15610080575f80fd5b6020830191508360208260051b850101111561009a575f80fd5b9250929050565b5f805f8060408587"
    "0312156100b4575f80fd5b843567ffffffffffffffff8111156100ca575f80fd5b6100d687828801610059565b9095509350"
    "50602085013567ffffffffffffffff8111156100f5575f80fd5b61010187828801610059565b9598949750955050505056fe"
    "a164736f6c634300081a000a";

static void refuses_accept_all(world *w)
{
    char dir[] = "/tmp/zg-art-XXXXXX", path[256], serving[1024];
    CHECK(mkdtemp(dir) != NULL);
    snprintf(path, sizeof path, "%s/AcceptAll.json", dir);
    FILE *f = fopen(path, "w");
    CHECK(f != NULL);
    if (!f)
        return;
    fprintf(f, "{\"abi\":[{\"type\":\"function\",\"name\":\"verifyBatch\",\"inputs\":"
               "[{\"name\":\"\",\"type\":\"uint256[]\"},{\"name\":\"\",\"type\":\"uint256[]\"}],"
               "\"outputs\":[{\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"pure\"}],"
               "\"bytecode\":{\"object\":\"%s\"}}",
            accept_all_code);
    fclose(f);
    artefact("Serving", serving, sizeof serving);
    zg_deploy_verifier vs[1] = {{4, path}};
    zg_deploy_opts o = {.serving_artifact = serving, .verifiers = vs, .n_verifiers = 1, .lock_time = LOCK,
                        .allow_test_verifiers = 1};
    zg_deployment d;
    CHECK_EQ_INT(zg_serving_deploy(w->rpc, &w->deployer, &o, &d, &err), ZG_EINVAL);
    CHECK(strstr(err.msg, "accepts an all-zero proof") != NULL);
    unlink(path);
    rmdir(dir);
}

/* The real thing: zg_serving_deploy_dev (a development, TEST-ONLY-grade
 * Groth16 setup of the 4-slot circuit, its generated verifier compiled and
 * deployed without the test-only flag). */
static void deploys_real_verifier(world *w)
{
    char dir[] = "/tmp/zg-dev-XXXXXX", serving[1024], path[1100];
    CHECK(mkdtemp(dir) != NULL);
    artefact("Serving", serving, sizeof serving);
    uint32_t sizes[1] = {4};
    zg_deployment d;
    CHECK_OK(zg_serving_deploy_dev(w->rpc, &w->deployer, sizes, 1, LOCK, dir, serving, NULL, &d, &err));
    CHECK_EQ_INT(d.test_verifiers, 0);
    CHECK_EQ_INT(d.n_verifiers, 1);
    CHECK_EQ_STR(d.verifiers[0].contract, "SettlementVerifier4");
    snprintf(path, sizeof path, "%s/settle_4.pk", dir);
    CHECK(access(path, R_OK) == 0);
    snprintf(path, sizeof path, "%s/SettlementVerifier4.json", dir);
    CHECK(access(path, R_OK) == 0);
    CHECK_EQ_INT(zg_test_remove_dir(dir), 0);
}

static void services(world *w)
{
    zg_service_params p = {.name = "chat-1", .service_type = ZG_SERVICE_CHAT,
                           .url = "http://127.0.0.1:8080", .model = "zg-ngram",
                           .verifiability = "none", .input_price = u(3), .output_price = u(7),
                           .additional_properties = "{\"unit\":\"byte\"}"};
    zg_rpc_receipt rc;
    CHECK_OK(zg_serving_add_or_update_service(&w->sv, &w->provider, &p, NULL, &rc, &err));
    zg_serving_event *evs = NULL;
    size_t n = 0;
    CHECK_OK(zg_serving_receipt_events(&w->sv, &rc, &evs, &n, &err));
    CHECK_EQ_INT(n, 1);
    if (n == 1) {
        CHECK_EQ_INT(evs[0].kind, ZG_EV_SERVICE_UPDATED);
        CHECK(zg_address_eq(&evs[0].provider, &w->provider_addr));
        CHECK_EQ_STR(evs[0].service.name, "chat-1");
        CHECK_EQ_STR(evs[0].service.additional_properties, "{\"unit\":\"byte\"}");
        CHECK(u256_eq(&evs[0].service.output_price, &p.output_price));
    }
    zg_serving_events_free(evs, n);
    zg_rpc_receipt_free(&rc);

    /* Update: new price and type. */
    p.input_price = u(5);
    p.service_type = ZG_SERVICE_MODEL;
    p.url = "https://provider.example/v1";
    CHECK_OK(zg_serving_add_or_update_service(&w->sv, &w->provider, &p, NULL, NULL, &err));
    zg_service s;
    CHECK_OK(zg_serving_get_service(&w->sv, &w->provider_addr, "chat-1", &s, &err));
    CHECK_EQ_STR(s.name, "chat-1");
    CHECK_EQ_STR(s.url, "https://provider.example/v1");
    CHECK_EQ_STR(s.model, "zg-ngram");
    CHECK_EQ_STR(s.verifiability, "none");
    CHECK_EQ_INT(s.service_type, ZG_SERVICE_MODEL);
    CHECK(u256_eq(&s.input_price, &p.input_price));
    CHECK(s.updated_at > 0);
    CHECK(zg_address_eq(&s.provider, &w->provider_addr));
    zg_service_free(&s);

    /* A second service, then the list views. */
    p.name = "data-1";
    p.service_type = ZG_SERVICE_DATASET;
    CHECK_OK(zg_serving_add_or_update_service(&w->sv, &w->provider, &p, NULL, NULL, &err));
    uint64_t count = 0, total = 0;
    CHECK_OK(zg_serving_service_count(&w->sv, &count, &err));
    CHECK_EQ_INT(count, 2);
    zg_service *list = NULL;
    CHECK_OK(zg_serving_get_services(&w->sv, 1, 10, &list, &n, &total, &err));
    CHECK_EQ_INT(total, 2);
    CHECK_EQ_INT(n, 1);
    if (n == 1)
        CHECK_EQ_STR(list[0].name, "data-1");
    zg_services_free(list, n);

    /* Remove it; errors are typed. */
    CHECK_OK(zg_serving_remove_service(&w->sv, &w->provider, "data-1", NULL, NULL, &err));
    int exists = 1;
    CHECK_OK(zg_serving_service_exists(&w->sv, &w->provider_addr, "data-1", &exists, &err));
    CHECK_EQ_INT(exists, 0);
    CHECK_EQ_INT(zg_serving_get_service(&w->sv, &w->provider_addr, "data-1", &s, &err), ZG_EREVERT);
    CHECK_EQ_INT(zg_serving_last_error(&w->sv), ZG_SE_SERVICE_NOT_FOUND);
    CHECK(strstr(err.msg, "ServiceNotFound") != NULL);
    CHECK_EQ_INT(zg_serving_remove_service(&w->sv, &w->provider, "data-1", NULL, NULL, &err), ZG_EREVERT);
    CHECK_EQ_INT(zg_serving_last_error(&w->sv), ZG_SE_SERVICE_NOT_FOUND);
    p.name = "x";
    p.service_type = 7;
    CHECK_EQ_INT(zg_serving_add_or_update_service(&w->sv, &w->provider, &p, NULL, NULL, &err), ZG_EINVAL);
    uint8_t t;
    CHECK_OK(zg_service_type_parse("dataset", &t, &err));
    CHECK_EQ_INT(t, ZG_SERVICE_DATASET);
    CHECK_EQ_STR(zg_service_type_name(ZG_SERVICE_MODEL), "model");
}

static void accounts(world *w)
{
    zg_u256 key[2], one_eth = dec("1000000000000000000"), half = dec("500000000000000000"),
                    refund = dec("300000000000000000");
    signer_key(key);
    CHECK_OK(zg_serving_add_account(&w->sv, &w->user, &w->provider_addr, key, &one_eth, NULL, NULL, &err));
    CHECK_EQ_INT(zg_serving_add_account(&w->sv, &w->user, &w->provider_addr, key, NULL, NULL, NULL, &err),
                 ZG_EREVERT);
    CHECK_EQ_INT(zg_serving_last_error(&w->sv), ZG_SE_ACCOUNT_EXISTS);
    zg_u256 bad[2] = {u(0), u(1)};   /* the identity: refused */
    CHECK_EQ_INT(zg_serving_add_account(&w->sv, &w->deployer, &w->provider_addr, bad, NULL, NULL, NULL, &err),
                 ZG_EREVERT);
    CHECK_EQ_INT(zg_serving_last_error(&w->sv), ZG_SE_INVALID_SIGNER);

    zg_rpc_receipt rc;
    CHECK_OK(zg_serving_deposit_fund(&w->sv, &w->user, &w->provider_addr, &half, NULL, &rc, &err));
    zg_serving_event *evs = NULL;
    size_t n = 0;
    CHECK_OK(zg_serving_receipt_events(&w->sv, &rc, &evs, &n, &err));
    CHECK(n == 1 && evs[0].kind == ZG_EV_DEPOSITED);
    if (n == 1) {
        zg_u256 want = dec("1500000000000000000");
        CHECK(u256_eq(&evs[0].balance, &want));
        CHECK(u256_eq(&evs[0].amount, &half));
        CHECK(zg_address_eq(&evs[0].user, &w->user_addr));
    }
    zg_serving_events_free(evs, n);
    zg_rpc_receipt_free(&rc);

    CHECK_OK(zg_serving_request_refund(&w->sv, &w->user, &w->provider_addr, &refund, NULL, NULL, &err));
    CHECK_EQ_INT(zg_serving_process_refund(&w->sv, &w->user, &w->provider_addr, NULL, NULL, &err), ZG_EREVERT);
    CHECK_EQ_INT(zg_serving_last_error(&w->sv), ZG_SE_NO_REFUND_DUE);
    CHECK_EQ_INT(zg_serving_delete_account(&w->sv, &w->user, &w->provider_addr, NULL, NULL, &err), ZG_EREVERT);
    CHECK_EQ_INT(zg_serving_last_error(&w->sv), ZG_SE_ACCOUNT_NOT_EMPTY);

    zg_account_info a;
    CHECK_OK(zg_serving_get_account(&w->sv, &w->user_addr, &w->provider_addr, &a, &err));
    CHECK(u256_eq(&a.pending_refund, &refund));
    CHECK_EQ_INT(a.refund_count, 1);

    /* Time travel past lockTime, then the refund pays out. */
    CHECK_OK(time_travel(w->rpc, LOCK));
    zg_u256 before, after, got;
    CHECK_OK(zg_rpc_balance(w->rpc, &w->user_addr, &before, &err));
    CHECK_OK(zg_serving_process_refund(&w->sv, &w->user, &w->provider_addr, NULL, &rc, &err));
    CHECK_OK(zg_rpc_balance(w->rpc, &w->user_addr, &after, &err));
    zg_u256 gas = u(rc.gas_used), fee;
    zg_u256_mul(&fee, &gas, &rc.effective_gas_price);
    zg_u256_add(&got, &after, &fee);
    zg_u256_sub(&got, &got, &before);
    CHECK(u256_eq(&got, &refund));
    CHECK_OK(zg_serving_receipt_events(&w->sv, &rc, &evs, &n, &err));
    CHECK(n == 1 && evs[0].kind == ZG_EV_REFUND_PROCESSED);
    if (n == 1)
        CHECK(u256_eq(&evs[0].amount, &refund) && evs[0].index == 0);
    zg_serving_events_free(evs, n);
    zg_rpc_receipt_free(&rc);

    CHECK_OK(zg_serving_get_account(&w->sv, &w->user_addr, &w->provider_addr, &a, &err));
    zg_u256 left = dec("1200000000000000000");
    CHECK(u256_eq(&a.balance, &left));
    CHECK(zg_u256_is_zero(&a.pending_refund));
    CHECK_EQ_INT(a.refund_head, 1);
    CHECK(u256_eq(&a.signer[0], &key[0]) && u256_eq(&a.signer[1], &key[1]));
    CHECK(zg_address_eq(&a.user, &w->user_addr) && zg_address_eq(&a.provider, &w->provider_addr));

    zg_refund *rs = NULL;
    uint64_t total = 0;
    CHECK_OK(zg_serving_get_refunds(&w->sv, &w->user_addr, &w->provider_addr, 0, 10, &rs, &n, &total, &err));
    CHECK(n == 1 && total == 1);
    if (n == 1)
        CHECK(rs[0].processed && u256_eq(&rs[0].amount, &refund) && rs[0].created_at > 0);
    free(rs);

    zg_account_info *list = NULL;
    CHECK_OK(zg_serving_get_accounts_of_user(&w->sv, &w->user_addr, 0, 10, &list, &n, &total, &err));
    CHECK(n == 1 && total == 1 && zg_address_eq(&list[0].provider, &w->provider_addr));
    free(list);
    CHECK_OK(zg_serving_get_accounts_of_provider(&w->sv, &w->provider_addr, 0, 10, &list, &n, &total, &err));
    CHECK(n == 1 && total == 1 && zg_address_eq(&list[0].user, &w->user_addr));
    free(list);
    int exists = 0;
    CHECK_OK(zg_serving_account_exists(&w->sv, &w->user_addr, &w->provider_addr, &exists, &err));
    CHECK_EQ_INT(exists, 1);
    CHECK_EQ_INT(zg_serving_get_account(&w->sv, &w->provider_addr, &w->user_addr, &a, &err), ZG_EREVERT);
    CHECK_EQ_INT(zg_serving_last_error(&w->sv), ZG_SE_ACCOUNT_NOT_FOUND);
}

static void settlement(world *w)
{
    zg_u256 key[2];
    signer_key(key);
    zg_settlement_proof p = {.slots = 4, .user = w->user_addr, .first_nonce = 1, .last_nonce = 5,
                             .total = dec("200000000000000000")};
    test_proof(&p, &w->provider_addr, key);
    zg_rpc_receipt rc;
    CHECK_OK(zg_serving_settle_fees(&w->sv, &w->provider, &p, 1, NULL, &rc, &err));
    zg_serving_event *evs = NULL;
    size_t n = 0;
    CHECK_OK(zg_serving_receipt_events(&w->sv, &rc, &evs, &n, &err));
    CHECK(n == 1 && evs[0].kind == ZG_EV_FEES_SETTLED);
    if (n == 1) {
        zg_u256 left = dec("1000000000000000000");
        CHECK(evs[0].first_nonce == 1 && evs[0].last_nonce == 5);
        CHECK(u256_eq(&evs[0].amount, &p.total) && u256_eq(&evs[0].balance, &left));
    }
    zg_serving_events_free(evs, n);
    zg_rpc_receipt_free(&rc);
    uint64_t nonce = 0;
    CHECK_OK(zg_serving_settled_nonce(&w->sv, &w->user_addr, &w->provider_addr, &nonce, &err));
    CHECK_EQ_INT(nonce, 5);

    /* The same run again, and a run starting at the settled nonce: refused. */
    CHECK_EQ_INT(zg_serving_settle_fees(&w->sv, &w->provider, &p, 1, NULL, NULL, &err), ZG_EREVERT);
    CHECK_EQ_INT(zg_serving_last_error(&w->sv), ZG_SE_NONCE_NOT_ABOVE);
    p.first_nonce = 5;
    p.last_nonce = 6;
    test_proof(&p, &w->provider_addr, key);
    CHECK_EQ_INT(zg_serving_settle_fees(&w->sv, &w->provider, &p, 1, NULL, NULL, &err), ZG_EREVERT);
    CHECK_EQ_INT(zg_serving_last_error(&w->sv), ZG_SE_NONCE_NOT_ABOVE);
    /* A forged proof (marker of other inputs). */
    p.first_nonce = 6;
    p.proof[0] ^= 1;
    CHECK_EQ_INT(zg_serving_settle_fees(&w->sv, &w->provider, &p, 1, NULL, NULL, &err), ZG_EREVERT);
    CHECK_EQ_INT(zg_serving_last_error(&w->sv), ZG_SE_INVALID_PROOF);
    /* Two proofs of two sizes in one transaction. */
    zg_settlement_proof two[2] = {
        {.slots = 4, .user = w->user_addr, .first_nonce = 6, .last_nonce = 6, .total = u(10)},
        {.slots = 16, .user = w->user_addr, .first_nonce = 7, .last_nonce = 20, .total = u(20)},
    };
    test_proof(&two[0], &w->provider_addr, key);
    test_proof(&two[1], &w->provider_addr, key);
    CHECK_OK(zg_serving_settle_fees(&w->sv, &w->provider, two, 2, NULL, NULL, &err));
    CHECK_OK(zg_serving_settled_nonce(&w->sv, &w->user_addr, &w->provider_addr, &nonce, &err));
    CHECK_EQ_INT(nonce, 20);
}

static void history(world *w)
{
    zg_serving_event *evs = NULL;
    size_t n = 0;
    CHECK_OK(zg_serving_get_events(&w->sv, w->dep.block, 0, 0, NULL, NULL, &evs, &n, &err));
    static const zg_serving_event_kind want[] = {
        ZG_EV_SERVICE_UPDATED, ZG_EV_SERVICE_UPDATED, ZG_EV_SERVICE_UPDATED, ZG_EV_SERVICE_REMOVED,
        ZG_EV_ACCOUNT_CREATED, ZG_EV_DEPOSITED, ZG_EV_REFUND_REQUESTED, ZG_EV_REFUND_PROCESSED,
        ZG_EV_FEES_SETTLED, ZG_EV_FEES_SETTLED, ZG_EV_FEES_SETTLED,
    };
    CHECK_EQ_INT(n, sizeof want / sizeof want[0]);
    for (size_t i = 0; i < n && i < sizeof want / sizeof want[0]; i++)
        CHECK_MSG(evs[i].kind == want[i], "event %zu: %s, want %s", i, zg_serving_event_name(evs[i].kind),
                  zg_serving_event_name(want[i]));
    for (size_t i = 0; i < n; i++)
        if (evs[i].kind == ZG_EV_ACCOUNT_CREATED) {
            zg_u256 key[2], one_eth = dec("1000000000000000000");
            signer_key(key);
            CHECK(u256_eq(&evs[i].signer[0], &key[0]) && u256_eq(&evs[i].balance, &one_eth));
        }
    zg_serving_events_free(evs, n);

    /* Filtered: this user's settlements with this provider. */
    CHECK_OK(zg_serving_get_events(&w->sv, w->dep.block, 0, ZG_EV_FEES_SETTLED, &w->user_addr,
                                   &w->provider_addr, &evs, &n, &err));
    CHECK_EQ_INT(n, 3);
    zg_serving_events_free(evs, n);
    CHECK_OK(zg_serving_get_events(&w->sv, w->dep.block, 0, ZG_EV_SERVICE_REMOVED, NULL, &w->provider_addr,
                                   &evs, &n, &err));
    CHECK(n == 1 && strcmp(evs[0].service.name, "data-1") == 0);
    zg_serving_events_free(evs, n);
    CHECK_OK(zg_serving_get_events(&w->sv, w->dep.block, 0, ZG_EV_DEPOSITED, &w->provider_addr, NULL,
                                   &evs, &n, &err));
    CHECK_EQ_INT(n, 0);
    zg_serving_events_free(evs, n);
}

static void keys_match_contract(world *w)
{
    uint8_t mine[32];
    zg_abi_value *v = NULL;
    char args[200], a1[43], a2[43];
    zg_hex_encode(w->user_addr.b, 20, a1);
    zg_hex_encode(w->provider_addr.b, 20, a2);
    snprintf(args, sizeof args, "[\"%s\",\"%s\"]", a1, a2);
    zg_serving_account_key(&w->user_addr, &w->provider_addr, mine);
    CHECK_OK(zg_contract_view(w->rpc, &w->sv.address, NULL, "accountKey(address,address)(bytes32)", args, &v, &err));
    size_t n = 0;
    const uint8_t *b = v ? zg_abi_get_bytes(zg_abi_at(v, 0), &n) : NULL;
    CHECK(b && n == 32 && memcmp(b, mine, 32) == 0);
    zg_abi_value_free(v);
    v = NULL;
    CHECK_OK(zg_serving_service_key(&w->provider_addr, "chat-1", mine, &err));
    snprintf(args, sizeof args, "[\"%s\",\"chat-1\"]", a2);
    CHECK_OK(zg_contract_view(w->rpc, &w->sv.address, NULL, "serviceKey(address,string)(bytes32)", args, &v, &err));
    b = v ? zg_abi_get_bytes(zg_abi_at(v, 0), &n) : NULL;
    CHECK(b && n == 32 && memcmp(b, mine, 32) == 0);
    zg_abi_value_free(v);
}

static void test_contract(void)
{
    world w;
    memset(&w, 0, sizeof w);
    check_selectors();
    if (zg_anvil_start(&w.anvil) != 0) {
        CHECK_MSG(0, "anvil did not start");
        return;
    }
    CHECK_OK(zg_rpc_new(w.anvil.url, &w.rpc, &err));
    CHECK_OK(zg_eth_key_from_hex(&w.deployer, zg_anvil_keys[0], &err));
    CHECK_OK(zg_eth_key_from_hex(&w.provider, zg_anvil_keys[1], &err));
    CHECK_OK(zg_eth_key_from_hex(&w.user, zg_anvil_keys[2], &err));
    zg_eth_key_address(&w.provider, &w.provider_addr);
    zg_eth_key_address(&w.user, &w.user_addr);
    deploy(&w);
    refuses_accept_all(&w);
    deploys_real_verifier(&w);
    if (zg_test_failed == 0) {
        services(&w);
        accounts(&w);
        settlement(&w);
        history(&w);
        keys_match_contract(&w);
    }
    zg_rpc_free(w.rpc);
    zg_anvil_stop(&w.anvil);
}

static void test_errors_table(void)
{
    CHECK_EQ_STR(zg_serving_error_name(ZG_SE_NONCE_NOT_ABOVE), "NonceNotAbove");
    CHECK_EQ_STR(zg_serving_error_name(ZG_SE_REENTRANCY), "Reentrancy");
    CHECK_EQ_STR(zg_serving_error_name(ZG_SE_NONE), "");
    uint8_t data[4];
    CHECK_OK(zg_abi_selector("InsufficientBalance(address,uint256,uint256)", data, &err));
    CHECK_EQ_INT(zg_serving_error_from_revert(data, 4), ZG_SE_INSUFFICIENT_BALANCE);
    CHECK_EQ_INT(zg_serving_error_from_revert(data, 3), ZG_SE_NONE);
    /* Every signature parses, and the names are distinct selectors. */
    for (int i = 1; i < ZG_SE_COUNT; i++) {
        uint8_t sel[4];
        CHECK_OK(zg_abi_selector(zg_serving_error_sigs[i - 1], sel, &err));
        CHECK_EQ_INT(zg_serving_error_from_revert(sel, 4), i);
    }
}

/* Checks that need no chain: bad input is refused before any RPC. */
static void test_offline(void)
{
    zg_serving s;
    memset(&s, 0, sizeof s);   /* no client: nothing may reach it */
    zg_eth_key k;
    CHECK_OK(zg_eth_key_from_hex(&k, zg_anvil_keys[1], &err));
    CHECK_EQ_INT(zg_serving_remove_service(&s, &k, "\xff\xfe", NULL, NULL, &err), ZG_EINVAL);
    zg_service_params p = {.name = "", .service_type = 0};
    CHECK_EQ_INT(zg_serving_add_or_update_service(&s, &k, &p, NULL, NULL, &err), ZG_EINVAL);
    CHECK_EQ_INT(zg_serving_settle_fees(&s, &k, NULL, 0, NULL, NULL, &err), ZG_EINVAL);

    /* Public inputs: in0 = user | firstNonce << 160, in1 = provider | lastNonce << 160. */
    zg_settlement_proof q;
    memset(&q, 0, sizeof q);
    memset(q.user.b, 0x11, 20);
    q.first_nonce = 0x0102030405060708ULL;
    q.last_nonce = 9;
    q.total = u(77);
    zg_address prov;
    memset(prov.b, 0x22, 20);
    zg_u256 signer[2] = {u(5), u(6)}, in[5];
    zg_serving_public_inputs(&q, &prov, signer, in);
    uint8_t w[32];
    zg_u256_to_be(w, &in[0]);
    static const uint8_t want0[12] = {0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8};
    CHECK_EQ_MEM(w, want0, 12);
    CHECK_EQ_MEM(w + 12, q.user.b, 20);
    zg_u256_to_be(w, &in[1]);
    CHECK(w[11] == 9 && w[10] == 0 && memcmp(w + 12, prov.b, 20) == 0);
    CHECK(zg_u256_cmp(&in[2], &q.total) == 0 && zg_u256_cmp(&in[4], &signer[1]) == 0);

    /* Deploy options are checked before anything is loaded or sent. */
    zg_deployment d;
    zg_deploy_opts o = {.n_verifiers = 0, .lock_time = 1};
    CHECK_EQ_INT(zg_serving_deploy(NULL, &k, &o, &d, &err), ZG_EINVAL);
    zg_deploy_verifier vs[2] = {{4, "a.json"}, {4, "b.json"}};
    o.verifiers = vs;
    o.n_verifiers = 2;
    CHECK_EQ_INT(zg_serving_deploy(NULL, &k, &o, &d, &err), ZG_EINVAL);
    CHECK(strstr(err.msg, "twice") != NULL);
    o.n_verifiers = 1;
    o.lock_time = 0;
    CHECK_EQ_INT(zg_serving_deploy(NULL, &k, &o, &d, &err), ZG_EINVAL);
}

int main(void)
{
    ZG_RUN(test_errors_table);
    ZG_RUN(test_offline);
    ZG_RUN(test_contract);
    ZG_TEST_END();
}
