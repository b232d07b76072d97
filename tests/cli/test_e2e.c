/*
 * test_e2e.c - the whole network, as the README's main command runs it:
 * `scripts/network.sh start` in a private run directory on free ports (anvil,
 * contract + verifiers, zg-model, zg-provider, a customer, chat requests, a
 * settlement with a proof), then checks every figure of its report to the
 * wei against the chain, runs a second customer written in JavaScript
 * (circomlibjs + ethers) whose signed requests the broker must accept, checks
 * the user-facing failures that need a live network (unknown provider,
 * insufficient balance: clear message, non-zero exit, no state change), and
 * stops the network.
 */
#include <arpa/inet.h>
#include <jansson.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include "cli_run.h"
#include "zg_test.h"

#define PROVIDER "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"
#define JS_KEY "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6"     /* anvil #3 */
#define POOR_KEY "0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a"   /* anvil #4 */
#define NOACCT_KEY "0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba" /* anvil #5 */
#define INPUT_PRICE 1000000000ull
#define OUTPUT_PRICE 2000000000ull

static char run[256], env[1024], rpc[64], admin[64];
static int p_anvil, p_model, p_proxy, p_admin;
static json_t *report;

static int free_port(void)
{
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t n = sizeof a;
    int port = 0;
    if (s >= 0 && bind(s, (struct sockaddr *)&a, sizeof a) == 0 && getsockname(s, (struct sockaddr *)&a, &n) == 0)
        port = ntohs(a.sin_port);
    if (s >= 0)
        close(s);
    return port;
}

