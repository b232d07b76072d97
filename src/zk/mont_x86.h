/*
 * mont_x86.h - the hot operations of mont.h in x86-64 assembly.
 *
 * Addition and subtraction (any x86-64): gcc turns the portable C's carry
 * chains into far slower code (measured here, BN254 Fq, independent
 * operations: add 8.3 ns in C against 1.7 ns here, subtract 6.3 against 1.8).
 * Both keep the portable form's results and constant time (sbb/cmov, no
 * branch on the values).
 *
 * Multiplication, for CPUs with BMI2 (mulx) and ADX (adcx/adox): two independent carry
 * chains, one through CF for the high halves and one through OF for the low
 * halves, so the partial products of a row add up without waiting on each
 * other. gcc does not produce this from C (it keeps one chain through CF).
 *
 * Same algorithm as zg_mont_mul_portable (no-carry CIOS, 4 x 64-bit limbs,
 * p's top limb below 2^63 - 1) and the same result for every input; the
 * final "subtract p once" is a sbb chain with cmov, so it stays constant
 * time. tests/zk/test_fields.c compares the two on random and edge values.
 * Measured (this 2-core EPYC, gcc 12 -O2, BN254 Fq): 13.2 ns per product
 * against 25.6 ns for the portable C.
 *
 * Compiled only when the compiler targets BMI2 and ADX (the build adds
 * -mbmi2 -madx when the build machine has them: ZG_X86_ADX in CMake).
 *
 * Included by mont.h on x86-64; the portable forms stay there, for other
 * CPUs and for tests/zk/test_fields.c, which checks that both agree.
 */
#ifndef ZG_ZK_MONT_X86_H
#define ZG_ZK_MONT_X86_H

#include <stdint.h>

/* The inputs as memory operands, so the compiler knows what the asm reads. */
#define ZG_X86_READS(a, b, p) \
    "m"(*(const uint64_t(*)[4])(a)), "m"(*(const uint64_t(*)[4])(b)), "m"(*(const uint64_t(*)[4])(p))

/* t = a, the first step of add and sub. */
#define ZG_X86_LOAD_A                 \
    "movq (%[a]), %[t0]\n\t"          \
    "movq 8(%[a]), %[t1]\n\t"         \
    "movq 16(%[a]), %[t2]\n\t"        \
    "movq 24(%[a]), %[t3]\n\t"

/* Add and sub: the result in t0..t3, scratch in u0..u3, inputs a, b, p. */
#define ZG_X86_ADDSUB_OPERANDS(a, b, p)                                                \
    : [t0] "=&r"(t0), [t1] "=&r"(t1), [t2] "=&r"(t2), [t3] "=&r"(t3),                \
      [u0] "=&r"(u0), [u1] "=&r"(u1), [u2] "=&r"(u2), [u3] "=&r"(u3)                 \
    : [a] "r"(a), [b] "r"(b), [p] "r"(p), ZG_X86_READS(a, b, p)                      \
    : "cc"

static inline void zg_x86_store(uint64_t r[4], uint64_t t0, uint64_t t1, uint64_t t2, uint64_t t3)
{
    r[0] = t0;
    r[1] = t1;
    r[2] = t2;
    r[3] = t3;
}

/* r = a + b mod p, for a, b < p < 2^255. */
static inline void zg_mont_add_x86(uint64_t r[4], const uint64_t a[4], const uint64_t b[4],
                                   const uint64_t p[4])
{
    uint64_t t0, t1, t2, t3, u0, u1, u2, u3;
    __asm__(ZG_X86_LOAD_A
            "addq (%[b]), %[t0]\n\t"
            "adcq 8(%[b]), %[t1]\n\t"
            "adcq 16(%[b]), %[t2]\n\t"
            "adcq 24(%[b]), %[t3]\n\t"
            /* the sum is below 2p: keep sum - p unless that borrows */
            "movq %[t0], %[u0]\n\t"
            "subq (%[p]), %[u0]\n\t"
            "movq %[t1], %[u1]\n\t"
            "sbbq 8(%[p]), %[u1]\n\t"
            "movq %[t2], %[u2]\n\t"
            "sbbq 16(%[p]), %[u2]\n\t"
            "movq %[t3], %[u3]\n\t"
            "sbbq 24(%[p]), %[u3]\n\t"
            "cmovncq %[u0], %[t0]\n\t"
            "cmovncq %[u1], %[t1]\n\t"
            "cmovncq %[u2], %[t2]\n\t"
            "cmovncq %[u3], %[t3]\n\t"
            ZG_X86_ADDSUB_OPERANDS(a, b, p));
    zg_x86_store(r, t0, t1, t2, t3);
}

/* r = a - b mod p, for a, b < p. */
static inline void zg_mont_sub_x86(uint64_t r[4], const uint64_t a[4], const uint64_t b[4],
                                   const uint64_t p[4])
{
    uint64_t t0, t1, t2, t3, u0, u1, u2, u3;
    __asm__(ZG_X86_LOAD_A
            "subq (%[b]), %[t0]\n\t"
            "sbbq 8(%[b]), %[t1]\n\t"
            "sbbq 16(%[b]), %[t2]\n\t"
            "sbbq 24(%[b]), %[t3]\n\t"
            /* add p back when it borrowed: u0 = all ones then, else 0 */
            "sbbq %[u0], %[u0]\n\t"
            "movq (%[p]), %[u1]\n\t"
            "andq %[u0], %[u1]\n\t"
            "movq 8(%[p]), %[u2]\n\t"
            "andq %[u0], %[u2]\n\t"
            "movq 16(%[p]), %[u3]\n\t"
            "andq %[u0], %[u3]\n\t"
            "andq 24(%[p]), %[u0]\n\t"
            "addq %[u1], %[t0]\n\t"
            "adcq %[u2], %[t1]\n\t"
            "adcq %[u3], %[t2]\n\t"
            "adcq %[u0], %[t3]\n\t"
            ZG_X86_ADDSUB_OPERANDS(a, b, p));
    zg_x86_store(r, t0, t1, t2, t3);
}

