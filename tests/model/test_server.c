/*
 * model_test_server - starts the zg-model program on a free loopback port and
 * checks plain and streamed chat answers, usage, max_tokens, determinism,
 * /v1/models and the error answers, over HTTP with libcurl.
 */
#define _GNU_SOURCE
#include <curl/curl.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/buf.h"
#include "model/ngram.h"
#include "zg_test.h"

static pid_t server_pid = -1;
static char base_url[64];

static int start_server(const char *extra)
{
    const char *build = getenv("ZG_BUILD");
    char cmd[512];
    snprintf(cmd, sizeof cmd, "%s/zg-model", build ? build : "build");
    int fds[2];
    if (pipe(fds)) return -1;
    server_pid = fork();
    if (server_pid == 0) {
        dup2(fds[1], 1);
        close(fds[0]);
        execl(cmd, cmd, "--port", "0", "--token-delay-ms", extra, (char *)NULL);
        _exit(127);
    }
    close(fds[1]);
    FILE *f = fdopen(fds[0], "r");
    char line[256] = {0};
    int ok = f && fgets(line, sizeof line, f) != NULL;
    if (f) fclose(f);
    char *url = ok ? strstr(line, "http://") : NULL;
    if (!url) return -1;
    url[strcspn(url, "\n")] = 0;
    snprintf(base_url, sizeof base_url, "%s", url);
    return 0;
}

static void stop_server(void)
{
    if (server_pid > 0) {
        kill(server_pid, SIGTERM);
        int st;
        waitpid(server_pid, &st, 0);
        CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    }
}

static size_t on_body(char *p, size_t sz, size_t n, void *arg)
{
    return zg_buf_append(arg, p, sz * n) ? 0 : sz * n;
}

/* POSTs body (or GETs when body is NULL) to path; returns the status. */
static long http(const char *path, const char *body, zg_buf *out)
{
    char url[256];
    snprintf(url, sizeof url, "%s%s", base_url, path);
    CURL *c = curl_easy_init();
    struct curl_slist *h = curl_slist_append(NULL, "Content-Type: application/json");
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    if (body) curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, out);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 20L);
    long code = 0;
    zg_buf_reset(out);
    if (curl_easy_perform(c) == CURLE_OK) curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
    zg_buf_append_byte(out, 0);
    curl_slist_free_all(h);
    curl_easy_cleanup(c);
    return code;
}

static json_t *parse(const zg_buf *b)
{
    return json_loads((const char *)b->data, 0, NULL);
}

static void test_plain(void)
{
    zg_buf b;
    zg_buf_init(&b);
    const char *req = "{\"model\":\"x\",\"messages\":[{\"role\":\"user\",\"content\":\"Where did the White Rabbit go?\"}],"
                      "\"max_tokens\":12,\"temperature\":0.7,\"seed\":7}";
    CHECK_EQ_INT(http("/v1/chat/completions", req, &b), 200);
    json_t *j = parse(&b);
    CHECK(j != NULL);
    const char *content = json_string_value(json_object_get(
        json_object_get(json_array_get(json_object_get(j, "choices"), 0), "message"), "content"));
    CHECK(content && strlen(content) > 0);
    json_t *u = json_object_get(j, "usage");
    long long pt = json_integer_value(json_object_get(u, "prompt_tokens"));
    long long ct = json_integer_value(json_object_get(u, "completion_tokens"));
    CHECK_EQ_INT(pt, (long long)zg_ngram_count_tokens("Where did the White Rabbit go?"));
    CHECK(ct >= 1 && ct <= 12);
    CHECK_EQ_INT(json_integer_value(json_object_get(u, "total_tokens")), pt + ct);
    CHECK_EQ_STR(json_string_value(json_object_get(j, "object")), "chat.completion");
    char *first = content ? strdup(content) : NULL;
    json_decref(j);
    /* deterministic: same prompt, seed and temperature -> same answer */
    CHECK_EQ_INT(http("/v1/chat/completions", req, &b), 200);
    j = parse(&b);
    content = json_string_value(json_object_get(
        json_object_get(json_array_get(json_object_get(j, "choices"), 0), "message"), "content"));
    CHECK_EQ_STR(content, first);
    free(first);
    json_decref(j);
    zg_buf_free(&b);
}