static int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int sh(const char *fmt, ...)
{
    char cmd[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    int st = system(cmd);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static unsigned long long wei(json_t *o, const char *k)
{
    json_t *v = json_object_get(o, k);
    return json_is_string(v) ? strtoull(json_string_value(v), NULL, 10) : (unsigned long long)json_integer_value(v);
}

static void net_env(const char *what)
{
    snprintf(env, sizeof env,
             "ZG_NO_SETUP=1 ZG_RUN_DIR=%s ZG_BUILD_DIR=%s ZG_PORT_ANVIL=%d ZG_PORT_MODEL=%d "
             "ZG_PORT_PROXY=%d ZG_PORT_ADMIN=%d %s",
             run, getenv("ZG_BUILD"), p_anvil, p_model, p_proxy, p_admin, what);
}

static void test_main_command(void)
{
    net_env("");
    int rc = sh("%s bash scripts/network.sh start >%s/out.log 2>&1", env, run);
    CHECK_MSG(rc == 0, "network.sh start -> %d; see %s/out.log", rc, run);
    if (rc) {
        sh("tail -n 30 %s/out.log >&2; tail -n 20 %s/provider.log >&2", run, run);
        return;
    }
    char p[300];
    snprintf(p, sizeof p, "%s/report.json", run);
    json_error_t je;
    report = json_load_file(p, 0, &je);
    CHECK_MSG(report != NULL, "report.json: %s", je.text);
    if (!report)
        return;
    CHECK(json_is_true(json_object_get(report, "ok")));
    json_t *reqs = json_object_get(report, "requests");
    CHECK_EQ_INT(json_array_size(reqs), 3);
    /* Each fee is its own input at 1 gwei/byte plus the previous output at 2 gwei/byte. */
    static const char *const q[3] = {"Who is the Queen of Hearts?", "What did the Cat say to Alice?",
                                     "Tell me about the White Rabbit."};
    unsigned long long prev_out = 0, signed_total = 0;
    for (size_t i = 0; i < json_array_size(reqs); i++) {
        json_t *r = json_array_get(reqs, i);
        unsigned long long in = json_integer_value(json_object_get(r, "units_in"));
        unsigned long long out = json_integer_value(json_object_get(r, "units_out"));
        const char *answer = json_string_value(json_object_get(r, "answer"));
        CHECK_EQ_U64(in, strlen(q[i]));
        CHECK_EQ_U64(out, answer ? strlen(answer) : 0);
        CHECK(out > 0);
        CHECK_EQ_U64(wei(r, "input_fee"), in * INPUT_PRICE);
        CHECK_EQ_U64(wei(r, "previous_output_fee"), prev_out);
        CHECK_EQ_U64(wei(r, "fee"), in * INPUT_PRICE + prev_out);
        CHECK_EQ_U64(wei(r, "output_fee"), out * OUTPUT_PRICE);
        CHECK_EQ_STR(json_string_value(json_object_get(r, "warning")), "");
        prev_out = out * OUTPUT_PRICE;
        signed_total += wei(r, "fee");
    }
    CHECK_EQ_U64(wei(report, "closed_fee"), prev_out);
    signed_total += prev_out;
    unsigned long long before = wei(report, "balance_before"), after = wei(report, "balance_after");
    unsigned long long income = wei(report, "provider_income"), refunds = wei(report, "refunds");
    CHECK_EQ_U64(before, 10000000000000000ull); /* 0.01 eth deposited */
    CHECK_EQ_U64(income, signed_total);
    CHECK_EQ_U64(after + income + refunds, before);
    json_t *st = json_object_get(report, "settlement");
    CHECK(json_is_string(json_object_get(st, "tx")));
    /* The chain agrees with the report. */
    cli_out o;
    char cenv[600];
    snprintf(cenv, sizeof cenv, "-u ZG_PRIVATE_KEY ZG_HOME=%s/home ZG_RPC_URL=%s", run, rpc);
    CHECK_EQ_INT(cli_run(&o, cenv, "account show --provider " PROVIDER " --json"), 0);
    json_t *acct = json_loads(o.out, 0, NULL);
    CHECK_EQ_U64(wei(acct, "balance"), after);
    CHECK_EQ_STR(json_string_value(json_object_get(acct, "owed_output_fee")), "0");
    json_decref(acct);
}

static void test_js_customer(void)
{
    if (!report)
        return;
    char contract[64] = "", p[300];
    snprintf(p, sizeof p, "%s/deployment.json", run);
    json_t *d = json_load_file(p, 0, NULL);
    json_t *c = json_object_get(d, "serving");
    if (json_is_string(c))
        snprintf(contract, sizeof contract, "%s", json_string_value(c));
    json_decref(d);
    CHECK(contract[0]);
    int rc = sh("node tests/e2e/js/customer.js %s %s " JS_KEY " " PROVIDER " http://127.0.0.1:%d chat %llu %llu "
                "1000000000000000 >%s/js.json 2>%s/js.err",
                rpc, contract, p_proxy, INPUT_PRICE, OUTPUT_PRICE, run, run);
    CHECK_MSG(rc == 0, "customer.js -> %d", rc);
    if (rc)
        sh("cat %s/js.json %s/js.err >&2", run, run);
    snprintf(p, sizeof p, "%s/js.json", run);
    json_t *js = json_load_file(p, 0, NULL);
    json_t *rounds = json_object_get(js, "rounds");
    CHECK_EQ_INT(json_array_size(rounds), 2);
    unsigned long long paid = wei(js, "closed_fee");
    for (size_t i = 0; i < json_array_size(rounds); i++) {
        json_t *r = json_array_get(rounds, i);
        CHECK_EQ_INT(json_integer_value(json_object_get(r, "status")), 200);
        paid += wei(r, "fee");
    }
    /* Settle them and check the JS customer's account on chain. */
    cli_out o;
    char cenv[600];
    snprintf(cenv, sizeof cenv, "-u ZG_PRIVATE_KEY ZG_HOME=%s/home ZG_RPC_URL=%s", run, rpc);
    CHECK_EQ_INT(cli_run(&o, cenv, "provider settle --admin %s --json", admin), 0);
    const char *user = json_string_value(json_object_get(js, "user"));
    CHECK_EQ_INT(cli_run(&o, cenv, "account show --user %s --provider " PROVIDER " --json", user ? user : "0x0"), 0);
    json_t *acct = json_loads(o.out, 0, NULL);
    CHECK_EQ_U64(wei(acct, "balance") + paid, 1000000000000000ull);
    json_decref(acct);
    json_decref(js);
}

static void test_failures_live(void)
{
    if (!report)
        return;
    cli_out o;
    char penv[2048], home[300], path[400];
    struct stat st;
    snprintf(home, sizeof home, "%s/poor", run);
    snprintf(penv, sizeof penv, "-u ZG_KEYSTORE ZG_HOME=%s ZG_RPC_URL=%s ZG_DEPLOYMENT=%s/deployment.json "
             "ZG_PRIVATE_KEY=" POOR_KEY, home, rpc, run);
    /* unknown provider: exit 4, no account created */
    int code = cli_run(&o, penv, "chat --provider 0x000000000000000000000000000000000000dEaD hello");
    CHECK_EQ_INT(code, 4);
    CHECK(strstr(o.err, "no chat service") != NULL);
    code = cli_run(&o, penv, "account create --provider 0x000000000000000000000000000000000000dEaD --deposit 1gwei");
    CHECK_EQ_INT(code, 4);
    CHECK(strstr(o.err, "no service") != NULL);
    code = cli_run(&o, penv, "account show --provider 0x000000000000000000000000000000000000dEaD");
    CHECK_EQ_INT(code, 4);
    /* no account with the real provider: the provider refuses (exit 4), nothing is owed */
    char nenv[2048];
    snprintf(nenv, sizeof nenv, "-u ZG_KEYSTORE ZG_HOME=%s/noacct ZG_RPC_URL=%s ZG_DEPLOYMENT=%s/deployment.json "
             "ZG_PRIVATE_KEY=" NOACCT_KEY, run, rpc, run);
    code = cli_run(&o, nenv, "chat --provider " PROVIDER " hello");
    CHECK_MSG(code == 4, "chat without an account -> %d: %s", code, o.err);
    CHECK(strstr(o.err, "no_account") != NULL);
    CHECK_EQ_INT(cli_run(&o, nenv, "account show --provider " PROVIDER " --json"), 4);
    /* insufficient balance: an account of 1000 wei cannot pay a request */
    CHECK_EQ_INT(cli_run(&o, penv, "account create --provider " PROVIDER " --deposit 1000wei"), 0);
    code = cli_run(&o, penv, "chat --provider " PROVIDER " --json \"Who are you?\"");
    CHECK_EQ_INT(code, 5);
    CHECK(strstr(o.err, "insufficient_balance") != NULL);
    code = cli_run(&o, penv, "account show --provider " PROVIDER " --json");
    CHECK_EQ_INT(code, 0);
    json_t *a = json_loads(o.out, 0, NULL);
    CHECK_EQ_U64(wei(a, "balance"), 1000);
    CHECK_EQ_STR(json_string_value(json_object_get(a, "owed_output_fee")), "0");
    json_decref(a);
    /* a wallet without ether cannot create an account: exit 5, nothing sent */
    snprintf(path, sizeof path, "%s/empty", run);
    snprintf(penv, sizeof penv, "-u ZG_PRIVATE_KEY ZG_HOME=%s ZG_RPC_URL=%s ZG_DEPLOYMENT=%s/deployment.json "
             "ZG_KEYSTORE_LIGHT=1 ZG_PASSWORD=", path, rpc, run);
    CHECK_EQ_INT(cli_run(&o, penv, "wallet new"), 0);
    code = cli_run(&o, penv, "account create --provider " PROVIDER " --deposit 1eth");
    CHECK_EQ_INT(code, 5);
    CHECK(strstr(o.err, "insufficient") != NULL || strstr(o.err, "funds") != NULL);
    code = cli_run(&o, penv, "account show --provider " PROVIDER);
    CHECK_EQ_INT(code, 4);
    (void)st;
}

/* The main customer takes 0.001 eth back: a refund request, an hour of chain
 * time (anvil's evm_increaseTime), then the payout. */
static void test_refund(void)
{
    if (!report)
        return;
    cli_out o;
    char cenv[600];
    snprintf(cenv, sizeof cenv, "-u ZG_PRIVATE_KEY -u ZG_KEYSTORE ZG_HOME=%s/home ZG_RPC_URL=%s ZG_PASSWORD=", run, rpc);
    CHECK_EQ_INT(cli_run(&o, cenv, "account show --provider " PROVIDER " --json"), 0);
    json_t *a = json_loads(o.out, 0, NULL);
    unsigned long long before = wei(a, "balance");
    json_decref(a);
    /* too early: exit 1, nothing paid */
    CHECK_EQ_INT(cli_run(&o, cenv, "account refund --provider " PROVIDER " 0.001eth"), 0);
    int code = cli_run(&o, cenv, "account refund --provider " PROVIDER " --process");
    CHECK_EQ_INT(code, 1);
    CHECK(strstr(o.err, "no refund has matured yet") != NULL);
    /* more than is available: exit 5 */
    code = cli_run(&o, cenv, "account refund --provider " PROVIDER " 1eth");
    CHECK_EQ_INT(code, 5);
    CHECK_EQ_INT(sh("curl -s -o /dev/null -H 'Content-Type: application/json' -d "
                    "'{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"evm_increaseTime\",\"params\":[3601]}' %s", rpc), 0);
    CHECK_EQ_INT(sh("curl -s -o /dev/null -H 'Content-Type: application/json' -d "
                    "'{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"evm_mine\",\"params\":[]}' %s", rpc), 0);
    CHECK_EQ_INT(cli_run(&o, cenv, "account refund --provider " PROVIDER " --process --json"), 0);
    CHECK_EQ_INT(cli_run(&o, cenv, "account show --provider " PROVIDER " --json"), 0);
    a = json_loads(o.out, 0, NULL);
    CHECK_EQ_U64(wei(a, "balance") + 1000000000000000ull, before);
    CHECK_EQ_U64(wei(a, "pending_refund"), 0);
    /* deposits == balance + provider income + refunds, to the wei */
    CHECK_EQ_U64(wei(a, "balance") + wei(report, "provider_income") + 1000000000000000ull,
                 wei(report, "balance_before"));
    json_decref(a);
}

/* The broker goes away: a chat fails with exit 6 and leaves the owed fee as it was. */
static void test_provider_down(void)
{
    if (!report)
        return;
    cli_out o;
    char cenv[600], p[300];
    snprintf(cenv, sizeof cenv, "-u ZG_PRIVATE_KEY -u ZG_KEYSTORE ZG_HOME=%s/home ZG_RPC_URL=%s ZG_PASSWORD=", run, rpc);
    /* one answer, so that something is owed */
    CHECK_EQ_INT(cli_run(&o, cenv, "chat --provider " PROVIDER " --max-tokens 8 --json hello"), 0);
    json_t *r = json_loads(o.out, 0, NULL);
    char owed[96];
    snprintf(owed, sizeof owed, "%s", json_string_value(json_object_get(r, "output_fee")) ? json_string_value(json_object_get(r, "output_fee")) : "?");
    json_decref(r);
    snprintf(p, sizeof p, "%s/provider.pid", run);
    CHECK_EQ_INT(sh("kill $(cat %s) && sleep 1", p), 0);
    int code = cli_run(&o, cenv, "chat --provider " PROVIDER " hello again");
    CHECK_EQ_INT(code, 6);
    CHECK(strstr(o.err, "cannot reach the provider") != NULL);
    CHECK_EQ_INT(cli_run(&o, cenv, "account show --provider " PROVIDER " --json"), 0);
    json_t *a = json_loads(o.out, 0, NULL);
    CHECK_EQ_STR(json_string_value(json_object_get(a, "owed_output_fee")), owed);
    json_decref(a);
}

int main(void)
{
    const char *build = getenv("ZG_BUILD");
    struct stat st;
    char zgp[600];
    snprintf(zgp, sizeof zgp, "%s/zg-provider", build ? build : "build");
    if (!build || stat(zgp, &st) != 0) {
        fprintf(stderr, "ZG_BUILD/zg-provider missing\n");
        return 1;
    }
    snprintf(run, sizeof run, "/tmp/zg-e2e-%d", (int)getpid());
    mkdir(run, 0700);
    p_anvil = free_port();
    p_model = free_port();
    p_proxy = free_port();
    p_admin = free_port();
    snprintf(rpc, sizeof rpc, "http://127.0.0.1:%d", p_anvil);
    snprintf(admin, sizeof admin, "http://127.0.0.1:%d", p_admin);
    ZG_RUN(test_main_command);
    ZG_RUN(test_js_customer);
    ZG_RUN(test_failures_live);
    ZG_RUN(test_refund);
    ZG_RUN(test_provider_down);
    net_env("");
    sh("%s bash scripts/network.sh stop >/dev/null 2>&1", env);
    json_decref(report);
    if (!zg_test_failed)
        sh("rm -rf %s", run);
    else
        fprintf(stderr, "kept %s for inspection\n", run);
    ZG_TEST_END();
}
