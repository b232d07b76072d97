/* rpc_http.c - the JSON-RPC transport: one POST per call over libcurl,
 * answers checked for shape, JSON-RPC errors and reverts turned into codes. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/hex.h"
#include "eth/abi.h"
#include "eth/rpc_internal.h"

#define MAX_ANSWER (64u << 20) /* larger answers are refused, not buffered */

/* "scheme://host[:port]" of a URL, dropping path, query and credentials. */
static void endpoint_label(const char *url, char *out, size_t n)
{
    const char *p = strstr(url, "://");
    const char *host = p ? p + 3 : url;
    const char *at = strpbrk(host, "@/?#");
    if (at && *at == '@')
        host = at + 1; /* user:password@ */
    size_t len = strcspn(host, "/?#");
    snprintf(out, n, "%.*s%.*s", p ? (int)(p + 3 - url) : 0, url, (int)len, host);
}

int zg_rpc_new(const char *url, zg_rpc **out, zg_err *e)
{
    *out = NULL;
    if (!url || (strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0))
        return zg_err_set(e, ZG_EINVAL, "RPC URL must start with http:// or https://");
    zg_rpc *r = calloc(1, sizeof *r);
    if (!r)
        return zg_err_set(e, ZG_ENOMEM, "out of memory");
    r->url = strdup(url);
    r->curl = curl_easy_init();
    r->headers = curl_slist_append(NULL, "Content-Type: application/json");
    if (!r->url || !r->curl || !r->headers) {
        zg_rpc_free(r);
        return zg_err_set(e, ZG_ENOMEM, "out of memory (RPC client)");
    }
    endpoint_label(url, r->where, sizeof r->where);
    r->connect_ms = 5000;
    r->total_ms = 30000;
    r->next_id = 1;
    zg_buf_init(&r->last_revert);
    *out = r;
    return ZG_OK;
}

void zg_rpc_free(zg_rpc *r)
{
    if (!r)
        return;
    if (r->curl)
        curl_easy_cleanup(r->curl);
    curl_slist_free_all(r->headers);
    free(r->url);
    zg_buf_free(&r->last_revert);
    free(r);
}

void zg_rpc_set_timeouts(zg_rpc *r, long connect_ms, long total_ms)
{
    if (connect_ms > 0)
        r->connect_ms = connect_ms;
    if (total_ms > 0)
        r->total_ms = total_ms;
}

void zg_rpc_set_errors(zg_rpc *r, const char *const *sigs, size_t n)
{
    r->err_sigs = sigs;
    r->n_err_sigs = n;
}

const uint8_t *zg_rpc_last_revert(const zg_rpc *r, size_t *len)
{
    *len = r->last_revert.len;
    return r->last_revert.data;
}

typedef struct sink {
    zg_buf body;
    int too_big;
    long status;
} sink;

static size_t on_data(char *p, size_t size, size_t n, void *ud)
{
    sink *s = ud;
    size_t len = size * n;
    if (s->body.len + len > MAX_ANSWER) {
        s->too_big = 1;
        return 0; /* makes curl fail the transfer */
    }
    return zg_buf_append(&s->body, p, len) == ZG_OK ? len : 0;
}

/* POSTs body, fills s with the answer. */
static int post(zg_rpc *r, const char *method, const char *body, sink *s, zg_err *e)
{
    CURL *c = r->curl;
    curl_easy_reset(c);
    curl_easy_setopt(c, CURLOPT_URL, r->url);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, r->headers);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, r->connect_ms);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, r->total_ms);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L); /* thread-safe timeouts */
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, s);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    CURLcode cc = curl_easy_perform(c);
    if (cc == CURLE_OPERATION_TIMEDOUT)
        return zg_err_set(e, ZG_ETIMEOUT, "RPC %s at %s: no answer within %ld ms", method,
                          r->where, r->total_ms);
    if (s->too_big)
        return zg_err_set(e, ZG_ERPC, "RPC %s at %s: answer larger than %u bytes", method,
                          r->where, MAX_ANSWER);
    if (cc != CURLE_OK)
        return zg_err_set(e, ZG_ERPC, "RPC %s at %s: %s", method, r->where,
                          curl_easy_strerror(cc));
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &s->status);
    return ZG_OK;
}

/* Is this JSON-RPC error a revert? Nodes say so with code 3 (geth, anvil)
 * or a message starting "execution reverted" / containing "revert". */
static int is_revert(const json_t *err, const char *msg)
{
    json_int_t code = json_integer_value(json_object_get(err, "code"));
    return code == 3 || (msg && strstr(msg, "revert") != NULL);
}

/* Revert data: "data" is hex, or an object with a hex "data" (some nodes). */
static const char *revert_hex(const json_t *err)
{
    const json_t *d = json_object_get(err, "data");
    if (json_is_object(d))
        d = json_object_get(d, "data");
    const char *s = json_string_value(d);
    return s && s[0] == '0' && s[1] == 'x' ? s : NULL;
}

