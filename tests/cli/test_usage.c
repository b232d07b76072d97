/* test_usage.c - `zg` as a user runs it, without a chain: help on every
 * command, usage errors (exit 2), wallets, and a chain that is down (exit 3).
 * Each failure must be a clear message on stderr and change nothing. */
#include <sys/stat.h>

#include "cli_run.h"
#include "zg_test.h"

static char home[256], env[512];

static void test_help_everywhere(void)
{
    static const char *const cmds[] = {
        "--help", "wallet --help", "wallet new --help", "wallet import --help", "wallet address --help",
        "account --help", "account create --help", "account deposit --help", "account show --help",
        "account refund --help", "services --help", "chat --help", "provider --help",
        "provider register --help", "provider settle --help", "provider status --help", "chain --help",
        "chain deploy --help",
    };
    cli_out o;
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
        int code = cli_run(&o, env, "%s", cmds[i]);
        CHECK_MSG(code == 0, "zg %s -> %d", cmds[i], code);
        CHECK_MSG(strstr(o.out, "Usage: zg") != NULL || strstr(o.out, "usage") != NULL, "zg %s: no usage text", cmds[i]);
        CHECK_MSG(strstr(o.out, "Exit codes") != NULL, "zg %s: exit codes not documented", cmds[i]);
    }
}

struct usage_case {
    const char *args, *needle;
};

static void test_usage_errors(void)
{
    static const struct usage_case cases[] = {
        {"", "Usage: zg COMMAND"},
        {"frobnicate", "unknown command 'frobnicate'"},
        {"account", "missing subcommand"},
        {"account close", "unknown subcommand 'close'"},
        {"account create", "missing --provider"},
        {"account create --provider 0x70997970C51812dc3A010C7d01b50e0d17dc79C8 --deposit 1.5bananas", "--deposit"},
        {"account create --provider 0x70997970C51812dc3A010C7d01b50e0d17dc79C8 --deposit", "needs a value"},
        {"account deposit --provider 0x70997970C51812dc3A010C7d01b50e0d17dc79C8", "expected one AMOUNT"},
        {"account deposit --provider 0x70997970C51812dc3A010C7d01b50e0d17dc79C8 0", "above 0"},
        {"account refund --provider 0x70997970C51812dc3A010C7d01b50e0d17dc79C8 1eth --process", "--process takes no AMOUNT"},
        {"account show --colour", "unknown option --colour"},
        {"chat", "missing --provider"},
        {"chat --provider 0x70997970C51812dc3A010C7d01b50e0d17dc79C8 --max-tokens zero hi", "--max-tokens"},
        {"services --type", "needs a value"},
        {"services extra", "unexpected argument 'extra'"},
        {"provider register --name x", "required"},
        {"provider register --name x --url http://h --model m --input-price 1 --output-price 1 --properties '[1]'",
         "JSON object"},
        {"wallet import 0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80", "never taken from the command line"},
        {"-x", "unknown command"},
    };
    cli_out o;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int code = cli_run(&o, env, "%s", cases[i].args);
        CHECK_MSG(code == 2, "zg %s -> %d (want 2)", cases[i].args, code);
        CHECK_MSG(strstr(o.err, cases[i].needle) != NULL, "zg %s: stderr lacks '%s': %s", cases[i].args,
                  cases[i].needle, o.err);
        CHECK_MSG(o.out[0] == '\0', "zg %s printed on stdout: %s", cases[i].args, o.out);
    }
    /* --json turns a usage error into a JSON object on stderr */
    int code = cli_run(&o, env, "chat --json");
    CHECK_EQ_INT(code, 2);
    CHECK(strstr(o.err, "{\"error\":{\"code\":\"usage\"") != NULL);
}

