/*
 * bench/lib/relay.c - a one-thread epoll byte relay (see relay.h).
 *
 * Sockets stay blocking: a side is read only when epoll says it is readable,
 * and what was read is written whole to its peer, which for answers of a few
 * KiB on loopback never waits. Either side closing or failing closes both.
 */
#define _GNU_SOURCE
#include "relay.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

typedef struct side { int fd; struct side *peer; struct pair *pair; } side;
typedef struct pair { side a, b; struct pair *next; int dead; } pair;

struct bench_relay {
    int lfd, ep, stop_fd, port, upstream_port;
    side listen_tag, stop_tag;  /* epoll data for the two descriptors that are not sides */
    pair *pairs;
    pthread_t thread;
};

static int connect_upstream(int port)
{
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), one = 1;
    if (fd < 0) return -1;
    if (connect(fd, (struct sockaddr *)&a, sizeof a) || setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one)) {
        close(fd);
        return -1;
    }
    return fd;
}

static int watch(bench_relay *r, int fd, side *tag)
{
    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = tag};
    return epoll_ctl(r->ep, EPOLL_CTL_ADD, fd, &ev);
}

/* Closing removes the descriptors from epoll; the pair is freed by reap(),
 * after the batch of events, which may still name one of its sides. */
static void pair_close(pair *p)
{
    if (p->dead) return;
    close(p->a.fd);
    close(p->b.fd);
    p->dead = 1;
}

static void reap(bench_relay *r)
{
    for (pair **at = &r->pairs; *at;) {
        pair *p = *at;
        if (!p->dead) { at = &p->next; continue; }
        *at = p->next;
        free(p);
    }
}

static void accept_one(bench_relay *r)
{
    int cfd = accept4(r->lfd, NULL, NULL, SOCK_CLOEXEC), one = 1;
    if (cfd < 0) return;
    int ufd = connect_upstream(r->upstream_port);
    pair *p = ufd < 0 ? NULL : calloc(1, sizeof *p);
    if (!p || setsockopt(cfd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one)) {
        fprintf(stderr, "relay: cannot open a connection to the upstream\n");
        if (ufd >= 0) close(ufd);
        close(cfd);
        free(p);
        return;
    }
    p->a = (side){cfd, &p->b, p};
    p->b = (side){ufd, &p->a, p};
    p->next = r->pairs;
    r->pairs = p;
    if (watch(r, cfd, &p->a) || watch(r, ufd, &p->b)) pair_close(p);
}

static int write_all(int fd, const char *b, size_t n)
{
    while (n) {
        ssize_t w = write(fd, b, n);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return -1;
        b += w;
        n -= (size_t)w;
    }
    return 0;
}

static void forward(side *s)
{
    char buf[65536];
    if (s->pair->dead) return;
    ssize_t n = read(s->fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) return;
    if (n <= 0 || write_all(s->peer->fd, buf, (size_t)n)) pair_close(s->pair);
}

static void *relay_main(void *arg)
{
    bench_relay *r = arg;
    struct epoll_event evs[64];
    for (;;) {
        int n = epoll_wait(r->ep, evs, 64, -1);
        if (n < 0 && errno != EINTR) break;
        for (int i = 0; i < n; i++) {
            side *s = evs[i].data.ptr;
            if (s == &r->stop_tag) return NULL;
            if (s == &r->listen_tag) accept_one(r);
            else forward(s);
        }
        reap(r);
    }
    return NULL;
}

static int listen_any(int *port)
{
    struct sockaddr_in a = {.sin_family = AF_INET};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t al = sizeof a;
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    if (bind(fd, (struct sockaddr *)&a, sizeof a) || listen(fd, 1024) ||
        getsockname(fd, (struct sockaddr *)&a, &al)) {
        close(fd);
        return -1;
    }
    *port = ntohs(a.sin_port);
    return fd;
}

bench_relay *bench_relay_start(int upstream_port)
{
    bench_relay *r = calloc(1, sizeof *r);
    if (!r) return NULL;
    r->upstream_port = upstream_port;
    r->lfd = listen_any(&r->port);
    r->ep = epoll_create1(EPOLL_CLOEXEC);
    r->stop_fd = eventfd(0, EFD_CLOEXEC);
    if (r->lfd < 0 || r->ep < 0 || r->stop_fd < 0 || watch(r, r->lfd, &r->listen_tag) ||
        watch(r, r->stop_fd, &r->stop_tag) || pthread_create(&r->thread, NULL, relay_main, r)) {
        fprintf(stderr, "relay: cannot start: %s\n", strerror(errno));
        if (r->lfd >= 0) close(r->lfd);
        if (r->ep >= 0) close(r->ep);
        if (r->stop_fd >= 0) close(r->stop_fd);
        free(r);
        return NULL;
    }
    pthread_setname_np(r->thread, "relay");
    return r;
}

int bench_relay_port(const bench_relay *r) { return r->port; }

void bench_relay_stop(bench_relay *r)
{
    if (!r) return;
    uint64_t one = 1;
    if (write(r->stop_fd, &one, sizeof one) == sizeof one) pthread_join(r->thread, NULL);
    for (pair *p = r->pairs; p; p = p->next) pair_close(p);
    reap(r);
    close(r->lfd);
    close(r->ep);
    close(r->stop_fd);
    free(r);
}
