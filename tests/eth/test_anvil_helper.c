/* test_anvil_helper.c - tests/zg_anvil.h itself: two chains at once on
 * distinct ports, stop really kills, and a test process that crashes takes
 * its anvil with it (PR_SET_PDEATHSIG). */
#include <signal.h>

#include "zg_anvil.h"
#include "zg_test.h"

static int alive(pid_t pid)
{
    /* A zombie still answers kill(0): look at /proc state instead. */
    char path[64], state = 0;
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    int ok = fscanf(f, "%*d %*s %c", &state) == 1;
    fclose(f);
    return ok && state != 'Z' && state != 'X';
}

static void test_two_chains(void)
{
    zg_anvil a, b;
    CHECK_EQ_INT(zg_anvil_start(&a), 0);
    CHECK_EQ_INT(zg_anvil_start(&b), 0);
    CHECK(a.port > 0 && b.port > 0 && a.port != b.port);
    CHECK(zg_anvil_answers_(a.url) && zg_anvil_answers_(b.url));
    pid_t pa = a.pid;
    zg_anvil_stop(&a);
    CHECK(!alive(pa));
    CHECK(!zg_anvil_answers_(a.url));
    CHECK(zg_anvil_answers_(b.url));
    zg_anvil_stop(&b);
    zg_anvil_stop(&b); /* twice is harmless */
}

static void test_extra_args(void)
{
    zg_anvil a;
    const char *args[] = { "--chain-id", "777", NULL };
    CHECK_EQ_INT(zg_anvil_start_args(&a, args), 0);
    CHECK(zg_anvil_answers_(a.url));
    zg_anvil_stop(&a);
}

static void test_crash_kills_anvil(void)
{
    int fds[2];
    CHECK(pipe(fds) == 0);
    pid_t child = fork();
    if (child == 0) {
        /* A "test" that starts anvil, reports its pid, then crashes. */
        zg_anvil a;
        pid_t pid = zg_anvil_start(&a) == 0 ? a.pid : -1;
        ssize_t w = write(fds[1], &pid, sizeof pid);
        (void)w;
        signal(SIGABRT, SIG_DFL);
        abort();
    }
    close(fds[1]);
    pid_t anvil_pid = -1;
    ssize_t r = read(fds[0], &anvil_pid, sizeof anvil_pid);
    close(fds[0]);
    CHECK(r == sizeof anvil_pid && anvil_pid > 0);
    int st;
    waitpid(child, &st, 0);
    CHECK(WIFSIGNALED(st));
    /* The kernel delivers SIGKILL to anvil; give it a moment to go. */
    for (int i = 0; i < 100 && anvil_pid > 0 && alive(anvil_pid); i++)
        zg_anvil_sleep_ms_(20);
    CHECK_MSG(anvil_pid <= 0 || !alive(anvil_pid), "anvil %d survived its test", (int)anvil_pid);
}

int main(void)
{
    ZG_RUN(test_two_chains);
    ZG_RUN(test_extra_args);
    ZG_RUN(test_crash_kills_anvil);
    ZG_TEST_END();
}
