/*
 * provider/admin.c - the loopback admin API: health, Prometheus metrics,
 * services, accounts, receipts, settlements, and "settle now".
 *
 * It runs on its own event loop, so slow admin work (a database scan, a
 * settlement run) never delays the proxy workers.
 */
#define _GNU_SOURCE
#include "provider/broker_int.h"

#include <event2/buffer.h>
#include <event2/keyvalq_struct.h>
#include <jansson.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "base/hex.h"

static void reply_dump(struct evhttp_request *req, int status, json_t *j)
{
    char *s = j ? json_dumps(j, JSON_COMPACT) : NULL;
    json_decref(j);
    if (!s) { zg_reply_error(req, ZG_PROTO_INTERNAL, "out of memory"); return; }
    zg_reply_json(req, status, s);
    free(s);
}

static json_t *addr_json(const uint8_t a[20])
{
    char hex[43];
    zg_hex_encode(a, 20, hex);
    return json_string(hex);
}

static json_t *dec_json(const zg_u256 *v)
{
    char d[ZG_U256_DEC_MAX];
    zg_u256_to_dec(v, d);
    return json_string(d);
}

/* 503 with the reason once the store refuses writes (a disk failure): every
 * request is then refused, and the broker needs a restart. */
static void get_health(zg_broker *b, struct evhttp_request *req)
{
    char why[256];
    int broken = zg_store_health(b->d.store, why, sizeof why) != ZG_OK;
    json_t *j = json_pack("{s:s,s:o,s:I,s:I}", "status", broken ? "failing" : "ok", "provider",
                          addr_json(b->provider), "services", (json_int_t)b->cfg->n_services, "inflight",
                          (json_int_t)atomic_load(&b->d.metrics->inflight));
    if (j && broken) json_object_set_new(j, "error", json_string(why));
    reply_dump(req, broken ? 503 : 200, j);
}

/* How the kernel spread the load over the worker threads. */
static int render_workers(const zg_broker *b, zg_buf *out)
{
    static const char head[] = "# HELP zg_worker_requests_total Public requests taken by each worker thread.\n"
                               "# TYPE zg_worker_requests_total counter\n";
    int rc = zg_buf_append(out, head, sizeof head - 1);
    for (int i = 0; !rc && i < b->n_workers; i++) {
        char line[96];
        int n = snprintf(line, sizeof line, "zg_worker_requests_total{worker=\"%d\"} %llu\n", i,
                         (unsigned long long)atomic_load(&b->workers[i].requests));
        rc = zg_buf_append(out, line, (size_t)n);
    }
    return rc;
}

static void get_metrics(zg_broker *b, struct evhttp_request *req)
{
    uint64_t commits, writes, queued;
    zg_store_stats(b->d.store, &commits, &writes, &queued);
    zg_acct *all = NULL;
    size_t n = 0;
    if (zg_accts_snapshot(b->d.accts, &all, &n)) n = 0;
    free(all);
    zg_buf out;
    zg_buf_init(&out);
    if (zg_metrics_render(b->d.metrics, &out, commits, writes, queued, n) || render_workers(b, &out)) {
        zg_buf_free(&out);
        zg_reply_error(req, ZG_PROTO_INTERNAL, "out of memory");
        return;
    }
    evhttp_add_header(evhttp_request_get_output_headers(req), "Content-Type", "text/plain; version=0.0.4");
    evbuffer_add(evhttp_request_get_output_buffer(req), out.data, out.len);
    evhttp_send_reply(req, 200, "OK", NULL);
    zg_buf_free(&out);
}

static void get_services(zg_broker *b, struct evhttp_request *req)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < b->cfg->n_services; i++) {
        const zg_pcfg_service *s = &b->cfg->services[i];
        json_array_append_new(arr, json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:o,s:o,s:s}",
            "name", s->name, "type", s->type, "upstream", s->upstream, "url", s->url, "model", s->model,
            "verifiability", s->verifiability, "input_price", dec_json(&s->input_price),
            "output_price", dec_json(&s->output_price), "additional_properties", s->additional));
    }
    reply_dump(req, 200, json_pack("{s:o}", "services", arr));
}

static json_t *acct_json(const zg_acct *a)
{
    char signer[131];
    zg_hex_encode(a->chain.signer, 64, signer);
    return json_pack("{s:o,s:b,s:o,s:o,s:I,s:s,s:I,s:I,s:o,s:o,s:o,s:I,s:I}",
        "user", addr_json(a->user), "exists", a->chain.exists, "balance", dec_json(&a->chain.balance),
        "pending_refund", dec_json(&a->chain.pending_refund), "chain_nonce", (json_int_t)a->chain.nonce,
        "signer", signer, "refund_matures_at", (json_int_t)a->chain.refund_matures_at,
        "last_nonce", (json_int_t)a->last_nonce, "unsettled", dec_json(&a->unsettled),
        "reserved", dec_json(&a->reserved), "owed", dec_json(&a->owed),
        "oldest_unsettled_ms", (json_int_t)a->oldest_ms, "inflight", (json_int_t)a->inflight);
}

