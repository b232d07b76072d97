/*
 * zg_anvil.h - a private anvil chain for one test program (header-only).
 *
 *   zg_anvil a;
 *   if (zg_anvil_start(&a) != 0) { ...skip or fail... }
 *   ... talk to a.url ("http://127.0.0.1:PORT") ...
 *   zg_anvil_stop(&a);
 *
 * How it works, and why:
 * - anvil is $ZG_ANVIL (set by CTest; see CMakeLists.txt). It is started with
 *   `--port 0`, so the kernel picks a free loopback port and no two tests race
 *   for one; the chosen port is read from anvil's "Listening on 127.0.0.1:PORT"
 *   line, which it writes to a private log file (a file, not a pipe, so anvil
 *   never blocks on a full pipe while the test runs).
 * - zg_anvil_start returns only once eth_chainId answers over HTTP (libcurl,
 *   which every program linking zg_eth already has), or fails after ~30 s.
 * - Never leaves processes behind: the child asks the kernel to SIGKILL it when
 *   the test process dies (PR_SET_PDEATHSIG, also on a crash or an ASan abort),
 *   and zg_anvil_stop kills and reaps it. An atexit() hook stops every anvil
 *   still running when the program exits normally (e.g. after a failed CHECK
 *   followed by an early return).
 * - Extra anvil flags (e.g. "--block-time", "1") may be passed with
 *   zg_anvil_start_args.
 *
 * Accounts: anvil's default dev accounts, derived from the well-known test
 * mnemonic "test test test test test test test test test test test junk" at
 * m/44'/60'/0'/0/i (BIP-32/BIP-44; same as Hardhat). Each holds 10000 ETH at
 * start. Chain id 31337. The keys below are printed by anvil itself at start
 * (foundry book: "anvil" reference) - test keys only, public knowledge.
 */
#ifndef ZG_ANVIL_H
#define ZG_ANVIL_H

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define ZG_ANVIL_CHAIN_ID 31337
#define ZG_ANVIL_MAX 8

/* Secret keys of anvil accounts 0..9 (hex with 0x). */
__attribute__((unused)) static const char *const zg_anvil_keys[10] = {
    "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
    "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
    "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a",
    "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6",
    "0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a",
    "0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba",
    "0x92db14e403b83dfe3df233f83dfa3a0d7096f21ca9b0d6d6b8d88b2b4ec1564e",
    "0x4bbbf85ce3377467afe5d46f804f221813b2bb87f24d81f60f1fcdbf7cbf4356",
    "0xdbda1821b80551c9d65939329250298aa3472ba22feea921c0cf5d620ea67b97",
    "0x2a871d0798f97d79848a013d4936a73bf4cc922c825d33c1cf7073dff6d409c6",
};
/* Their addresses (EIP-55 checksummed). */
__attribute__((unused)) static const char *const zg_anvil_addrs[10] = {
    "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266",
    "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
    "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC",
    "0x90F79bf6EB2c4f870365E785982E1f101E93b906",
    "0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65",
    "0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc",
    "0x976EA74026E726554dB657fA54763abd0C3a0aa9",
    "0x14dC79964da2C08b23698B3D3cc7Ca32193d9955",
    "0x23618e81E3f5cdF7f54C3d65f7FBc0aBf5B21E8f",
    "0xa0Ee7A142d267C1f36714E4a8F75612F20a79720",
};

typedef struct zg_anvil {
    pid_t pid;          /* 0 when not running */
    int port;
    char url[64];       /* "http://127.0.0.1:PORT" */
    char log[64];       /* anvil's output while starting (removed once it answers) */
} zg_anvil;

/* Every running anvil of this process, for the atexit() safety net. */
__attribute__((unused)) static zg_anvil *zg_anvil_running_[ZG_ANVIL_MAX];

static inline void zg_anvil_stop(zg_anvil *a)
{
    if (!a || a->pid <= 0)
        return;
    kill(a->pid, SIGKILL);
    while (waitpid(a->pid, NULL, 0) < 0 && errno == EINTR)
        ;
    a->pid = 0;
    if (a->log[0])
        unlink(a->log);
    for (int i = 0; i < ZG_ANVIL_MAX; i++)
        if (zg_anvil_running_[i] == a)
            zg_anvil_running_[i] = NULL;
}

static inline void zg_anvil_stop_all_(void)
{
    for (int i = 0; i < ZG_ANVIL_MAX; i++)
        if (zg_anvil_running_[i])
            zg_anvil_stop(zg_anvil_running_[i]);
}

static inline void zg_anvil_sleep_ms_(long ms)
{
    struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
    while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
        ;
}

