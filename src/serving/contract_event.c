/* contract_event.c - decoding Serving.sol's events (see contract.h). */
#include <stdlib.h>
#include <string.h>

#include "serving/contract_internal.h"

/* In zg_serving_event_kind order (index kind - 1). */
static const char *const event_sigs[] = {
    "ServiceUpdated(address indexed provider, string name, " ZG_T_SERVICE_PARAMS " service, uint256 updatedAt)",
    "ServiceRemoved(address indexed provider, string name)",
    "AccountCreated(address indexed user, address indexed provider, uint256 signerX, uint256 signerY, "
    "uint256 balance, uint64 nonce)",
    "Deposited(address indexed user, address indexed provider, uint256 amount, uint256 balance)",
    "RefundRequested(address indexed user, address indexed provider, uint256 index, uint256 amount, "
    "uint256 createdAt)",
    "RefundProcessed(address indexed user, address indexed provider, uint256 index, uint256 amount)",
    "RefundDrawn(address indexed user, address indexed provider, uint256 index, uint256 drawn, "
    "uint256 remaining)",
    "AccountDeleted(address indexed user, address indexed provider, uint64 nonce)",
    "FeesSettled(address indexed user, address indexed provider, uint64 firstNonce, uint64 lastNonce, "
    "uint256 total, uint256 balance, uint256 pendingRefund)",
};
static const char *const event_names[] = {
    "ServiceUpdated", "ServiceRemoved", "AccountCreated", "Deposited", "RefundRequested",
    "RefundProcessed", "RefundDrawn", "AccountDeleted", "FeesSettled",
};
#define N_EVENTS (sizeof event_sigs / sizeof event_sigs[0])

const char *zg_serving_event_name(zg_serving_event_kind kind)
{
    return kind >= 1 && (size_t)kind <= N_EVENTS ? event_names[kind - 1] : "";
}

void zg_serving_event_free(zg_serving_event *ev)
{
    if (ev)
        zg_service_free(&ev->service);
}

void zg_serving_events_free(zg_serving_event *evs, size_t n)
{
    for (size_t i = 0; evs && i < n; i++)
        zg_serving_event_free(&evs[i]);
    free(evs);
}

/* ServiceUpdated: (provider, name, (name, type, url, model, verifiability,
 * inputPrice, outputPrice, additionalProperties), updatedAt). */
static int service_fields(const zg_abi_value *v, zg_serving_event *ev, zg_err *e)
{
    const zg_abi_value *p = zg_abi_at(v, 2);
    uint64_t type = 0;
    zg_service *s = &ev->service;
    s->provider = ev->provider;
    int rc = zg_abi_get_u64(zg_abi_at(p, 1), &type, e);
    if (!rc) rc = zg_abi_get_uint(zg_abi_at(p, 5), &s->input_price, e);
    if (!rc) rc = zg_abi_get_uint(zg_abi_at(p, 6), &s->output_price, e);
    if (!rc) rc = zg_abi_get_u64(zg_abi_at(v, 3), &ev->time, e);
    if (rc)
        return rc;
    s->service_type = (uint8_t)type;
    s->updated_at = ev->time;
    s->url = zg_sv_strdup(zg_abi_at(p, 2));
    s->model = zg_sv_strdup(zg_abi_at(p, 3));
    s->verifiability = zg_sv_strdup(zg_abi_at(p, 4));
    s->additional_properties = zg_sv_strdup(zg_abi_at(p, 7));
    if (!s->url || !s->model || !s->verifiability || !s->additional_properties)
        return zg_err_set(e, ZG_ENOMEM, "out of memory");
    return ZG_OK;
}

/* Fills ev from the decoded tuple v of event kind. */
static int fill(zg_serving_event_kind kind, const zg_abi_value *v, zg_serving_event *ev, zg_err *e)
{
    const zg_abi_value *a = zg_abi_at(v, 0);
    int rc;
    if (kind == ZG_EV_SERVICE_UPDATED || kind == ZG_EV_SERVICE_REMOVED) {
        rc = zg_abi_get_address(a, &ev->provider, e);
        if (!rc && !(ev->service.name = zg_sv_strdup(zg_abi_at(v, 1))))
            rc = zg_err_set(e, ZG_ENOMEM, "out of memory");
        if (!rc && kind == ZG_EV_SERVICE_UPDATED)
            rc = service_fields(v, ev, e);
        return rc;
    }
    rc = zg_abi_get_address(a, &ev->user, e);
    if (!rc) rc = zg_abi_get_address(zg_abi_at(v, 1), &ev->provider, e);
    if (rc)
        return rc;
#define U256(i, f) zg_abi_get_uint(zg_abi_at(v, (i)), (f), e)
#define U64(i, f) zg_abi_get_u64(zg_abi_at(v, (i)), (f), e)
    switch (kind) {
    case ZG_EV_ACCOUNT_CREATED:
        rc = U256(2, &ev->signer[0]);
        if (!rc) rc = U256(3, &ev->signer[1]);
        if (!rc) rc = U256(4, &ev->balance);
        if (!rc) rc = U64(5, &ev->nonce);
        break;
    case ZG_EV_DEPOSITED:
        rc = U256(2, &ev->amount);
        if (!rc) rc = U256(3, &ev->balance);
        break;
    case ZG_EV_REFUND_REQUESTED:
        rc = U64(2, &ev->index);
        if (!rc) rc = U256(3, &ev->amount);
        if (!rc) rc = U64(4, &ev->time);
        break;
    case ZG_EV_REFUND_PROCESSED:
        rc = U64(2, &ev->index);
        if (!rc) rc = U256(3, &ev->amount);
        break;
    case ZG_EV_REFUND_DRAWN:
        rc = U64(2, &ev->index);
        if (!rc) rc = U256(3, &ev->amount);
        if (!rc) rc = U256(4, &ev->remaining);
        break;
    case ZG_EV_ACCOUNT_DELETED:
        rc = U64(2, &ev->nonce);
        break;
    case ZG_EV_FEES_SETTLED:
        rc = U64(2, &ev->first_nonce);
        if (!rc) rc = U64(3, &ev->last_nonce);
        if (!rc) rc = U256(4, &ev->amount);
        if (!rc) rc = U256(5, &ev->balance);
        if (!rc) rc = U256(6, &ev->pending_refund);
        break;
    default:
        rc = zg_err_set(e, ZG_EINTERNAL, "event kind %d", (int)kind);
    }
#undef U256
#undef U64
    return rc;
}

