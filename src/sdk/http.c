/* http.c - POST with libcurl, SSE line splitting (see http.h). */
#include "sdk/http.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct xfer {
    zg_sdk_http_resp *resp;
    zg_sdk_sse_fn sse;
    void *ctx;
    zg_buf line;   /* SSE: the partial line */
    int failed;    /* out of memory */
};

static int is_2xx(struct xfer *x)
{
    return x->resp->status >= 200 && x->resp->status < 300;
}

/* Handles one complete SSE line (without the newline). */
static int sse_line(struct xfer *x, const char *s, size_t n)
{
    if (n && s[n - 1] == '\r')
        n--;
    if (n < 5 || memcmp(s, "data:", 5) != 0)
        return 0; /* comments, event:, id:, blank separators */
    s += 5;
    n -= 5;
    if (n && *s == ' ')
        s++, n--;
    return x->sse(x->ctx, s, n);
}

static size_t on_body(char *p, size_t size, size_t nmemb, void *ud)
{
    struct xfer *x = ud;
    size_t n = size * nmemb;
    if (!x->sse || !is_2xx(x)) {
        if (zg_buf_append(&x->resp->body, p, n) != ZG_OK) {
            x->failed = 1;
            return 0;
        }
        return n;
    }
    for (size_t i = 0; i < n; i++) {
        if (p[i] != '\n') {
            if (zg_buf_append_byte(&x->line, (uint8_t)p[i]) != ZG_OK) {
                x->failed = 1;
                return 0;
            }
            continue;
        }
        int stop = sse_line(x, (const char *)x->line.data, x->line.len);
        zg_buf_reset(&x->line);
        if (stop) {
            x->resp->aborted = 1;
            return 0;
        }
    }
    return n;
}

static void copy_value(char *dst, size_t cap, const char *v, size_t n)
{
    while (n && (*v == ' ' || *v == '\t'))
        v++, n--;
    while (n && (v[n - 1] == '\r' || v[n - 1] == '\n' || v[n - 1] == ' '))
        n--;
    if (n >= cap)
        n = cap - 1;
    memcpy(dst, v, n);
    dst[n] = '\0';
}

static size_t on_header(char *p, size_t size, size_t nmemb, void *ud)
{
    struct xfer *x = ud;
    size_t n = size * nmemb;
    static const char fee[] = "X-ZG-Output-Fee:", units[] = "X-ZG-Output-Units:";
    if (n > 5 && strncmp(p, "HTTP/", 5) == 0) {
        /* a new response (after 100-continue or a redirect): status line */
        long st = 0;
        const char *sp = memchr(p, ' ', n);
        if (sp)
            st = strtol(sp + 1, NULL, 10);
        x->resp->status = st;
    } else if (n > sizeof fee - 1 && strncasecmp(p, fee, sizeof fee - 1) == 0) {
        copy_value(x->resp->output_fee, sizeof x->resp->output_fee, p + sizeof fee - 1,
                   n - (sizeof fee - 1));
    } else if (n > sizeof units - 1 && strncasecmp(p, units, sizeof units - 1) == 0) {
        copy_value(x->resp->output_units, sizeof x->resp->output_units, p + sizeof units - 1,
                   n - (sizeof units - 1));
    }
    return n;
}

static int curl_fail(CURLcode cc, const char *url, const char *detail, zg_err *e)
{
    int code = cc == CURLE_OPERATION_TIMEDOUT ? ZG_ETIMEOUT : ZG_EIO;
    return zg_err_set(e, code, "cannot reach the provider at %s: %s", url,
                      detail[0] ? detail : curl_easy_strerror(cc));
}

int zg_sdk_http_post(const char *url, const char *const *headers, size_t n_headers,
                     const char *body, size_t body_len, long timeout_s, zg_sdk_sse_fn sse,
                     void *ctx, zg_sdk_http_resp *resp, zg_err *e)
{
    memset(resp, 0, sizeof *resp);
    zg_buf_init(&resp->body);
    CURL *h = curl_easy_init();
    if (!h)
        return zg_err_set(e, ZG_ENOMEM, "cannot start an HTTP transfer");
    struct curl_slist *list = NULL, *t;
    int rc = ZG_OK;
    for (size_t i = 0; i <= n_headers && !rc; i++) {
        t = curl_slist_append(list, i < n_headers ? headers[i] : "Content-Type: application/json");
        if (!t)
            rc = zg_err_set(e, ZG_ENOMEM, "out of memory building headers");
        else
            list = t;
    }
    if (!rc && !(t = curl_slist_append(list, "Expect:")))
        rc = zg_err_set(e, ZG_ENOMEM, "out of memory building headers");
    else if (!rc)
        list = t;
    struct xfer x = {resp, sse, ctx, {0}, 0};
    zg_buf_init(&x.line);
    char detail[CURL_ERROR_SIZE] = "";
    if (!rc) {
        curl_easy_setopt(h, CURLOPT_URL, url);
        curl_easy_setopt(h, CURLOPT_HTTPHEADER, list);
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)body_len);
        curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
        curl_easy_setopt(h, CURLOPT_WRITEDATA, &x);
        curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
        curl_easy_setopt(h, CURLOPT_HEADERDATA, &x);
        curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 10L);
        curl_easy_setopt(h, CURLOPT_TIMEOUT, timeout_s > 0 ? timeout_s : 600L);
        curl_easy_setopt(h, CURLOPT_ERRORBUFFER, detail);
        curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
        CURLcode cc = curl_easy_perform(h);
        if (x.failed)
            rc = zg_err_set(e, ZG_ENOMEM, "out of memory reading the answer");
        else if (cc == CURLE_WRITE_ERROR && resp->aborted)
            rc = ZG_OK;
        else if (cc != CURLE_OK)
            rc = curl_fail(cc, url, detail, e);
        else {
            curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &resp->status);
            /* a last SSE line without a trailing newline */
            if (sse && is_2xx(&x) && x.line.len)
                sse_line(&x, (const char *)x.line.data, x.line.len);
        }
    }
    zg_buf_free(&x.line);
    curl_slist_free_all(list);
    curl_easy_cleanup(h);
    if (rc)
        zg_sdk_http_resp_free(resp);
    return rc;
}

void zg_sdk_http_resp_free(zg_sdk_http_resp *r)
{
    zg_buf_free(&r->body);
}
