/* test_abi_cast.c - ABI encoding and decoding cross-checked against cast at
 * test time: random values of every type (deterministic PRNG; ZG_SEED
 * overrides the seed), encoded by us and by `cast abi-encode`, decoded by
 * us from cast's bytes and by `cast abi-decode --json` from ours; and
 * selectors / event topics against `cast sig` / `cast sig-event`. */
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zg_test.h"
#include "zg_rng.h"

#include "base/hex.h"
#include "eth/abi.h"

static zg_err err;
static zg_rng rng; /* seeded in main */
static uint64_t rnd(void)
{
    return zg_rng_next(&rng);
}

/* Runs argv, returns its stdout (malloc'ed, trailing newline removed). */
static char *run(char *const argv[])
{
    int fds[2];
    if (pipe(fds) != 0)
        return NULL;
    pid_t pid = fork();
    if (pid == 0) {
        dup2(fds[1], 1);
        close(fds[0]);
        close(fds[1]);
        int devnull = open("/dev/null", O_WRONLY);
        if (devnull >= 0)
            dup2(devnull, 2);
        execv(argv[0], argv);
        _exit(127);
    }
    close(fds[1]);
    zg_buf out;
    zg_buf_init(&out);
    char tmp[4096];
    ssize_t n;
    while ((n = read(fds[0], tmp, sizeof tmp)) > 0)
        zg_buf_append(&out, tmp, (size_t)n);
    close(fds[0]);
    int st;
    waitpid(pid, &st, 0);
    while (out.len && (out.data[out.len - 1] == '\n' || out.data[out.len - 1] == '\r'))
        out.len--;
    zg_buf_append_byte(&out, 0);
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
        fprintf(stderr, "%s %s failed: %s\n", argv[0], argv[1], (char *)out.data);
        zg_buf_free(&out);
        return NULL;
    }
    return (char *)out.data;
}

/* ---- random values: our JSON form and cast's argument text at once ---- */

static void put(zg_buf *b, const char *s)
{
    zg_buf_append(b, s, strlen(s));
}

/* A random 256-bit pattern biased towards edge cases, masked to `bits`. */
static void random_word(uint8_t w[32], unsigned bits)
{
    uint64_t pick = rnd() % 6;
    for (int i = 0; i < 32; i++)
        w[i] = pick == 0 ? 0 : pick == 1 ? 0xff : (uint8_t)rnd();
    if (pick == 2) /* small */
        memset(w, 0, 30);
    unsigned zero_bytes = 32 - bits / 8;
    memset(w, 0, zero_bytes);
}

static json_t *random_value(const zg_abi_type *t, zg_buf *cast, int top);

static json_t *random_number(const zg_abi_type *t, zg_buf *cast)
{
    uint8_t w[32];
    random_word(w, t->bits);
    zg_u256 x = zg_u256_from_be(w);
    int neg = t->kind == ZG_ABI_INT && (rnd() & 1);
    if (t->kind == ZG_ABI_INT) {
        /* |x| < 2^(M-1), or exactly 2^(M-1) when negative (the minimum). */
        unsigned top = t->bits - 1;
        x.w[top / 64] &= (1ull << (top % 64)) - 1;
        if (neg && (rnd() % 5 == 0)) {
            memset(&x, 0, sizeof x);
            x.w[top / 64] = 1ull << (top % 64);
        }
        if (neg && zg_u256_is_zero(&x))
            neg = 0;
    }
    char dec[ZG_U256_DEC_MAX + 1];
    dec[0] = '-';
    zg_u256_to_dec(&x, dec + neg);
    put(cast, dec);
    return json_string(dec);
}

static json_t *random_bytes(size_t n, int fixed, zg_buf *cast)
{
    uint8_t p[64];
    for (size_t i = 0; i < n; i++)
        p[i] = (uint8_t)rnd();
    char hex[2 * 64 + 3];
    zg_hex_encode(p, n, hex);
    (void)fixed;
    put(cast, hex);
    return json_string(hex);
}