static void get_accounts(zg_broker *b, struct evhttp_request *req, const char *one)
{
    if (one) {
        uint8_t user[20];
        zg_err err;
        if (zg_hex_decode(one, user, 20, &err)) { zg_reply_error(req, ZG_PROTO_BAD_REQUEST, err.msg); return; }
        zg_accts_refresh(b->d.accts, user, NULL);
        zg_acct a;
        if (zg_accts_get(b->d.accts, user, &a)) { zg_reply_error(req, ZG_PROTO_NO_ACCOUNT, "account unknown"); return; }
        reply_dump(req, 200, acct_json(&a));
        return;
    }
    zg_acct *all = NULL;
    size_t n = 0;
    if (zg_accts_snapshot(b->d.accts, &all, &n)) { zg_reply_error(req, ZG_PROTO_INTERNAL, "out of memory"); return; }
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) json_array_append_new(arr, acct_json(&all[i]));
    free(all);
    reply_dump(req, 200, json_pack("{s:o}", "accounts", arr));
}

static json_t *receipt_row_json(sqlite3_stmt *st)
{
    char user[43], sig[131], rh[67];
    zg_hex_encode(sqlite3_column_blob(st, 0), 20, user);
    zg_hex_encode(sqlite3_column_blob(st, 7), 64, sig);
    zg_hex_encode(sqlite3_column_blob(st, 6), 32, rh);
    static const char *const status[] = {"accepted", "answered", "settled"};
    int s = sqlite3_column_int(st, 11);
    return json_pack("{s:s,s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:I,s:I,s:s,s:s,s:I}",
        "user", user, "nonce", (json_int_t)zg_store_nonce_from_be(sqlite3_column_blob(st, 1), sqlite3_column_bytes(st, 1)),
        "service", (const char *)sqlite3_column_text(st, 2), "fee", (const char *)sqlite3_column_text(st, 3),
        "input_fee", (const char *)sqlite3_column_text(st, 4), "prev_output_fee", (const char *)sqlite3_column_text(st, 5),
        "request_hash", rh, "signature", sig, "created_ms", (json_int_t)sqlite3_column_int64(st, 8),
        "output_units", (json_int_t)sqlite3_column_int64(st, 9), "output_fee", (const char *)sqlite3_column_text(st, 10),
        "status", (s >= 0 && s <= 2) ? status[s] : "unknown", "settlement_id", (json_int_t)sqlite3_column_int64(st, 12));
}

/* The receipts listing's query for a status filter ("open", "settled" or
 * anything else for all) with or without ?user. Open and settled go through
 * the receipts_open index, so that listing a customer's few open receipts
 * does not walk its whole settled history, and the settled list comes out in
 * (user, nonce) order without a sort; all goes through the primary key. */
static const char *receipts_sql(const char *status, int by_user)
{
    static const char *const sql[3][2] = {
        {"SELECT * FROM receipts ORDER BY user, nonce LIMIT ?2",
         "SELECT * FROM receipts WHERE user=?1 ORDER BY nonce LIMIT ?2"},
        {"SELECT * FROM receipts INDEXED BY receipts_open WHERE status IN (0, 1) ORDER BY user, nonce LIMIT ?2",
         "SELECT * FROM receipts INDEXED BY receipts_open WHERE status IN (0, 1) AND user=?1 ORDER BY nonce LIMIT ?2"},
        {"SELECT * FROM receipts INDEXED BY receipts_open WHERE status=2 ORDER BY user, nonce LIMIT ?2",
         "SELECT * FROM receipts INDEXED BY receipts_open WHERE status=2 AND user=?1 ORDER BY nonce LIMIT ?2"},
    };
    int which = !status ? 0 : strcmp(status, "open") == 0 ? 1 : strcmp(status, "settled") == 0 ? 2 : 0;
    return sql[which][by_user];
}

/* The listing as JSON rows; NULL with why in msg if the database failed. */
static json_t *receipt_rows(sqlite3 *db, const char *status, const uint8_t *user, long limit, char *msg, size_t cap)
{
    sqlite3_stmt *st = NULL;
    json_t *arr = json_array();
    int step = SQLITE_ERROR;
    if (arr && sqlite3_prepare_v2(db, receipts_sql(status, user != NULL), -1, &st, NULL) == SQLITE_OK) {
        if (user) sqlite3_bind_blob(st, 1, user, 20, SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, limit);
        while ((step = sqlite3_step(st)) == SQLITE_ROW) json_array_append_new(arr, receipt_row_json(st));
    }
    if (step != SQLITE_DONE) {
        snprintf(msg, cap, "reading the receipts failed: %s", arr ? sqlite3_errmsg(db) : "out of memory");
        json_decref(arr);
        arr = NULL;
    }
    sqlite3_finalize(st);
    return arr;
}

