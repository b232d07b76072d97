/*
 * cli_run.h - runs the built `zg` binary as a user would (popen), for the
 * tests of tests/cli. Header-only, test-only.
 *
 *   cli_out o;
 *   int code = cli_run(&o, "ZG_HOME=%s", "account show --provider %s", home, addr);
 *   CHECK_EQ_INT(code, 4); CHECK(strstr(o.err, "..."));
 */
#ifndef ZG_CLI_RUN_H
#define ZG_CLI_RUN_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

typedef struct cli_out {
    char out[65536];
    char err[16384];
} cli_out;

static char cli_tmp_err_[256];

static void cli_read_file_(const char *path, char *dst, size_t cap)
{
    FILE *f = fopen(path, "r");
    size_t n = f ? fread(dst, 1, cap - 1, f) : 0;
    dst[n] = '\0';
    if (f)
        fclose(f);
}

/* Runs "ENV $ZG_BUILD/zg ARGS" through sh with stdin from /dev/null (or
 * stdin_text when given). env and args are printf formats sharing the
 * varargs: env first. Returns the exit status (-1 if it did not exit). */
__attribute__((format(printf, 4, 5), unused))
static int cli_run_in(cli_out *o, const char *stdin_text, const char *env, const char *fmt, ...)
{
    const char *build = getenv("ZG_BUILD");
    char args[4096], cmd[8192];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(args, sizeof args, fmt, ap);
    va_end(ap);
    if (!cli_tmp_err_[0])
        snprintf(cli_tmp_err_, sizeof cli_tmp_err_, "/tmp/zg-cli-test-%d.err", (int)getpid());
    char in[256] = "/dev/null";
    if (stdin_text) {
        snprintf(in, sizeof in, "/tmp/zg-cli-test-%d.in", (int)getpid());
        FILE *f = fopen(in, "w");
        if (f) {
            fputs(stdin_text, f);
            fclose(f);
        }
    }
    snprintf(cmd, sizeof cmd, "env %s %s/zg %s <%s 2>%s", env ? env : "", build ? build : "build", args, in,
             cli_tmp_err_);
    FILE *p = popen(cmd, "r");
    if (!p)
        return -1;
    size_t n = fread(o->out, 1, sizeof o->out - 1, p);
    o->out[n] = '\0';
    int st = pclose(p);
    cli_read_file_(cli_tmp_err_, o->err, sizeof o->err);
    unlink(cli_tmp_err_);
    if (stdin_text)
        unlink(in);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

#define cli_run(o, env, ...) cli_run_in((o), NULL, (env), __VA_ARGS__)

#endif
