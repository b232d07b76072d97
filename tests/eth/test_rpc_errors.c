/* test_rpc_errors.c - the RPC client against endpoints that misbehave: a
 * tiny HTTP server in a thread answers garbage, HTTP errors, JSON-RPC
 * errors, or accepts and never answers; and a port nobody listens on.
 * Every case must give ZG_ERPC / ZG_ETIMEOUT quickly, never a crash. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "zg_test.h"

#include "eth/rpc.h"

static zg_err err;

typedef struct server {
    int fd;
    int port;
    const char *answer; /* full HTTP response; NULL: never answer */
    int stop;
    pthread_t thread;
} server;

static void *serve(void *arg)
{
    server *s = arg;
    for (;;) {
        int c = accept(s->fd, NULL, NULL);
        if (c < 0 || __atomic_load_n(&s->stop, __ATOMIC_SEQ_CST)) {
            if (c >= 0)
                close(c);
            return NULL;
        }
        char buf[4096];
        ssize_t got = recv(c, buf, sizeof buf, 0); /* the request (small) */
        (void)got;
        if (s->answer) {
            ssize_t w = send(c, s->answer, strlen(s->answer), MSG_NOSIGNAL);
            (void)w;
        } else {
            /* Hold the connection open without answering until told to stop. */
            while (!__atomic_load_n(&s->stop, __ATOMIC_SEQ_CST))
                usleep(10000);
        }
        close(c);
    }
}

static int server_start(server *s, const char *answer)
{
    memset(s, 0, sizeof *s);
    s->answer = answer;
    s->fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = 0 };
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    if (s->fd < 0 || bind(s->fd, (struct sockaddr *)&a, sizeof a) != 0 || listen(s->fd, 8) != 0 ||
        getsockname(s->fd, (struct sockaddr *)&a, &len) != 0)
        return -1;
    s->port = ntohs(a.sin_port);
    return pthread_create(&s->thread, NULL, serve, s) == 0 ? 0 : -1;
}

static void server_stop(server *s)
{
    __atomic_store_n(&s->stop, 1, __ATOMIC_SEQ_CST);
    /* Wake accept() with one last connection. */
    int c = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)s->port) };
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (c >= 0) {
        if (connect(c, (struct sockaddr *)&a, sizeof a) != 0) { /* nothing to do */ }
        close(c);
    }
    pthread_join(s->thread, NULL);
    close(s->fd);
}

static long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Asks a server that answers `answer` for the chain id; returns the code. */
static int ask(const char *answer, long *took)
{
    server s;
    if (server_start(&s, answer) != 0)
        return -1;
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/secret-api-key", s.port);
    zg_rpc *r;
    int rc = zg_rpc_new(url, &r, &err);
    if (rc == ZG_OK) {
        zg_rpc_set_timeouts(r, 1000, 500);
        uint64_t id;
        long t0 = now_ms();
        rc = zg_rpc_chain_id(r, &id, &err);
        *took = now_ms() - t0;
        zg_rpc_free(r);
    }
    server_stop(&s);
    return rc;
}


static void test_garbage(void)
{
    long took = 0;
    static const struct { const char *answer, *msg; int code; } cases[] = {
        { "HTTP/1.1 200 OK\r\nContent-Length: 11\r\nConnection: close\r\n\r\nhello world", "not a JSON-RPC object", ZG_ERPC },
        { "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 4\r\nConnection: close\r\n\r\noops", "HTTP status 500", ZG_ERPC },
        { "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\n[]", "not a JSON-RPC object", ZG_ERPC },
        { "HTTP/1.1 200 OK\r\nContent-Length: 26\r\nConnection: close\r\n\r\n{\"jsonrpc\":\"2.0\",\"id\":1}  ", "neither result nor error", ZG_ERPC },
        { "HTTP/1.1 200 OK\r\nContent-Length: 77\r\nConnection: close\r\n\r\n"
          "{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":-32601,\"message\":\"method not found\"}}", "error -32601: method not found", ZG_ERPC },
        { "HTTP/1.1 200 OK\r\nContent-Length: 39\r\nConnection: close\r\n\r\n"
          "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":12345}", "not a 0x quantity", ZG_EINVAL },
        { "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\nConnection: close\r\n\r\n{\"jsonrpc\":", "", ZG_ERPC },
        { "this is not http\r\n\r\n", "", ZG_ERPC },
        /* A gateway's JSON-RPC error with HTTP 429: the detail survives. */
        { "HTTP/1.1 429 Too Many Requests\r\nContent-Length: 75\r\nConnection: close\r\n\r\n"
          "{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":-32005,\"message\":\"rate limited\"}}  ", "error -32005: rate limited", ZG_ERPC },
        { "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}", "HTTP status 502", ZG_ERPC },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int rc = ask(cases[i].answer, &took);
        CHECK_MSG(rc == cases[i].code, "case %zu: code %d, want %d (%s)", i, rc, cases[i].code, err.msg);
        CHECK_MSG(strstr(err.msg, cases[i].msg) != NULL, "case %zu: message \"%s\"", i, err.msg);
        CHECK_MSG(strstr(err.msg, "secret-api-key") == NULL, "case %zu: URL path leaked: %s", i, err.msg);
        CHECK(took < 3000);
    }
}

static void test_never_answers(void)
{
    long took = 0;
    CHECK_EQ_INT(ask(NULL, &took), ZG_ETIMEOUT);
    CHECK(strstr(err.msg, "no answer within 500 ms") != NULL);
    CHECK_MSG(took >= 400 && took < 3000, "took %ld ms", took);
}

static void test_refused(void)
{
    /* A port that was just free: bind, read the port, close. */
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = 0 };
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    CHECK(bind(fd, (struct sockaddr *)&a, sizeof a) == 0);
    CHECK(getsockname(fd, (struct sockaddr *)&a, &len) == 0);
    close(fd);
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%d", ntohs(a.sin_port));
    zg_rpc *r;
    CHECK_OK(zg_rpc_new(url, &r, &err));
    uint64_t id;
    long t0 = now_ms();
    CHECK_EQ_INT(zg_rpc_chain_id(r, &id, &err), ZG_ERPC);
    CHECK(now_ms() - t0 < 3000);
    CHECK_MSG(strstr(err.msg, "onnect") != NULL, "%s", err.msg);
    zg_rpc_free(r);

    CHECK_EQ_INT(zg_rpc_new("ftp://example.com", &r, &err), ZG_EINVAL);
    CHECK_EQ_INT(zg_rpc_new(NULL, &r, &err), ZG_EINVAL);
}

int main(void)
{
    ZG_RUN(test_garbage);
    ZG_RUN(test_never_answers);
    ZG_RUN(test_refused);
    ZG_TEST_END();
}