/* ?user=0x..&status=open|settled|all&limit=N */
static void get_receipts(zg_broker *b, struct evhttp_request *req)
{
    struct evkeyvalq q;
    const char *uri = evhttp_request_get_uri(req), *qs = strchr(uri, '?');
    evhttp_parse_query_str(qs ? qs + 1 : "", &q);
    const char *user_s = evhttp_find_header(&q, "user"), *status = evhttp_find_header(&q, "status");
    const char *limit_s = evhttp_find_header(&q, "limit");
    long limit = limit_s ? strtol(limit_s, NULL, 10) : 1000;
    if (limit < 1 || limit > 100000) limit = 1000;
    uint8_t user[20];
    zg_err err;
    if (user_s && zg_hex_decode(user_s, user, 20, &err)) {
        evhttp_clear_headers(&q);
        zg_reply_error(req, ZG_PROTO_BAD_REQUEST, err.msg);
        return;
    }
    char msg[256];
    json_t *arr = receipt_rows(zg_store_read_lock(b->d.store), status, user_s ? user : NULL, limit, msg, sizeof msg);
    zg_store_read_unlock(b->d.store);
    evhttp_clear_headers(&q);
    if (arr) reply_dump(req, 200, json_pack("{s:o}", "receipts", arr));
    else zg_reply_error(req, ZG_PROTO_INTERNAL, msg);
}

static void get_settlements(zg_broker *b, struct evhttp_request *req)
{
    sqlite3 *db = zg_store_read_lock(b->d.store);
    sqlite3_stmt *st = NULL;
    json_t *arr = json_array();
    if (sqlite3_prepare_v2(db, "SELECT id, created_ms, tx_hash, status, n_proofs, n_receipts, total, mined_ms, error"
                               " FROM settlements ORDER BY id DESC LIMIT 1000", -1, &st, NULL) == SQLITE_OK) {
        while (sqlite3_step(st) == SQLITE_ROW) {
            const char *tx = (const char *)sqlite3_column_text(st, 2), *err = (const char *)sqlite3_column_text(st, 8);
            json_array_append_new(arr, json_pack("{s:I,s:I,s:o,s:s,s:I,s:I,s:s,s:I,s:o}",
                "id", (json_int_t)sqlite3_column_int64(st, 0), "created_ms", (json_int_t)sqlite3_column_int64(st, 1),
                "tx_hash", tx ? json_string(tx) : json_null(), "status", (const char *)sqlite3_column_text(st, 3),
                "n_proofs", (json_int_t)sqlite3_column_int64(st, 4), "n_receipts", (json_int_t)sqlite3_column_int64(st, 5),
                "total", (const char *)sqlite3_column_text(st, 6), "mined_ms", (json_int_t)sqlite3_column_int64(st, 7),
                "error", err ? json_string(err) : json_null()));
        }
    }
    sqlite3_finalize(st);
    zg_store_read_unlock(b->d.store);
    reply_dump(req, 200, json_pack("{s:o}", "settlements", arr));
}

static void post_settle(zg_broker *b, struct evhttp_request *req)
{
    if (!b->d.settle_now) {
        zg_reply_error(req, ZG_PROTO_OVERLOADED, "settlement is not available in this broker (no chain or prover)");
        return;
    }
    char *summary = NULL;
    zg_err err;
    if (b->d.settle_now(b->d.settle_ctx, &summary, &err)) {
        free(summary);
        zg_reply_error(req, ZG_PROTO_INTERNAL, err.msg);
        return;
    }
    zg_reply_json(req, 200, summary ? summary : "{}");
    free(summary);
}

void zg_admin_handle(struct evhttp_request *req, void *arg)
{
    zg_worker *w = arg;
    zg_broker *b = w->b;
    const char *uri = evhttp_request_get_uri(req);
    char path[256];
    size_t plen = strcspn(uri, "?");
    if (plen >= sizeof path) plen = sizeof path - 1;
    memcpy(path, uri, plen);
    path[plen] = 0;
    int get = evhttp_request_get_command(req) == EVHTTP_REQ_GET;
    if (get && strcmp(path, "/health") == 0) return get_health(b, req);
    if (get && strcmp(path, "/metrics") == 0) return get_metrics(b, req);
    if (get && strcmp(path, "/admin/services") == 0) return get_services(b, req);
    if (get && strcmp(path, "/admin/accounts") == 0) return get_accounts(b, req, NULL);
    if (get && strncmp(path, "/admin/accounts/", 16) == 0) return get_accounts(b, req, path + 16);
    if (get && strcmp(path, "/admin/receipts") == 0) return get_receipts(b, req);
    if (get && strcmp(path, "/admin/settlements") == 0) return get_settlements(b, req);
    if (!get && strcmp(path, "/admin/settle") == 0) return post_settle(b, req);
    char *body = zg_proto_error_body(ZG_PROTO_UNKNOWN_SERVICE, "no such admin endpoint; see docs/operator.md");
    zg_reply_json(req, 404, body ? body : "{}");
    free(body);
}
