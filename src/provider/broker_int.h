/*
 * provider/broker_int.h - structures shared by the broker's source files.
 */
#ifndef ZG_PROVIDER_BROKER_INT_H
#define ZG_PROVIDER_BROKER_INT_H

#include <event2/event.h>
#include <event2/http.h>
#include <pthread.h>
#include <stdatomic.h>

#include "base/buf.h"
#include "provider/broker.h"
#include "serving/protocol.h"

#define ZG_POOL_MAX 64 /* idle upstream connections kept per worker and service */

typedef struct zg_upool {
    struct evhttp_connection *idle[ZG_POOL_MAX];
    int n;
} zg_upool;

typedef struct zg_worker {
    struct zg_broker *b;
    struct event_base *base;
    struct evhttp *http;
    pthread_t thread;
    int started;
    uint64_t inflight;
    zg_upool *pools;            /* one per service */
    atomic_ullong requests;     /* taken by this worker (read by the admin thread's metrics) */
} zg_worker;

struct zg_broker {
    const zg_pcfg *cfg;
    uint8_t provider[20];
    zg_broker_deps d;
    int fd, port, admin_fd, admin_port;
    zg_worker *workers;
    int n_workers;
    zg_worker admin;
    atomic_int stopping;
};

/* One proxied request, from arrival to the end of its answer. */
typedef struct zg_preq {
    zg_worker *w;
    struct evhttp_request *req;         /* the customer's request */
    const zg_pcfg_service *svc;
    size_t svc_index;
    int is_close;
    int stream;
    zg_proto_headers h;
    zg_store_receipt rcpt;
    zg_admit adm;
    uint64_t max_out;
    char *up_body;                      /* what goes upstream (owned) */
    size_t up_len;
    struct event *committed;            /* fired on the loop when the receipt is durable */
    int commit_rc;
    int admitting, durable_now;         /* the receipt became durable inside zg_store_put_receipt */
    uint64_t t0_us;
    /* upstream */
    struct evhttp_connection *uc;
    struct evhttp_request *ureq;
    int up_status;
    zg_buf sse;                         /* bytes of an incomplete SSE event */
    zg_buf plain;                       /* a plain answer, whole */
    char *usage_event;                  /* upstream's usage chunk JSON, held back */
    uint64_t units;
    int began;                          /* bytes reached the customer */
    int done_seen;                      /* upstream sent [DONE] */
    int client_gone;
    char *fail_msg;                     /* the 502 message, while the receipt is dropped */
} zg_preq;

/* server.c */
uint64_t zg_now_us(void);
void zg_reply_error(struct evhttp_request *req, int code, const char *msg);
void zg_reply_json(struct evhttp_request *req, int status, const char *json);

/* proxy.c: the public endpoint */
void zg_proxy_handle(zg_worker *w, struct evhttp_request *req, const char *path);

/* upstream.c */
void zg_upstream_send(zg_preq *p);
void zg_upool_free(zg_upool *pool);

/* proxy.c: the end of a request, whatever happened */
void zg_preq_answered(zg_preq *p);      /* the answer began: charge its output */
void zg_preq_fail_upstream(zg_preq *p, const char *msg); /* before any byte: 502, roll back */
void zg_preq_free(zg_preq *p);

/* admin.c */
void zg_admin_handle(struct evhttp_request *req, void *arg);

#endif
