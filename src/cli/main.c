/* main.c - the `zg` command line: dispatches to the command files. */
#include <string.h>

#include "cli/cli.h"

const char zg_cli_help_main[] =
    "zg - the command line of zg-serving: wallets, prepaid accounts with providers,\n"
    "services, signed chat requests, provider tools and contract deployment.\n"
    "\n"
    "Usage: zg COMMAND [SUBCOMMAND] [OPTIONS] [ARGS]\n"
    "\n"
    "Commands:\n"
    "  wallet new|import|address      create, import or show the secp256k1 wallet\n"
    "  account create|deposit|show|refund\n"
    "                                 the prepaid account with a provider\n"
    "  services                       list the services registered in the contract\n"
    "  chat                           send signed chat requests to a provider (streams)\n"
    "  provider register|settle|status\n"
    "                                 register a service, settle receipts, broker status\n"
    "  chain deploy                   deploy the Serving contract and verifiers\n"
    "\n"
    "Run `zg COMMAND --help` for each command. Amounts accept units: 0.5eth,\n"
    "20gwei, 1000wei or a plain number of wei.\n";

int main(int argc, char **argv)
{
    zg_cli g;
    memset(&g, 0, sizeof g);
    g.prog = "zg";
    static const struct {
        const char *name;
        int (*fn)(zg_cli *, int, char **);
    } cmds[] = {
        {"wallet", zg_cmd_wallet},     {"account", zg_cmd_account},
        {"services", zg_cmd_services}, {"chat", zg_cmd_chat},
        {"provider", zg_cmd_provider}, {"chain", zg_cmd_chain},
    };
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        fputs(zg_cli_help_main, argc < 2 ? stderr : stdout);
        fputs("\n", argc < 2 ? stderr : stdout);
        fputs(zg_cli_help_global, argc < 2 ? stderr : stdout);
        return argc < 2 ? ZG_EXIT_USAGE : ZG_EXIT_OK;
    }
    if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "version") == 0) {
        printf("zg 0.1.0\n");
        return ZG_EXIT_OK;
    }
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
        if (strcmp(argv[1], cmds[i].name) != 0)
            continue;
        int rc = cmds[i].fn(&g, argc - 2, argv + 2);
        zg_cli_done(&g);
        return rc;
    }
    fprintf(stderr, "zg: unknown command '%s'\n(see `zg --help`)\n", argv[1]);
    return ZG_EXIT_USAGE;
}
