/*
 * zg-provider - the provider's broker: sells the answers of an
 * OpenAI-compatible model server to zg-serving customers.
 */
#define _GNU_SOURCE
#include <curl/curl.h>
#include <event2/event.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/hex.h"
#include "base/log.h"
#include "eth/keystore.h"
#include "provider/broker.h"
#include "provider/chain.h"
#include "provider/settle.h"
#include "provider/verify.h"

static const char usage_text[] =
"Usage: zg-provider [--config FILE] [--check]\n"
"\n"
"The provider's broker. It registers the configured services in the Serving\n"
"contract, serves POST /v1/proxy/{service}/chat/completions to customers\n"
"(checking each signed request: headers, signature, nonce, fee binding,\n"
"balance with the output reserve), stores every accepted request durably as a\n"
"receipt before it goes to the model server, relays the answer (streams chunk\n"
"by chunk) with its output fee, and settles the receipts on chain with\n"
"Groth16 proofs. Settled receipts are deleted once older than\n"
"store.keep_settled_s (90 days; 0 keeps them). Only /v1/proxy/... is\n"
"public; the admin API (health, metrics, services, accounts, receipts,\n"
"settlements, settle now) listens on loopback.\n"
"\n"
"Options:\n"
"  -c, --config FILE   the JSON configuration (default: $ZG_CONFIG); every key\n"
"                      and its ZG_* environment override: docs/operator.md\n"
"      --check         load and check the configuration and key, print a\n"
"                      summary, and exit\n"
"  -h, --help          this text\n"
"      --version       the version\n"
"\n"
"The provider key comes from ZG_PROVIDER_KEY (0x + 64 hex digits) or from the\n"
"keystore named by chain.keystore / ZG_KEYSTORE, whose password is read from\n"
"the variable named by chain.keystore_password_env (default\n"
"ZG_KEYSTORE_PASSWORD). It is never read from the configuration file.\n"
"\n"
"Signals: SIGINT/SIGTERM finish the answers in flight (new requests get 503),\n"
"then stop. A broker killed outright loses nothing it accepted: receipts are\n"
"committed before requests go upstream, and the next start settles them.\n"
"\n"
"Example:\n"
"  ZG_PROVIDER_KEY=0x... zg-provider --config provider.json\n";

static int load_key(const zg_pcfg *cfg, zg_eth_key *key, zg_err *e)
{
    if (cfg->key_hex && cfg->key_hex[0]) {
        int rc = zg_eth_key_from_hex(key, cfg->key_hex, e);
        if (rc)
            return zg_err_wrap(e, rc, "ZG_PROVIDER_KEY");
        return ZG_OK;
    }
    if (cfg->keystore && cfg->keystore[0]) {
        const char *var = cfg->keystore_password_env ? cfg->keystore_password_env : "ZG_KEYSTORE_PASSWORD";
        const char *pw = getenv(var);
        if (!pw) return zg_err_set(e, ZG_EINVAL, "the keystore's password is read from %s, which is not set", var);
        int rc = zg_keystore_read_file(cfg->keystore, pw, key, NULL, e);
        if (rc)
            return zg_err_wrap(e, rc, "keystore %s", cfg->keystore);
        return ZG_OK;
    }
    return zg_err_set(e, ZG_EINVAL, "no provider key: set ZG_PROVIDER_KEY or chain.keystore (see docs/operator.md)");
}

typedef struct app {
    zg_pcfg cfg;
    zg_eth_key key;
    uint8_t provider[20];
    zg_pchain *chain;
    zg_store *store;
    zg_accts *accts;
    zg_metrics metrics;
    zg_verifier *verifier;
    zg_settler *settler;
    zg_broker *broker;
} app;

static int start_chain(app *a, zg_err *e)
{
    if (!a->cfg.rpc_url[0] || !a->cfg.contract)
        return zg_err_set(e, ZG_EINVAL, "chain.rpc_url and chain.contract are required (or ZG_RPC_URL, ZG_CONTRACT)");
    int rc = zg_pchain_new(&a->chain, &a->cfg, &a->key, e);
    if (!rc && a->cfg.register_services && (rc = zg_pchain_register(a->chain, e)))
        zg_err_wrap(e, rc, "registering the services");
    return rc;
}

