/*
 * zg-model - a small OpenAI-compatible model server for offline runs.
 *
 * A stand-in for vLLM, llama.cpp server or Ollama: the same HTTP API, served
 * by a word trigram model trained at start-up on public-domain prose, so that
 * the serving network (zg-provider, zg, libzg) runs without a GPU or network.
 */
#include <errno.h>
#include <event2/event.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "model/corpus.h"
#include "model/ngram.h"
#include "model/server.h"

static const char usage_text[] =
"Usage: zg-model [OPTIONS]\n"
"\n"
"A small OpenAI-compatible chat model server, a stand-in for vLLM, llama.cpp\n"
"server or Ollama so that zg-serving runs offline. Its model is a word-level\n"
"trigram model (with bigram/unigram backoff) trained at start-up on a passage\n"
"of Lewis Carroll's \"Alice's Adventures in Wonderland\" (public domain), or on\n"
"a text file you give. Answers are deterministic for a given prompt, seed and\n"
"temperature. Tokens are words and punctuation marks.\n"
"\n"
"Endpoints:\n"
"  POST /v1/chat/completions  OpenAI chat completions; \"stream\": true answers\n"
"                             with server-sent events ending in data: [DONE];\n"
"                             stream_options.include_usage adds a usage chunk.\n"
"                             Honours max_tokens (or max_completion_tokens),\n"
"                             temperature (0..2) and seed.\n"
"  GET  /v1/models            the one model served\n"
"  GET  /health               {\"status\":\"ok\"}\n"
"\n"
"Options:\n"
"  -H, --host ADDR          IPv4 address to listen on (default 127.0.0.1)\n"
"  -p, --port N             TCP port (default 8000; 0 = any free port)\n"
"  -t, --threads N          worker event loops (default 1)\n"
"  -m, --model NAME         model id in answers and /v1/models (default zg-ngram-alice)\n"
"  -c, --corpus FILE        train on this UTF-8 text instead of the built-in one;\n"
"                           blank lines end paragraphs (= where answers end)\n"
"  -s, --seed N             default seed (default 42)\n"
"  -T, --temperature X      default temperature, 0 = greedy (default 0.8)\n"
"  -n, --max-tokens N       default max_tokens (default 64)\n"
"  -d, --token-delay-ms N   pause between streamed tokens, to imitate a real\n"
"                           model's pace (default 0)\n"
"  -h, --help               this text\n"
"\n"
"On start it prints one line: \"zg-model listening on http://ADDR:PORT\".\n"
"SIGINT or SIGTERM stops it.\n";

static int parse_uint(const char *s, unsigned long long max, unsigned long long *out)
{
    char *end;
    errno = 0;
    if (!s[0] || s[0] == '-') return -1;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end || v > max) return -1;
    *out = v;
    return 0;
}

static char *read_file(const char *path)
{
    zg_buf b;
    zg_buf_init(&b);
    if (zg_buf_read_file(&b, path, NULL) || zg_buf_append_byte(&b, 0)) {
        zg_buf_free(&b);
        return NULL;
    }
    return (char *)b.data;
}

typedef struct args { zg_model_opts o; const char *corpus; } args;

static int bad(const char *opt, const char *v)
{
    fprintf(stderr, "zg-model: invalid value '%s' for %s (see zg-model --help)\n", v, opt);
    return 2;
}

static int parse_args(int argc, char **argv, args *a)
{
    static const struct option longs[] = {
        {"host", 1, 0, 'H'}, {"port", 1, 0, 'p'}, {"threads", 1, 0, 't'},
        {"model", 1, 0, 'm'}, {"corpus", 1, 0, 'c'}, {"seed", 1, 0, 's'},
        {"temperature", 1, 0, 'T'}, {"max-tokens", 1, 0, 'n'},
        {"token-delay-ms", 1, 0, 'd'}, {"help", 0, 0, 'h'}, {0, 0, 0, 0}};
    int c;
    unsigned long long v;
    while ((c = getopt_long(argc, argv, "H:p:t:m:c:s:T:n:d:h", longs, NULL)) != -1) {
        switch (c) {
        case 'H': a->o.host = optarg; break;
        case 'p': if (parse_uint(optarg, 65535, &v)) return bad("--port", optarg); a->o.port = (int)v; break;
        case 't': if (parse_uint(optarg, 256, &v) || !v) return bad("--threads", optarg); a->o.threads = (int)v; break;
        case 'm': if (!optarg[0]) return bad("--model", optarg); a->o.model_name = optarg; break;
        case 'c': a->corpus = optarg; break;
        case 's': if (parse_uint(optarg, UINT64_MAX, &v)) return bad("--seed", optarg); a->o.seed = v; break;
        case 'T': {
            char *end;
            double t = strtod(optarg, &end);
            if (*end || !(t >= 0 && t <= 2)) return bad("--temperature", optarg);
            a->o.temperature = t;
            break;
        }
        case 'n': if (parse_uint(optarg, 4096, &v) || !v) return bad("--max-tokens", optarg); a->o.default_max_tokens = (unsigned)v; break;
        case 'd': if (parse_uint(optarg, 60000, &v)) return bad("--token-delay-ms", optarg); a->o.token_delay_ms = (unsigned)v; break;
        case 'h': fputs(usage_text, stdout); return 1;
        default: fputs("see zg-model --help\n", stderr); return 2;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "zg-model: unexpected argument '%s' (see zg-model --help)\n", argv[optind]);
        return 2;
    }
    return 0;
}

static int serve(const args *a, const char *text)
{
    zg_err err;
    zg_ngram *model = NULL;
    if (zg_ngram_train(&model, text, &err)) {
        fprintf(stderr, "zg-model: %s\n", err.msg);
        return 1;
    }
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, NULL); /* workers inherit the mask; main waits */
    signal(SIGPIPE, SIG_IGN);
    zg_model_server *srv = NULL;
    if (zg_model_server_start(&srv, &a->o, model, &err)) {
        fprintf(stderr, "zg-model: %s\n", err.msg);
        zg_ngram_free(model);
        return 1;
    }
    printf("zg-model listening on http://%s:%d\n", a->o.host, zg_model_server_port(srv));
    fflush(stdout);
    int sig;
    sigwait(&set, &sig);
    zg_model_server_stop(srv);
    zg_ngram_free(model);
    libevent_global_shutdown();
    return 0;
}

int main(int argc, char **argv)
{
    args a = {.o = {.host = "127.0.0.1", .port = 8000, .threads = 1, .model_name = "zg-ngram-alice",
                    .seed = 42, .temperature = 0.8, .default_max_tokens = 64}};
    int rc = parse_args(argc, argv, &a);
    if (rc) return rc == 1 ? 0 : rc;
    char *text = NULL;
    if (a.corpus && !(text = read_file(a.corpus))) {
        fprintf(stderr, "zg-model: cannot read corpus '%s': %s\n", a.corpus, strerror(errno));
        return 1;
    }
    rc = serve(&a, text ? text : zg_model_corpus_alice);
    free(text);
    return rc;
}
