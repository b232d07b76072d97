/* test_cast_keccak.c - keccak256 of random inputs equals `cast keccak`. */
#include "zg_test.h"

#include "base/hex.h"
#include "eth/keccak.h"
#include "eth/zg_cast.h"

static zg_rng rng;

static void test_random_inputs(void)
{
    uint8_t data[400], h[32];
    char hx[2 * sizeof data + 3], mine[67], theirs[128];
    for (int i = 0; i < 30; i++) {
        /* lengths cluster around the 136-byte rate boundaries */
        size_t n = i < 6 ? (size_t)(135 + i) : (size_t)(zg_rng_next(&rng) % sizeof data);
        zg_rng_bytes(&rng, data, n);
        zg_hex_encode(data, n, hx);
        zg_keccak256(data, n, h);
        zg_hex_encode(h, 32, mine);
        int rc = zg_cast(theirs, sizeof theirs, "keccak %s", hx);
        CHECK_MSG(rc == 0 && strcmp(mine, theirs) == 0, "len %zu: ours %s, cast %s", n, mine,
                  theirs);
    }
}

int main(void)
{
    zg_rng_seed(&rng, "test_cast_keccak");
    if (!zg_cast_path())
        return 1;
    ZG_RUN(test_random_inputs);
    ZG_TEST_END();
}
