/*
 * zk/gen/zk_gen.c - build-time generator of the constant tables of src/zk.
 *
 * Writes into the directory given as argv[1]:
 *   poseidon_constants.h  circomlib's Poseidon parameters for t = 2..17,
 *                         derived with the published algorithm
 *                         (hadeshash generate_parameters_grain.sage, run as
 *                         "1 0 254 t 8 R_P p": Grain LFSR in self-shrinking
 *                         mode -> round constants, then a Cauchy MDS matrix),
 *                         plus the optimized form used by poseidon.c.
 *   babyjub_table.h       the fixed-base comb table of Baby Jubjub's Base8.
 * Every element is written in Montgomery form (R = 2^256, 4 little-endian
 * 64-bit limbs), the representation of zk/fr.h.
 * It uses GMP and runs once per build; speed does not matter here.
 */
#include <gmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RF 8
/* circomlib's partial round counts for t = 2..17 (poseidon_reference.js). */
static const int rp_table[16] = {56, 57, 56, 60, 60, 63, 64, 63, 60, 66, 60, 65, 70, 60, 64, 68};

static mpz_t P;     /* BN254 scalar field modulus */
static mpz_t RMOD;  /* 2^256 mod p */

/* ---------- Grain LFSR (self-shrinking) ---------- */

typedef struct grain { unsigned char s[80]; } grain;

static int grain_step(grain *g)
{
    int nb = g->s[62] ^ g->s[51] ^ g->s[38] ^ g->s[23] ^ g->s[13] ^ g->s[0];
    memmove(g->s, g->s + 1, 79);
    g->s[79] = (unsigned char)nb;
    return nb;
}

static void grain_put(grain *g, int *pos, unsigned v, int nbits)
{
    for (int i = nbits - 1; i >= 0; i--) g->s[(*pos)++] = (v >> i) & 1;
}

static void grain_init(grain *g, int t, int rp)
{
    int pos = 0;
    grain_put(g, &pos, 1, 2);    /* field: GF(p) */
    grain_put(g, &pos, 0, 4);    /* s-box: x^alpha */
    grain_put(g, &pos, 254, 12); /* field size in bits */
    grain_put(g, &pos, (unsigned)t, 12);
    grain_put(g, &pos, RF, 10);
    grain_put(g, &pos, (unsigned)rp, 10);
    for (int i = 0; i < 30; i++) g->s[pos++] = 1;
    for (int i = 0; i < 160; i++) grain_step(g);
}

/* Output bit: of each pair (b1, b2), b2 is kept when b1 == 1. */
static int grain_bit(grain *g)
{
    for (;;) {
        int b1 = grain_step(g), b2 = grain_step(g);
        if (b1) return b2;
    }
}

static void grain_int(grain *g, mpz_t out, int nbits)
{
    mpz_set_ui(out, 0);
    for (int i = 0; i < nbits; i++) {
        mpz_mul_2exp(out, out, 1);
        if (grain_bit(g)) mpz_add_ui(out, out, 1);
    }
}

/* ---------- output helpers ---------- */

static void limbs(const mpz_t canon, unsigned long long w[4])
{
    mpz_t m;
    mpz_init(m);
    mpz_mul(m, canon, RMOD);
    mpz_mod(m, m, P);
    for (int i = 0; i < 4; i++) {
        mpz_t q;
        mpz_init(q);
        mpz_fdiv_q_2exp(q, m, 64 * i);
        mpz_fdiv_r_2exp(q, q, 64);
        w[i] = mpz_get_ui(q);
        mpz_clear(q);
    }
    mpz_clear(m);
}

static void emit(FILE *f, const mpz_t v)
{
    unsigned long long w[4];
    limbs(v, w);
    fprintf(f, "    {0x%016llxULL, 0x%016llxULL, 0x%016llxULL, 0x%016llxULL},\n", w[0], w[1], w[2], w[3]);
}

