/*
 * provider/config.c - load zg-provider's JSON configuration and ZG_* overrides.
 */
#define _GNU_SOURCE
#include "provider/config.h"

#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/amount.h"

/* ---- small parsers -------------------------------------------------------- */

int zg_pcfg_parse_hostport(const char *s, char *host, size_t host_len, int *port, zg_err *e)
{
    const char *colon = strrchr(s, ':');
    if (!colon || colon == s)
        return zg_err_set(e, ZG_EINVAL, "'%.80s' is not host:port", s);
    size_t hl = (size_t)(colon - s);
    if (hl >= host_len) return zg_err_set(e, ZG_EINVAL, "host of '%.80s' is too long", s);
    char *end;
    errno = 0;
    long p = strtol(colon + 1, &end, 10);
    if (errno || *end || colon[1] == 0 || p < 0 || p > 65535)
        return zg_err_set(e, ZG_EINVAL, "port of '%.80s' is not 0..65535", s);
    memcpy(host, s, hl);
    host[hl] = 0;
    *port = (int)p;
    return ZG_OK;
}

int zg_pcfg_parse_upstream(zg_pcfg_service *s, const char *url, zg_err *e)
{
    if (strncmp(url, "http://", 7) != 0)
        return zg_err_set(e, ZG_EINVAL, "upstream '%.80s' must start with http:// "
                          "(put a TLS terminator in front of remote model servers)", url);
    const char *h = url + 7, *slash = strchr(h, '/');
    size_t hl = slash ? (size_t)(slash - h) : strlen(h);
    char hostport[300];
    if (hl == 0 || hl >= sizeof hostport)
        return zg_err_set(e, ZG_EINVAL, "upstream '%.80s' has no host", url);
    memcpy(hostport, h, hl);
    hostport[hl] = 0;
    if (strchr(hostport, ':')) {
        int rc = zg_pcfg_parse_hostport(hostport, s->up_host, sizeof s->up_host, &s->up_port, e);
        if (rc)
            return zg_err_wrap(e, rc, "upstream");
    } else {
        if (hl >= sizeof s->up_host) return zg_err_set(e, ZG_EINVAL, "upstream host is too long");
        memcpy(s->up_host, hostport, hl + 1);
        s->up_port = 80;
    }
    const char *prefix = slash ? slash : "";
    size_t pl = strlen(prefix);
    while (pl && prefix[pl - 1] == '/') pl--;
    /* "http://h:p/v1" and "http://h:p" both mean the server's /v1 API */
    if (pl >= 3 && strncmp(prefix + pl - 3, "/v1", 3) == 0) pl -= 3;
    if (pl >= sizeof s->up_prefix) return zg_err_set(e, ZG_EINVAL, "upstream path is too long");
    memcpy(s->up_prefix, prefix, pl);
    s->up_prefix[pl] = 0;
    return ZG_OK;
}

static int valid_name(const char *n)
{
    if (!*n || strlen(n) >= ZG_PCFG_NAME_MAX) return 0;
    for (; *n; n++)
        if (!isalnum((unsigned char)*n) && !strchr("._-", *n)) return 0;
    return 1;
}

static int set_str(char **dst, const char *v)
{
    char *c = strdup(v);
    if (!c) return ZG_ENOMEM;
    free(*dst);
    *dst = c;
    return ZG_OK;
}

/* Reads a JSON value that is a number or a string into u64. */
static int json_u64(json_t *v, const char *key, uint64_t *out, zg_err *e)
{
    if (!v) return ZG_OK;
    if (json_is_integer(v) && json_integer_value(v) >= 0) {
        *out = (uint64_t)json_integer_value(v);
        return ZG_OK;
    }
    return zg_err_set(e, ZG_EINVAL, "config key %s: expected a non-negative integer", key);
}

static int json_amount(json_t *v, const char *key, zg_u256 *out, zg_err *e)
{
    if (!v) return ZG_OK;
    if (json_is_integer(v) && json_integer_value(v) >= 0) {
        *out = zg_u256_from_u64((uint64_t)json_integer_value(v));
        return ZG_OK;
    }
    if (!json_is_string(v))
        return zg_err_set(e, ZG_EINVAL, "config key %s: expected an amount such as \"1gwei\"", key);
    int rc = zg_amount_parse(json_string_value(v), out, e);
    if (rc)
        return zg_err_wrap(e, rc, "config key %s", key);
    return ZG_OK;
}

