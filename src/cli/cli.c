/* cli.c - option parsing, output and exit codes of `zg` (see cli.h). */
#include "cli/cli.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

const char zg_cli_help_global[] =
    "Options every command accepts:\n"
    "  --rpc URL            chain JSON-RPC endpoint (env ZG_RPC_URL; default http://127.0.0.1:8545)\n"
    "  --contract ADDR      Serving contract (env ZG_CONTRACT; default: from the deployment file)\n"
    "  --deployment FILE    deployment JSON written by `zg chain deploy` (env ZG_DEPLOYMENT;\n"
    "                       default <home>/deployment.json)\n"
    "  --keystore FILE      wallet keystore (env ZG_KEYSTORE; default <home>/wallet.json);\n"
    "                       env ZG_PRIVATE_KEY (0x + 64 hex) is used instead when set\n"
    "  --password-file FILE keystore password (else env ZG_PASSWORD, else empty)\n"
    "  --home DIR           zg's state directory (env ZG_HOME; default ~/.zg)\n"
    "  --json               machine-readable output: one JSON object on stdout\n"
    "  -h, --help           this help\n"
    "Exit codes: 0 ok, 1 error, 2 usage, 3 chain unreachable, 4 not found,\n"
    "  5 insufficient funds, 6 provider refused/unreachable, 7 transaction reverted,\n"
    "  8 wallet problem.\n";

int zg_cli_exit_code(int code)
{
    switch (code) {
    case ZG_OK: return ZG_EXIT_OK;
    case ZG_ERPC:
    case ZG_ETIMEOUT: return ZG_EXIT_CHAIN;
    case ZG_ENOTFOUND: return ZG_EXIT_NOTFOUND;
    case ZG_EFUNDS: return ZG_EXIT_FUNDS;
    case ZG_EHTTP: return ZG_EXIT_PROVIDER;
    case ZG_EREVERT: return ZG_EXIT_REVERT;
    case ZG_ECRYPTO: return ZG_EXIT_WALLET;
    default: return ZG_EXIT_ERROR;
    }
}

static void print_error(zg_cli *g, const char *code, const char *msg)
{
    if (g->json) {
        json_t *o = json_pack("{s:{s:s,s:s}}", "error", "code", code, "message", msg);
        char *s = o ? json_dumps(o, JSON_COMPACT) : NULL;
        fprintf(stderr, "%s\n", s ? s : msg);
        free(s);
        json_decref(o);
    } else {
        fprintf(stderr, "%s: error: %s\n", g->prog, msg);
    }
}

