/* cmd_provider.c - `zg provider register|settle|status`. */
#include <curl/curl.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "cli/cli.h"

static const char help_provider[] =
    "Usage: zg provider register|settle|status [OPTIONS]\n"
    "\n"
    "Tools for a provider: register a service in the contract (as the wallet's\n"
    "address), and talk to a running zg-provider broker through its admin API\n"
    "(loopback only). Run `zg provider SUBCOMMAND --help`.\n";

static const char help_register[] =
    "Usage: zg provider register --name NAME --url URL --model MODEL\n"
    "         --input-price AMOUNT --output-price AMOUNT [--type chat]\n"
    "         [--verifiability none] [--properties JSON]\n"
    "\n"
    "Registers (or updates) a service of your wallet's address in the Serving\n"
    "contract. Customers find it with `zg services` and send requests to\n"
    "URL/v1/proxy/NAME/chat/completions (the broker's public address).\n"
    "\n"
    "  --name NAME            service name, unique per provider\n"
    "  --url URL              the broker's public base URL, e.g. http://host:3080\n"
    "  --model MODEL          the model it serves (free text)\n"
    "  --input-price AMOUNT   wei per input unit (units: 1gwei, 100wei, ...)\n"
    "  --output-price AMOUNT  wei per output unit\n"
    "  --type TYPE            chat (default), model or dataset\n"
    "  --verifiability V      none (default), TeeML, ...\n"
    "  --properties JSON      unit rule etc., default {\"unit\":\"byte\"}\n"
    "                         (see docs/protocol.md)\n"
    "\n"
    "The broker zg-provider also registers its configured services on start.\n";

static const char help_settle[] =
    "Usage: zg provider settle [--admin URL]\n"
    "\n"
    "Asks the running broker to settle every unsettled receipt now: it proves\n"
    "them (Groth16) and sends one settleFees transaction. Prints the broker's\n"
    "answer (settled receipts, total, transaction hash, gas).\n"
    "\n"
    "  --admin URL   the broker's admin API (env ZG_PROVIDER_ADMIN;\n"
    "                default http://127.0.0.1:3081)\n";

static const char help_status[] =
    "Usage: zg provider status [--admin URL]\n"
    "\n"
    "Shows the running broker's health, its services and its unsettled receipts,\n"
    "from its admin API (see `zg provider settle --help` for --admin).\n";

static const char *admin_url(const char *opt)
{
    const char *env = getenv("ZG_PROVIDER_ADMIN");
    return opt ? opt : env ? env : "http://127.0.0.1:3081";
}

static size_t on_body(char *p, size_t s, size_t n, void *ud)
{
    return zg_buf_append(ud, p, s * n) == ZG_OK ? s * n : 0;
}

/* GET (post == 0) or POST {} to base + path; the body is appended to out. */
static int admin_call(const char *base, const char *path, int post, zg_buf *out, long *status,
                      zg_err *e)
{
    char url[1024];
    snprintf(url, sizeof url, "%s%s", base, path);
    CURL *h = curl_easy_init();
    if (!h)
        return zg_err_set(e, ZG_ENOMEM, "cannot start an HTTP transfer");
    struct curl_slist *hd = curl_slist_append(NULL, "Content-Type: application/json");
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, out);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, 600L);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hd);
    if (post)
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, "{}");
    CURLcode cc = curl_easy_perform(h);
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, status);
    curl_slist_free_all(hd);
    curl_easy_cleanup(h);
    if (cc != CURLE_OK)
        return zg_err_set(e, ZG_EHTTP, "cannot reach the provider's admin API at %s: %s "
                          "(is zg-provider running? see --admin)", url, curl_easy_strerror(cc));
    return ZG_OK;
}

static int print_admin(zg_cli *g, const char *what, zg_buf *b, long status)
{
    zg_buf_append_byte(b, 0);
    json_t *o = json_loads((const char *)b->data, 0, NULL);
    int ok = status >= 200 && status < 300;
    if (!ok) {
        zg_err e;
        json_t *m = json_object_get(json_object_get(o, "error"), "message");
        zg_err_set(&e, ZG_EHTTP, "%s: broker answered HTTP %ld: %.300s", what, status,
                   json_is_string(m) ? json_string_value(m) : (const char *)b->data);
        json_decref(o);
        return zg_cli_fail(g, &e);
    }
    if (o && g->json) {
        zg_cli_print_json(o);
        return ZG_EXIT_OK;
    }
    char *s = o ? json_dumps(o, JSON_INDENT(2)) : NULL;
    printf("%s\n", s ? s : (const char *)b->data);
    free(s);
    json_decref(o);
    return ZG_EXIT_OK;
}

