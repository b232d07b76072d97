/*
 * fq12.c - Fq6 and Fq12 arithmetic of the BN254 tower (see fq12.h).
 *
 * Multiplications use Karatsuba (Devegili, O hEigeartaigh, Scott, Dahab,
 * "Multiplication and Squaring on Pairing-Friendly Fields", 2006).
 */
#include "zk/fq12.h"

/* gamma[k-1][i-1] = xi^(i (q^k - 1)/6) in Montgomery form; computed with
 * Python's integers from q and xi = 9 + u (decimal values beside each). */
const zg_fq2 zg_bn254_gamma[3][5] = {
    {
    {{.v = {0xaf9ba69633144907ULL, 0xca6b1d7387afb78aULL, 0x11bded5ef08a2087ULL, 0x02f34d751a1f3a7cULL}}, {.v = {0xa222ae234c492d72ULL, 0xd00f02a4565de15bULL, 0xdc2ff3a253dfc926ULL, 0x10a75716b3899551ULL}}}, /* 8376118865763821496583973867626364092589906065868298776909617916018768340080 + 16469823323077808223889137241176536799009286646108169935659301613961712198316*u */
    {{.v = {0xb5773b104563ab30ULL, 0x347f91c8a9aa6454ULL, 0x7a007127242e0991ULL, 0x1956bcd8118214ecULL}}, {.v = {0x6e849f1ea0aa4757ULL, 0xaa1c7b6d89f89141ULL, 0xb6e713cdfae0ca3aULL, 0x26694fbb4e82ebc3ULL}}}, /* 21575463638280843010398324269430826099269044274347216827212613867836435027261 + 10307601595873709700152284273816112264069230130616436755625194854815875713954*u */
    {{.v = {0xe4bbdd0c2936b629ULL, 0xbb30f162e133bacbULL, 0x31a9d1b6f9645366ULL, 0x253570bea500f8ddULL}}, {.v = {0xa1d77ce45ffe77c7ULL, 0x07affd117826d1dbULL, 0x6d16bd27bb7edc6bULL, 0x2c87200285defeccULL}}}, /* 2821565182194536844548159561693502659359617185244120367078079554186484126554 + 3505843767911556378687030309984248845540243509899259641013678093033130930403*u */
    {{.v = {0x7361d77f843abe92ULL, 0xa5bb2bd3273411fbULL, 0x9c941f314b3e2399ULL, 0x15df9cddbb9fd3ecULL}}, {.v = {0x5dddfd154bd8c949ULL, 0x62cb29a5a4445b60ULL, 0x37bc870a0c7dd2b9ULL, 0x24830a9d3171f0fdULL}}}, /* 2581911344467009335267311115468803099551665605076196740867805258568234346338 + 19937756971775647987995932169929341994314640652964949448313374472400716661030*u */
    {{.v = {0xc970692f41690fe7ULL, 0xe240342127694b0bULL, 0x32bee66b83c459e8ULL, 0x12aabced0ab08841ULL}}, {.v = {0x0d485d2340aebfa9ULL, 0x05193418ab2fcc57ULL, 0xd3b0a40b8a4910f5ULL, 0x2f21ebb535d2925aULL}}}, /* 685108087231508774477564247770172212460312782337200605669322048753928464687 + 8447204650696766136447902020341177575205426561248465145919723016860428151883*u */
    },
    {
    {{.v = {0xca8d800500fa1bf2ULL, 0xf0c5d61468b39769ULL, 0x0e201271ad0d4418ULL, 0x04290f65bad856e6ULL}}, {.v = {0x0000000000000000ULL, 0x0000000000000000ULL, 0x0000000000000000ULL, 0x0000000000000000ULL}}}, /* 21888242871839275220042445260109153167277707414472061641714758635765020556617 + 0*u */
    {{.v = {0x3350c88e13e80b9cULL, 0x7dce557cdb5e56b9ULL, 0x6001b4b8b615564aULL, 0x2682e617020217e0ULL}}, {.v = {0x0000000000000000ULL, 0x0000000000000000ULL, 0x0000000000000000ULL, 0x0000000000000000ULL}}}, /* 21888242871839275220042445260109153167277707414472061641714758635765020556616 + 0*u */
    {{.v = {0x68c3488912edefaaULL, 0x8d087f6872aabf4fULL, 0x51e1a24709081231ULL, 0x2259d6b14729c0faULL}}, {.v = {0x0000000000000000ULL, 0x0000000000000000ULL, 0x0000000000000000ULL, 0x0000000000000000ULL}}}, /* 21888242871839275222246405745257275088696311157297823662689037894645226208582 + 0*u */
    {{.v = {0x71930c11d782e155ULL, 0xa6bb947cffbe3323ULL, 0xaa303344d4741444ULL, 0x2c3b3f0d26594943ULL}}, {.v = {0x0000000000000000ULL, 0x0000000000000000ULL, 0x0000000000000000ULL, 0x0000000000000000ULL}}}, /* 2203960485148121921418603742825762020974279258880205651966 + 0*u */
    {{.v = {0x08cfc388c494f1abULL, 0x19b315148d1373d4ULL, 0x584e90fdcb6c0213ULL, 0x09e1685bdf2f8849ULL}}, {.v = {0x0000000000000000ULL, 0x0000000000000000ULL, 0x0000000000000000ULL, 0x0000000000000000ULL}}}, /* 2203960485148121921418603742825762020974279258880205651967 + 0*u */
    },
    {
    {{.v = {0x365316184e46d97dULL, 0x0af7129ed4c96d9fULL, 0x659da72fca1009b5ULL, 0x08116d8983a20d23ULL}}, {.v = {0xb1df4af7c39c1939ULL, 0x3d9f02878a73bf7fULL, 0x9b2220928caf0ae0ULL, 0x26684515eff054a6ULL}}}, /* 11697423496358154304825782922584725312912383441159505038794027105778954184319 + 303847389135065887422783454877609941456349188919719272345083954437860409601*u */
    {{.v = {0xc9af22f716ad6badULL, 0xb311782a4aa662b2ULL, 0x19eeaf64e248c7f4ULL, 0x20273e77e3439f82ULL}}, {.v = {0xacc02860f7ce93acULL, 0x3933d5817ba76b4cULL, 0x69e6188b446c8467ULL, 0x0a46036d4417cc55ULL}}}, /* 3772000881919853776433695186713858239009073593817195771773381919316419345261 + 2236595495967245188281701248203181795121068902605861227855261137820944008926*u */
    {{.v = {0x5764af0aaf46471eULL, 0xdc50792e873e0fc1ULL, 0x86a673ff881d04f6ULL, 0x0b2eddb43c30a74cULL}}, {.v = {0x9a490f32787e8580ULL, 0x8fd16d7ff04af8b1ULL, 0x4b39888ec6027bf2ULL, 0x03dd2e705b52a15dULL}}}, /* 19066677689644738377698246183563772429336693972053703295610958340458742082029 + 18382399103927718843559375435273026243156067647398564021675359801612095278180*u */
    {{.v = {0x448a93a57b6762dfULL, 0xbfd62df528fdeadfULL, 0xd858f5d00e9bd47aULL, 0x06b03d4d3476ec58ULL}}, {.v = {0x2b19daf4bcc936d1ULL, 0xa1a54e7a56f4299fULL, 0xb533eee05adeaef1ULL, 0x170c812b84dda0b2ULL}}}, /* 5324479202449903542726783395506214481928257762400643279780343368557297135718 + 16208900380737693084919495127334387981393726419856888799917914180988844123039*u */
    {{.v = {0xe0bc4b2275cf559fULL, 0xc238b945c154e60fULL, 0x803982a5929a7d5eULL, 0x15ce052df7e4a37eULL}}, {.v = {0x2d28efbdbf3799a7ULL, 0x9b097e3c1ad60773ULL, 0x982d4113af4a535bULL, 0x24e18991e3056063ULL}}}, /* 8941241848238582420466759817324047081148088512956452953208002715982955420483 + 10338197737521362862238855242243140895517409139741313354160881284257516364953*u */
    },
};

