/* cmd_account.c - `zg account create|deposit|show|refund`. */
#include <jansson.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"

static const char help_account[] =
    "Usage: zg account create|deposit|show|refund [OPTIONS]\n"
    "\n"
    "Your prepaid account with one provider: the provider is paid from it when it\n"
    "settles the requests you signed. Run `zg account SUBCOMMAND --help`.\n";

static const char help_create[] =
    "Usage: zg account create --provider ADDR [--deposit AMOUNT]\n"
    "\n"
    "Creates your account with a provider and deposits AMOUNT (default 0). The\n"
    "account's signing key (Baby Jubjub, for request receipts) is derived from your\n"
    "wallet, so nothing new has to be stored. Fails (exit 1) if it already exists,\n"
    "(exit 4) if the provider has no service in the contract, (exit 5) if the\n"
    "wallet cannot pay; nothing is sent then.\n"
    "\n"
    "  --provider ADDR   the provider's address (see `zg services`)\n"
    "  --deposit AMOUNT  e.g. 0.1eth, 500gwei, 1000 (wei)\n"
    "\n"
    "Prints the transaction hash; with --json {\"tx\":...,\"account\":{...}}.\n";

static const char help_deposit[] =
    "Usage: zg account deposit --provider ADDR AMOUNT\n"
    "\n"
    "Adds AMOUNT (e.g. 0.5eth) from your wallet to your account with the provider.\n"
    "The account must exist (`zg account create`). Prints the transaction hash and\n"
    "the new balance.\n";

static const char help_show[] =
    "Usage: zg account show [--provider ADDR] [--user ADDR]\n"
    "\n"
    "Shows the account of --user (default: your wallet) with --provider: balance,\n"
    "pending refunds, the last settled nonce, the signer key, and (for your own\n"
    "account) the output fee you still owe for the last answer. Without --provider,\n"
    "lists all your accounts. Exit 4 if the account does not exist.\n";

static const char help_refund[] =
    "Usage: zg account refund --provider ADDR AMOUNT\n"
    "       zg account refund --provider ADDR --process\n"
    "\n"
    "Asks for AMOUNT of your balance back. The refund matures after the contract's\n"
    "lock time (so that the provider can still settle what you signed before);\n"
    "then run with --process to receive every matured refund. Exit 5 if AMOUNT is\n"
    "above the available balance.\n";

static json_t *account_json(const zg_account *a)
{
    json_t *refunds = json_array();
    for (size_t i = 0; i < a->n_refunds; i++)
        json_array_append_new(refunds, json_pack("{s:s,s:I,s:I,s:b}", "amount", a->refunds[i].amount,
                                                 "created_at", (json_int_t)a->refunds[i].created_at,
                                                 "matures_at", (json_int_t)a->refunds[i].matures_at,
                                                 "processed", a->refunds[i].processed));
    return json_pack("{s:s,s:s,s:s,s:s,s:s,s:I,s:[s,s],s:o}", "user", a->user, "provider",
                     a->provider, "balance", a->balance, "pending_refund", a->pending_refund,
                     "available", a->available, "nonce", (json_int_t)a->nonce, "signer",
                     a->signer_x, a->signer_y, "refunds", refunds);
}

static void print_account(zg_cli *g, const zg_account *a, const char *owed)
{
    char b[160], p[160], v[160];
    zg_cli_fmt_wei(a->balance, b, sizeof b);
    zg_cli_fmt_wei(a->pending_refund, p, sizeof p);
    zg_cli_fmt_wei(a->available, v, sizeof v);
    printf("account   %s with provider %s\n", a->user, a->provider);
    printf("balance   %s\n", b);
    printf("refunding %s\n", p);
    printf("available %s\n", v);
    printf("settled   up to nonce %llu\n", (unsigned long long)a->nonce);
    if (owed) {
        zg_cli_fmt_wei(owed, b, sizeof b);
        printf("owed      %s (output of the last answer, paid by the next request)\n", b);
    }
    for (size_t i = 0; i < a->n_refunds; i++) {
        zg_cli_fmt_wei(a->refunds[i].amount, b, sizeof b);
        char when[40] = "?";
        time_t t = (time_t)a->refunds[i].matures_at;
        struct tm tm;
        if (gmtime_r(&t, &tm))
            strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S UTC", &tm);
        printf("refund %zu  %s, matures at %s (chain time)%s\n", i, b, when,
               a->refunds[i].processed ? " (paid)" : "");
    }
}