static json_t *random_string(zg_buf *cast, int top)
{
    static const char alphabet[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 _-.";
    size_t n = rnd() % 4 == 0 ? 0 : rnd() % 45;
    char s[64];
    for (size_t i = 0; i < n; i++)
        s[i] = alphabet[rnd() % (sizeof alphabet - 1)];
    /* cast trims spaces at either end of a string argument (seen with
     * ZG_SEED=109974432947715: "...ws0 " came back without its space), so
     * spaces stay inside */
    if (n > 0 && s[0] == ' ') s[0] = '_';
    if (n > 0 && s[n - 1] == ' ') s[n - 1] = '_';
    s[n] = 0;
    /* Inside arrays and tuples cast wants strings quoted. */
    if (!top)
        put(cast, "\"");
    put(cast, s);
    if (!top)
        put(cast, "\"");
    return json_string(s);
}

static json_t *random_items(const zg_abi_type *t, size_t n, zg_buf *cast, char open, char close)
{
    json_t *a = json_array();
    zg_buf_append_byte(cast, (uint8_t)open);
    for (size_t i = 0; i < n; i++) {
        if (i)
            put(cast, ",");
        const zg_abi_type *ct = t->kind == ZG_ABI_TUPLE ? t->fields[i] : t->elem;
        json_array_append_new(a, random_value(ct, cast, 0));
    }
    zg_buf_append_byte(cast, (uint8_t)close);
    return a;
}

static json_t *random_value(const zg_abi_type *t, zg_buf *cast, int top)
{
    switch (t->kind) {
    case ZG_ABI_UINT:
    case ZG_ABI_INT:
        return random_number(t, cast);
    case ZG_ABI_BOOL: {
        int b = (int)(rnd() & 1);
        put(cast, b ? "true" : "false");
        return json_boolean(b);
    }
    case ZG_ABI_ADDRESS: {
        zg_address a;
        for (int i = 0; i < 20; i++)
            a.b[i] = (uint8_t)rnd();
        char s[ZG_ADDRESS_STR_MAX];
        zg_address_to_checksum(&a, s);
        put(cast, s);
        return json_string(s);
    }
    case ZG_ABI_FBYTES:
        return random_bytes(t->bits, 1, cast);
    case ZG_ABI_BYTES:
        return random_bytes(rnd() % 4 == 0 ? 0 : rnd() % 64, 0, cast);
    case ZG_ABI_STRING:
        return random_string(cast, top);
    case ZG_ABI_ARRAY:
        return random_items(t, t->len, cast, '[', ']');
    case ZG_ABI_DARRAY:
        return random_items(t, rnd() % 4, cast, '[', ']');
    case ZG_ABI_TUPLE:
        return random_items(t, t->n_fields, cast, '(', ')');
    }
    return NULL;
}

/* cast prints small integers as bare JSON numbers (even above 2^63, which
 * jansson cannot hold): quote every bare number so both sides are strings. */
static char *quote_numbers(const char *s)
{
    zg_buf b;
    zg_buf_init(&b);
    int in_str = 0;
    for (size_t i = 0; s[i]; i++) {
        char c = s[i];
        if (in_str) {
            zg_buf_append_byte(&b, (uint8_t)c);
            if (c == '\\' && s[i + 1])
                zg_buf_append_byte(&b, (uint8_t)s[++i]);
            else if (c == '"')
                in_str = 0;
        } else if (c == '"') {
            in_str = 1;
            zg_buf_append_byte(&b, '"');
        } else if (c == '-' || (c >= '0' && c <= '9')) {
            zg_buf_append_byte(&b, '"');
            while (s[i] == '-' || (s[i] >= '0' && s[i] <= '9'))
                zg_buf_append_byte(&b, (uint8_t)s[i++]);
            zg_buf_append_byte(&b, '"');
            i--;
        } else {
            zg_buf_append_byte(&b, (uint8_t)c);
        }
    }
    zg_buf_append_byte(&b, 0);
    return (char *)b.data;
}

static void check_sample(const char *cast, const char *sig, const zg_abi_sig *s)
{
    const zg_abi_type *t = s->inputs;
    /* One cast argument per top-level parameter. */
    zg_buf args[16];
    json_t *want = json_array();
    for (size_t i = 0; i < t->n_fields; i++) {
        zg_buf_init(&args[i]);
        json_array_append_new(want, random_value(t->fields[i], &args[i], 1));
        zg_buf_append_byte(&args[i], 0);
    }
    char *argv[24] = { (char *)cast, "abi-encode", (char *)sig };
    for (size_t i = 0; i < t->n_fields; i++)
        argv[3 + i] = (char *)args[i].data;
    argv[3 + t->n_fields] = NULL;
    char *want_s = json_dumps(want, JSON_COMPACT);

    /* 1. Our encoding equals cast's. */
    zg_abi_value *v = NULL;
    CHECK_OK(zg_abi_value_parse_json(t, want_s, &v, &err));
    zg_buf ours;
    zg_buf_init(&ours);
    if (v)
        CHECK_OK(zg_abi_encode(v, &ours, &err));
    char *ours_hex = malloc(2 * ours.len + 3);
    zg_hex_encode(ours.data, ours.len, ours_hex);
    char *theirs = run(argv);
    CHECK_MSG(theirs && strcmp(theirs, ours_hex) == 0, "%s %s: encodings differ", sig, want_s);

    /* 2. We decode cast's bytes back to the same values. */
    if (theirs) {
        zg_buf tb;
        zg_buf_init(&tb);
        zg_hex_decode_buf(theirs, &tb, &err);
        zg_abi_value *d = NULL;
        CHECK_OK(zg_abi_decode(t, tb.data, tb.len, &d, &err));
        if (d) {
            json_t *got = zg_abi_value_to_json(d);
            CHECK_MSG(json_equal(got, want), "%s: decoding cast's bytes differs", sig);
            json_decref(got);
        }
        zg_abi_value_free(d);
        zg_buf_free(&tb);
    }

    /* 3. cast decodes our bytes to the same values. */
    char *canon = zg_abi_type_canonical(t);
    char dsig[1024];
    snprintf(dsig, sizeof dsig, "f()%s", canon);
    char *dargv[] = { (char *)cast, "abi-decode", "--json", dsig, ours_hex, NULL };
    char *decoded = run(dargv);
    if (decoded) {
        char *q = quote_numbers(decoded);
        json_t *got = json_loads(q, 0, NULL);
        CHECK_MSG(got && json_equal(got, want), "%s: cast decodes our bytes as %s, want %s", sig, q, want_s);
        json_decref(got);
        free(q);
    } else {
        CHECK_MSG(0, "cast abi-decode failed on %s", ours_hex);
    }
    free(decoded);
    free(canon);
    free(theirs);
    free(ours_hex);
    zg_buf_free(&ours);
    zg_abi_value_free(v);
    free(want_s);
    json_decref(want);
    for (size_t i = 0; i < t->n_fields; i++)
        zg_buf_free(&args[i]);
}

static const char *cast_bin;

static void test_random_values(void)
{
    static const char *const sigs[] = {
        "f(uint8,int256,address,bool,bytes,string,bytes32,uint256[],(uint64,string)[2])",
        "g(int8,uint24,int40,bytes1,bytes7,uint256[3],string[],(bool,address)[],int16[2][],bytes[])",
        "h(uint128,int64,uint160,int200,bytes20,(string,(uint8,bytes)[],bool[2]),string[2][])",
    };
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
        zg_abi_sig *s;
        CHECK_OK(zg_abi_sig_parse(sigs[i], &s, &err));
        if (!s)
            continue;
        for (int k = 0; k < 5; k++)
            check_sample(cast_bin, sigs[i], s);
        zg_abi_sig_free(s);
    }
}

