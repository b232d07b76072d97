/* cmd_chain.c - `zg chain deploy`. */
#include "cli/cli.h"

static const char help_chain[] =
    "Usage: zg chain deploy [--lock-time SECONDS] [--out FILE] [--sizes 4,16]\n"
    "\n"
    "Deploys the Serving contract and its Groth16 settlement verifiers (one per\n"
    "circuit size, generated from the verifying keys of the development setup)\n"
    "with the wallet, and writes the deployment JSON (addresses, chain id, block)\n"
    "to --out (default <home>/deployment.json), which every other command reads.\n";

int zg_cmd_chain(zg_cli *g, int argc, char **argv)
{
    char *pos[ZG_CLI_MAXPOS];
    int n, rc;
    g->prog = "zg chain";
    if ((rc = zg_cli_parse(g, argc, argv, NULL, help_chain, pos, &n)) >= 0)
        return rc;
    zg_err e;
    zg_err_set(&e, ZG_EINTERNAL, "zg chain deploy is not available in this build yet");
    return zg_cli_fail(g, &e);
}