void zg_fq6_zero(zg_fq6 *r) { zg_fq2_zero(&r->c0); zg_fq2_zero(&r->c1); zg_fq2_zero(&r->c2); }
void zg_fq6_one(zg_fq6 *r) { zg_fq2_one(&r->c0); zg_fq2_zero(&r->c1); zg_fq2_zero(&r->c2); }
int zg_fq6_is_zero(const zg_fq6 *a)
{ return zg_fq2_is_zero(&a->c0) & zg_fq2_is_zero(&a->c1) & zg_fq2_is_zero(&a->c2); }
int zg_fq6_eq(const zg_fq6 *a, const zg_fq6 *b)
{ return zg_fq2_eq(&a->c0, &b->c0) & zg_fq2_eq(&a->c1, &b->c1) & zg_fq2_eq(&a->c2, &b->c2); }

void zg_fq6_add(zg_fq6 *r, const zg_fq6 *a, const zg_fq6 *b)
{
    zg_fq2_add(&r->c0, &a->c0, &b->c0);
    zg_fq2_add(&r->c1, &a->c1, &b->c1);
    zg_fq2_add(&r->c2, &a->c2, &b->c2);
}

void zg_fq6_sub(zg_fq6 *r, const zg_fq6 *a, const zg_fq6 *b)
{
    zg_fq2_sub(&r->c0, &a->c0, &b->c0);
    zg_fq2_sub(&r->c1, &a->c1, &b->c1);
    zg_fq2_sub(&r->c2, &a->c2, &b->c2);
}