static void test_max_tokens(void)
{
    zg_buf b;
    zg_buf_init(&b);
    for (int n = 1; n <= 30; n += 7) {
        char req[256];
        snprintf(req, sizeof req, "{\"messages\":[{\"role\":\"user\",\"content\":\"Alice\"}],"
                                  "\"max_tokens\":%d,\"temperature\":1.5,\"seed\":%d}", n, n);
        CHECK_EQ_INT(http("/v1/chat/completions", req, &b), 200);
        json_t *j = parse(&b);
        long long ct = json_integer_value(json_object_get(json_object_get(j, "usage"), "completion_tokens"));
        const char *fin = json_string_value(json_object_get(json_array_get(json_object_get(j, "choices"), 0), "finish_reason"));
        CHECK(ct >= 1 && ct <= n);
        CHECK(fin && (strcmp(fin, "stop") == 0 || (strcmp(fin, "length") == 0 && ct == n)));
        json_decref(j);
    }
    zg_buf_free(&b);
}

/* Splits an SSE body into its data: payloads; checks framing on the way. */
static void test_stream(void)
{
    zg_buf b;
    zg_buf_init(&b);
    const char *req = "{\"messages\":[{\"role\":\"user\",\"content\":\"Drink me\"}],\"max_tokens\":10,"
                      "\"stream\":true,\"stream_options\":{\"include_usage\":true},\"seed\":3}";
    CHECK_EQ_INT(http("/v1/chat/completions", req, &b), 200);
    char *s = (char *)b.data, *save = NULL;
    int n_events = 0, done = 0, usage_seen = 0, tokens = 0, finish_seen = 0;
    for (char *ev = strtok_r(s, "\n", &save); ev; ev = strtok_r(NULL, "\n", &save)) {
        CHECK(strncmp(ev, "data: ", 6) == 0);
        CHECK(!done); /* nothing after [DONE] */
        n_events++;
        if (strcmp(ev + 6, "[DONE]") == 0) { done = 1; continue; }
        json_t *j = json_loads(ev + 6, 0, NULL);
        CHECK(j != NULL);
        json_t *choices = json_object_get(j, "choices");
        json_t *u = json_object_get(j, "usage");
        if (u && !json_is_null(u)) {
            usage_seen = 1;
            CHECK_EQ_INT(json_array_size(choices), 0);
            CHECK_EQ_INT(json_integer_value(json_object_get(u, "completion_tokens")), tokens);
        } else {
            json_t *c0 = json_array_get(choices, 0);
            const char *content = json_string_value(json_object_get(json_object_get(c0, "delta"), "content"));
            if (content && content[0]) tokens++;
            if (json_is_string(json_object_get(c0, "finish_reason"))) finish_seen = 1;
        }
        json_decref(j);
    }
    CHECK(done && usage_seen && finish_seen);
    CHECK(tokens >= 1 && tokens <= 10);
    CHECK(n_events >= tokens + 4);
    /* without include_usage: no usage chunk */
    CHECK_EQ_INT(http("/v1/chat/completions",
                      "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":3,\"stream\":true}", &b), 200);
    CHECK(strstr((char *)b.data, "\"usage\"") == NULL);
    CHECK(strstr((char *)b.data, "data: [DONE]\n\n") != NULL);
    zg_buf_free(&b);
}

static void test_errors_and_models(void)
{
    zg_buf b;
    zg_buf_init(&b);
    CHECK_EQ_INT(http("/v1/chat/completions", "{not json", &b), 400);
    CHECK(strstr((char *)b.data, "\"error\"") != NULL);
    CHECK_EQ_INT(http("/v1/chat/completions", "{\"messages\":[]}", &b), 400);
    CHECK_EQ_INT(http("/v1/chat/completions", "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"max_tokens\":0}", &b), 400);
    CHECK_EQ_INT(http("/v1/chat/completions", "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"temperature\":9}", &b), 400);
    CHECK_EQ_INT(http("/v1/nothing", NULL, &b), 404);
    CHECK_EQ_INT(http("/v1/models", NULL, &b), 200);
    json_t *j = parse(&b);
    CHECK_EQ_STR(json_string_value(json_object_get(json_array_get(json_object_get(j, "data"), 0), "id")),
                 "zg-ngram-alice");
    json_decref(j);
    zg_buf_free(&b);
}

int main(void)
{
    signal(SIGPIPE, SIG_IGN);
    curl_global_init(CURL_GLOBAL_DEFAULT);
    if (start_server("1") != 0) {
        fprintf(stderr, "cannot start zg-model\n");
        return 1;
    }
    ZG_RUN(test_plain);
    ZG_RUN(test_max_tokens);
    ZG_RUN(test_stream);
    ZG_RUN(test_errors_and_models);
    stop_server();
    curl_global_cleanup();
    ZG_TEST_END();
}
