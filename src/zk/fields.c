/*
 * fields.c - the constants of the two BN254 fields.
 *
 * The moduli are those of EIP-196/197 (the BN254 curve of Ethereum's
 * precompiles, "alt_bn128"). Every other constant is derived from its modulus
 * (R = 2^256) and was computed with Python's integers; tests/zk/test_fields.c
 * recomputes each of them from the modulus with GMP.
 */
#include "zk/fq.h"
#include "zk/fr.h"

const zg_mont_field zg_fr_field = {
    .name = "BN254 Fr",
    .p = {0x43e1f593f0000001ULL, 0x2833e84879b97091ULL, 0xb85045b68181585dULL, 0x30644e72e131a029ULL},
    .pinv = 0xc2e1f593efffffffULL,
    .r1 = {0xac96341c4ffffffbULL, 0x36fc76959f60cd29ULL, 0x666ea36f7879462eULL, 0x0e0a77c19a07df2fULL},
    .r2 = {0x1bb8e645ae216da7ULL, 0x53fe3ab1e35c59e3ULL, 0x8c49833d53bb8085ULL, 0x0216d0b17f4e44a5ULL},
    .pm2 = {0x43e1f593efffffffULL, 0x2833e84879b97091ULL, 0xb85045b68181585dULL, 0x30644e72e131a029ULL},
    .half = {0xa1f0fac9f8000000ULL, 0x9419f4243cdcb848ULL, 0xdc2822db40c0ac2eULL, 0x183227397098d014ULL},
    .two_adicity = 28,
    .tm1h = {0xcdcb848a1f0fac9fULL, 0x0c0ac2e9419f4243ULL, 0x098d014dc2822db4ULL, 0x0000000183227397ULL},
    /* 5^t: 5 is the least quadratic non-residue of Fr. */
    .root = {0x636e735580d13d9cULL, 0xa22bf3742445ffd6ULL, 0x56452ac01eb203d8ULL, 0x1860ef942963f9e7ULL},
};

const zg_mont_field zg_fq_field = {
    .name = "BN254 Fq",
    .p = {0x3c208c16d87cfd47ULL, 0x97816a916871ca8dULL, 0xb85045b68181585dULL, 0x30644e72e131a029ULL},
    .pinv = 0x87d20782e4866389ULL,
    .r1 = {0xd35d438dc58f0d9dULL, 0x0a78eb28f5c70b3dULL, 0x666ea36f7879462cULL, 0x0e0a77c19a07df2fULL},
    .r2 = {0xf32cfc5b538afa89ULL, 0xb5e71911d44501fbULL, 0x47ab1eff0a417ff6ULL, 0x06d89f71cab8351fULL},
    .pm2 = {0x3c208c16d87cfd45ULL, 0x97816a916871ca8dULL, 0xb85045b68181585dULL, 0x30644e72e131a029ULL},
    .half = {0x9e10460b6c3e7ea3ULL, 0xcbc0b548b438e546ULL, 0xdc2822db40c0ac2eULL, 0x183227397098d014ULL},
    .two_adicity = 1,
    .tm1h = {0x4f082305b61f3f51ULL, 0x65e05aa45a1c72a3ULL, 0x6e14116da0605617ULL, 0x0c19139cb84c680aULL},
    /* 3^t: 3 is the least quadratic non-residue of Fq. */
    .root = {0x68c3488912edefaaULL, 0x8d087f6872aabf4fULL, 0x51e1a24709081231ULL, 0x2259d6b14729c0faULL},
};