static int print_tx(zg_cli *g, const char *what, const char *tx, const char *provider)
{
    zg_err e;
    zg_account a;
    int have = zg_account_get(g->client, NULL, provider, &a, &e) == ZG_OK;
    if (g->json) {
        json_t *o = json_pack("{s:s}", "tx", tx);
        if (have)
            json_object_set_new(o, "account", account_json(&a));
        zg_cli_print_json(o);
    } else {
        printf("%s: transaction %s\n", what, tx);
        if (have)
            print_account(g, &a, NULL);
    }
    return ZG_EXIT_OK;
}

static int cmd_create(zg_cli *g, int argc, char **argv)
{
    const char *provider = NULL, *deposit = "0";
    zg_cli_opt o[] = {{"provider", 1, &provider, NULL}, {"deposit", 1, &deposit, NULL}, {0}};
    char *pos[ZG_CLI_MAXPOS];
    int n, rc;
    if ((rc = zg_cli_parse(g, argc, argv, o, help_create, pos, &n)) >= 0)
        return rc;
    if (n)
        return zg_cli_usage(g, "unexpected argument '%s'", pos[0]);
    if (!provider)
        return zg_cli_usage(g, "missing --provider ADDR");
    char wei[ZG_WEI_MAX], tx[ZG_HASH_MAX];
    if ((rc = zg_cli_amount(g, "--deposit", deposit, wei)) >= 0 || (rc = zg_cli_open(g)) >= 0)
        return rc;
    zg_err e;
    if (zg_account_create(g->client, provider, wei, tx, &e))
        return zg_cli_fail(g, &e);
    return print_tx(g, "account created", tx, provider);
}

static int cmd_deposit(zg_cli *g, int argc, char **argv)
{
    const char *provider = NULL;
    zg_cli_opt o[] = {{"provider", 1, &provider, NULL}, {0}};
    char *pos[ZG_CLI_MAXPOS];
    int n, rc;
    if ((rc = zg_cli_parse(g, argc, argv, o, help_deposit, pos, &n)) >= 0)
        return rc;
    if (!provider)
        return zg_cli_usage(g, "missing --provider ADDR");
    if (n != 1)
        return zg_cli_usage(g, "expected one AMOUNT (e.g. 0.5eth)");
    char wei[ZG_WEI_MAX], tx[ZG_HASH_MAX];
    if ((rc = zg_cli_amount(g, "AMOUNT", pos[0], wei)) >= 0)
        return rc;
    if (strcmp(wei, "0") == 0)
        return zg_cli_usage(g, "AMOUNT must be above 0");
    if ((rc = zg_cli_open(g)) >= 0)
        return rc;
    zg_err e;
    if (zg_account_deposit(g->client, provider, wei, tx, &e))
        return zg_cli_fail(g, &e);
    return print_tx(g, "deposited", tx, provider);
}