static int json_strkey(json_t *obj, const char *key, const char *full, char **dst, zg_err *e)
{
    json_t *v = json_object_get(obj, key);
    if (!v || json_is_null(v)) return ZG_OK;
    if (!json_is_string(v)) return zg_err_set(e, ZG_EINVAL, "config key %s: expected a string", full);
    return set_str(dst, json_string_value(v)) ? zg_err_set(e, ZG_ENOMEM, "out of memory") : ZG_OK;
}

/* ---- sections ------------------------------------------------------------- */

static int load_service(zg_pcfg_service *s, json_t *j, size_t i, zg_err *e)
{
    char key[64];
    if (!json_is_object(j)) return zg_err_set(e, ZG_EINVAL, "config key services[%zu]: expected an object", i);
    json_t *name = json_object_get(j, "name");
    if (!json_is_string(name) || !valid_name(json_string_value(name)))
        return zg_err_set(e, ZG_EINVAL, "config key services[%zu].name: 1-63 characters of A-Z a-z 0-9 . _ -", i);
    snprintf(s->name, sizeof s->name, "%s", json_string_value(name));
    char *type = NULL;
    snprintf(key, sizeof key, "services[%zu].type", i);
    int rc = json_strkey(j, "type", key, &type, e);
    if (rc) return rc;
    snprintf(s->type, sizeof s->type, "%s", type ? type : "chat");
    free(type);
    if (strcmp(s->type, "chat") != 0)
        return zg_err_set(e, ZG_EINVAL, "config key %s: only \"chat\" services are proxied in v0.1", key);
    snprintf(key, sizeof key, "services[%zu].upstream", i);
    if ((rc = json_strkey(j, "upstream", key, &s->upstream, e))) return rc;
    if (!s->upstream) return zg_err_set(e, ZG_EINVAL, "config key %s is required", key);
    if ((rc = zg_pcfg_parse_upstream(s, s->upstream, e))) return zg_err_wrap(e, rc, "config key %s", key);
    if ((rc = json_strkey(j, "url", "services[].url", &s->url, e))) return rc;
    if ((rc = json_strkey(j, "model", "services[].model", &s->model, e))) return rc;
    if ((rc = json_strkey(j, "verifiability", "services[].verifiability", &s->verifiability, e))) return rc;
    snprintf(key, sizeof key, "services[%zu].input_price", i);
    if ((rc = json_amount(json_object_get(j, "input_price"), key, &s->input_price, e))) return rc;
    snprintf(key, sizeof key, "services[%zu].output_price", i);
    if ((rc = json_amount(json_object_get(j, "output_price"), key, &s->output_price, e))) return rc;
    json_t *ap = json_object_get(j, "additional_properties");
    if (ap && json_is_object(ap)) s->additional = json_dumps(ap, JSON_COMPACT | JSON_SORT_KEYS);
    else if (ap && json_is_string(ap)) s->additional = strdup(json_string_value(ap));
    else if (ap && !json_is_null(ap))
        return zg_err_set(e, ZG_EINVAL, "config key services[%zu].additional_properties: expected an object", i);
    else s->additional = strdup("{\"unit\":\"byte\"}");
    if (!s->additional) return zg_err_set(e, ZG_ENOMEM, "out of memory");
    if (!s->url && set_str(&s->url, "")) return ZG_ENOMEM;
    if (!s->model && set_str(&s->model, "")) return ZG_ENOMEM;
    if (!s->verifiability && set_str(&s->verifiability, "none")) return ZG_ENOMEM;
    if ((rc = zg_fee_rule_init(&s->rule, s->additional, &s->input_price, &s->output_price, e)))
        return zg_err_wrap(e, rc, "config key services[%zu].additional_properties", i);
    return ZG_OK;
}