static void emit_array(FILE *f, const char *name, int t, mpz_t *v, int n)
{
    fprintf(f, "static const uint64_t %s_%d[%d][4] = {\n", name, t, n);
    for (int i = 0; i < n; i++) emit(f, v[i]);
    fprintf(f, "};\n");
}

static mpz_t *vec_new(int n)
{
    mpz_t *v = malloc(sizeof(mpz_t) * (size_t)n);
    if (!v) { perror("malloc"); exit(1); }
    for (int i = 0; i < n; i++) mpz_init(v[i]);
    return v;
}

static void vec_free(mpz_t *v, int n)
{
    for (int i = 0; i < n; i++) mpz_clear(v[i]);
    free(v);
}

/* ---------- linear algebra mod p ---------- */

/* out = a * b (n x n, row-major). out must not alias. */
static void mat_mul(mpz_t *out, mpz_t *a, mpz_t *b, int n)
{
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) {
            mpz_set_ui(out[i * n + j], 0);
            for (int k = 0; k < n; k++) mpz_addmul(out[i * n + j], a[i * n + k], b[k * n + j]);
            mpz_mod(out[i * n + j], out[i * n + j], P);
        }
}

/* inv = a^-1 by Gauss-Jordan; exits if singular (never for Cauchy matrices). */
static void mat_inv(mpz_t *inv, mpz_t *a, int n)
{
    mpz_t *w = vec_new(n * n), tmp, f;
    mpz_inits(tmp, f, NULL);
    for (int i = 0; i < n * n; i++) {
        mpz_set(w[i], a[i]);
        mpz_set_ui(inv[i], i / n == i % n);
    }
    for (int c = 0; c < n; c++) {
        int piv = c;
        while (piv < n && mpz_sgn(w[piv * n + c]) == 0) piv++;
        if (piv == n) { fprintf(stderr, "zk_gen: singular matrix\n"); exit(1); }
        for (int j = 0; j < n; j++) {
            mpz_swap(w[c * n + j], w[piv * n + j]);
            mpz_swap(inv[c * n + j], inv[piv * n + j]);
        }
        mpz_invert(f, w[c * n + c], P);
        for (int j = 0; j < n; j++) {
            mpz_mul(w[c * n + j], w[c * n + j], f); mpz_mod(w[c * n + j], w[c * n + j], P);
            mpz_mul(inv[c * n + j], inv[c * n + j], f); mpz_mod(inv[c * n + j], inv[c * n + j], P);
        }
        for (int r = 0; r < n; r++) {
            if (r == c || mpz_sgn(w[r * n + c]) == 0) continue;
            mpz_set(f, w[r * n + c]);
            for (int j = 0; j < n; j++) {
                mpz_submul(w[r * n + j], f, w[c * n + j]); mpz_mod(w[r * n + j], w[r * n + j], P);
                mpz_submul(inv[r * n + j], f, inv[c * n + j]); mpz_mod(inv[r * n + j], inv[r * n + j], P);
            }
        }
    }
    mpz_clears(tmp, f, NULL);
    vec_free(w, n * n);
}

/* ---------- Poseidon parameters ---------- */

static void gen_mds(grain *g, mpz_t *m, int t)
{
    mpz_t *xy = vec_new(2 * t), s;
    mpz_init(s);
    for (;;) {
        int ok;
        do {
            for (int i = 0; i < 2 * t; i++) {
                grain_int(g, xy[i], 254);
                mpz_mod(xy[i], xy[i], P);
            }
            ok = 1;
            for (int i = 0; i < 2 * t; i++)
                for (int j = i + 1; j < 2 * t; j++)
                    if (mpz_cmp(xy[i], xy[j]) == 0) ok = 0;
        } while (!ok);
        for (int i = 0; i < t; i++)
            for (int j = 0; j < t; j++) {
                mpz_add(s, xy[i], xy[t + j]);
                mpz_mod(s, s, P);
                if (mpz_sgn(s) == 0) ok = 0;
                else mpz_invert(m[i * t + j], s, P);
            }
        if (ok) break;
    }
    mpz_clear(s);
    vec_free(xy, 2 * t);
}

