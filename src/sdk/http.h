/*
 * sdk/http.h - one POST to a provider with libcurl, plain or as a
 * server-sent-event stream (the OpenAI "data: {...}" lines).
 */
#ifndef ZG_SDK_HTTP_H
#define ZG_SDK_HTTP_H

#include <stddef.h>

#include "base/buf.h"
#include "zg/error.h"

/* Called per SSE "data:" payload (without "data: ", without the newline),
 * including the final "[DONE]". Non-zero return aborts the transfer. */
typedef int (*zg_sdk_sse_fn)(void *ctx, const char *data, size_t len);

typedef struct zg_sdk_http_resp {
    long status;          /* HTTP status, 0 if none */
    zg_buf body;          /* the whole body (plain mode or any non-2xx answer) */
    char output_fee[96];  /* X-ZG-Output-Fee if sent, else "" */
    char output_units[32];/* X-ZG-Output-Units if sent, else "" */
    int aborted;          /* the SSE callback stopped the transfer */
} zg_sdk_http_resp;

/* POSTs body (JSON) to url with the given "Name: value" header lines.
 * With sse != NULL and a 2xx answer, the body is parsed as SSE and not kept.
 * Returns ZG_OK whenever an HTTP answer arrived (check resp->status),
 * ZG_EIO when the provider cannot be reached, ZG_ETIMEOUT. resp is
 * initialised here; free it with zg_sdk_http_resp_free. */
int zg_sdk_http_post(const char *url, const char *const *headers, size_t n_headers,
                     const char *body, size_t body_len, long timeout_s, zg_sdk_sse_fn sse,
                     void *ctx, zg_sdk_http_resp *resp, zg_err *e);

void zg_sdk_http_resp_free(zg_sdk_http_resp *r);

#endif