/* Reads the port from "Listening on 127.0.0.1:PORT" in the log; 0 if absent. */
static inline int zg_anvil_read_port_(const char *log)
{
    FILE *f = fopen(log, "r");
    if (!f)
        return 0;
    char line[512];
    int port = 0;
    while (fgets(line, sizeof line, f)) {
        const char *p = strstr(line, "Listening on 127.0.0.1:");
        if (p) {
            port = atoi(p + strlen("Listening on 127.0.0.1:"));
            break;
        }
    }
    fclose(f);
    return port;
}

static inline size_t zg_anvil_sink_(char *p, size_t sz, size_t n, void *ud)
{
    (void)p;
    (void)ud;
    return sz * n;
}

/* 1 when eth_chainId answers with HTTP 200. */
static inline int zg_anvil_answers_(const char *url)
{
    CURL *c = curl_easy_init();
    if (!c)
        return 0;
    struct curl_slist *h = curl_slist_append(NULL, "Content-Type: application/json");
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS,
                     "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_chainId\",\"params\":[]}");
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 2000L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, zg_anvil_sink_);
    long status = 0;
    int ok = curl_easy_perform(c) == CURLE_OK &&
             curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status) == CURLE_OK &&
             status == 200;
    curl_slist_free_all(h);
    curl_easy_cleanup(c);
    return ok;
}

/* Starts anvil with extra arguments (NULL-terminated list, may be NULL).
 * Returns 0 when it answers, -1 (with a message on stderr) otherwise. */
static inline int zg_anvil_start_args(zg_anvil *a, const char *const *extra)
{
    memset(a, 0, sizeof *a);
    const char *bin = getenv("ZG_ANVIL");
    if (!bin || !*bin) {
        fprintf(stderr, "zg_anvil: ZG_ANVIL is not set (run the test through ctest)\n");
        return -1;
    }
    int slot = -1;
    for (int i = 0; i < ZG_ANVIL_MAX && slot < 0; i++)
        if (!zg_anvil_running_[i])
            slot = i;
    if (slot < 0) {
        fprintf(stderr, "zg_anvil: more than %d anvils at once\n", ZG_ANVIL_MAX);
        return -1;
    }
    snprintf(a->log, sizeof a->log, "/tmp/zg-anvil-XXXXXX");
    int fd = mkstemp(a->log);
    if (fd < 0) {
        fprintf(stderr, "zg_anvil: cannot create a log file: %s\n", strerror(errno));
        a->log[0] = '\0';
        return -1;
    }
    const char *argv[40] = { bin, "--host", "127.0.0.1", "--port", "0" };
    int argc = 5;
    for (int i = 0; extra && extra[i] && argc < 39; i++)
        argv[argc++] = extra[i];
    argv[argc] = NULL;

    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid < 0) {
        fprintf(stderr, "zg_anvil: fork: %s\n", strerror(errno));
        close(fd);
        unlink(a->log);
        return -1;
    }
    if (pid == 0) {
        /* Child: die with the test process, whatever way it ends. */
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent)
            _exit(127);
        dup2(fd, 1);
        dup2(fd, 2);
        close(fd);
        int devnull = open("/dev/null", O_RDONLY);
        if (devnull >= 0)
            dup2(devnull, 0);
        execv(bin, (char *const *)argv);
        _exit(127);
    }
    close(fd);
    a->pid = pid;
    static int hooked; /* registering once per process is enough */
    if (!hooked) {
        hooked = 1;
        atexit(zg_anvil_stop_all_);
    }
    zg_anvil_running_[slot] = a;

    for (int waited = 0; waited < 30000; waited += 50) {
        int st;
        if (waitpid(pid, &st, WNOHANG) == pid) {
            a->pid = 0;
            zg_anvil_running_[slot] = NULL;
            fprintf(stderr, "zg_anvil: anvil exited early (see %s)\n", a->log);
            return -1;
        }
        if (!a->port)
            a->port = zg_anvil_read_port_(a->log);
        if (a->port) {
            snprintf(a->url, sizeof a->url, "http://127.0.0.1:%d", a->port);
            if (zg_anvil_answers_(a->url)) {
                /* anvil keeps writing to the open file; removing its name
                 * now leaves nothing behind even if the test crashes. */
                unlink(a->log);
                a->log[0] = '\0';
                return 0;
            }
        }
        zg_anvil_sleep_ms_(50);
    }
    fprintf(stderr, "zg_anvil: anvil did not answer within 30 s\n");
    zg_anvil_stop(a);
    return -1;
}

static inline int zg_anvil_start(zg_anvil *a)
{
    return zg_anvil_start_args(a, NULL);
}

#endif