/*
 * The optimized form (same output as the reference rounds):
 * 1. Partial rounds only raise state[0]; the constants they add to state[1..]
 *    are moved forward through the linear layer into the next round, so each
 *    partial round adds a single constant; what is left after the last
 *    partial round joins the constants of the next full round.
 * 2. Each partial round's matrix A (first M) is split as A = S * D with
 *    D = diag(1, A_hat) and S = [[a00, v^T], [w, I]], v^T = a0'^T A_hat^-1,
 *    w = a'0. D touches neither state[0] nor its constant, so it moves into
 *    the previous round's matrix: A_prev = D * M. The last full round of the
 *    first half then uses P = D_first * M.
 */
static void gen_poseidon(FILE *f, int t)
{
    int rp = rp_table[t - 2], nr = RF + rp, n1 = t - 1;
    grain g;
    grain_init(&g, t, rp);
    mpz_t *c = vec_new(nr * t), *m = vec_new(t * t), tmp;
    mpz_init(tmp);
    for (int i = 0; i < nr * t; i++) {
        do grain_int(&g, c[i], 254); while (mpz_cmp(c[i], P) >= 0);
    }
    gen_mds(&g, m, t);
    emit_array(f, "zg_pos_raw_c", t, c, nr * t);
    emit_array(f, "zg_pos_m", t, m, t * t);

    /* Step 1: move partial-round constants forward. */
    mpz_t *cc = vec_new(nr * t);
    for (int i = 0; i < nr * t; i++) mpz_set(cc[i], c[i]);
    for (int r = RF / 2; r < RF / 2 + rp; r++) {
        mpz_t *cur = cc + r * t, *next = cc + (r + 1) * t;
        for (int i = 0; i < t; i++) {
            mpz_set_ui(tmp, 0);
            for (int j = 1; j < t; j++) mpz_addmul(tmp, m[i * t + j], cur[j]);
            mpz_add(next[i], next[i], tmp);
            mpz_mod(next[i], next[i], P);
        }
        for (int j = 1; j < t; j++) mpz_set_ui(cur[j], 0);
    }
    mpz_t *cfull = vec_new(RF * t), *cpart = vec_new(rp);
    for (int r = 0; r < RF / 2; r++)
        for (int i = 0; i < t; i++) mpz_set(cfull[r * t + i], cc[r * t + i]);
    for (int r = 0; r < RF / 2; r++)
        for (int i = 0; i < t; i++) mpz_set(cfull[(RF / 2 + r) * t + i], cc[(RF / 2 + rp + r) * t + i]);
    for (int r = 0; r < rp; r++) mpz_set(cpart[r], cc[(RF / 2 + r) * t]);
    emit_array(f, "zg_pos_cf", t, cfull, RF * t);
    emit_array(f, "zg_pos_cp", t, cpart, rp);

    /* Step 2: sparse matrices, from the last partial round backwards. */
    mpz_t *a = vec_new(t * t), *d = vec_new(t * t), *ah = vec_new(n1 * n1), *ahi = vec_new(n1 * n1);
    mpz_t *sv = vec_new(rp * n1), *sw = vec_new(rp * n1);
    for (int i = 0; i < t * t; i++) mpz_set(a[i], m[i]);
    for (int r = rp - 1; r >= 0; r--) {
        for (int i = 0; i < n1; i++)
            for (int j = 0; j < n1; j++) mpz_set(ah[i * n1 + j], a[(i + 1) * t + j + 1]);
        mat_inv(ahi, ah, n1);
        for (int j = 0; j < n1; j++) {
            mpz_set_ui(tmp, 0);
            for (int k = 0; k < n1; k++) mpz_addmul(tmp, a[k + 1], ahi[k * n1 + j]);
            mpz_mod(sv[r * n1 + j], tmp, P);
            mpz_set(sw[r * n1 + j], a[(j + 1) * t]);
        }
        if (mpz_cmp(a[0], m[0]) != 0) { fprintf(stderr, "zk_gen: a00 drifted\n"); exit(1); }
        /* D = diag(1, A_hat); the previous round's matrix becomes D * M. */
        for (int i = 0; i < t * t; i++) mpz_set_ui(d[i], 0);
        mpz_set_ui(d[0], 1);
        for (int i = 0; i < n1; i++)
            for (int j = 0; j < n1; j++) mpz_set(d[(i + 1) * t + j + 1], ah[i * n1 + j]);
        mat_mul(a, d, m, t);
    }
    emit_array(f, "zg_pos_p", t, a, t * t);
    emit_array(f, "zg_pos_sv", t, sv, rp * n1);
    emit_array(f, "zg_pos_sw", t, sw, rp * n1);

    vec_free(sv, rp * n1); vec_free(sw, rp * n1);
    vec_free(a, t * t); vec_free(d, t * t); vec_free(ah, n1 * n1); vec_free(ahi, n1 * n1);
    vec_free(cfull, RF * t); vec_free(cpart, rp); vec_free(cc, nr * t);
    vec_free(c, nr * t); vec_free(m, t * t);
    mpz_clear(tmp);
}

