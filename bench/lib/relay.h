/*
 * bench/lib/relay.h - the leanest proxy there is, as a baseline for benches.
 *
 * One thread copies bytes between each connection it accepts and a
 * connection of its own to the upstream: no HTTP parsing, no checks, no
 * disk. Put between a load generator and an upstream, it costs what any
 * extra hop costs on the machine - two more thread wake-ups per request and
 * a few system calls - and nothing else, so that a proxy measured beside it
 * can tell its own work from the hop's.
 */
#ifndef ZG_BENCH_RELAY_H
#define ZG_BENCH_RELAY_H

typedef struct bench_relay bench_relay;

/* Starts a relay listening on 127.0.0.1 (a free port) that forwards to
 * 127.0.0.1:upstream_port. NULL, with a message on stderr, on failure. */
bench_relay *bench_relay_start(int upstream_port);
int bench_relay_port(const bench_relay *r);
/* Stops the thread and closes every connection; r may be NULL. */
void bench_relay_stop(bench_relay *r);

#endif
