/*
 * zg/chat.h - signed chat requests to a provider's service.
 *
 * Each request is an OpenAI chat body, sent to
 * POST {service.url}/v1/proxy/{service}/chat/completions with the X-ZG-*
 * headers of docs/protocol.md: a fresh nonce, the input fee counted by the
 * service's unit rule, the output fee of the previous answer on this account
 * (paid automatically), and an EdDSA-Poseidon signature over the receipt.
 *
 *   static int print(void *ctx, const char *text, size_t len) {
 *       fwrite(text, 1, len, stdout); return 0;              // non-zero aborts
 *   }
 *   zg_chat_result r;
 *   zg_chat(c, provider, "chat", "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
 *           print, NULL, &r, &err);        // streamed; pass NULL for a whole answer
 *   printf("\npaid %s wei, output fee %s wei owed\n", r.fee, r.output_fee);
 *   zg_chat_result_clear(&r);
 *   zg_chat_close(c, provider, "chat", &r, &err);   // pays the last answer's output
 *
 * Owed output fees and nonces live in the state file of the account
 * (<home>/accounts/<contract>/<user>-<provider>.json, see zg/client.h), so a
 * later process continues where the previous one stopped. Nonces are
 * max(last + 1, current time in microseconds): strictly increasing even if
 * the state file is lost.
 *
 * The answer is checked: the output units are counted locally by the
 * service's unit rule; the output fee owed is the local count times the
 * output price, whatever the provider claims (a provider claiming more is
 * reported in result.warning).
 */
#ifndef ZG_CHAT_H
#define ZG_CHAT_H

#include <stddef.h>
#include <stdint.h>

#include "zg/client.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Called with each piece of generated text as it arrives (stream mode).
 * Return 0 to go on, anything else to stop reading (the request still counts). */
typedef int (*zg_chat_stream_fn)(void *ctx, const char *text, size_t len);

typedef struct zg_chat_result {
    char *content;                   /* the whole generated text (malloc'd) */
    char *raw;                       /* the provider's answer body (plain mode), or NULL */
    uint64_t nonce;                  /* the receipt's nonce */
    uint64_t units_in, units_out;
    char input_fee[ZG_WEI_MAX];      /* paid by this request */
    char prev_output_fee[ZG_WEI_MAX];/* paid by this request for the previous answer */
    char fee[ZG_WEI_MAX];            /* input_fee + prev_output_fee: the receipt's fee */
    char output_fee[ZG_WEI_MAX];     /* owed for this answer, paid by the next request */
    char provider_output_fee[ZG_WEI_MAX]; /* what the provider said it was ("" if not told) */
    char warning[256];               /* "" or a discrepancy found in the answer */
} zg_chat_result;

/* Sends one chat request (body: an OpenAI chat JSON object; "stream" and
 * "stream_options" are set by libzg according to on_text) and waits for the
 * answer. on_text NULL: plain answer; else streamed, on_text called per piece.
 * result may be NULL. Errors: ZG_EINVAL (body), ZG_ENOTFOUND (service),
 * ZG_EHTTP (the provider refused: message has its status, code and text,
 * e.g. "provider refused (402 insufficient_balance): ..."), ZG_EIO (cannot
 * connect), ZG_ESTATE (no wallet). A refused request leaves the owed fee
 * unchanged. */
int zg_chat(zg_client *c, const char *provider, const char *service, const char *body,
            zg_chat_stream_fn on_text, void *ctx, zg_chat_result *result, zg_err *e);

/* Pays the output fee still owed on the account (a pay-only request).
 * Nothing is sent when nothing is owed (result->fee is then "0"). */
int zg_chat_close(zg_client *c, const char *provider, const char *service,
                  zg_chat_result *result, zg_err *e);

/* The output fee owed to provider right now (decimal wei) and the last nonce. */
int zg_chat_owed(zg_client *c, const char *provider, char owed[ZG_WEI_MAX],
                 uint64_t *last_nonce, zg_err *e);

/* Frees the strings of a result (keeps the struct usable). */
void zg_chat_result_clear(zg_chat_result *r);

#ifdef __cplusplus
}
#endif
#endif
