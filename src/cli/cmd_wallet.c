/* cmd_wallet.c - `zg wallet new|import|address`. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

static const char help_wallet[] =
    "Usage: zg wallet new|import|address [OPTIONS]\n"
    "\n"
    "Your wallet: a secp256k1 key (an Ethereum address) kept in an encrypted\n"
    "keystore v3 file (readable by geth, cast and ethers), by default\n"
    "<home>/wallet.json. It pays deposits and gas, and the signing keys of your\n"
    "accounts are derived from it. Run `zg wallet SUBCOMMAND --help`.\n";

static const char help_new[] =
    "Usage: zg wallet new [--keystore FILE] [--password-file FILE]\n"
    "\n"
    "Creates a new random key and writes it, encrypted with the password (from\n"
    "--password-file, else env ZG_PASSWORD, else empty), to the keystore file.\n"
    "Never overwrites an existing file. Prints the address. Set ZG_KEYSTORE_LIGHT=1\n"
    "for a cheap scrypt cost (tests only).\n";

static const char help_import[] =
    "Usage: zg wallet import [--keystore FILE] [--password-file FILE] [--key-file FILE]\n"
    "\n"
    "Imports an existing private key (0x + 64 hex digits) into a new keystore\n"
    "file. The key is read from --key-file, else from env ZG_PRIVATE_KEY, else\n"
    "from the first line of stdin (never from the command line, where other users\n"
    "could see it). Prints the address.\n";

static const char help_address[] =
    "Usage: zg wallet address [--keystore FILE]\n"
    "\n"
    "Prints the wallet's address: from env ZG_PRIVATE_KEY when set, else from the\n"
    "keystore file (no password needed).\n";

static int print_address(zg_cli *g, const char *addr, const char *path)
{
    if (g->json)
        zg_cli_print_json(path ? json_pack("{s:s,s:s}", "address", addr, "keystore", path)
                               : json_pack("{s:s}", "address", addr));
    else
        printf("%s\n", addr);
    return ZG_EXIT_OK;
}

static int read_secret_line(FILE *f, char *out, size_t cap)
{
    if (!fgets(out, (int)cap, f))
        return -1;
    out[strcspn(out, "\r\n")] = '\0';
    return 0;
}

static void wipe(char *p, size_t n)
{
    volatile char *v = p;
    while (n--)
        *v++ = 0;
}

static int cmd_new_or_import(zg_cli *g, int argc, char **argv, int import)
{
    const char *key_file = NULL;
    zg_cli_opt o[] = {{"key-file", 1, &key_file, NULL}, {0}};
    char *pos[ZG_CLI_MAXPOS];
    int n, rc;
    if ((rc = zg_cli_parse(g, argc, argv, import ? o : NULL, import ? help_import : help_new, pos, &n)) >= 0)
        return rc;
    if (n)
        return zg_cli_usage(g, "unexpected argument (private keys are never taken from the command line)");
    char pw[256] = "", key[256] = "", addr[ZG_ADDR_MAX];
    const char *envpw = getenv("ZG_PASSWORD");
    if (g->password_file) {
        FILE *f = fopen(g->password_file, "r");
        if (!f)
            return zg_cli_usage(g, "cannot read --password-file %s", g->password_file);
        read_secret_line(f, pw, sizeof pw);
        fclose(f);
    } else if (envpw) {
        snprintf(pw, sizeof pw, "%s", envpw);
    }
    zg_err e;
    zg_err_clear(&e);
    if (import) {
        const char *envkey = getenv("ZG_PRIVATE_KEY");
        FILE *f = key_file ? fopen(key_file, "r") : NULL;
        if (key_file && !f)
            return zg_cli_usage(g, "cannot read --key-file %s", key_file);
        if (f) {
            read_secret_line(f, key, sizeof key);
            fclose(f);
        } else if (envkey) {
            snprintf(key, sizeof key, "%s", envkey);
        } else if (read_secret_line(stdin, key, sizeof key) != 0) {
            wipe(pw, sizeof pw);
            return zg_cli_usage(g, "no private key on stdin");
        }
        rc = zg_wallet_import(g->copts.keystore, key, pw, addr, &e);
    } else {
        rc = zg_wallet_new(g->copts.keystore, pw, addr, &e);
    }
    wipe(pw, sizeof pw);
    wipe(key, sizeof key);
    if (rc) {
        int x = zg_cli_fail(g, &e);
        return rc == ZG_EINVAL ? ZG_EXIT_WALLET : x;
    }
    char path[1024];
    if (g->copts.keystore)
        snprintf(path, sizeof path, "%s", g->copts.keystore);
    else if (zg_wallet_default_path(path, sizeof path, &e))
        path[0] = '\0';
    if (!g->json)
        fprintf(stderr, "wallet written to %s\n", path);
    return print_address(g, addr, path);
}

static int cmd_new(zg_cli *g, int argc, char **argv) { return cmd_new_or_import(g, argc, argv, 0); }
static int cmd_import(zg_cli *g, int argc, char **argv) { return cmd_new_or_import(g, argc, argv, 1); }

static int cmd_address(zg_cli *g, int argc, char **argv)
{
    char *pos[ZG_CLI_MAXPOS];
    int n, rc;
    if ((rc = zg_cli_parse(g, argc, argv, NULL, help_address, pos, &n)) >= 0)
        return rc;
    if (n)
        return zg_cli_usage(g, "unexpected argument '%s'", pos[0]);
    char addr[ZG_ADDR_MAX];
    zg_err e;
    const char *envkey = getenv("ZG_PRIVATE_KEY");
    if (envkey && *envkey && !g->copts.keystore) {
        if (zg_wallet_address_of_key(envkey, addr, &e)) {
            zg_cli_fail(g, &e);
            return ZG_EXIT_WALLET;
        }
        return print_address(g, addr, NULL);
    }
    if (zg_wallet_address(g->copts.keystore, addr, &e)) {
        int x = zg_cli_fail(g, &e);
        return x == ZG_EXIT_ERROR ? ZG_EXIT_WALLET : x;
    }
    return print_address(g, addr, g->copts.keystore);
}

int zg_cmd_wallet(zg_cli *g, int argc, char **argv)
{
    static const struct {
        const char *name, *prog;
        int (*fn)(zg_cli *, int, char **);
    } subs[] = {
        {"new", "zg wallet new", cmd_new},
        {"import", "zg wallet import", cmd_import},
        {"address", "zg wallet address", cmd_address},
    };
    g->prog = "zg wallet";
    if (argc < 1 || argv[0][0] == '-') {
        char *pos[ZG_CLI_MAXPOS];
        int n, rc = zg_cli_parse(g, argc, argv, NULL, help_wallet, pos, &n);
        return rc >= 0 ? rc : zg_cli_usage(g, "missing subcommand: new, import or address");
    }
    for (size_t i = 0; i < sizeof subs / sizeof subs[0]; i++)
        if (strcmp(argv[0], subs[i].name) == 0) {
            g->prog = subs[i].prog;
            return subs[i].fn(g, argc - 1, argv + 1);
        }
    return zg_cli_usage(g, "unknown subcommand '%s' (new, import, address)", argv[0]);
}
