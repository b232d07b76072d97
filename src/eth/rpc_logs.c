/* rpc_logs.c - receipts (with polling) and logs. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "eth/rpc_internal.h"

int zg_rpc_parse_log(const json_t *j, zg_rpc_log *out, zg_err *e)
{
    memset(out, 0, sizeof *out);
    if (!json_is_object(j))
        return zg_err_set(e, ZG_EINVAL, "RPC answer: a log is not an object");
    const json_t *topics = json_object_get(j, "topics");
    if (!json_is_array(topics) || json_array_size(topics) > 4)
        return zg_err_set(e, ZG_EINVAL, "RPC answer: log topics must be an array of at most 4");
    int rc = zg_rpc_fixed_(json_object_get(j, "address"), "log address", out->address.b, 20, e);
    for (size_t i = 0; rc == ZG_OK && i < json_array_size(topics); i++)
        rc = zg_rpc_fixed_(json_array_get(topics, i), "log topic", out->topics[i], 32, e);
    out->n_topics = json_array_size(topics);
    /* Pending logs may lack these three; they are informative only. */
    const json_t *v;
    if (rc == ZG_OK && (v = json_object_get(j, "blockNumber")) && !json_is_null(v))
        rc = zg_rpc_quantity_u64_(v, "log blockNumber", &out->block_number, e);
    if (rc == ZG_OK && (v = json_object_get(j, "logIndex")) && !json_is_null(v))
        rc = zg_rpc_quantity_u64_(v, "logIndex", &out->log_index, e);
    if (rc == ZG_OK && (v = json_object_get(j, "transactionHash")) && !json_is_null(v))
        rc = zg_rpc_fixed_(v, "log transactionHash", out->tx_hash, 32, e);
    zg_buf data;
    zg_buf_init(&data);
    if (rc == ZG_OK)
        rc = zg_rpc_data_(json_object_get(j, "data"), "log data", &data, e);
    if (rc != ZG_OK) {
        zg_buf_free(&data);
        return rc;
    }
    out->data = data.data;
    out->data_len = data.len;
    return ZG_OK;
}

void zg_rpc_logs_free(zg_rpc_log *logs, size_t n)
{
    for (size_t i = 0; logs && i < n; i++)
        free(logs[i].data);
    free(logs);
}

/* Parses an array of logs into a new array. */
static int parse_logs(const json_t *arr, zg_rpc_log **logs, size_t *n, zg_err *e)
{
    *logs = NULL;
    *n = 0;
    if (!json_is_array(arr))
        return zg_err_set(e, ZG_EINVAL, "RPC answer: logs are not an array");
    size_t count = json_array_size(arr);
    if (!count)
        return ZG_OK;
    zg_rpc_log *l = calloc(count, sizeof *l);
    if (!l)
        return zg_err_set(e, ZG_ENOMEM, "out of memory");
    for (size_t i = 0; i < count; i++) {
        int rc = zg_rpc_parse_log(json_array_get(arr, i), &l[i], e);
        if (rc != ZG_OK) {
            zg_rpc_logs_free(l, i);
            return rc;
        }
    }
    *logs = l;
    *n = count;
    return ZG_OK;
}

void zg_rpc_receipt_free(zg_rpc_receipt *rc)
{
    if (!rc)
        return;
    zg_rpc_logs_free(rc->logs, rc->n_logs);
    rc->logs = NULL;
    rc->n_logs = 0;
}

static int parse_receipt(const json_t *j, zg_rpc_receipt *out, zg_err *e)
{
    uint64_t status = 0;
    int rc = zg_rpc_fixed_(json_object_get(j, "transactionHash"), "receipt transactionHash",
                           out->tx_hash, 32, e);
    if (rc == ZG_OK)
        rc = zg_rpc_quantity_u64_(json_object_get(j, "status"), "receipt status", &status, e);
    if (rc == ZG_OK)
        rc = zg_rpc_quantity_u64_(json_object_get(j, "blockNumber"), "receipt blockNumber",
                                  &out->block_number, e);
    if (rc == ZG_OK)
        rc = zg_rpc_quantity_u64_(json_object_get(j, "gasUsed"), "receipt gasUsed",
                                  &out->gas_used, e);
    if (rc == ZG_OK)
        rc = zg_rpc_fixed_(json_object_get(j, "from"), "receipt from", out->from.b, 20, e);
    const json_t *v = json_object_get(j, "effectiveGasPrice");
    if (rc == ZG_OK && v)
        rc = zg_rpc_quantity_u256_(v, "effectiveGasPrice", &out->effective_gas_price, e);
    v = json_object_get(j, "contractAddress");
    if (rc == ZG_OK && v && !json_is_null(v)) {
        out->has_contract = 1;
        rc = zg_rpc_fixed_(v, "contractAddress", out->contract_address.b, 20, e);
    }
    if (rc == ZG_OK)
        rc = parse_logs(json_object_get(j, "logs"), &out->logs, &out->n_logs, e);
    out->status = status == 1;
    return rc;
}