void zg_fq6_neg(zg_fq6 *r, const zg_fq6 *a)
{ zg_fq2_neg(&r->c0, &a->c0); zg_fq2_neg(&r->c1, &a->c1); zg_fq2_neg(&r->c2, &a->c2); }

void zg_fq6_mul(zg_fq6 *r, const zg_fq6 *a, const zg_fq6 *b)
{
    zg_fq2 t0, t1, t2, s, u, c0, c1, c2;
    zg_fq2_mul(&t0, &a->c0, &b->c0);
    zg_fq2_mul(&t1, &a->c1, &b->c1);
    zg_fq2_mul(&t2, &a->c2, &b->c2);
    /* c0 = t0 + xi ((a1 + a2)(b1 + b2) - t1 - t2) */
    zg_fq2_add(&s, &a->c1, &a->c2);
    zg_fq2_add(&u, &b->c1, &b->c2);
    zg_fq2_mul(&s, &s, &u);
    zg_fq2_sub(&s, &s, &t1);
    zg_fq2_sub(&s, &s, &t2);
    zg_fq2_mul_xi(&s, &s);
    zg_fq2_add(&c0, &s, &t0);
    /* c1 = (a0 + a1)(b0 + b1) - t0 - t1 + xi t2 */
    zg_fq2_add(&s, &a->c0, &a->c1);
    zg_fq2_add(&u, &b->c0, &b->c1);
    zg_fq2_mul(&s, &s, &u);
    zg_fq2_sub(&s, &s, &t0);
    zg_fq2_sub(&s, &s, &t1);
    zg_fq2_mul_xi(&u, &t2);
    zg_fq2_add(&c1, &s, &u);
    /* c2 = (a0 + a2)(b0 + b2) - t0 - t2 + t1 */
    zg_fq2_add(&s, &a->c0, &a->c2);
    zg_fq2_add(&u, &b->c0, &b->c2);
    zg_fq2_mul(&s, &s, &u);
    zg_fq2_sub(&s, &s, &t0);
    zg_fq2_sub(&s, &s, &t2);
    zg_fq2_add(&c2, &s, &t1);
    r->c0 = c0; r->c1 = c1; r->c2 = c2;
}

void zg_fq6_sqr(zg_fq6 *r, const zg_fq6 *a) { zg_fq6_mul(r, a, a); }

void zg_fq6_mul_v(zg_fq6 *r, const zg_fq6 *a)
{
    zg_fq2 t;
    zg_fq2_mul_xi(&t, &a->c2);
    r->c2 = a->c1;
    r->c1 = a->c0;
    r->c0 = t;
}

/* The adjugate formula: A = a0^2 - xi a1 a2, B = xi a2^2 - a0 a1,
 * C = a1^2 - a0 a2, F = a0 A + xi (a2 B + a1 C); a^-1 = (A, B, C) / F. */
void zg_fq6_inv(zg_fq6 *r, const zg_fq6 *a)
{
    zg_fq2 A, B, C, F, t;
    zg_fq2_sqr(&A, &a->c0);
    zg_fq2_mul(&t, &a->c1, &a->c2);
    zg_fq2_mul_xi(&t, &t);
    zg_fq2_sub(&A, &A, &t);
    zg_fq2_sqr(&B, &a->c2);
    zg_fq2_mul_xi(&B, &B);
    zg_fq2_mul(&t, &a->c0, &a->c1);
    zg_fq2_sub(&B, &B, &t);
    zg_fq2_sqr(&C, &a->c1);
    zg_fq2_mul(&t, &a->c0, &a->c2);
    zg_fq2_sub(&C, &C, &t);
    zg_fq2_mul(&F, &a->c2, &B);
    zg_fq2_mul(&t, &a->c1, &C);
    zg_fq2_add(&F, &F, &t);
    zg_fq2_mul_xi(&F, &F);
    zg_fq2_mul(&t, &a->c0, &A);
    zg_fq2_add(&F, &F, &t);
    zg_fq2_inv(&F, &F);
    zg_fq2_mul(&r->c0, &A, &F);
    zg_fq2_mul(&r->c1, &B, &F);
    zg_fq2_mul(&r->c2, &C, &F);
}

