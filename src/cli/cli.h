/*
 * cli/cli.h - what every `zg` command shares: option parsing, the client,
 * output (text or --json) and exit codes.
 *
 * Exit codes (stable; scripts may rely on them):
 *   0  success
 *   1  runtime error not covered below
 *   2  usage error (unknown command or option, missing or malformed argument)
 *   3  the chain cannot be reached or answered garbage (JSON-RPC)
 *   4  not found (no such provider, service, account or file)
 *   5  insufficient funds (account or wallet balance)
 *   6  the provider refused the request or cannot be reached
 *   7  a transaction reverted
 *   8  wallet problem (no wallet configured, wrong password, bad key)
 */
#ifndef ZG_CLI_H
#define ZG_CLI_H

#include <stdio.h>

#include "zg/zg.h"

enum {
    ZG_EXIT_OK = 0,
    ZG_EXIT_ERROR = 1,
    ZG_EXIT_USAGE = 2,
    ZG_EXIT_CHAIN = 3,
    ZG_EXIT_NOTFOUND = 4,
    ZG_EXIT_FUNDS = 5,
    ZG_EXIT_PROVIDER = 6,
    ZG_EXIT_REVERT = 7,
    ZG_EXIT_WALLET = 8,
};

/* Options every command accepts (global), filled by zg_cli_parse. */
typedef struct zg_cli {
    const char *prog;          /* "zg account create" */
    int json;
    zg_client_opts copts;
    const char *password_file;
    char password[256];
    zg_client *client;
} zg_cli;

/* A command's own option: --name VALUE (has_arg) or --name (flag). */
typedef struct zg_cli_opt {
    const char *name;
    int has_arg;
    const char **value;        /* has_arg */
    int *flag;                 /* !has_arg */
} zg_cli_opt;

#define ZG_CLI_MAXPOS 64

/* Parses argv (after the command words). Global options are accepted
 * anywhere. Returns -1 to go on, or an exit code to return right away
 * (0 after printing help, 2 after a usage error). Positional arguments go to
 * pos[0..*npos). */
int zg_cli_parse(zg_cli *g, int argc, char **argv, const zg_cli_opt *opts, const char *help,
                 char **pos, int *npos);

/* Prints "zg ...: <msg>" (or a JSON error object with --json) to stderr
 * and returns 2. */
int zg_cli_usage(zg_cli *g, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Prints the error (text or JSON) and returns the exit code of its zg code. */
int zg_cli_fail(zg_cli *g, const zg_err *e);

/* The exit code of a zg error code. */
int zg_cli_exit_code(int zg_code);

/* Opens g->client (once). Reads the password from --password-file or
 * ZG_PASSWORD. Returns -1 on success or an exit code after printing. */
int zg_cli_open(zg_cli *g);

/* Closes the client and wipes the password. */
void zg_cli_done(zg_cli *g);

/* Parses an amount with units into decimal wei; prints a usage error and
 * returns 2 on failure, else -1. */
int zg_cli_amount(zg_cli *g, const char *what, const char *text, char wei[ZG_WEI_MAX]);

/* Prints a JSON value (steals the reference) to stdout, one line. */
void zg_cli_print_json(void *json_t_value);

/* "1.5 eth (1500000000000000000 wei)" for humans. */
void zg_cli_fmt_wei(const char *wei, char *out, size_t cap);

/* Commands: each returns an exit code. argv starts after the command word(s). */
int zg_cmd_wallet(zg_cli *g, int argc, char **argv);
int zg_cmd_account(zg_cli *g, int argc, char **argv);
int zg_cmd_services(zg_cli *g, int argc, char **argv);
int zg_cmd_chat(zg_cli *g, int argc, char **argv);
int zg_cmd_provider(zg_cli *g, int argc, char **argv);
int zg_cmd_chain(zg_cli *g, int argc, char **argv);

/* The text printed by `zg --help`. */
extern const char zg_cli_help_main[];
/* Help of the global options, appended to each command's help. */
extern const char zg_cli_help_global[];

#endif