static int load_services(zg_pcfg *c, json_t *arr, zg_err *e)
{
    if (!arr) return ZG_OK;
    if (!json_is_array(arr)) return zg_err_set(e, ZG_EINVAL, "config key services: expected an array");
    c->services = calloc(json_array_size(arr) + 1, sizeof *c->services);
    if (!c->services) return zg_err_set(e, ZG_ENOMEM, "out of memory");
    size_t i;
    json_t *j;
    json_array_foreach(arr, i, j) {
        c->n_services = i + 1;
        int rc = load_service(&c->services[i], j, i, e);
        if (rc) return rc;
        for (size_t k = 0; k < i; k++)
            if (strcmp(c->services[k].name, c->services[i].name) == 0)
                return zg_err_set(e, ZG_EINVAL, "config: service '%s' is listed twice", c->services[i].name);
    }
    return ZG_OK;
}

static int load_settlement(zg_pcfg *c, json_t *s, zg_err *e)
{
    if (!s) return ZG_OK;
    if (!json_is_object(s)) return zg_err_set(e, ZG_EINVAL, "config key settlement: expected an object");
    int rc = json_amount(json_object_get(s, "threshold"), "settlement.threshold", &c->settle_threshold, e);
    if (!rc) rc = json_u64(json_object_get(s, "max_age_s"), "settlement.max_age_s", &c->settle_max_age_s, e);
    if (!rc) rc = json_u64(json_object_get(s, "refund_margin_s"), "settlement.refund_margin_s", &c->settle_refund_margin_s, e);
    if (!rc) rc = json_u64(json_object_get(s, "interval_s"), "settlement.interval_s", &c->settle_interval_s, e);
    uint64_t mp = c->settle_max_proofs;
    if (!rc) rc = json_u64(json_object_get(s, "max_proofs_per_tx"), "settlement.max_proofs_per_tx", &mp, e);
    c->settle_max_proofs = mp;
    if (!rc) rc = json_strkey(s, "proving_dir", "settlement.proving_dir", &c->proving_dir, e);
    json_t *sizes = json_object_get(s, "circuit_sizes");
    if (!rc && sizes) {
        if (!json_is_array(sizes) || json_array_size(sizes) == 0 || json_array_size(sizes) > 8)
            return zg_err_set(e, ZG_EINVAL, "config key settlement.circuit_sizes: 1 to 8 slot counts");
        c->n_circuit_sizes = 0;
        size_t i;
        json_t *v;
        json_array_foreach(sizes, i, v) {
            if (!json_is_integer(v) || json_integer_value(v) < 1 || json_integer_value(v) > 4096)
                return zg_err_set(e, ZG_EINVAL, "config key settlement.circuit_sizes[%zu]: 1..4096", i);
            c->circuit_sizes[c->n_circuit_sizes++] = (uint32_t)json_integer_value(v);
        }
    }
    return rc;
}

static int load_limits(zg_pcfg *c, json_t *l, zg_err *e)
{
    if (!l) return ZG_OK;
    if (!json_is_object(l)) return zg_err_set(e, ZG_EINVAL, "config key limits: expected an object");
    int rc = json_u64(json_object_get(l, "max_inflight"), "limits.max_inflight", &c->max_inflight, e);
    if (!rc) rc = json_u64(json_object_get(l, "upstream_timeout_s"), "limits.upstream_timeout_s", &c->upstream_timeout_s, e);
    if (!rc) rc = json_u64(json_object_get(l, "max_body"), "limits.max_body", &c->max_body, e);
    if (!rc) rc = json_u64(json_object_get(l, "account_refresh_s"), "limits.account_refresh_s", &c->account_refresh_s, e);
    return rc;
}

static int load_store(zg_pcfg *c, json_t *s, zg_err *e)
{
    if (!s) return ZG_OK;
    if (!json_is_object(s)) return zg_err_set(e, ZG_EINVAL, "config key store: expected an object");
    json_t *sync = json_object_get(s, "synchronous");
    if (sync) {
        const char *v = json_string_value(sync);
        if (!v || (strcmp(v, "full") && strcmp(v, "normal")))
            return zg_err_set(e, ZG_EINVAL, "config key store.synchronous: \"full\" or \"normal\"");
        c->sync_full = strcmp(v, "full") == 0;
    }
    int rc = json_u64(json_object_get(s, "commit_max_batch"), "store.commit_max_batch", &c->commit_max_batch, e);
    if (!rc) rc = json_u64(json_object_get(s, "keep_settled_s"), "store.keep_settled_s", &c->keep_settled_s, e);
    return rc;
}

