/*
 * provider/config.h - zg-provider's configuration: one JSON file plus ZG_*
 * environment overrides (docs/operator.md documents every key).
 *
 * Environment variables win over the file, so secrets (the provider key) and
 * per-deployment values (addresses, database path) need not be written into
 * the file. Every value is checked at load time; a bad value is an error that
 * names the key, never a silent default.
 */
#ifndef ZG_PROVIDER_CONFIG_H
#define ZG_PROVIDER_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#include "base/u256.h"
#include "serving/fee.h"
#include "zg/error.h"

#define ZG_PCFG_NAME_MAX 64

typedef struct zg_pcfg_service {
    char name[ZG_PCFG_NAME_MAX];  /* [A-Za-z0-9._-]+, the {service} of the proxy path */
    char type[16];                /* "chat" (v0.1 proxies chat only) */
    char *upstream;               /* base URL of the OpenAI-compatible server */
    char up_host[256];            /* parsed from upstream */
    int up_port;
    char up_prefix[256];          /* path before /v1/chat/completions ("" or "/x") */
    char *url;                    /* public URL registered on chain */
    char *model;
    char *verifiability;
    char *additional;             /* additionalProperties JSON text */
    zg_u256 input_price, output_price;
    zg_fee_rule rule;
} zg_pcfg_service;

typedef struct zg_pcfg {
    char listen_host[64];  int listen_port;     /* public proxy */
    char admin_host[64];   int admin_port;      /* loopback admin API */
    int threads;
    char *database;
    char *rpc_url;          /* "" = no chain (offline: accounts from "accounts") */
    char *contract;         /* 0x address of the Serving contract */
    uint64_t chain_id;      /* 0 = ask the node */
    char *key_hex;          /* provider secret key (from ZG_PROVIDER_KEY only) */
    char *keystore;         /* or a keystore v3 file ... */
    char *keystore_password_env; /* ... with its password in this variable */
    int register_services;  /* addOrUpdateService at start */
    uint64_t events_poll_s; /* follow the contract's events this often (0: off) */
    zg_pcfg_service *services;
    size_t n_services;
    /* settlement policy */
    zg_u256 settle_threshold;      /* settle an account when unsettled >= this */
    uint64_t settle_max_age_s;     /* ... or when its oldest receipt is this old */
    uint64_t settle_refund_margin_s; /* ... or this long before a refund matures */
    uint64_t settle_interval_s;    /* how often the loop looks */
    uint32_t circuit_sizes[8];     /* slot counts of the settlement circuits */
    size_t n_circuit_sizes;
    size_t settle_max_proofs;      /* proofs per settleFees transaction */
    char *proving_dir;             /* where proving keys are kept */
    /* limits */
    uint64_t max_inflight;         /* per worker; above it: 503 */
    uint64_t upstream_timeout_s;
    uint64_t max_body;
    uint64_t account_refresh_s;    /* re-read a cached account after this long */
    /* store */
    int sync_full;                 /* SQLite synchronous=FULL (1) or NORMAL (0) */
    uint64_t commit_max_batch;
    uint64_t keep_settled_s;       /* delete settled receipts older than this; 0 = keep them */
#define ZG_KEEP_SETTLED_MAX_S (100ull * 365 * 86400)
} zg_pcfg;

/* Reads path (NULL: no file, environment and defaults only), then applies
 * the environment. On error everything is freed and e names the key. */
int zg_pcfg_load(zg_pcfg *c, const char *path, zg_err *e);

/* Same from a JSON text (tests). */
int zg_pcfg_load_text(zg_pcfg *c, const char *json, zg_err *e);

void zg_pcfg_free(zg_pcfg *c);

/* The service named name, or NULL (name need not be NUL terminated). */
const zg_pcfg_service *zg_pcfg_service_find(const zg_pcfg *c, const char *name, size_t len);

/* Parses "host:port" (port 0..65535). */
int zg_pcfg_parse_hostport(const char *s, char *host, size_t host_len, int *port, zg_err *e);

/* Parses an upstream URL "http://host[:port][/prefix]" into the service. */
int zg_pcfg_parse_upstream(zg_pcfg_service *s, const char *url, zg_err *e);

#endif