static int start_all(app *a, zg_err *e)
{
    int rc = start_chain(a, e);
    if (!rc) rc = zg_store_open(&a->store, a->cfg.database, a->cfg.sync_full, a->cfg.commit_max_batch, e);
    if (!rc && zg_accts_new(&a->accts, zg_pchain_account, a->chain, a->cfg.account_refresh_s))
        rc = zg_err_set(e, ZG_ENOMEM, "out of memory");
    if (!rc) rc = zg_broker_restore(a->store, a->accts, e);
    if (!rc) rc = zg_pchain_follow(a->chain, a->accts, e);
    if (!rc && zg_verifier_new(&a->verifier, 4096)) rc = zg_err_set(e, ZG_ENOMEM, "out of memory");
    zg_settler_opts so = {&a->cfg, a->store, a->accts, &a->metrics, {0}, zg_pchain_settle, a->chain, 0};
    memcpy(so.provider, a->provider, 20);
    if (!rc) rc = zg_settler_new(&a->settler, &so, e);
    zg_broker_deps d = {a->store, a->accts, &a->metrics, zg_verifier_check, a->verifier,
                        zg_settler_settle_now, a->settler};
    if (!rc) rc = zg_broker_start(&a->broker, &a->cfg, a->provider, &d, e);
    if (!rc) rc = zg_settler_start(a->settler, e);
    return rc;
}

static void stop_all(app *a)
{
    zg_broker_stop(a->broker);
    zg_settler_free(a->settler);
    zg_pchain_free(a->chain);   /* stops the event follower before the accounts go */
    zg_verifier_free(a->verifier);
    zg_store_close(a->store);
    zg_accts_free(a->accts);
    zg_eth_key_wipe(&a->key);
    zg_pcfg_free(&a->cfg);
}

static int parse_args(int argc, char **argv, const char **config, int *check)
{
    static const struct option longs[] = {{"config", 1, 0, 'c'}, {"check", 0, 0, 'k'},
                                          {"help", 0, 0, 'h'}, {"version", 0, 0, 'v'}, {0, 0, 0, 0}};
    int c;
    while ((c = getopt_long(argc, argv, "c:h", longs, NULL)) != -1) {
        switch (c) {
        case 'c': *config = optarg; break;
        case 'k': *check = 1; break;
        case 'h': fputs(usage_text, stdout); return 1;
        case 'v': puts("zg-provider 0.1.0"); return 1;
        default: fputs("see zg-provider --help\n", stderr); return 2;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "zg-provider: unexpected argument '%s' (see zg-provider --help)\n", argv[optind]);
        return 2;
    }
    return 0;
}

int main(int argc, char **argv)
{
    const char *config = getenv("ZG_CONFIG");
    int check = 0;
    int rc = parse_args(argc, argv, &config, &check);
    if (rc) return rc == 1 ? 0 : rc;
    static app a;
    zg_err err;
    if (zg_pcfg_load(&a.cfg, config, &err) || load_key(&a.cfg, &a.key, &err)) {
        fprintf(stderr, "zg-provider: %s\n", err.msg);
        zg_pcfg_free(&a.cfg);
        return 1;
    }
    zg_address addr;
    zg_eth_key_address(&a.key, &addr);
    memcpy(a.provider, addr.b, 20);
    char hex[ZG_ADDRESS_STR_MAX];
    zg_address_to_checksum(&addr, hex);
    if (check) {
        printf("configuration ok: provider %s, %zu service(s), database %s\n", hex, a.cfg.n_services, a.cfg.database);
        stop_all(&a);
        return 0;
    }
    curl_global_init(CURL_GLOBAL_DEFAULT); /* before any thread makes a client (libcurl's rule) */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, NULL); /* every thread inherits it; main waits */
    signal(SIGPIPE, SIG_IGN);
    if (start_all(&a, &err)) {
        fprintf(stderr, "zg-provider: %s\n", err.msg);
        stop_all(&a);
        return 1;
    }
    printf("zg-provider %s listening on http://%s:%d (proxy), admin on http://%s:%d\n", hex, a.cfg.listen_host,
           zg_broker_port(a.broker), a.cfg.admin_host, zg_broker_admin_port(a.broker));
    fflush(stdout);
    int sig;
    sigwait(&set, &sig);
    zg_log(ZG_LOG_INFO, "zg-provider: signal %d, finishing the answers in flight", sig);
    stop_all(&a);
    libevent_global_shutdown();
    curl_global_cleanup();
    return 0;
}