static int cmd_admin(zg_cli *g, int argc, char **argv, int settle)
{
    const char *admin = NULL;
    zg_cli_opt o[] = {{"admin", 1, &admin, NULL}, {0}};
    char *pos[ZG_CLI_MAXPOS];
    int n, rc;
    if ((rc = zg_cli_parse(g, argc, argv, o, settle ? help_settle : help_status, pos, &n)) >= 0)
        return rc;
    if (n)
        return zg_cli_usage(g, "unexpected argument '%s'", pos[0]);
    zg_buf b;
    zg_buf_init(&b);
    long status = 0;
    zg_err e;
    const char *base = admin_url(admin);
    if (settle)
        rc = admin_call(base, "/admin/settle", 1, &b, &status, &e);
    else
        rc = admin_call(base, "/health", 0, &b, &status, &e);
    if (rc) {
        zg_buf_free(&b);
        return zg_cli_fail(g, &e);
    }
    if (!settle && status == 200 && !g->json) {
        /* health first, then the lists, as they come */
        static const char *const more[] = {"/admin/services", "/admin/accounts", "/admin/receipts",
                                           "/admin/settlements"};
        print_admin(g, "health", &b, status);
        for (size_t i = 0; i < sizeof more / sizeof more[0]; i++) {
            zg_buf_free(&b);
            zg_buf_init(&b);
            if (admin_call(base, more[i], 0, &b, &status, &e) == ZG_OK && status == 200) {
                printf("%s:\n", more[i] + 7);
                print_admin(g, more[i], &b, status);
            }
        }
        zg_buf_free(&b);
        return ZG_EXIT_OK;
    }
    rc = print_admin(g, settle ? "settle" : "status", &b, status);
    zg_buf_free(&b);
    return rc;
}

static int cmd_register(zg_cli *g, int argc, char **argv)
{
    zg_service_spec p = {0};
    const char *in = NULL, *out = NULL;
    p.type = "chat";
    p.verifiability = "none";
    p.additional_properties = "{\"unit\":\"byte\"}";
    zg_cli_opt o[] = {{"name", 1, &p.name, NULL},
                      {"url", 1, &p.url, NULL},
                      {"model", 1, &p.model, NULL},
                      {"input-price", 1, &in, NULL},
                      {"output-price", 1, &out, NULL},
                      {"type", 1, &p.type, NULL},
                      {"verifiability", 1, &p.verifiability, NULL},
                      {"properties", 1, &p.additional_properties, NULL},
                      {0}};
    char *pos[ZG_CLI_MAXPOS];
    int n, rc;
    if ((rc = zg_cli_parse(g, argc, argv, o, help_register, pos, &n)) >= 0)
        return rc;
    if (n)
        return zg_cli_usage(g, "unexpected argument '%s'", pos[0]);
    if (!p.name || !p.url || !p.model)
        return zg_cli_usage(g, "--name, --url and --model are required");
    char inw[ZG_WEI_MAX], outw[ZG_WEI_MAX], tx[ZG_HASH_MAX];
    if ((rc = zg_cli_amount(g, "--input-price", in, inw)) >= 0 ||
        (rc = zg_cli_amount(g, "--output-price", out, outw)) >= 0)
        return rc;
    json_t *j = json_loads(p.additional_properties, 0, NULL);
    int obj = json_is_object(j);
    json_decref(j);
    if (!obj)
        return zg_cli_usage(g, "--properties must be a JSON object, e.g. {\"unit\":\"byte\"}");
    p.input_price = inw;
    p.output_price = outw;
    if ((rc = zg_cli_open(g)) >= 0)
        return rc;
    zg_err e;
    if (zg_service_register(g->client, &p, tx, &e))
        return zg_cli_fail(g, &e);
    char addr[ZG_ADDR_MAX] = "";
    zg_client_address(g->client, addr, NULL);
    if (g->json)
        zg_cli_print_json(json_pack("{s:s,s:s,s:s}", "tx", tx, "provider", addr, "name", p.name));
    else
        printf("service %s of provider %s registered: transaction %s\n", p.name, addr, tx);
    return ZG_EXIT_OK;
}

static int cmd_settle(zg_cli *g, int argc, char **argv) { return cmd_admin(g, argc, argv, 1); }
static int cmd_status(zg_cli *g, int argc, char **argv) { return cmd_admin(g, argc, argv, 0); }

int zg_cmd_provider(zg_cli *g, int argc, char **argv)
{
    static const struct {
        const char *name, *prog;
        int (*fn)(zg_cli *, int, char **);
    } subs[] = {
        {"register", "zg provider register", cmd_register},
        {"settle", "zg provider settle", cmd_settle},
        {"status", "zg provider status", cmd_status},
    };
    g->prog = "zg provider";
    if (argc < 1 || argv[0][0] == '-') {
        char *pos[ZG_CLI_MAXPOS];
        int n, rc = zg_cli_parse(g, argc, argv, NULL, help_provider, pos, &n);
        return rc >= 0 ? rc : zg_cli_usage(g, "missing subcommand: register, settle or status");
    }
    for (size_t i = 0; i < sizeof subs / sizeof subs[0]; i++)
        if (strcmp(argv[0], subs[i].name) == 0) {
            g->prog = subs[i].prog;
            return subs[i].fn(g, argc - 1, argv + 1);
        }
    return zg_cli_usage(g, "unknown subcommand '%s' (register, settle, status)", argv[0]);
}