static int load_top(zg_pcfg *c, json_t *root, zg_err *e)
{
    if (!json_is_object(root)) return zg_err_set(e, ZG_EINVAL, "config: the file must hold a JSON object");
    char *s = NULL;
    int rc = json_strkey(root, "listen", "listen", &s, e);
    if (!rc && s) rc = zg_pcfg_parse_hostport(s, c->listen_host, sizeof c->listen_host, &c->listen_port, e);
    free(s); s = NULL;
    if (!rc) rc = json_strkey(root, "admin_listen", "admin_listen", &s, e);
    if (!rc && s) rc = zg_pcfg_parse_hostport(s, c->admin_host, sizeof c->admin_host, &c->admin_port, e);
    free(s);
    if (rc) return rc;
    uint64_t th = (uint64_t)c->threads;
    if ((rc = json_u64(json_object_get(root, "threads"), "threads", &th, e))) return rc;
    c->threads = (int)(th > 256 ? 257 : th);
    if ((rc = json_strkey(root, "database", "database", &c->database, e))) return rc;
    json_t *chain = json_object_get(root, "chain");
    if (chain) {
        if (!json_is_object(chain)) return zg_err_set(e, ZG_EINVAL, "config key chain: expected an object");
        if ((rc = json_strkey(chain, "rpc_url", "chain.rpc_url", &c->rpc_url, e))) return rc;
        if ((rc = json_strkey(chain, "contract", "chain.contract", &c->contract, e))) return rc;
        if ((rc = json_u64(json_object_get(chain, "chain_id"), "chain.chain_id", &c->chain_id, e))) return rc;
        if ((rc = json_u64(json_object_get(chain, "events_poll_s"), "chain.events_poll_s", &c->events_poll_s, e)))
            return rc;
        if ((rc = json_strkey(chain, "keystore", "chain.keystore", &c->keystore, e))) return rc;
        if ((rc = json_strkey(chain, "keystore_password_env", "chain.keystore_password_env",
                              &c->keystore_password_env, e))) return rc;
        json_t *reg = json_object_get(chain, "register_services");
        if (reg && !json_is_boolean(reg)) return zg_err_set(e, ZG_EINVAL, "config key chain.register_services: true or false");
        if (reg) c->register_services = json_is_true(reg);
        if (json_object_get(chain, "key"))
            return zg_err_set(e, ZG_EINVAL, "config key chain.key: never write the key into the file; "
                              "set ZG_PROVIDER_KEY or use chain.keystore");
    }
    if ((rc = load_services(c, json_object_get(root, "services"), e))) return rc;
    if ((rc = load_settlement(c, json_object_get(root, "settlement"), e))) return rc;
    if ((rc = load_limits(c, json_object_get(root, "limits"), e))) return rc;
    return load_store(c, json_object_get(root, "store"), e);
}

/* ---- environment ---------------------------------------------------------- */

static int env_u64(const char *name, uint64_t *out, zg_err *e)
{
    const char *v = getenv(name);
    if (!v) return ZG_OK;
    char *end;
    errno = 0;
    unsigned long long x = strtoull(v, &end, 10);
    if (!*v || *v == '-' || *end || errno)
        return zg_err_set(e, ZG_EINVAL, "environment %s: expected a non-negative integer", name);
    *out = x;
    return ZG_OK;
}

static int env_str(const char *name, char **dst, zg_err *e)
{
    const char *v = getenv(name);
    if (!v) return ZG_OK;
    return set_str(dst, v) ? zg_err_set(e, ZG_ENOMEM, "out of memory") : ZG_OK;
}