/* Node errors a caller may act on get their own codes: no funds, or a
 * nonce conflict (resend with a fresh nonce). Matched on the messages geth,
 * anvil and reth use. */
static int error_code(const char *text)
{
    if (!text)
        return ZG_ERPC;
    char msg[256]; /* lower case: anvil says "Insufficient funds" */
    size_t n = 0;
    for (; text[n] && n < sizeof msg - 1; n++)
        msg[n] = (char)tolower((unsigned char)text[n]);
    msg[n] = '\0';
    if (strstr(msg, "insufficient funds"))
        return ZG_EFUNDS;
    if (strstr(msg, "nonce too low") || strstr(msg, "nonce too high") ||
        strstr(msg, "already known") || strstr(msg, "replacement transaction underpriced"))
        return ZG_ESTATE;
    return ZG_ERPC;
}

static int rpc_error(zg_rpc *r, const char *method, const json_t *err, zg_err *e)
{
    const char *msg = json_string_value(json_object_get(err, "message"));
    json_int_t code = json_integer_value(json_object_get(err, "code"));
    if (!is_revert(err, msg))
        return zg_err_set(e, error_code(msg), "RPC %s: error %lld: %.300s", method,
                          (long long)code, msg ? msg : "(no message)");
    const char *hex = revert_hex(err);
    char reason[320];
    if (hex && zg_hex_decode_buf(hex, &r->last_revert, NULL) == ZG_OK) {
        zg_abi_describe_revert(r->last_revert.data, r->last_revert.len, r->err_sigs,
                               r->n_err_sigs, reason, sizeof reason);
    } else {
        zg_buf_reset(&r->last_revert);
        snprintf(reason, sizeof reason, "%.300s", msg ? msg : "no reason given");
    }
    return zg_err_set(e, ZG_EREVERT, "%s reverted: %s", method, reason);
}

/* Checks the envelope and takes "result" out of it. */
static int unwrap(zg_rpc *r, const char *method, const sink *s, json_t **result, zg_err *e)
{
    json_error_t je;
    /* Nodes echo revert strings into messages, NUL bytes included. */
    json_t *root = json_loadb((const char *)s->body.data, s->body.len, JSON_ALLOW_NUL, &je);
    if (!json_is_object(root)) {
        json_decref(root);
        if (s->status != 200)
            return zg_err_set(e, ZG_ERPC, "RPC %s at %s: HTTP status %ld", method, r->where,
                              s->status);
        return zg_err_set(e, ZG_ERPC, "RPC %s at %s: answer is not a JSON-RPC object (%.60s)",
                          method, r->where, root ? "not an object" : je.text);
    }
    json_t *err = json_object_get(root, "error");
    int rc = ZG_OK;
    if (s->status != 200 && !json_is_object(err)) {
        rc = zg_err_set(e, ZG_ERPC, "RPC %s at %s: HTTP status %ld", method, r->where, s->status);
    } else if (err && !json_is_null(err)) {
        /* Some gateways send JSON-RPC errors with HTTP 4xx/5xx: keep the detail. */
        rc = json_is_object(err) ? rpc_error(r, method, err, e)
                                 : zg_err_set(e, ZG_ERPC, "RPC %s: malformed error member", method);
    } else if (!json_object_get(root, "result")) {
        rc = zg_err_set(e, ZG_ERPC, "RPC %s at %s: answer has neither result nor error",
                        method, r->where);
    } else {
        *result = json_incref(json_object_get(root, "result"));
    }
    json_decref(root);
    return rc;
}

int zg_rpc_call_json(zg_rpc *r, const char *method, json_t *params, json_t **result,
                     zg_err *e)
{
    *result = NULL;
    zg_buf_reset(&r->last_revert);
    json_t *p = params ? json_incref(params) : json_array();
    json_t *req = json_pack("{s:s, s:I, s:s, s:o}", "jsonrpc", "2.0", "id",
                            (json_int_t)r->next_id++, "method", method, "params", p);
    char *body = req ? json_dumps(req, JSON_COMPACT) : NULL;
    json_decref(req);
    if (!body)
        return zg_err_set(e, ZG_ENOMEM, "out of memory (RPC request)");
    sink s = { { NULL, 0, 0 }, 0, 0 };
    int rc = post(r, method, body, &s, e);
    free(body);
    if (rc == ZG_OK)
        rc = unwrap(r, method, &s, result, e);
    zg_buf_free(&s.body);
    return rc;
}

int zg_rpc_call(zg_rpc *r, const char *method, const char *params_json, json_t **result,
                zg_err *e)
{
    *result = NULL;
    json_t *params = NULL;
    if (params_json) {
        json_error_t je;
        params = json_loads(params_json, 0, &je);
        if (!json_is_array(params)) {
            json_decref(params);
            return zg_err_set(e, ZG_EINVAL, "RPC %s: params must be a JSON array", method);
        }
    }
    int rc = zg_rpc_call_json(r, method, params, result, e);
    json_decref(params);
    return rc;
}
