/*
 * provider/metrics.c - Prometheus text rendering of the broker's counters.
 */
#include "provider/metrics.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const uint64_t zg_metrics_bucket_us[ZG_METRICS_NBUCKETS] = {
    100, 250, 500, 1000, 2500, 5000, 10000, 25000, 100000, 500000, 2000000, UINT64_MAX};

void zg_metrics_observe_admit(zg_metrics *m, uint64_t us)
{
    for (int i = 0; i < ZG_METRICS_NBUCKETS; i++)
        if (us <= zg_metrics_bucket_us[i]) { atomic_fetch_add(&m->admit_bucket[i], 1); break; }
    atomic_fetch_add(&m->admit_count, 1);
    atomic_fetch_add(&m->admit_sum_us, us);
}

static int line(zg_buf *out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int line(zg_buf *out, const char *fmt, ...)
{
    char tmp[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0) return ZG_EINTERNAL;
    return zg_buf_append(out, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

#define LOAD(x) ((unsigned long long)atomic_load(&(x)))

static int render_requests(const zg_metrics *m, zg_buf *out)
{
    int rc = line(out, "# HELP zg_requests_total Proxy requests by outcome (ok = accepted).\n"
                       "# TYPE zg_requests_total counter\n");
    for (int c = 0; !rc && c < ZG_PROTO_NCODES; c++)
        rc = line(out, "zg_requests_total{code=\"%s\"} %llu\n", zg_proto_code_name(c), LOAD(m->requests[c]));
    if (!rc) rc = line(out, "# TYPE zg_answers_total counter\nzg_answers_total{kind=\"stream\"} %llu\n"
                            "zg_answers_total{kind=\"plain\"} %llu\nzg_answers_total{kind=\"close\"} %llu\n",
                       LOAD(m->streams), LOAD(m->plain), LOAD(m->closes));
    if (!rc) rc = line(out, "# TYPE zg_upstream_failures_total counter\nzg_upstream_failures_total %llu\n"
                            "# TYPE zg_upstream_dropped_total counter\nzg_upstream_dropped_total %llu\n",
                       LOAD(m->upstream_failures), LOAD(m->upstream_dropped));
    if (!rc) rc = line(out, "# TYPE zg_output_units_total counter\nzg_output_units_total %llu\n"
                            "# TYPE zg_inflight gauge\nzg_inflight %llu\n",
                       LOAD(m->output_units), LOAD(m->inflight));
    return rc;
}

static int render_admit(const zg_metrics *m, zg_buf *out)
{
    int rc = line(out, "# HELP zg_admit_seconds Request arrival to upstream send: checks and durable receipt.\n"
                       "# TYPE zg_admit_seconds histogram\n");
    unsigned long long cum = 0;
    for (int i = 0; !rc && i < ZG_METRICS_NBUCKETS; i++) {
        cum += LOAD(m->admit_bucket[i]);
        if (zg_metrics_bucket_us[i] == UINT64_MAX) rc = line(out, "zg_admit_seconds_bucket{le=\"+Inf\"} %llu\n", cum);
        else rc = line(out, "zg_admit_seconds_bucket{le=\"%g\"} %llu\n", (double)zg_metrics_bucket_us[i] / 1e6, cum);
    }
    if (!rc) rc = line(out, "zg_admit_seconds_sum %.6f\nzg_admit_seconds_count %llu\n",
                       (double)LOAD(m->admit_sum_us) / 1e6, LOAD(m->admit_count));
    return rc;
}

int zg_metrics_render(const zg_metrics *m, zg_buf *out, uint64_t store_commits, uint64_t store_writes,
                      uint64_t store_queued, uint64_t accounts)
{
    int rc = render_requests(m, out);
    if (!rc) rc = render_admit(m, out);
    if (!rc) rc = line(out, "# TYPE zg_store_commits_total counter\nzg_store_commits_total %" PRIu64 "\n"
                            "# TYPE zg_store_writes_total counter\nzg_store_writes_total %" PRIu64 "\n"
                            "# TYPE zg_store_queue gauge\nzg_store_queue %" PRIu64 "\n"
                            "# TYPE zg_accounts_cached gauge\nzg_accounts_cached %" PRIu64 "\n",
                       store_commits, store_writes, store_queued, accounts);
    if (!rc) rc = line(out, "# TYPE zg_settlement_txs_total counter\nzg_settlement_txs_total %llu\n"
                            "# TYPE zg_settlement_failures_total counter\nzg_settlement_failures_total %llu\n"
                            "# TYPE zg_settled_receipts_total counter\nzg_settled_receipts_total %llu\n"
                            "# TYPE zg_receipts_deleted_total counter\nzg_receipts_deleted_total %llu\n",
                       LOAD(m->settle_txs), LOAD(m->settle_failures), LOAD(m->settled_receipts),
                       LOAD(m->deleted_receipts));
    return rc;
}
