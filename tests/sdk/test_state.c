/* test_state.c - the SDK's per-account state file: nonces stay unique and
 * strictly increasing under threads of one process and several processes,
 * owed fees add up, a torn or foreign file is a clear error. No network. */
#include <pthread.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sdk/state.h"
#include "zg_test.h"

#define THREADS 4
#define ROUNDS 50

static char home[128];
static const char *contract = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
static const char *user = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC";
static const char *provider = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;

struct worker {
    uint64_t nonces[ROUNDS];
    int failed;
};

/* One "request": take the next nonce and add 1 wei of owed fee. */
static int take(uint64_t *nonce)
{
    zg_sdk_state_file f;
    zg_sdk_state st;
    zg_err err;
    if (zg_sdk_state_open(&f, home, contract, user, provider, &err))
        return -1;
    pthread_mutex_lock(&mu);
    int rc = zg_sdk_state_lock(&f, &st, &err);
    if (!rc) {
        st.last_nonce = zg_sdk_next_nonce(st.last_nonce);
        *nonce = st.last_nonce;
        zg_u256 one = zg_u256_from_u64(1);
        zg_u256_add(&st.owed_fee, &st.owed_fee, &one);
        st.owed_units++;
        rc = zg_sdk_state_save(&f, &st, &err);
        zg_sdk_state_unlock(&f);
    }
    pthread_mutex_unlock(&mu);
    return rc;
}

static void *run(void *arg)
{
    struct worker *w = arg;
    for (int i = 0; i < ROUNDS; i++)
        if (take(&w->nonces[i]))
            w->failed = 1;
    return NULL;
}

static int cmp(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static void test_threads_and_processes(void)
{
    /* two processes with THREADS threads each, sharing the state file */
    static struct worker w[THREADS];
    pid_t child = fork();
    pthread_t t[THREADS];
    for (int i = 0; i < THREADS; i++)
        pthread_create(&t[i], NULL, run, &w[i]);
    for (int i = 0; i < THREADS; i++)
        pthread_join(t[i], NULL);
    if (child == 0) {
        /* the child reports its nonces through a file */
        char p[256];
        snprintf(p, sizeof p, "%s/child.bin", home);
        FILE *f = fopen(p, "wb");
        for (int i = 0; f && i < THREADS; i++)
            fwrite(w[i].nonces, sizeof w[i].nonces[0], ROUNDS, f);
        if (f)
            fclose(f);
        _exit(w[0].failed || w[1].failed ? 1 : 0);
    }
    int st = 0;
    waitpid(child, &st, 0);
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    static uint64_t all[2 * THREADS * ROUNDS];
    size_t n = 0;
    for (int i = 0; i < THREADS; i++) {
        CHECK(!w[i].failed);
        /* each thread sees its own nonces strictly increase */
        for (int k = 1; k < ROUNDS; k++)
            CHECK_MSG(w[i].nonces[k] > w[i].nonces[k - 1], "thread %d nonce %d not increasing", i, k);
        memcpy(all + n, w[i].nonces, sizeof w[i].nonces);
        n += ROUNDS;
    }
    char p[256];
    snprintf(p, sizeof p, "%s/child.bin", home);
    FILE *f = fopen(p, "rb");
    CHECK(f != NULL);
    if (f) {
        n += fread(all + n, sizeof all[0], THREADS * ROUNDS, f);
        fclose(f);
    }
    CHECK_EQ_U64(n, 2 * THREADS * ROUNDS);
    qsort(all, n, sizeof all[0], cmp);
    size_t dups = 0;
    for (size_t i = 1; i < n; i++)
        dups += all[i] == all[i - 1];
    CHECK_EQ_U64(dups, 0);
    /* every request's owed fee was counted exactly once */
    zg_sdk_state_file sf;
    zg_sdk_state s;
    zg_err err;
    CHECK_OK(zg_sdk_state_open(&sf, home, contract, user, provider, &err));
    CHECK_OK(zg_sdk_state_lock(&sf, &s, &err));
    zg_sdk_state_unlock(&sf);
    CHECK_EQ_U64(s.owed_fee.w[0], 2 * THREADS * ROUNDS);
    CHECK_EQ_U64(s.owed_units, 2 * THREADS * ROUNDS);
    CHECK_EQ_U64(s.last_nonce, all[n - 1]);
}

static void test_next_nonce(void)
{
    uint64_t a = zg_sdk_next_nonce(0);
    CHECK(a > 1600000000000000ull); /* microseconds since 1970, after 2020 */
    CHECK_EQ_U64(zg_sdk_next_nonce(UINT64_MAX / 2), UINT64_MAX / 2 + 1);
}

static void test_bad_file(void)
{
    zg_sdk_state_file f;
    zg_sdk_state s;
    zg_err err;
    CHECK_OK(zg_sdk_state_open(&f, home, contract, user, "0x0000000000000000000000000000000000000001", &err));
    FILE *fp = fopen(f.path, "w");
    if (fp) {
        fputs("{\"last_nonce\":", fp);
        fclose(fp);
    }
    CHECK_EQ_INT(zg_sdk_state_lock(&f, &s, &err), ZG_EIO);
    CHECK(strstr(err.msg, "not JSON") != NULL);
    CHECK_EQ_INT(f.lock_fd, -1);
}

int main(void)
{
    snprintf(home, sizeof home, "/tmp/zg-sdk-state-%d", (int)getpid());
    mkdir(home, 0700);
    ZG_RUN(test_next_nonce);
    ZG_RUN(test_threads_and_processes);
    ZG_RUN(test_bad_file);
    if (zg_test_remove_dir(home))
        fprintf(stderr, "could not remove %s\n", home);
    ZG_TEST_END();
}
