/*
 * model/server.h - zg-model's HTTP server (libevent evhttp).
 *
 * Endpoints: POST /v1/chat/completions (plain, or SSE when "stream":true),
 * GET /v1/models, GET /health. One event loop per worker thread, all
 * accepting on one listening socket.
 */
#ifndef ZG_MODEL_SERVER_H
#define ZG_MODEL_SERVER_H

#include <stdint.h>

#include "model/ngram.h"
#include "zg/error.h"

typedef struct zg_model_opts {
    const char *host;          /* listen address, e.g. "127.0.0.1" */
    int port;                  /* 0 = any free port (see zg_model_server_port) */
    int threads;               /* worker event loops, >= 1 */
    const char *model_name;    /* the id served in answers and /v1/models */
    uint64_t seed;             /* default seed when a request names none */
    double temperature;        /* default temperature when a request names none */
    unsigned default_max_tokens;
    unsigned token_delay_ms;   /* pause between streamed tokens (simulates a slow GPU) */
} zg_model_opts;

typedef struct zg_model_server zg_model_server;

/* Binds, listens and starts the worker threads. The model must outlive the
 * server. ZG_EIO when the address cannot be bound. */
int zg_model_server_start(zg_model_server **out, const zg_model_opts *o, const zg_ngram *model,
                          zg_err *e);

/* The port actually bound (useful with port 0). */
int zg_model_server_port(const zg_model_server *s);

/* Stops the loops, joins the threads, frees everything. s may be NULL. */
void zg_model_server_stop(zg_model_server *s);

#endif