#if defined(__BMI2__) && defined(__ADX__)

/* One row of the product: t += a * b_i, the carry out in top. rdx = b_i. */
#define ZG_ADX_ROW(BI)                     \
    "movq " BI ", %%rdx\n\t"               \
    "xorl %k[lo], %k[lo]\n\t"              \
    "mulxq (%[a]), %[lo], %[hi]\n\t"        \
    "adoxq %[lo], %[t0]\n\t"               \
    "adcxq %[hi], %[t1]\n\t"               \
    "mulxq 8(%[a]), %[lo], %[hi]\n\t"        \
    "adoxq %[lo], %[t1]\n\t"               \
    "adcxq %[hi], %[t2]\n\t"               \
    "mulxq 16(%[a]), %[lo], %[hi]\n\t"        \
    "adoxq %[lo], %[t2]\n\t"               \
    "adcxq %[hi], %[t3]\n\t"               \
    "mulxq 24(%[a]), %[lo], %[top]\n\t"       \
    "adoxq %[lo], %[t3]\n\t"               \
    "movl $0, %k[lo]\n\t"                  \
    "adcxq %[lo], %[top]\n\t"              \
    "adoxq %[lo], %[top]\n\t"

/* One reduction: m = t0 * pinv, t = (t + top 2^256 + m p) / 2^64. */
#define ZG_ADX_REDUCE                      \
    "movq %[t0], %%rdx\n\t"                \
    "imulq %[pinv], %%rdx\n\t"             \
    "xorl %k[lo], %k[lo]\n\t"              \
    "mulxq (%[p]), %[lo], %[hi]\n\t"        \
    "adcxq %[t0], %[lo]\n\t"               \
    "movq %[hi], %[t0]\n\t"                \
    "adcxq %[t1], %[t0]\n\t"               \
    "mulxq 8(%[p]), %[lo], %[t1]\n\t"        \
    "adoxq %[lo], %[t0]\n\t"               \
    "adcxq %[t2], %[t1]\n\t"               \
    "mulxq 16(%[p]), %[lo], %[t2]\n\t"        \
    "adoxq %[lo], %[t1]\n\t"               \
    "adcxq %[t3], %[t2]\n\t"               \
    "mulxq 24(%[p]), %[lo], %[t3]\n\t"        \
    "adoxq %[lo], %[t2]\n\t"               \
    "movl $0, %k[lo]\n\t"                  \
    "adcxq %[top], %[t3]\n\t"              \
    "adoxq %[lo], %[t3]\n\t"

static inline void zg_mont_mul_adx(uint64_t r[4], const uint64_t a[4], const uint64_t b[4],
                                   const uint64_t p[4], uint64_t pinv)
{
    uint64_t t0, t1, t2, t3, hi, lo, top, rdx;
    __asm__(
        /* the first row starts from t = 0: plain add/adc */
        "movq (%[b]), %%rdx\n\t"
        "mulxq (%[a]), %[t0], %[t1]\n\t"
        "mulxq 8(%[a]), %[lo], %[t2]\n\t"
        "addq %[lo], %[t1]\n\t"
        "mulxq 16(%[a]), %[lo], %[t3]\n\t"
        "adcq %[lo], %[t2]\n\t"
        "mulxq 24(%[a]), %[lo], %[top]\n\t"
        "adcq %[lo], %[t3]\n\t"
        "adcq $0, %[top]\n\t"
        ZG_ADX_REDUCE
        ZG_ADX_ROW("8(%[b])")
        ZG_ADX_REDUCE
        ZG_ADX_ROW("16(%[b])")
        ZG_ADX_REDUCE
        ZG_ADX_ROW("24(%[b])")
        ZG_ADX_REDUCE
        /* t < 2p: keep t - p unless the subtraction borrows */
        "movq %[t0], %[lo]\n\t"
        "subq (%[p]), %[lo]\n\t"
        "movq %[t1], %[hi]\n\t"
        "sbbq 8(%[p]), %[hi]\n\t"
        "movq %[t2], %[top]\n\t"
        "sbbq 16(%[p]), %[top]\n\t"
        "movq %[t3], %%rdx\n\t"
        "sbbq 24(%[p]), %%rdx\n\t"
        "cmovncq %[lo], %[t0]\n\t"
        "cmovncq %[hi], %[t1]\n\t"
        "cmovncq %[top], %[t2]\n\t"
        "cmovncq %%rdx, %[t3]\n\t"
        : [t0] "=&r"(t0), [t1] "=&r"(t1), [t2] "=&r"(t2), [t3] "=&r"(t3), [hi] "=&r"(hi),
          [lo] "=&r"(lo), [top] "=&r"(top), "=&d"(rdx)
        : [a] "r"(a), [b] "r"(b), [p] "r"(p), [pinv] "rm"(pinv), ZG_X86_READS(a, b, p)
        : "cc");
    zg_x86_store(r, t0, t1, t2, t3);
}

#undef ZG_ADX_ROW
#undef ZG_ADX_REDUCE
#endif /* BMI2 and ADX */

#undef ZG_X86_READS
#undef ZG_X86_LOAD_A
#undef ZG_X86_ADDSUB_OPERANDS

#endif
