/*
 * customer.h - a customer for broker tests (header-only): a wallet, its
 * per-provider signer key (serving/receipt.h derivation), signed request
 * headers, and a small libcurl client that keeps the answer's status, body
 * and X-ZG-Output-Fee.
 */
#ifndef ZG_TEST_CUSTOMER_H
#define ZG_TEST_CUSTOMER_H

#include <curl/curl.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "base/buf.h"
#include "base/hex.h"
#include "base/u256.h"
#include "eth/key.h"
#include "serving/fee.h"
#include "serving/protocol.h"
#include "serving/receipt.h"

typedef struct customer {
    zg_eth_key wallet;
    uint8_t addr[20];
    uint8_t provider[20];
    uint8_t signer_prv[32];
    uint8_t signer_pub[64];   /* x || y big-endian: what the contract stores */
} customer;

static int customer_init(customer *c, const char *wallet_hex, const uint8_t provider[20])
{
    zg_address a;
    zg_bj_point pub;
    if (zg_eth_key_from_hex(&c->wallet, wallet_hex, NULL)) return -1;
    zg_eth_key_address(&c->wallet, &a);
    memcpy(c->addr, a.b, 20);
    memcpy(c->provider, provider, 20);
    if (zg_signer_key_derive(c->signer_prv, &c->wallet, provider, NULL)) return -1;
    zg_signer_public(c->signer_prv, &pub, NULL);
    zg_fr_to_bytes_be(c->signer_pub, &pub.x);
    zg_fr_to_bytes_be(c->signer_pub + 32, &pub.y);
    return 0;
}

/* The six X-ZG-* headers of a request signed over body (fee as given). */
static struct curl_slist *customer_headers(const customer *c, const char *body, uint64_t nonce,
                                           const zg_u256 *input_fee, const zg_u256 *prev_fee,
                                           const zg_u256 *fee)
{
    zg_receipt r;
    memcpy(r.user, c->addr, 20);
    memcpy(r.provider, c->provider, 20);
    r.nonce = nonce;
    r.fee = *fee;
    zg_receipt_request_hash(body, strlen(body), r.request_hash);
    zg_proto_headers h;
    memset(&h, 0, sizeof h);
    memcpy(h.user, c->addr, 20);
    h.nonce = nonce;
    h.input_fee = *input_fee;
    h.prev_output_fee = *prev_fee;
    h.fee = *fee;
    if (zg_receipt_sign(h.signature, &r, c->signer_prv, NULL)) return NULL;
    zg_proto_pair pairs[ZG_PROTO_NHEADERS];
    zg_proto_headers_format(&h, pairs);
    struct curl_slist *l = curl_slist_append(NULL, "Content-Type: application/json");
    for (int i = 0; i < ZG_PROTO_NHEADERS; i++) {
        char line[300];
        snprintf(line, sizeof line, "%s: %s", pairs[i].name, pairs[i].value);
        l = curl_slist_append(l, line);
    }
    return l;
}

typedef struct http_answer {
    long status;
    zg_buf body;
    char output_fee[96];
    char output_units[32];
} http_answer;

static size_t ha_body(char *p, size_t sz, size_t n, void *arg)
{
    http_answer *a = arg;
    return zg_buf_append(&a->body, p, sz * n) ? 0 : sz * n;
}

static size_t ha_header(char *p, size_t sz, size_t n, void *arg)
{
    http_answer *a = arg;
    size_t len = sz * n;
    const char *names[2] = {ZG_HDR_OUTPUT_FEE ":", ZG_HDR_OUTPUT_UNITS ":"};
    char *dst[2] = {a->output_fee, a->output_units};
    size_t cap[2] = {sizeof a->output_fee, sizeof a->output_units};
    for (int i = 0; i < 2; i++) {
        size_t nl = strlen(names[i]);
        if (len > nl && strncasecmp(p, names[i], nl) == 0) {
            size_t s = nl;
            while (s < len && p[s] == ' ') s++;
            size_t e = len;
            while (e > s && (p[e - 1] == '\r' || p[e - 1] == '\n')) e--;
            snprintf(dst[i], cap[i], "%.*s", (int)(e - s), p + s);
        }
    }
    return len;
}

/* POSTs body with headers h (taken over and freed); body NULL = GET. */
static void http_do(const char *url, const char *body, struct curl_slist *h, http_answer *a)
{
    zg_buf_free(&a->body);
    zg_buf_init(&a->body);
    a->status = 0;
    a->output_fee[0] = a->output_units[0] = 0;
    CURL *c = curl_easy_init();
    curl_easy_setopt(c, CURLOPT_URL, url);
    if (h) curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    if (body) curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, ha_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, a);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, ha_header);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, a);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
    if (curl_easy_perform(c) == CURLE_OK) curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &a->status);
    zg_buf_append_byte(&a->body, 0);
    a->body.len--;
    curl_easy_cleanup(c);
    curl_slist_free_all(h);
}

#endif