int zg_cli_usage(zg_cli *g, const char *fmt, ...)
{
    char msg[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (!g->json) {
        fprintf(stderr, "%s: %s\n(see `%s --help`)\n", g->prog, msg, g->prog);
        return ZG_EXIT_USAGE;
    }
    print_error(g, "usage", msg);
    return ZG_EXIT_USAGE;
}

int zg_cli_fail(zg_cli *g, const zg_err *e)
{
    int x = zg_cli_exit_code(e->code);
    /* A failure to reach the provider is the provider's, not the chain's. */
    if (e->code == ZG_EIO && strstr(e->msg, "provider"))
        x = ZG_EXIT_PROVIDER;
    if (e->code == ZG_EHTTP && strstr(e->msg, "insufficient_balance"))
        x = ZG_EXIT_FUNDS;
    if (e->code == ZG_EHTTP && strstr(e->msg, "no_account"))
        x = ZG_EXIT_NOTFOUND;
    if (e->code == ZG_ESTATE && strstr(e->msg, "wallet"))
        x = ZG_EXIT_WALLET;
    print_error(g, zg_code_name(e->code), e->msg[0] ? e->msg : zg_code_name(e->code));
    return x;
}

static const zg_cli_opt *find(const zg_cli_opt *opts, const char *name)
{
    for (; opts && opts->name; opts++)
        if (strcmp(opts->name, name) == 0)
            return opts;
    return NULL;
}

int zg_cli_parse(zg_cli *g, int argc, char **argv, const zg_cli_opt *opts, const char *help,
                 char **pos, int *npos)
{
    const zg_cli_opt global[] = {
        {"rpc", 1, &g->copts.rpc_url, NULL},
        {"contract", 1, &g->copts.contract, NULL},
        {"deployment", 1, &g->copts.deployment, NULL},
        {"keystore", 1, &g->copts.keystore, NULL},
        {"password-file", 1, &g->password_file, NULL},
        {"home", 1, &g->copts.home, NULL},
        {"json", 0, NULL, &g->json},
        {NULL, 0, NULL, NULL},
    };
    *npos = 0;
    int only_pos = 0;
    for (int i = 0; i < argc; i++) {
        char *a = argv[i];
        if (only_pos || a[0] != '-' || strcmp(a, "-") == 0) {
            if (*npos >= ZG_CLI_MAXPOS)
                return zg_cli_usage(g, "too many arguments");
            pos[(*npos)++] = a;
            continue;
        }
        if (strcmp(a, "--") == 0) {
            only_pos = 1;
            continue;
        }
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            fputs(help, stdout);
            fputs("\n", stdout);
            fputs(zg_cli_help_global, stdout);
            return ZG_EXIT_OK;
        }
        if (a[1] != '-')
            return zg_cli_usage(g, "unknown option %s", a);
        char name[64];
        const char *eq = strchr(a + 2, '=');
        size_t n = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
        if (n >= sizeof name)
            return zg_cli_usage(g, "unknown option %.60s", a);
        memcpy(name, a + 2, n);
        name[n] = '\0';
        const zg_cli_opt *o = find(opts, name);
        if (!o)
            o = find(global, name);
        if (!o)
            return zg_cli_usage(g, "unknown option --%s", name);
        if (!o->has_arg) {
            if (eq)
                return zg_cli_usage(g, "option --%s takes no value", name);
            *o->flag = 1;
            continue;
        }
        if (eq)
            *o->value = eq + 1;
        else if (i + 1 < argc)
            *o->value = argv[++i];
        else
            return zg_cli_usage(g, "option --%s needs a value", name);
    }
    return -1;
}

static int read_password(zg_cli *g, zg_err *e)
{
    const char *env = getenv("ZG_PASSWORD");
    g->password[0] = '\0';
    if (g->password_file) {
        FILE *f = fopen(g->password_file, "r");
        if (!f)
            return zg_err_set(e, ZG_ENOTFOUND, "cannot read the password file %s", g->password_file);
        if (!fgets(g->password, sizeof g->password, f))
            g->password[0] = '\0';
        fclose(f);
        g->password[strcspn(g->password, "\r\n")] = '\0';
    } else if (env) {
        snprintf(g->password, sizeof g->password, "%s", env);
    }
    g->copts.password = g->password;
    return ZG_OK;
}

int zg_cli_open(zg_cli *g)
{
    if (g->client)
        return -1;
    zg_err e;
    zg_err_clear(&e);
    if (read_password(g, &e) || zg_client_open(&g->copts, &g->client, &e))
        return zg_cli_fail(g, &e);
    return -1;
}

void zg_cli_done(zg_cli *g)
{
    zg_client_close(g->client);
    g->client = NULL;
    volatile char *p = g->password;
    for (size_t i = 0; i < sizeof g->password; i++)
        p[i] = 0;
}

int zg_cli_amount(zg_cli *g, const char *what, const char *text, char wei[ZG_WEI_MAX])
{
    zg_err e;
    if (!text)
        return zg_cli_usage(g, "missing %s (an amount such as 0.5eth, 20gwei or 1000 (wei))", what);
    if (zg_wei_parse(text, wei, &e) != ZG_OK)
        return zg_cli_usage(g, "%s: %s", what, e.msg);
    return -1;
}

void zg_cli_print_json(void *v)
{
    json_t *o = v;
    char *s = o ? json_dumps(o, JSON_COMPACT) : NULL;
    printf("%s\n", s ? s : "null");
    free(s);
    json_decref(o);
}

void zg_cli_fmt_wei(const char *wei, char *out, size_t cap)
{
    char t[ZG_AMOUNT_TEXT_MAX];
    if (zg_wei_format(wei, t, NULL) != ZG_OK)
        snprintf(out, cap, "%s wei", wei);
    else if (strstr(t, " wei"))
        snprintf(out, cap, "%s", t);
    else
        snprintf(out, cap, "%s (%s wei)", t, wei);
}