static int cmd_show(zg_cli *g, int argc, char **argv)
{
    const char *provider = NULL, *user = NULL;
    zg_cli_opt o[] = {{"provider", 1, &provider, NULL}, {"user", 1, &user, NULL}, {0}};
    char *pos[ZG_CLI_MAXPOS];
    int n, rc;
    if ((rc = zg_cli_parse(g, argc, argv, o, help_show, pos, &n)) >= 0)
        return rc;
    if (n)
        return zg_cli_usage(g, "unexpected argument '%s'", pos[0]);
    if ((rc = zg_cli_open(g)) >= 0)
        return rc;
    zg_err e;
    if (!provider) {
        static zg_account list[64];
        size_t k;
        if (zg_account_list(g->client, list, 64, &k, &e))
            return zg_cli_fail(g, &e);
        json_t *arr = json_array();
        for (size_t i = 0; i < k; i++) {
            if (g->json)
                json_array_append_new(arr, account_json(&list[i]));
            else
                print_account(g, &list[i], NULL), printf("\n");
        }
        if (g->json)
            zg_cli_print_json(json_pack("{s:o}", "accounts", arr));
        else {
            json_decref(arr);
            if (!k)
                printf("no accounts (create one with `zg account create --provider ADDR`)\n");
        }
        return ZG_EXIT_OK;
    }
    zg_account a;
    if (zg_account_get(g->client, user, provider, &a, &e))
        return zg_cli_fail(g, &e);
    char owed[ZG_WEI_MAX];
    int have_owed = !user && zg_chat_owed(g->client, provider, owed, NULL, &e) == ZG_OK;
    if (g->json) {
        json_t *j = account_json(&a);
        if (have_owed)
            json_object_set_new(j, "owed_output_fee", json_string(owed));
        zg_cli_print_json(j);
    } else {
        print_account(g, &a, have_owed ? owed : NULL);
    }
    return ZG_EXIT_OK;
}

static int cmd_refund(zg_cli *g, int argc, char **argv)
{
    const char *provider = NULL;
    int process = 0;
    zg_cli_opt o[] = {{"provider", 1, &provider, NULL}, {"process", 0, NULL, &process}, {0}};
    char *pos[ZG_CLI_MAXPOS];
    int n, rc;
    if ((rc = zg_cli_parse(g, argc, argv, o, help_refund, pos, &n)) >= 0)
        return rc;
    if (!provider)
        return zg_cli_usage(g, "missing --provider ADDR");
    if (process ? n != 0 : n != 1)
        return zg_cli_usage(g, process ? "--process takes no AMOUNT" : "expected one AMOUNT (or --process)");
    char wei[ZG_WEI_MAX], tx[ZG_HASH_MAX];
    if (!process && (rc = zg_cli_amount(g, "AMOUNT", pos[0], wei)) >= 0)
        return rc;
    if ((rc = zg_cli_open(g)) >= 0)
        return rc;
    zg_err e;
    if (process ? zg_account_refund_process(g->client, provider, tx, &e)
                : zg_account_refund_request(g->client, provider, wei, tx, &e))
        return zg_cli_fail(g, &e);
    return print_tx(g, process ? "refunds processed" : "refund requested", tx, provider);
}

int zg_cmd_account(zg_cli *g, int argc, char **argv)
{
    static const struct {
        const char *name, *prog;
        int (*fn)(zg_cli *, int, char **);
    } subs[] = {
        {"create", "zg account create", cmd_create},
        {"deposit", "zg account deposit", cmd_deposit},
        {"show", "zg account show", cmd_show},
        {"refund", "zg account refund", cmd_refund},
    };
    g->prog = "zg account";
    if (argc < 1 || argv[0][0] == '-') {
        char *pos[ZG_CLI_MAXPOS];
        int n, rc = zg_cli_parse(g, argc, argv, NULL, help_account, pos, &n);
        return rc >= 0 ? rc : zg_cli_usage(g, "missing subcommand: create, deposit, show or refund");
    }
    for (size_t i = 0; i < sizeof subs / sizeof subs[0]; i++)
        if (strcmp(argv[0], subs[i].name) == 0) {
            g->prog = subs[i].prog;
            return subs[i].fn(g, argc - 1, argv + 1);
        }
    return zg_cli_usage(g, "unknown subcommand '%s' (create, deposit, show, refund)", argv[0]);
}
