/*
 * model/chat.h - the OpenAI chat-completions request and answer of zg-model.
 *
 * Parsing checks what zg-model needs from a request body (messages, and the
 * optional max_tokens / max_completion_tokens, temperature, seed, stream,
 * stream_options.include_usage, n) and renders answers and stream chunks in
 * the OpenAI wire format. Unknown fields are ignored, as OpenAI servers do.
 */
#ifndef ZG_MODEL_CHAT_H
#define ZG_MODEL_CHAT_H

#include <stddef.h>
#include <stdint.h>

#include "zg/error.h"

typedef struct zg_chat_req {
    char *prompt;          /* every message's text, joined by newlines (owned) */
    size_t prompt_tokens;  /* tokens of the messages' text */
    size_t max_tokens;     /* 0 = not given */
    int has_temperature;
    double temperature;
    int has_seed;
    uint64_t seed;
    int stream;
    int include_usage;
} zg_chat_req;

/* Parses a request body. ZG_EINVAL with a message fit for the client. */
int zg_chat_req_parse(zg_chat_req *r, const char *body, size_t len, zg_err *e);
void zg_chat_req_free(zg_chat_req *r);

typedef struct zg_chat_meta {
    const char *id;       /* "chatcmpl-..." */
    const char *model;
    long long created;    /* unix seconds */
} zg_chat_meta;

/* Each render function returns a malloc'ed NUL-terminated JSON text, or NULL
 * when out of memory. */
char *zg_chat_render_answer(const zg_chat_meta *m, const char *content, const char *finish,
                            size_t prompt_tokens, size_t completion_tokens);
/* A stream chunk: role set on the first chunk, content a delta (may be
 * NULL), finish NULL until the last content chunk. */
char *zg_chat_render_chunk(const zg_chat_meta *m, const char *role, const char *content,
                           const char *finish);
/* The final usage chunk of a stream (choices empty). */
char *zg_chat_render_usage_chunk(const zg_chat_meta *m, size_t prompt_tokens,
                                 size_t completion_tokens);
/* {"error":{"message":..,"type":..,"code":..}} */
char *zg_chat_render_error(const char *type, const char *code, const char *message);
/* GET /v1/models */
char *zg_chat_render_models(const char *model);

#endif