static void write_poseidon(const char *dir)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/poseidon_constants.h", dir);
    FILE *f = fopen(path, "w");
    if (!f) { perror(path); exit(1); }
    fprintf(f, "/* Generated by src/zk/gen/zk_gen.c: do not edit. Montgomery form. */\n"
               "#include <stdint.h>\n#define ZG_POS_RF %d\n", RF);
    for (int t = 2; t <= 17; t++) gen_poseidon(f, t);
    fprintf(f, "static const zg_pos_params zg_pos_table[16] = {\n");
    for (int t = 2; t <= 17; t++)
        fprintf(f, "    {%d, %d, zg_pos_raw_c_%d, zg_pos_m_%d, zg_pos_cf_%d, zg_pos_cp_%d, zg_pos_p_%d,"
                   " zg_pos_sv_%d, zg_pos_sw_%d},\n", t, rp_table[t - 2], t, t, t, t, t, t, t);
    fprintf(f, "};\n");
    if (fclose(f) != 0) { perror(path); exit(1); }
}

/* ---------- Baby Jubjub Base8 comb table ---------- */

static mpz_t BJ_A, BJ_D;

/* Affine twisted Edwards addition (complete on Baby Jubjub). */
static void bj_add(mpz_t x3, mpz_t y3, const mpz_t x1, const mpz_t y1, const mpz_t x2, const mpz_t y2)
{
    mpz_t x1y2, y1x2, y1y2, x1x2, dt, num, den;
    mpz_inits(x1y2, y1x2, y1y2, x1x2, dt, num, den, NULL);
    mpz_mul(x1y2, x1, y2); mpz_mul(y1x2, y1, x2);
    mpz_mul(y1y2, y1, y2); mpz_mul(x1x2, x1, x2);
    mpz_mul(dt, x1y2, y1x2); mpz_mul(dt, dt, BJ_D); mpz_mod(dt, dt, P);
    mpz_add(num, x1y2, y1x2);
    mpz_add_ui(den, dt, 1); mpz_invert(den, den, P);
    mpz_mul(num, num, den);
    mpz_submul(y1y2, BJ_A, x1x2);
    mpz_ui_sub(den, 1, dt); mpz_mod(den, den, P); mpz_invert(den, den, P);
    mpz_mul(y3, y1y2, den); mpz_mod(y3, y3, P);
    mpz_mod(x3, num, P);
    mpz_clears(x1y2, y1x2, y1y2, x1x2, dt, num, den, NULL);
}

