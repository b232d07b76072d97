/*
 * provider_test_crash - crash safety of the receipt store: a broker process
 * is killed with SIGKILL in the middle of a load of streamed requests from
 * several customers, then restarted on the same database. Checks: every
 * request whose answer began (the customer saw the 200 and the first bytes)
 * has its receipt stored, exactly once; the restarted broker refuses the old
 * nonces and accepts the next ones (its books were rebuilt from the store).
 *
 * The broker runs in a forked child (in process: the broker library, a fake
 * upstream, accounts from an in-memory stand-in for the contract), so that
 * SIGKILL hits it and nothing else. Settlement of these receipts on chain is
 * tested where a chain is available (test_anvil).
 */
#define _GNU_SOURCE
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include "customer.h"
#include "load.h"
#include "fake_upstream.h"
#include "provider/broker.h"
#include "provider/verify.h"
#include "zg_test.h"

#define N_CUST 8
#define IN_PRICE 1000
#define BODY "{\"messages\":[{\"role\":\"user\",\"content\":\"Tell me a story\"}],\"max_tokens\":16,\"stream\":true}"

static customer custs[N_CUST];
static uint8_t provider[20];
static char dir[64], db[128];

static int fetch(void *ctx, const uint8_t user[20], zg_chain_account *out, zg_err *e)
{
    memset(out, 0, sizeof *out);
    for (int i = 0; i < N_CUST; i++) {
        if (memcmp(custs[i].addr, user, 20)) continue;
        out->exists = 1;
        out->balance = zg_u256_from_u64(1000000000000000ull);
        memcpy(out->signer, custs[i].signer_pub, 64);
    }
    return ZG_OK;
}

/* The child: fake upstream + broker; writes its port to fd, then serves
 * until killed (or for 60 s at most). */
static void child_main(int fd)
{
    static fake_upstream fake;
    static zg_pcfg cfg;
    static zg_metrics metrics;
    zg_store *store;
    zg_accts *accts;
    zg_verifier *ver;
    zg_broker *b;
    zg_err err;
    if (fake_upstream_start(&fake)) _exit(3);
    char text[1024];
    snprintf(text, sizeof text,
             "{\"listen\":\"127.0.0.1:0\",\"admin_listen\":\"127.0.0.1:0\",\"threads\":2,\"database\":\"%s\","
             "\"services\":[{\"name\":\"chat\",\"upstream\":\"http://127.0.0.1:%d/slow\",\"input_price\":%d,"
             "\"output_price\":0}]}", db, fake.port, IN_PRICE);
    if (zg_pcfg_load_text(&cfg, text, &err) || zg_store_open(&store, db, 1, 512, &err) ||
        zg_accts_new(&accts, fetch, NULL, 0) || zg_broker_restore(store, accts, &err) || zg_verifier_new(&ver, 64))
        _exit(4);
    zg_broker_deps d = {store, accts, &metrics, zg_verifier_check, ver, NULL, NULL};
    if (zg_broker_start(&b, &cfg, provider, &d, &err)) _exit(5);
    int port = zg_broker_port(b);
    if (write(fd, &port, sizeof port) != sizeof port) _exit(6);
    sleep(60);
    _exit(0);
}

static pid_t spawn(int *port)
{
    int fds[2];
    if (pipe(fds)) return -1;
    pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        child_main(fds[1]);
    }
    close(fds[1]);
    if (read(fds[0], port, sizeof *port) != sizeof *port) pid = -1;
    close(fds[0]);
    return pid;
}

static load_run R;

static int stored(sqlite3 *d, int cust, uint64_t nonce)
{
    uint8_t nb[8];
    zg_store_nonce_be(nonce, nb);
    sqlite3_stmt *st = NULL;
    sqlite3_prepare_v2(d, "SELECT COUNT(*) FROM receipts WHERE user=? AND nonce=?", -1, &st, NULL);
    sqlite3_bind_blob(st, 1, custs[cust].addr, 20, SQLITE_STATIC);
    sqlite3_bind_blob(st, 2, nb, 8, SQLITE_STATIC);
    int n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
    sqlite3_finalize(st);
    return n;
}

static void test_kill_and_restart(void)
{
    uint64_t next_nonce[N_CUST];
    for (int i = 0; i < N_CUST; i++) next_nonce[i] = 1;
    int port;
    pid_t pid = spawn(&port);
    CHECK(pid > 0);
    if (pid <= 0) return;
    char url[128];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/v1/proxy/chat/chat/completions", port);
    R.custs = custs;
    R.n_cust = N_CUST;
    R.url = url;
    R.body = BODY;
    R.in_fee = load_in_fee(BODY, IN_PRICE);
    load_and_kill(&R, pid, 24, next_nonce);
    int began = 0, cut = 0;
    sqlite3 *d = NULL;
    CHECK_EQ_INT(sqlite3_open(db, &d), SQLITE_OK);
    for (size_t i = 0; i < R.n_log; i++) {
        if (!R.log[i].began) continue;
        began++;
        if (!R.log[i].completed) cut++;
        CHECK_MSG(stored(d, R.log[i].cust, R.log[i].nonce) == 1, "customer %d nonce %llu: answer began, receipt missing",
                  R.log[i].cust, (unsigned long long)R.log[i].nonce);
    }
    sqlite3_close(d);
    fprintf(stderr, "  %zu requests, %d answers began (%d cut by the kill), all receipts stored\n", R.n_log, began, cut);
    CHECK(began >= 24);
    CHECK(cut >= 1);
    /* restart: old nonces refused, the next ones accepted */
    pid = spawn(&port);
    CHECK(pid > 0);
    if (pid <= 0) return;
    http_answer a = {0};
    snprintf(url, sizeof url, "http://127.0.0.1:%d/v1/proxy/chat/chat/completions", port);
    zg_u256 zero = zg_u256_from_u64(0), in_fee = R.in_fee;
    for (int c = 0; c < N_CUST; c++) {
        /* the highest nonce the broker stored for this customer */
        uint64_t top = 0;
        sqlite3_open(db, &d);
        for (uint64_t n = 1; n < next_nonce[c]; n++) if (stored(d, c, n) == 1) top = n;
        sqlite3_close(d);
        if (top) {
            http_do(url, BODY, customer_headers(&custs[c], BODY, top, &in_fee, &zero, &in_fee), &a);
            CHECK_EQ_INT(a.status, 409);
        }
        http_do(url, BODY, customer_headers(&custs[c], BODY, top + 1, &in_fee, &zero, &in_fee), &a);
        CHECK_EQ_INT(a.status, 200);
    }
    zg_buf_free(&a.body);
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
}

int main(void)
{
    signal(SIGPIPE, SIG_IGN);
    curl_global_init(CURL_GLOBAL_DEFAULT);
    snprintf(dir, sizeof dir, "/tmp/zg-crash-test-XXXXXX");
    if (!mkdtemp(dir)) return 1;
    snprintf(db, sizeof db, "%s/broker.db", dir);
    zg_eth_key pk;
    zg_address pa;
    zg_eth_key_from_hex(&pk, "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80", NULL);
    zg_eth_key_address(&pk, &pa);
    memcpy(provider, pa.b, 20);
    for (int i = 0; i < N_CUST; i++) {
        char hex[70];
        snprintf(hex, sizeof hex, "0x%064x", 0x1000 + i);
        if (customer_init(&custs[i], hex, provider)) return 1;
    }
    ZG_RUN(test_kill_and_restart);
    if (zg_test_remove_dir(dir)) fprintf(stderr, "cannot remove %s\n", dir);
    curl_global_cleanup();
    ZG_TEST_END();
}
