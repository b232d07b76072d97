/*
 * model/chat.c - parse chat requests, render OpenAI-format answers.
 */
#include "model/chat.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "model/ngram.h"

#define MAX_TOKENS_LIMIT 4096 /* zg-model's context is tiny; cap what one asks */

/* Appends a message's content: a string, or an array of {"type":"text","text":..} parts. */
static int append_content(zg_buf *b, json_t *content, size_t i, zg_err *e)
{
    if (json_is_string(content))
        return zg_buf_append(b, json_string_value(content), json_string_length(content));
    if (json_is_null(content)) return ZG_OK;
    if (!json_is_array(content))
        return zg_err_set(e, ZG_EINVAL, "messages[%zu].content must be a string or an array of parts", i);
    size_t j;
    json_t *part;
    json_array_foreach(content, j, part) {
        json_t *text = json_object_get(part, "text");
        if (!json_is_string(text))
            return zg_err_set(e, ZG_EINVAL, "messages[%zu].content[%zu] has no text", i, j);
        if (zg_buf_append(b, json_string_value(text), json_string_length(text))) return ZG_ENOMEM;
    }
    return ZG_OK;
}

static int parse_messages(zg_chat_req *r, json_t *msgs, zg_err *e)
{
    if (!json_is_array(msgs) || json_array_size(msgs) == 0)
        return zg_err_set(e, ZG_EINVAL, "messages must be a non-empty array");
    zg_buf b;
    zg_buf_init(&b);
    size_t i;
    json_t *m;
    int rc = ZG_OK;
    json_array_foreach(msgs, i, m) {
        if (!json_is_object(m) || !json_is_string(json_object_get(m, "role"))) {
            rc = zg_err_set(e, ZG_EINVAL, "messages[%zu] must be an object with a string role", i);
            break;
        }
        if (i && (rc = zg_buf_append_byte(&b, '\n'))) break;
        if ((rc = append_content(&b, json_object_get(m, "content"), i, e))) break;
    }
    if (!rc) rc = zg_buf_append_byte(&b, 0);
    if (rc) {
        zg_buf_free(&b);
        return rc == ZG_ENOMEM ? zg_err_set(e, rc, "out of memory") : rc;
    }
    r->prompt = (char *)b.data;
    r->prompt_tokens = zg_ngram_count_tokens(r->prompt);
    return ZG_OK;
}

static int parse_max_tokens(zg_chat_req *r, json_t *root, zg_err *e)
{
    json_t *v = json_object_get(root, "max_completion_tokens");
    const char *name = "max_completion_tokens";
    if (!v || json_is_null(v)) { v = json_object_get(root, "max_tokens"); name = "max_tokens"; }
    if (!v || json_is_null(v)) return ZG_OK;
    if (!json_is_integer(v) || json_integer_value(v) < 1)
        return zg_err_set(e, ZG_EINVAL, "%s must be a positive integer", name);
    json_int_t n = json_integer_value(v);
    r->max_tokens = n > MAX_TOKENS_LIMIT ? MAX_TOKENS_LIMIT : (size_t)n;
    return ZG_OK;
}

static int parse_sampling(zg_chat_req *r, json_t *root, zg_err *e)
{
    json_t *v = json_object_get(root, "temperature");
    if (v && !json_is_null(v)) {
        if (!json_is_number(v) || json_number_value(v) < 0 || json_number_value(v) > 2)
            return zg_err_set(e, ZG_EINVAL, "temperature must be a number from 0 to 2");
        r->has_temperature = 1;
        r->temperature = json_number_value(v);
    }
    v = json_object_get(root, "seed");
    if (v && !json_is_null(v)) {
        if (!json_is_integer(v)) return zg_err_set(e, ZG_EINVAL, "seed must be an integer");
        r->has_seed = 1;
        r->seed = (uint64_t)json_integer_value(v);
    }
    v = json_object_get(root, "n");
    if (v && !json_is_null(v) && !(json_is_integer(v) && json_integer_value(v) == 1))
        return zg_err_set(e, ZG_EINVAL, "zg-model generates one choice: n must be 1");
    return ZG_OK;
}

