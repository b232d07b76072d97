/* cmd_chat.c - `zg chat`: signed chat requests, streamed to the terminal. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "cli/cli.h"

static const char help_chat[] =
    "Usage: zg chat --provider ADDR [--service NAME] [OPTIONS] [MESSAGE...]\n"
    "\n"
    "Sends a signed chat request to a provider's service and prints the answer as\n"
    "it arrives. Each request pays its own input and the output of the previous\n"
    "answer (the fee of the last answer stays owed until the next request or\n"
    "--close). With MESSAGE, sends it once. Without MESSAGE: when stdin is a\n"
    "terminal, a conversation (one line per turn, the history is sent along;\n"
    "an empty line or Ctrl-D ends it and pays the last answer); otherwise the\n"
    "whole of stdin is one message.\n"
    "\n"
    "  --provider ADDR     the provider (see `zg services`)\n"
    "  --service NAME      the service (default: the provider's only chat service)\n"
    "  --system TEXT       a system message put first\n"
    "  --max-tokens N      cap the answer (also bounds the fee reserved for it)\n"
    "  --no-stream         ask for the whole answer at once\n"
    "  --close             after the answer, pay its output fee (pay-only request);\n"
    "                      alone (no MESSAGE), only pays what is owed\n"
    "  --report FILE       also write the --json result object to FILE (a script can\n"
    "                      show the stream and still read the figures)\n"
    "\n"
    "Prints the answer, then (on stderr) the fees of the round. With --json, prints\n"
    "{\"answer\",\"nonce\",\"units_in\",\"units_out\",\"input_fee\",\"previous_output_fee\",\n"
    "\"fee\",\"output_fee\",\"closed_fee\",\"closed_nonce\",\"warning\"} (fees in wei) and prints no text while it\n"
    "streams.\n"
    "Exit 5 if the account cannot pay, 6 if the provider refused or is down.\n";

struct opts {
    const char *provider, *service, *system, *max_tokens, *report;
    int no_stream, close;
};

static int on_text(void *ctx, const char *t, size_t n)
{
    const zg_cli *g = ctx;
    if (g->json)
        return 0;
    fwrite(t, 1, n, stdout);
    fflush(stdout);
    return 0;
}

static int pick_service(zg_cli *g, struct opts *o, char **owned)
{
    if (o->service)
        return -1;
    zg_service_filter f = {.provider = o->provider, .type = "chat"};
    zg_service_entry *list;
    size_t k;
    zg_err e;
    if (zg_services_list(g->client, &f, &list, &k, &e))
        return zg_cli_fail(g, &e);
    if (k != 1) {
        zg_service_list_free(list, k);
        zg_err_set(&e, ZG_ENOTFOUND,
                   k ? "provider %s has %zu chat services: name one with --service"
                     : "provider %s has no chat service registered in the contract",
                   o->provider, k);
        return zg_cli_fail(g, &e);
    }
    *owned = strdup(list[0].name);
    zg_service_list_free(list, k);
    o->service = *owned;
    return -1;
}

static char *build_body(const struct opts *o, json_t *history)
{
    json_t *b = json_pack("{s:O}", "messages", history);
    if (o->max_tokens)
        json_object_set_new(b, "max_tokens", json_integer(strtoll(o->max_tokens, NULL, 10)));
    char *s = json_dumps(b, JSON_COMPACT);
    json_decref(b);
    return s;
}

static void report(const zg_chat_result *r)
{
    char a[160], b[160], c[160];
    zg_cli_fmt_wei(r->fee, a, sizeof a);
    zg_cli_fmt_wei(r->prev_output_fee, b, sizeof b);
    zg_cli_fmt_wei(r->output_fee, c, sizeof c);
    fprintf(stderr, "[nonce %llu: paid %s (of which previous output %s); this answer: %llu units, %s owed]\n",
            (unsigned long long)r->nonce, a, b, (unsigned long long)r->units_out, c);
    if (r->warning[0])
        fprintf(stderr, "[warning: %s]\n", r->warning);
}

/* One round: send history, append the answer. Returns -1 or an exit code. */
static int round_trip(zg_cli *g, const struct opts *o, json_t *history, zg_chat_result *r)
{
    char *body = build_body(o, history);
    zg_err e;
    int stream = !o->no_stream;
    int rc = body ? zg_chat(g->client, o->provider, o->service, body, stream ? on_text : NULL, g, r, &e)
                  : zg_err_set(&e, ZG_ENOMEM, "out of memory");
    free(body);
    if (rc)
        return zg_cli_fail(g, &e);
    if (!stream && !g->json)
        fputs(r->content ? r->content : "", stdout);
    if (!g->json) {
        fputs("\n", stdout);
        fflush(stdout);
        report(r);
    }
    json_array_append_new(history, json_pack("{s:s,s:s}", "role", "assistant", "content",
                                             r->content ? r->content : ""));
    return -1;
}

static int do_close(zg_cli *g, const struct opts *o, char fee[ZG_WEI_MAX], uint64_t *nonce)
{
    zg_chat_result r;
    zg_err e;
    if (zg_chat_close(g->client, o->provider, o->service, &r, &e))
        return zg_cli_fail(g, &e);
    snprintf(fee, ZG_WEI_MAX, "%s", r.fee);
    *nonce = r.nonce;
    if (!g->json) {
        char a[160];
        zg_cli_fmt_wei(r.fee, a, sizeof a);
        fprintf(stderr, "[closed: paid %s for the last answer]\n", a);
    }
    zg_chat_result_clear(&r);
    return -1;
}