static int apply_env(zg_pcfg *c, zg_err *e)
{
    const char *v;
    int rc = ZG_OK;
    if ((v = getenv("ZG_LISTEN")) &&
        (rc = zg_pcfg_parse_hostport(v, c->listen_host, sizeof c->listen_host, &c->listen_port, e)))
        return zg_err_wrap(e, rc, "environment ZG_LISTEN");
    if ((v = getenv("ZG_ADMIN_LISTEN")) &&
        (rc = zg_pcfg_parse_hostport(v, c->admin_host, sizeof c->admin_host, &c->admin_port, e)))
        return zg_err_wrap(e, rc, "environment ZG_ADMIN_LISTEN");
    uint64_t th = (uint64_t)c->threads;
    if ((rc = env_u64("ZG_THREADS", &th, e))) return rc;
    c->threads = (int)(th > 256 ? 257 : th);
    if ((rc = env_str("ZG_DATABASE", &c->database, e))) return rc;
    if ((rc = env_str("ZG_RPC_URL", &c->rpc_url, e))) return rc;
    if ((rc = env_str("ZG_CONTRACT", &c->contract, e))) return rc;
    if ((rc = env_u64("ZG_CHAIN_ID", &c->chain_id, e))) return rc;
    if ((rc = env_str("ZG_PROVIDER_KEY", &c->key_hex, e))) return rc;
    if ((rc = env_str("ZG_KEYSTORE", &c->keystore, e))) return rc;
    if ((v = getenv("ZG_SETTLE_THRESHOLD")) && zg_amount_parse(v, &c->settle_threshold, e))
        return zg_err_wrap(e, rc, "environment ZG_SETTLE_THRESHOLD");
    if ((rc = env_u64("ZG_SETTLE_MAX_AGE_S", &c->settle_max_age_s, e))) return rc;
    if ((rc = env_u64("ZG_SETTLE_INTERVAL_S", &c->settle_interval_s, e))) return rc;
    if ((rc = env_u64("ZG_MAX_INFLIGHT", &c->max_inflight, e))) return rc;
    if ((rc = env_u64("ZG_UPSTREAM_TIMEOUT_S", &c->upstream_timeout_s, e))) return rc;
    if ((rc = env_u64("ZG_KEEP_SETTLED_S", &c->keep_settled_s, e))) return rc;
    if ((v = getenv("ZG_STORE_SYNC"))) {
        if (strcmp(v, "full") && strcmp(v, "normal"))
            return zg_err_set(e, ZG_EINVAL, "environment ZG_STORE_SYNC: \"full\" or \"normal\"");
        c->sync_full = strcmp(v, "full") == 0;
    }
    /* ZG_UPSTREAM overrides the upstream of every service: one model server
     * behind all services is the common single-box deployment */
    if ((v = getenv("ZG_UPSTREAM"))) {
        for (size_t i = 0; i < c->n_services; i++) {
            if (set_str(&c->services[i].upstream, v)) return zg_err_set(e, ZG_ENOMEM, "out of memory");
            if ((rc = zg_pcfg_parse_upstream(&c->services[i], v, e))) return zg_err_wrap(e, rc, "environment ZG_UPSTREAM");
        }
    }
    return ZG_OK;
}

static int validate(zg_pcfg *c, zg_err *e)
{
    if (strncmp(c->admin_host, "127.", 4) != 0)
        return zg_err_set(e, ZG_EINVAL, "config key admin_listen: the admin API must listen on a loopback "
                          "address (127.x.x.x), not %s", c->admin_host);
    if (c->threads < 1 || c->threads > 256) return zg_err_set(e, ZG_EINVAL, "config key threads: 1..256");
    if (!c->database || !c->database[0]) return zg_err_set(e, ZG_EINVAL, "config key database is required");
    if (c->n_services == 0) return zg_err_set(e, ZG_EINVAL, "config key services: list at least one service");
    if (c->max_inflight < 1) return zg_err_set(e, ZG_EINVAL, "config key limits.max_inflight: at least 1");
    if (c->upstream_timeout_s < 1) return zg_err_set(e, ZG_EINVAL, "config key limits.upstream_timeout_s: at least 1");
    if (c->max_body < 64) return zg_err_set(e, ZG_EINVAL, "config key limits.max_body: at least 64");
    if (c->settle_interval_s < 1) return zg_err_set(e, ZG_EINVAL, "config key settlement.interval_s: at least 1");
    if (c->settle_max_proofs < 1) return zg_err_set(e, ZG_EINVAL, "config key settlement.max_proofs_per_tx: at least 1");
    if (c->keep_settled_s > ZG_KEEP_SETTLED_MAX_S)
        return zg_err_set(e, ZG_EINVAL, "config key store.keep_settled_s: at most %llu (100 years); 0 keeps "
                          "settled receipts for ever", (unsigned long long)ZG_KEEP_SETTLED_MAX_S);
    return ZG_OK;
}

