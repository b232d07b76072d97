/*
 * provider/metrics.h - counters of the broker, rendered for Prometheus.
 *
 * Lock-free atomics written by every worker; the admin thread reads them.
 */
#ifndef ZG_PROVIDER_METRICS_H
#define ZG_PROVIDER_METRICS_H

#include <stdatomic.h>
#include <stdint.h>

#include "base/buf.h"
#include "serving/protocol.h"

#define ZG_METRICS_NBUCKETS 12

typedef struct zg_metrics {
    atomic_ullong requests[ZG_PROTO_NCODES];   /* by outcome code (0 = accepted) */
    atomic_ullong streams, plain, closes;
    atomic_ullong upstream_failures, upstream_dropped;
    atomic_ullong output_units;
    atomic_ullong inflight;
    /* time from request arrival to the upstream request sent (checks +
     * durable receipt), the broker's added latency */
    atomic_ullong admit_bucket[ZG_METRICS_NBUCKETS];
    atomic_ullong admit_count, admit_sum_us;
    atomic_ullong settle_txs, settle_failures, settled_receipts;
    atomic_ullong deleted_receipts;           /* settled ones past store.keep_settled_s */
} zg_metrics;

/* Upper bounds of the buckets, in microseconds (the last is +Inf). */
extern const uint64_t zg_metrics_bucket_us[ZG_METRICS_NBUCKETS];

void zg_metrics_observe_admit(zg_metrics *m, uint64_t us);

/* Appends the Prometheus text exposition; extra gauges are passed in. */
int zg_metrics_render(const zg_metrics *m, zg_buf *out, uint64_t store_commits, uint64_t store_writes,
                      uint64_t store_queued, uint64_t accounts);

#endif