void zg_fq12_zero(zg_fq12 *r) { zg_fq6_zero(&r->c0); zg_fq6_zero(&r->c1); }
void zg_fq12_one(zg_fq12 *r) { zg_fq6_one(&r->c0); zg_fq6_zero(&r->c1); }

int zg_fq12_is_one(const zg_fq12 *a)
{
    zg_fq12 one;
    zg_fq12_one(&one);
    return zg_fq12_eq(a, &one);
}

int zg_fq12_eq(const zg_fq12 *a, const zg_fq12 *b)
{ return zg_fq6_eq(&a->c0, &b->c0) & zg_fq6_eq(&a->c1, &b->c1); }

void zg_fq12_mul(zg_fq12 *r, const zg_fq12 *a, const zg_fq12 *b)
{
    zg_fq6 t0, t1, s, u;
    zg_fq6_mul(&t0, &a->c0, &b->c0);
    zg_fq6_mul(&t1, &a->c1, &b->c1);
    zg_fq6_add(&s, &a->c0, &a->c1);
    zg_fq6_add(&u, &b->c0, &b->c1);
    zg_fq6_mul(&s, &s, &u);
    zg_fq6_sub(&s, &s, &t0);
    zg_fq6_sub(&r->c1, &s, &t1);
    zg_fq6_mul_v(&t1, &t1);
    zg_fq6_add(&r->c0, &t0, &t1);
}

/* Complex squaring: c0 = (a0 + a1)(a0 + v a1) - t - v t, c1 = 2t, t = a0 a1. */
void zg_fq12_sqr(zg_fq12 *r, const zg_fq12 *a)
{
    zg_fq6 t, s, u, vt;
    zg_fq6_mul(&t, &a->c0, &a->c1);
    zg_fq6_add(&s, &a->c0, &a->c1);
    zg_fq6_mul_v(&u, &a->c1);
    zg_fq6_add(&u, &u, &a->c0);
    zg_fq6_mul(&s, &s, &u);
    zg_fq6_mul_v(&vt, &t);
    zg_fq6_sub(&s, &s, &t);
    zg_fq6_sub(&r->c0, &s, &vt);
    zg_fq6_add(&r->c1, &t, &t);
}

/* (a0 + a1 w)^-1 = (a0 - a1 w) / (a0^2 - v a1^2). */
void zg_fq12_inv(zg_fq12 *r, const zg_fq12 *a)
{
    zg_fq6 t0, t1;
    zg_fq6_sqr(&t0, &a->c0);
    zg_fq6_sqr(&t1, &a->c1);
    zg_fq6_mul_v(&t1, &t1);
    zg_fq6_sub(&t0, &t0, &t1);
    zg_fq6_inv(&t0, &t0);
    zg_fq6_mul(&r->c0, &a->c0, &t0);
    zg_fq6_mul(&t1, &a->c1, &t0);
    zg_fq6_neg(&r->c1, &t1);
}

void zg_fq12_conj(zg_fq12 *r, const zg_fq12 *a)
{
    r->c0 = a->c0;
    zg_fq6_neg(&r->c1, &a->c1);
}

/* In the basis w^i (i = 0..5): c0 = (w^0, w^2, w^4), c1 = (w^1, w^3, w^5).
 * (g w^i)^(q^k) = conj^k(g) w^i xi^(i (q^k - 1)/6). */
void zg_fq12_frobenius(zg_fq12 *r, const zg_fq12 *a, int k)
{
    zg_fq2 *out[6] = {&r->c0.c0, &r->c1.c0, &r->c0.c1, &r->c1.c1, &r->c0.c2, &r->c1.c2};
    const zg_fq2 *in[6] = {&a->c0.c0, &a->c1.c0, &a->c0.c1, &a->c1.c1, &a->c0.c2, &a->c1.c2};
    zg_fq2 g[6];
    for (int i = 0; i < 6; i++) {
        g[i] = *in[i];
        if (k & 1) zg_fq2_conj(&g[i], &g[i]);
        if (i > 0) zg_fq2_mul(&g[i], &g[i], &zg_bn254_gamma[k - 1][i - 1]);
    }
    for (int i = 0; i < 6; i++) *out[i] = g[i];
}

void zg_fq12_pow(zg_fq12 *r, const zg_fq12 *a, const uint64_t *e, size_t n)
{
    zg_fq12 acc;
    zg_fq12_one(&acc);
    int started = 0;
    for (size_t i = n; i-- > 0;)
        for (int b = 63; b >= 0; b--) {
            if (started) zg_fq12_sqr(&acc, &acc);
            if ((e[i] >> b) & 1) {
                zg_fq12_mul(&acc, &acc, a);
                started = 1;
            }
        }
    *r = acc;
}