static int read_all(zg_buf *b)
{
    char tmp[4096];
    size_t n;
    while ((n = fread(tmp, 1, sizeof tmp, stdin)) > 0)
        if (zg_buf_append(b, tmp, n))
            return -1;
    return zg_buf_append_byte(b, 0);
}

static int interactive(zg_cli *g, struct opts *o, json_t *history)
{
    char line[8192];
    int rc = -1;
    fprintf(stderr, "chatting with %s / %s; empty line or Ctrl-D to end\n", o->provider, o->service);
    for (;;) {
        fprintf(stderr, "> ");
        if (!fgets(line, sizeof line, stdin))
            break;
        line[strcspn(line, "\n")] = '\0';
        if (!line[0])
            break;
        json_array_append_new(history, json_pack("{s:s,s:s}", "role", "user", "content", line));
        zg_chat_result r;
        rc = round_trip(g, o, history, &r);
        zg_chat_result_clear(&r);
        if (rc >= 0)
            return rc;
    }
    char fee[ZG_WEI_MAX];
    uint64_t nonce;
    rc = do_close(g, o, fee, &nonce);
    return rc >= 0 ? rc : ZG_EXIT_OK;
}

static int run(zg_cli *g, struct opts *o, char **pos, int n)
{
    json_t *history = json_array();
    if (o->system)
        json_array_append_new(history, json_pack("{s:s,s:s}", "role", "system", "content", o->system));
    zg_buf msg;
    zg_buf_init(&msg);
    for (int i = 0; i < n; i++) {
        if (i)
            zg_buf_append_byte(&msg, ' ');
        zg_buf_append(&msg, pos[i], strlen(pos[i]));
    }
    int rc = -1;
    if (!n && isatty(STDIN_FILENO) && !o->close) {
        rc = interactive(g, o, history);
    } else {
        if (!n && !o->close) {
            if (read_all(&msg))
                rc = zg_cli_usage(g, "cannot read stdin");
        } else {
            zg_buf_append_byte(&msg, 0);
        }
        zg_chat_result r;
        memset(&r, 0, sizeof r);
        char closed[ZG_WEI_MAX] = "0";
        uint64_t closed_nonce = 0;
        if (rc < 0 && msg.len > 1) {
            json_array_append_new(history, json_pack("{s:s,s:s}", "role", "user", "content", (char *)msg.data));
            rc = round_trip(g, o, history, &r);
        }
        if (rc < 0 && o->close)
            rc = do_close(g, o, closed, &closed_nonce);
        json_t *res = NULL;
        if (rc < 0 && (g->json || o->report))
            res = json_pack("{s:s,s:I,s:I,s:I,s:s,s:s,s:s,s:s,s:s,s:I,s:s}", "answer",
                                        r.content ? r.content : "", "nonce", (json_int_t)r.nonce,
                                        "units_in", (json_int_t)r.units_in, "units_out",
                                        (json_int_t)r.units_out, "input_fee", r.input_fee,
                                        "previous_output_fee", r.prev_output_fee, "fee", r.fee,
                                        "output_fee", r.output_fee, "closed_fee", closed, "closed_nonce",
                                        (json_int_t)closed_nonce, "warning",
                                        r.warning);
        if (res && o->report && json_dump_file(res, o->report, JSON_COMPACT) != 0)
            rc = zg_cli_usage(g, "cannot write --report %s", o->report);
        if (res && g->json && rc < 0)
            zg_cli_print_json(json_incref(res));
        json_decref(res);
        zg_chat_result_clear(&r);
    }
    zg_buf_free(&msg);
    json_decref(history);
    return rc >= 0 ? rc : ZG_EXIT_OK;
}

int zg_cmd_chat(zg_cli *g, int argc, char **argv)
{
    struct opts o = {0};
    zg_cli_opt opt[] = {{"provider", 1, &o.provider, NULL},   {"service", 1, &o.service, NULL},
                        {"system", 1, &o.system, NULL},       {"max-tokens", 1, &o.max_tokens, NULL},
                        {"no-stream", 0, NULL, &o.no_stream}, {"close", 0, NULL, &o.close},
                        {"report", 1, &o.report, NULL},
                        {0}};
    char *pos[ZG_CLI_MAXPOS];
    int n, rc;
    g->prog = "zg chat";
    if ((rc = zg_cli_parse(g, argc, argv, opt, help_chat, pos, &n)) >= 0)
        return rc;
    if (!o.provider)
        return zg_cli_usage(g, "missing --provider ADDR (see `zg services`)");
    if (o.max_tokens) {
        char *end;
        long long v = strtoll(o.max_tokens, &end, 10);
        if (*end || v < 1 || v > 1000000)
            return zg_cli_usage(g, "--max-tokens must be a whole number from 1 to 1000000");
    }
    if ((rc = zg_cli_open(g)) >= 0)
        return rc;
    char *owned = NULL;
    if ((rc = pick_service(g, &o, &owned)) >= 0)
        return rc;
    rc = run(g, &o, pos, n);
    free(owned);
    return rc;
}