static void test_selectors(void)
{
    static const char *const fns[] = {
        "transfer(address,uint256)", "settleFees((uint32,address,uint64,uint64,uint256,uint256[8])[])",
        "addOrUpdateService(string,string,string,string,string,uint256,uint256,string)",
        "f(uint8[3][],(bool,(string,bytes32)[])[2])",
    };
    for (size_t i = 0; i < sizeof fns / sizeof fns[0]; i++) {
        uint8_t sel[4];
        char hex[16];
        CHECK_OK(zg_abi_selector(fns[i], sel, &err));
        zg_hex_encode(sel, 4, hex);
        char *argv[] = { (char *)cast_bin, "sig", (char *)fns[i], NULL };
        char *c = run(argv);
        CHECK_MSG(c && strcmp(c, hex) == 0, "%s: ours %s, cast %s", fns[i], hex, c ? c : "?");
        free(c);
    }
    static const char *const events[] = {
        "Transfer(address indexed,address indexed,uint256)",
        "ServiceUpdated(address indexed,string indexed,string,uint256,uint256)",
        "Refund(address,(uint256,uint64,bool)[])",
    };
    for (size_t i = 0; i < sizeof events / sizeof events[0]; i++) {
        uint8_t topic[32];
        char hex[70];
        CHECK_OK(zg_abi_event_topic(events[i], topic, &err));
        zg_hex_encode(topic, 32, hex);
        char *argv[] = { (char *)cast_bin, "sig-event", (char *)events[i], NULL };
        char *c = run(argv);
        CHECK_MSG(c && strcmp(c, hex) == 0, "%s: ours %s, cast %s", events[i], hex, c ? c : "?");
        free(c);
    }
}

int main(void)
{
    cast_bin = getenv("ZG_CAST");
    if (!cast_bin || access(cast_bin, X_OK) != 0) {
        fprintf(stderr, "ZG_CAST is not set or not executable: run through ctest\n");
        return 1;
    }
    zg_rng_seed(&rng, "test_abi_cast");
    ZG_RUN(test_random_values);
    ZG_RUN(test_selectors);
    ZG_TEST_END();
}