static void defaults(zg_pcfg *c)
{
    memset(c, 0, sizeof *c);
    snprintf(c->listen_host, sizeof c->listen_host, "0.0.0.0");
    c->listen_port = 8080;
    snprintf(c->admin_host, sizeof c->admin_host, "127.0.0.1");
    c->admin_port = 8081;
    c->threads = 2;
    c->register_services = 1;
    c->events_poll_s = 2;
    c->settle_threshold = zg_u256_from_u64(10000000000000000ull); /* 0.01 eth */
    c->settle_max_age_s = 3600;
    c->settle_refund_margin_s = 600;
    c->settle_interval_s = 10;
    c->circuit_sizes[0] = 4; c->circuit_sizes[1] = 16;
    c->n_circuit_sizes = 2;
    c->settle_max_proofs = 8;
    c->max_inflight = 1024;
    c->upstream_timeout_s = 120;
    c->max_body = 1 << 20;
    c->account_refresh_s = 300; /* events keep the cache fresh; this is the safety net */
    c->sync_full = 1;
    c->commit_max_batch = 512;
    c->keep_settled_s = 90 * 86400;
}

int zg_pcfg_load_text(zg_pcfg *c, const char *json, zg_err *e)
{
    defaults(c);
    int rc = ZG_OK;
    if (json) {
        json_error_t je;
        json_t *root = json_loads(json, 0, &je);
        if (!root) rc = zg_err_set(e, ZG_EINVAL, "config: %s at line %d column %d", je.text, je.line, je.column);
        else rc = load_top(c, root, e);
        json_decref(root);
    }
    if (!rc) rc = apply_env(c, e);
    if (!rc && !c->rpc_url && set_str(&c->rpc_url, "")) rc = zg_err_set(e, ZG_ENOMEM, "out of memory");
    if (!rc) rc = validate(c, e);
    if (rc) zg_pcfg_free(c);
    return rc;
}

int zg_pcfg_load(zg_pcfg *c, const char *path, zg_err *e)
{
    if (!path) return zg_pcfg_load_text(c, NULL, e);
    FILE *f = fopen(path, "rb");
    if (!f) {
        defaults(c);
        return zg_err_set(e, ZG_EIO, "cannot open config '%s': %s", path, strerror(errno));
    }
    char *text = NULL;
    size_t cap = 0;
    ssize_t n = getdelim(&text, &cap, '\0', f);
    fclose(f);
    if (n < 0) {
        free(text);
        defaults(c);
        return zg_err_set(e, ZG_EIO, "cannot read config '%s'", path);
    }
    int rc = zg_pcfg_load_text(c, text, e);
    free(text);
    if (rc) zg_err_wrap(e, rc, "%s", path);
    return rc;
}

void zg_pcfg_free(zg_pcfg *c)
{
    for (size_t i = 0; i < c->n_services; i++) {
        zg_pcfg_service *s = &c->services[i];
        free(s->upstream); free(s->url); free(s->model); free(s->verifiability); free(s->additional);
    }
    free(c->services);
    free(c->database); free(c->rpc_url); free(c->contract); free(c->keystore);
    free(c->keystore_password_env); free(c->proving_dir);
    if (c->key_hex) {
        explicit_bzero(c->key_hex, strlen(c->key_hex));
        free(c->key_hex);
    }
    memset(c, 0, sizeof *c);
}

const zg_pcfg_service *zg_pcfg_service_find(const zg_pcfg *c, const char *name, size_t len)
{
    for (size_t i = 0; i < c->n_services; i++)
        if (strlen(c->services[i].name) == len && memcmp(c->services[i].name, name, len) == 0)
            return &c->services[i];
    return NULL;
}