int zg_rpc_get_receipt(zg_rpc *r, const uint8_t hash[32], zg_rpc_receipt *out, zg_err *e)
{
    memset(out, 0, sizeof *out);
    json_t *p = json_pack("[o]", zg_rpc_hex_json_(hash, 32)), *res;
    if (!p)
        return zg_err_set(e, ZG_ENOMEM, "out of memory");
    int rc = zg_rpc_call_json(r, "eth_getTransactionReceipt", p, &res, e);
    json_decref(p);
    if (rc != ZG_OK)
        return rc;
    if (json_is_null(res)) {
        json_decref(res);
        return zg_err_set(e, ZG_ENOTFOUND, "transaction not mined yet");
    }
    rc = json_is_object(res) ? parse_receipt(res, out, e)
                             : zg_err_set(e, ZG_EINVAL, "RPC answer: receipt is not an object");
    json_decref(res);
    if (rc != ZG_OK)
        zg_rpc_receipt_free(out);
    return rc;
}

static long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(long ms)
{
    struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
    while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
        ;
}

int zg_rpc_wait_receipt(zg_rpc *r, const uint8_t hash[32], long timeout_ms,
                        zg_rpc_receipt *out, zg_err *e)
{
    long deadline = now_ms() + timeout_ms, pause = 100;
    for (;;) {
        zg_err sub;
        int rc = zg_rpc_get_receipt(r, hash, out, &sub);
        /* A node that is briefly unreachable is polled again until the
         * deadline; anything else ends the wait. */
        if (rc != ZG_ENOTFOUND && rc != ZG_ERPC && rc != ZG_ETIMEOUT)
            return rc ? zg_err_set(e, rc, "%s", sub.msg) : ZG_OK;
        long left = deadline - now_ms();
        if (left <= 0 && rc != ZG_ENOTFOUND)
            return zg_err_set(e, rc, "no receipt after %ld ms: %s", timeout_ms, sub.msg);
        if (left <= 0)
            return zg_err_set(e, ZG_ETIMEOUT, "no receipt after %ld ms: transaction not mined",
                              timeout_ms);
        sleep_ms(pause < left ? pause : left);
        pause = pause * 2 > 1000 ? 1000 : pause * 2;
    }
}

/* A block bound: the tag if given, else the number as a quantity. */
static json_t *block_json(const char *tag, uint64_t n)
{
    if (tag)
        return json_string(tag);
    char hex[24];
    snprintf(hex, sizeof hex, "0x%llx", (unsigned long long)n);
    return json_string(hex);
}

static json_t *filter_json(const zg_rpc_filter *f)
{
    json_t *o = json_object(), *topics = json_array();
    int bad = !o || !topics;
    if (!bad && f->address)
        bad |= json_object_set_new(o, "address", zg_rpc_hex_json_(f->address->b, 20));
    if (!bad)
        bad |= json_object_set_new(o, "fromBlock", block_json(f->from_tag, f->from_block));
    if (!bad)
        bad |= json_object_set_new(o, "toBlock", block_json(f->to_tag, f->to_block));
    for (size_t i = 0; !bad && i < f->n_topics && i < 4; i++)
        bad |= json_array_append_new(topics, f->topic_set[i] ? zg_rpc_hex_json_(f->topics[i], 32)
                                                              : json_null());
    if (!bad)
        bad |= json_object_set(o, "topics", topics);
    json_decref(topics);
    if (bad) {
        json_decref(o);
        return NULL;
    }
    return o;
}

int zg_rpc_get_logs(zg_rpc *r, const zg_rpc_filter *f, zg_rpc_log **logs, size_t *n,
                    zg_err *e)
{
    *logs = NULL;
    *n = 0;
    json_t *p = json_pack("[o]", filter_json(f)), *res;
    if (!p)
        return zg_err_set(e, ZG_ENOMEM, "out of memory");
    int rc = zg_rpc_call_json(r, "eth_getLogs", p, &res, e);
    json_decref(p);
    if (rc != ZG_OK)
        return rc;
    rc = parse_logs(res, logs, n, e);
    json_decref(res);
    return rc;
}