/* Table[w][j] = (j + 1) * 16^w * Base8 for w < 64, j < 8, stored as
 * (y + u, y - u, k*u*y) with u = c*x: the precomputed form of a mixed
 * addition on the isomorphic a = -1 curve babyjub.c computes on
 * (c = sqrt(-a), k = 2*(-d/a); values checked below). */
static void write_babyjub(const char *dir)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/babyjub_table.h", dir);
    FILE *f = fopen(path, "w");
    if (!f) { perror(path); exit(1); }
    mpz_t bx, by, px, py, dxy, c, k, u, t;
    mpz_inits(bx, by, px, py, dxy, c, k, u, t, NULL);
    mpz_set_str(c, "6360561867910373094066688120553762416144456282423235903351243436111059670888", 10);
    mpz_set_str(k, "2475045175004185027501911298141836274980133961483913877536377848625489762075", 10);
    mpz_mul(t, c, c); mpz_add(t, t, BJ_A); mpz_mod(t, t, P);
    if (mpz_sgn(t) != 0) { fprintf(stderr, "zk_gen: c^2 != -a\n"); exit(1); }
    mpz_mul(t, k, BJ_A); mpz_addmul_ui(t, BJ_D, 2); mpz_mod(t, t, P);
    if (mpz_sgn(t) != 0) { fprintf(stderr, "zk_gen: k*a != -2d\n"); exit(1); }
    /* Base8 as in circomlibjs babyjub.js. */
    mpz_set_str(bx, "5299619240641551281634865583518297030282874472190772894086521144482721001553", 10);
    mpz_set_str(by, "16950150798460657717958625567821834550301663161624707787222815936182638968203", 10);
    fprintf(f, "/* Generated by src/zk/gen/zk_gen.c: do not edit. Montgomery form. */\n"
               "#include <stdint.h>\n"
               "static const uint64_t zg_bj_b8_comb[64][8][3][4] = {\n");
    for (int w = 0; w < 64; w++) {
        fprintf(f, "  {\n");
        mpz_set(px, bx); mpz_set(py, by);
        for (int j = 0; j < 8; j++) {
            if (j > 0) bj_add(px, py, px, py, bx, by);
            mpz_mul(u, px, c); mpz_mod(u, u, P);
            mpz_mul(dxy, u, py); mpz_mul(dxy, dxy, k); mpz_mod(dxy, dxy, P);
            fprintf(f, "   {\n");
            mpz_add(t, py, u); mpz_mod(t, t, P); emit(f, t);
            mpz_sub(t, py, u); mpz_mod(t, t, P); emit(f, t);
            emit(f, dxy);
            fprintf(f, "   },\n");
        }
        fprintf(f, "  },\n");
        for (int k = 0; k < 4; k++) bj_add(bx, by, bx, by, bx, by);
    }
    fprintf(f, "};\n");
    mpz_clears(bx, by, px, py, dxy, c, k, u, t, NULL);
    if (fclose(f) != 0) { perror(path); exit(1); }
}

int main(int argc, char **argv)
{
    if (argc != 2) { fprintf(stderr, "usage: zk_gen OUTDIR\n"); return 2; }
    mpz_inits(P, RMOD, BJ_A, BJ_D, NULL);
    mpz_set_str(P, "21888242871839275222246405745257275088548364400416034343698204186575808495617", 10);
    mpz_set_ui(RMOD, 1);
    mpz_mul_2exp(RMOD, RMOD, 256);
    mpz_mod(RMOD, RMOD, P);
    mpz_set_ui(BJ_A, 168700);
    mpz_set_ui(BJ_D, 168696);
    write_poseidon(argv[1]);
    write_babyjub(argv[1]);
    mpz_clears(P, RMOD, BJ_A, BJ_D, NULL);
    return 0;
}
