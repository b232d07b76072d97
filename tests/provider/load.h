/*
 * load.h - concurrent signed streamed requests for crash tests (header-only):
 * one request in flight per customer (nonces in order), libcurl multi. The
 * broker is SIGKILLed once `kill_after` answers completed, while the others
 * stream; each request's fate is logged: did its answer begin (200 seen),
 * did it complete ([DONE] seen).
 */
#ifndef ZG_TEST_LOAD_H
#define ZG_TEST_LOAD_H

#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "customer.h"

#define LOAD_MAX_LOG 4096

typedef struct load_sent { int cust; uint64_t nonce; int began, completed; zg_u256 fee; } load_sent;

typedef struct load_run {
    const customer *custs;
    int n_cust;
    const char *url;
    const char *body;
    zg_u256 in_fee;              /* every request: fee = input fee, nothing owed (output price 0) */
    load_sent log[LOAD_MAX_LOG];
    size_t n_log;
} load_run;

typedef struct load_inflight {
    load_run *run;
    CURL *h;
    struct curl_slist *headers;
    int cust;
    uint64_t nonce;
    int began;
    zg_buf body;
} load_inflight;

static size_t load_on_hdr(char *p, size_t sz, size_t n, void *arg)
{
    load_inflight *f = arg;
    if (sz * n > 12 && strncmp(p, "HTTP/1.1 200", 12) == 0) f->began = 1;
    return sz * n;
}

static size_t load_on_data(char *p, size_t sz, size_t n, void *arg)
{
    load_inflight *f = arg;
    zg_buf_append(&f->body, p, sz * n);
    return sz * n;
}

static void load_start(CURLM *m, load_run *r, load_inflight *f, int cust, uint64_t nonce)
{
    zg_u256 zero = zg_u256_from_u64(0);
    f->run = r;
    f->cust = cust;
    f->nonce = nonce;
    f->began = 0;
    zg_buf_init(&f->body);
    f->h = curl_easy_init();
    curl_easy_setopt(f->h, CURLOPT_URL, r->url);
    f->headers = customer_headers(&r->custs[cust], r->body, nonce, &r->in_fee, &zero, &r->in_fee);
    curl_easy_setopt(f->h, CURLOPT_HTTPHEADER, f->headers);
    curl_easy_setopt(f->h, CURLOPT_POSTFIELDS, r->body);
    curl_easy_setopt(f->h, CURLOPT_HEADERFUNCTION, load_on_hdr);
    curl_easy_setopt(f->h, CURLOPT_HEADERDATA, f);
    curl_easy_setopt(f->h, CURLOPT_WRITEFUNCTION, load_on_data);
    curl_easy_setopt(f->h, CURLOPT_WRITEDATA, f);
    curl_easy_setopt(f->h, CURLOPT_TIMEOUT, 20L);
    curl_easy_setopt(f->h, CURLOPT_PRIVATE, f);
    curl_multi_add_handle(m, f->h);
}

static void load_finish(CURLM *m, load_inflight *f, int completed)
{
    load_run *r = f->run;
    if (r->n_log < LOAD_MAX_LOG) r->log[r->n_log++] = (load_sent){f->cust, f->nonce, f->began, completed, r->in_fee};
    curl_multi_remove_handle(m, f->h);
    curl_easy_cleanup(f->h);
    curl_slist_free_all(f->headers);
    f->h = NULL;
    f->headers = NULL;
    zg_buf_free(&f->body);
}

/* Runs the load until kill_after answers completed, SIGKILLs pid (and reaps
 * it), then collects the requests that were in flight. next_nonce[i] is the
 * next nonce of customer i (updated). */
static void load_and_kill(load_run *r, pid_t pid, int kill_after, uint64_t *next_nonce)
{
    CURLM *m = curl_multi_init();
    load_inflight *f = calloc((size_t)r->n_cust, sizeof *f);
    for (int i = 0; i < r->n_cust; i++) load_start(m, r, &f[i], i, next_nonce[i]++);
    int done = 0, running = 1;
    while (done < kill_after) {
        curl_multi_perform(m, &running);
        curl_multi_poll(m, NULL, 0, 50, NULL);
        CURLMsg *msg;
        int left;
        while ((msg = curl_multi_info_read(m, &left))) {
            if (msg->msg != CURLMSG_DONE) continue;
            load_inflight *x;
            curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&x);
            const char *b = x->body.data ? (const char *)x->body.data : "";
            int ok = msg->data.result == CURLE_OK && memmem(b, x->body.len, "[DONE]", 6) != NULL;
            int cust = x->cust;
            load_finish(m, x, ok);
            done++;
            load_start(m, r, x, cust, next_nonce[cust]++);
        }
    }
    /* let the new requests reach their first bytes, then kill */
    for (int i = 0; i < 10; i++) { curl_multi_perform(m, &running); curl_multi_poll(m, NULL, 0, 30, NULL); }
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    for (int i = 0; i < 100 && running; i++) { curl_multi_perform(m, &running); curl_multi_poll(m, NULL, 0, 20, NULL); }
    CURLMsg *msg;
    int left;
    while ((msg = curl_multi_info_read(m, &left))) {
        if (msg->msg != CURLMSG_DONE) continue;
        load_inflight *x;
        curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&x);
        load_finish(m, x, 0);
    }
    for (int i = 0; i < r->n_cust; i++) if (f[i].h) load_finish(m, &f[i], 0);
    free(f);
    curl_multi_cleanup(m);
}

/* The input fee of body at price (output price 0). */
static zg_u256 load_in_fee(const char *body, uint64_t price)
{
    zg_fee_rule rule;
    zg_u256 ip = zg_u256_from_u64(price), zero = zg_u256_from_u64(0), fee = zero;
    uint64_t units = 0;
    zg_fee_rule_init(&rule, NULL, &ip, &zero, NULL);
    zg_fee_units_in(&rule, body, strlen(body), &units, NULL);
    zg_fee_of_units(&ip, units, &fee, NULL);
    return fee;
}

#endif