int zg_serving_decode_log(const zg_serving *s, const zg_rpc_log *log, zg_serving_event *out,
                          zg_err *e)
{
    memset(out, 0, sizeof *out);
    if (log->n_topics == 0 || (s && !zg_address_eq(&log->address, &s->address)))
        return ZG_ENOTFOUND;
    for (size_t i = 0; i < N_EVENTS; i++) {
        zg_abi_sig *sig = NULL;
        int rc = zg_abi_sig_parse(event_sigs[i], &sig, e);
        if (rc)
            return rc;
        if (memcmp(sig->topic, log->topics[0], 32) != 0) {
            zg_abi_sig_free(sig);
            continue;
        }
        zg_abi_value *v = NULL;
        rc = zg_contract_decode_log(sig, log, &v, e);
        zg_abi_sig_free(sig);
        if (!rc) {
            out->kind = (zg_serving_event_kind)(i + 1);
            out->block_number = log->block_number;
            out->log_index = log->log_index;
            memcpy(out->tx_hash, log->tx_hash, 32);
            rc = fill(out->kind, v, out, e);
        }
        zg_abi_value_free(v);
        if (rc) {
            zg_serving_event_free(out);
            return zg_err_wrap(e, rc, "event %s", event_names[i]);
        }
        return ZG_OK;
    }
    return ZG_ENOTFOUND;
}

/* Appends the Serving events among logs to *evs (capacity grows). */
static int decode_all(const zg_serving *s, const zg_rpc_log *logs, size_t n_logs,
                      zg_serving_event **evs, size_t *n, zg_err *e)
{
    *evs = NULL;
    *n = 0;
    if (n_logs == 0)
        return ZG_OK;
    zg_serving_event *out = calloc(n_logs, sizeof *out);
    if (!out)
        return zg_err_set(e, ZG_ENOMEM, "out of memory");
    size_t k = 0;
    for (size_t i = 0; i < n_logs; i++) {
        int rc = zg_serving_decode_log(s, &logs[i], &out[k], e);
        if (rc == ZG_ENOTFOUND)
            continue;
        if (rc) {
            zg_serving_events_free(out, k);
            return rc;
        }
        k++;
    }
    *evs = out;
    *n = k;
    return ZG_OK;
}

int zg_serving_receipt_events(const zg_serving *s, const zg_rpc_receipt *rc,
                              zg_serving_event **evs, size_t *n, zg_err *e)
{
    return decode_all(s, rc->logs, rc->n_logs, evs, n, e);
}

int zg_serving_get_events(const zg_serving *s, uint64_t from_block, uint64_t to_block,
                          zg_serving_event_kind kind, const zg_address *user,
                          const zg_address *provider, zg_serving_event **evs, size_t *n,
                          zg_err *e)
{
    zg_rpc_filter f;
    memset(&f, 0, sizeof f);
    f.address = &s->address;
    f.from_block = from_block;
    f.to_block = to_block;
    if (to_block == 0)
        f.to_tag = "latest";
    *evs = NULL;
    *n = 0;
    if (kind) {
        if ((size_t)kind > N_EVENTS)
            return zg_err_set(e, ZG_EINVAL, "unknown event kind %d", (int)kind);
        int rc = zg_abi_event_topic(event_sigs[kind - 1], f.topics[0], e);
        if (rc)
            return rc;
        f.topic_set[0] = 1;
        f.n_topics = 1;
    }
    /* Service events index only the provider (topic 1); account events
     * index user (topic 1) and provider (topic 2). */
    int service_kind = kind == ZG_EV_SERVICE_UPDATED || kind == ZG_EV_SERVICE_REMOVED;
    if ((user || provider) && !kind)
        return zg_err_set(e, ZG_EINVAL, "filtering by user or provider needs an event kind "
                          "(service and account events index them differently)");
    if (user && service_kind)
        return zg_err_set(e, ZG_EINVAL, "service events have no user");
    if (user) {
        memcpy(f.topics[1] + 12, user->b, 20);
        f.topic_set[1] = 1;
        f.n_topics = 2;
    }
    if (provider) {
        int t = service_kind ? 1 : 2;
        memcpy(f.topics[t] + 12, provider->b, 20);
        f.topic_set[t] = 1;
        f.n_topics = (size_t)t + 1;
    }
    zg_rpc_log *logs = NULL;
    size_t n_logs = 0;
    int rc = zg_rpc_get_logs(s->rpc, &f, &logs, &n_logs, e);
    if (rc)
        return rc;
    rc = decode_all(s, logs, n_logs, evs, n, e);
    zg_rpc_logs_free(logs, n_logs);
    return rc;
}