static void test_wallet(void)
{
    cli_out o;
    char kenv[1024];
    /* no wallet yet: exit 4 (not found) with a how-to */
    int code = cli_run(&o, env, "wallet address");
    CHECK_EQ_INT(code, 4);
    CHECK(strstr(o.err, "zg wallet new") != NULL);
    /* import from stdin, never from argv */
    code = cli_run_in(&o, "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d\n", env,
                      "wallet import --json");
    CHECK_EQ_INT(code, 0);
    CHECK(strstr(o.out, "\"address\":\"0x70997970C51812dc3A010C7d01b50e0d17dc79C8\"") != NULL);
    code = cli_run(&o, env, "wallet address");
    CHECK_EQ_INT(code, 0);
    CHECK_EQ_STR(o.out, "0x70997970C51812dc3A010C7d01b50e0d17dc79C8\n");
    /* never overwritten */
    code = cli_run(&o, env, "wallet new");
    CHECK(code != 0);
    CHECK(strstr(o.err, "already exists") != NULL);
    code = cli_run(&o, env, "wallet address");
    CHECK_EQ_STR(o.out, "0x70997970C51812dc3A010C7d01b50e0d17dc79C8\n");
    /* a bad key: exit 8, nothing written */
    snprintf(kenv, sizeof kenv, "%s ZG_KEYSTORE=%s/other.json", env, home);
    code = cli_run_in(&o, "0x1234\n", kenv, "wallet import");
    CHECK_EQ_INT(code, 8);
    CHECK(strstr(o.err, "not a private key") != NULL);
    CHECK(strstr(o.err, "0x1234") == NULL); /* secrets are never echoed */
    struct stat st;
    char p[600];
    snprintf(p, sizeof p, "%s/other.json", home);
    CHECK(stat(p, &st) != 0);
    /* a new random wallet in another file */
    code = cli_run(&o, kenv, "wallet new --json");
    CHECK_EQ_INT(code, 0);
    CHECK(strstr(o.out, "\"address\":\"0x") != NULL);
    /* ZG_PRIVATE_KEY wins for `wallet address` */
    snprintf(kenv, sizeof kenv, "%s ZG_PRIVATE_KEY=0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80", env);
    code = cli_run(&o, kenv, "wallet address");
    CHECK_EQ_STR(o.out, "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266\n");
}

static void test_chain_down(void)
{
    cli_out o;
    /* port 9 (discard) on loopback: nothing listens there */
    const char *chain = "--rpc http://127.0.0.1:9 --contract 0x5FbDB2315678afecb367f032d93F642f64180aa3";
    static const char *const cmds[] = {
        "services", "account show --provider 0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
        "account create --provider 0x70997970C51812dc3A010C7d01b50e0d17dc79C8 --deposit 1eth",
        "chat --provider 0x70997970C51812dc3A010C7d01b50e0d17dc79C8 hello",
    };
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
        int code = cli_run(&o, env, "%s %s", cmds[i], chain);
        CHECK_MSG(code == 3, "zg %s (chain down) -> %d (want 3)", cmds[i], code);
        CHECK_MSG(strstr(o.err, "cannot reach the chain at http://127.0.0.1:9") != NULL, "zg %s: %s", cmds[i], o.err);
    }
    /* no deployment file and no contract: exit 4 with the fix */
    int code = cli_run(&o, env, "services --rpc http://127.0.0.1:9");
    CHECK_EQ_INT(code, 4);
    CHECK(strstr(o.err, "zg chain deploy") != NULL);
    /* the provider's admin API down: exit 6 */
    code = cli_run(&o, env, "provider settle --admin http://127.0.0.1:9");
    CHECK_EQ_INT(code, 6);
    CHECK(strstr(o.err, "is zg-provider running?") != NULL);
    /* nothing was written for the customer */
    char p[600];
    struct stat st;
    snprintf(p, sizeof p, "%s/accounts", home);
    CHECK(stat(p, &st) != 0);
}

int main(void)
{
    snprintf(home, sizeof home, "/tmp/zg-cli-usage-%d", (int)getpid());
    mkdir(home, 0700);
    snprintf(env, sizeof env, "-u ZG_PRIVATE_KEY -u ZG_KEYSTORE -u ZG_CONTRACT -u ZG_RPC_URL -u ZG_DEPLOYMENT "
             "ZG_HOME=%s ZG_KEYSTORE_LIGHT=1 ZG_PASSWORD=pw", home);
    ZG_RUN(test_help_everywhere);
    ZG_RUN(test_usage_errors);
    ZG_RUN(test_wallet);
    ZG_RUN(test_chain_down);
    if (zg_test_remove_dir(home))
        fprintf(stderr, "could not remove %s\n", home);
    ZG_TEST_END();
}