static int parse_stream(zg_chat_req *r, json_t *root, zg_err *e)
{
    json_t *v = json_object_get(root, "stream");
    if (v && !json_is_null(v)) {
        if (!json_is_boolean(v)) return zg_err_set(e, ZG_EINVAL, "stream must be a boolean");
        r->stream = json_is_true(v);
    }
    json_t *so = json_object_get(root, "stream_options");
    if (so && !json_is_null(so)) {
        if (!json_is_object(so)) return zg_err_set(e, ZG_EINVAL, "stream_options must be an object");
        json_t *iu = json_object_get(so, "include_usage");
        if (iu && !json_is_boolean(iu))
            return zg_err_set(e, ZG_EINVAL, "stream_options.include_usage must be a boolean");
        r->include_usage = json_is_true(iu);
    }
    return ZG_OK;
}

int zg_chat_req_parse(zg_chat_req *r, const char *body, size_t len, zg_err *e)
{
    memset(r, 0, sizeof *r);
    json_error_t je;
    json_t *root = json_loadb(body, len, 0, &je);
    if (!root) return zg_err_set(e, ZG_EINVAL, "request body is not JSON: %s (line %d)", je.text, je.line);
    int rc = ZG_OK;
    if (!json_is_object(root)) rc = zg_err_set(e, ZG_EINVAL, "request body must be a JSON object");
    if (!rc) rc = parse_messages(r, json_object_get(root, "messages"), e);
    if (!rc) rc = parse_max_tokens(r, root, e);
    if (!rc) rc = parse_sampling(r, root, e);
    if (!rc) rc = parse_stream(r, root, e);
    json_decref(root);
    if (rc) zg_chat_req_free(r);
    return rc;
}

void zg_chat_req_free(zg_chat_req *r)
{
    free(r->prompt);
    r->prompt = NULL;
}

/* ---- rendering ---------------------------------------------------------- */

static char *dump(json_t *j)
{
    if (!j) return NULL;
    char *s = json_dumps(j, JSON_COMPACT);
    json_decref(j);
    return s;
}

static json_t *usage_obj(size_t p, size_t c)
{
    return json_pack("{s:I,s:I,s:I}", "prompt_tokens", (json_int_t)p,
                     "completion_tokens", (json_int_t)c, "total_tokens", (json_int_t)(p + c));
}

char *zg_chat_render_answer(const zg_chat_meta *m, const char *content, const char *finish,
                            size_t prompt_tokens, size_t completion_tokens)
{
    return dump(json_pack("{s:s,s:s,s:I,s:s,s:[{s:i,s:{s:s,s:s},s:s}],s:o}",
                          "id", m->id, "object", "chat.completion", "created", (json_int_t)m->created,
                          "model", m->model, "choices", "index", 0, "message", "role", "assistant",
                          "content", content, "finish_reason", finish,
                          "usage", usage_obj(prompt_tokens, completion_tokens)));
}

char *zg_chat_render_chunk(const zg_chat_meta *m, const char *role, const char *content,
                           const char *finish)
{
    json_t *delta = json_object();
    if (role) json_object_set_new(delta, "role", json_string(role));
    if (content) json_object_set_new(delta, "content", json_string(content));
    return dump(json_pack("{s:s,s:s,s:I,s:s,s:[{s:i,s:o,s:o}]}",
                          "id", m->id, "object", "chat.completion.chunk",
                          "created", (json_int_t)m->created, "model", m->model,
                          "choices", "index", 0, "delta", delta,
                          "finish_reason", finish ? json_string(finish) : json_null()));
}

char *zg_chat_render_usage_chunk(const zg_chat_meta *m, size_t prompt_tokens,
                                 size_t completion_tokens)
{
    return dump(json_pack("{s:s,s:s,s:I,s:s,s:[],s:o}",
                          "id", m->id, "object", "chat.completion.chunk",
                          "created", (json_int_t)m->created, "model", m->model,
                          "choices", "usage", usage_obj(prompt_tokens, completion_tokens)));
}

char *zg_chat_render_error(const char *type, const char *code, const char *message)
{
    return dump(json_pack("{s:{s:s,s:s,s:s}}", "error", "message", message, "type", type,
                          "code", code));
}

char *zg_chat_render_models(const char *model)
{
    return dump(json_pack("{s:s,s:[{s:s,s:s,s:i,s:s}]}", "object", "list", "data",
                          "id", model, "object", "model", "created", 0, "owned_by", "zg-model"));
}
