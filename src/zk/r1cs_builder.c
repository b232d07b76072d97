/*
 * r1cs_builder.c - the R1CS builder core: wires, linear combinations,
 * constraints and finalization (see r1cs_builder.h). The gates that are
 * compositions of these live in r1cs_gates.c.
 */
#include "zk/r1cs_builder.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

/* Terms per arena chunk: big enough that chunk switches are rare. */
#define ZG_CS_CHUNK_TERMS ((size_t)1 << 16)

static void cs_fail(zg_cs *cs, int code)
{
    if (cs->status == ZG_OK)
        cs->status = code;
}

void zg_cs_init(zg_cs *cs)
{
    memset(cs, 0, sizeof *cs);
    zg_fr one;
    zg_fr_one(&one);
    (void)zg_cs_private(cs, &one);   /* wire 0: the constant 1 */
}

void zg_cs_free(zg_cs *cs)
{
    if (!cs)
        return;
    free(cs->value);
    free(cs->is_public);
    for (int m = 0; m < 3; m++) {
        free(cs->row[m]);
        free(cs->terms[m]);
    }
    for (size_t i = 0; i < cs->n_chunks; i++)
        free(cs->chunk[i]);
    free(cs->chunk);
    free(cs->chunk_cap);
    if (cs->gadget_cache_free)
        cs->gadget_cache_free(cs->gadget_cache);
    memset(cs, 0, sizeof *cs);
}

/* Big arrays grow by the megabyte: ask for transparent huge pages, which
 * saves most page faults while they are first written (advice only). */
static void advise_huge(void *p, size_t bytes)
{
#ifdef MADV_HUGEPAGE
    const uintptr_t page = (uintptr_t)1 << 21;
    if (bytes < 4 * page)
        return;
    uintptr_t lo = ((uintptr_t)p + page - 1) & ~(page - 1), hi = ((uintptr_t)p + bytes) & ~(page - 1);
    if (hi > lo)
        (void)madvise((void *)lo, hi - lo, MADV_HUGEPAGE);
#else
    (void)p;
    (void)bytes;
#endif
}

/* ---- arena ---- */

zg_cs_mark zg_cs_mark_get(const zg_cs *cs)
{
    zg_cs_mark m = {cs->cur, cs->used};
    return m;
}

void zg_cs_release(zg_cs *cs, zg_cs_mark m)
{
    cs->cur = m.chunk;
    cs->used = m.used;
}

/* n terms of scratch from the arena; NULL (and sticky error) on failure. */
static zg_r1cs_term *arena_alloc(zg_cs *cs, size_t n)
{
    if (cs->status != ZG_OK)
        return NULL;
    while (cs->cur < cs->n_chunks) {
        if (cs->chunk_cap[cs->cur] - cs->used >= n) {
            zg_r1cs_term *p = cs->chunk[cs->cur] + cs->used;
            cs->used += n;
            return p;
        }
        if (cs->cur + 1 == cs->n_chunks)
            break;
        cs->cur++;
        cs->used = 0;
    }
    /* chunks grow from 1K terms (small circuits stay small) to 64K */
    size_t cap = cs->n_chunks >= 6 ? ZG_CS_CHUNK_TERMS : (size_t)1024 << cs->n_chunks;
    if (cap < n)
        cap = n;
    zg_r1cs_term **chunks = realloc(cs->chunk, (cs->n_chunks + 1) * sizeof *chunks);
    if (!chunks)
        goto oom;
    cs->chunk = chunks;
    size_t *caps = realloc(cs->chunk_cap, (cs->n_chunks + 1) * sizeof *caps);
    if (!caps)
        goto oom;
    cs->chunk_cap = caps;
    zg_r1cs_term *mem = malloc(cap * sizeof *mem);
    if (!mem)
        goto oom;
    /* A new chunk goes right after the current one so that marks stay ordered. */
    size_t at = cs->n_chunks == 0 ? 0 : cs->cur + 1;
    memmove(&cs->chunk[at + 1], &cs->chunk[at], (cs->n_chunks - at) * sizeof *chunks);
    memmove(&cs->chunk_cap[at + 1], &cs->chunk_cap[at], (cs->n_chunks - at) * sizeof *caps);
    cs->chunk[at] = mem;
    cs->chunk_cap[at] = cap;
    cs->n_chunks++;
    cs->cur = at;
    cs->used = n;
    return mem;
oom:
    cs_fail(cs, ZG_ENOMEM);
    return NULL;
}

/* Gives back the tail of the most recent allocation (it used fewer terms). */
static void arena_shrink(zg_cs *cs, size_t unused)
{
    cs->used -= unused;
}

void zg_cs_compact(zg_cs *cs, zg_cs_mark m, zg_lc *lcs, unsigned n)
{
    if (cs->status != ZG_OK)
        return;
    size_t total = 0;
    for (unsigned i = 0; i < n; i++)
        total += lcs[i].n;
    zg_r1cs_term *tmp = malloc((total ? total : 1) * sizeof *tmp);
    if (!tmp) {
        cs_fail(cs, ZG_ENOMEM);
        return;
    }
    size_t at = 0;
    for (unsigned i = 0; i < n; i++) {
        if (lcs[i].n)
            memcpy(tmp + at, lcs[i].t, (size_t)lcs[i].n * sizeof *tmp);
        at += lcs[i].n;
    }
    zg_cs_release(cs, m);
    zg_r1cs_term *dst = arena_alloc(cs, total ? total : 1);
    if (dst) {
        memcpy(dst, tmp, total * sizeof *tmp);
        at = 0;
        for (unsigned i = 0; i < n; i++) {
            lcs[i].t = lcs[i].n ? dst + at : NULL;
            at += lcs[i].n;
        }
    }
    free(tmp);
}

/* ---- wires ---- */

static int set_wire_cap(zg_cs *cs, uint32_t cap)
{
    zg_fr *v = realloc(cs->value, (size_t)cap * sizeof *v);
    if (!v) {
        cs_fail(cs, ZG_ENOMEM);
        return 0;
    }
    cs->value = v;
    advise_huge(v, (size_t)cap * sizeof *v);
    uint8_t *p = realloc(cs->is_public, cap);
    if (!p) {
        cs_fail(cs, ZG_ENOMEM);
        return 0;
    }
    cs->is_public = p;
    cs->cap_wires = cap;
    return 1;
}

static zg_lc new_wire(zg_cs *cs, const zg_fr *value, int pub)
{
    if (cs->status != ZG_OK)
        return zg_lc_zero();
    if (cs->n_wires == UINT32_MAX) {
        cs_fail(cs, ZG_ERANGE);
        return zg_lc_zero();
    }
    if (cs->n_wires == cs->cap_wires && !set_wire_cap(cs, cs->cap_wires ? cs->cap_wires * 2 : 256))
        return zg_lc_zero();
    uint32_t w = cs->n_wires++;
    if (value)
        cs->value[w] = *value;
    else
        zg_fr_zero(&cs->value[w]);
    cs->is_public[w] = (uint8_t)pub;
    cs->n_public += pub ? 1 : 0;
    return zg_lc_wire(cs, w);
}

zg_lc zg_cs_public(zg_cs *cs, const zg_fr *value) { return new_wire(cs, value, 1); }
zg_lc zg_cs_private(zg_cs *cs, const zg_fr *value) { return new_wire(cs, value, 0); }

/* ---- linear combinations ---- */

zg_lc zg_lc_zero(void)
{
    zg_lc z = {0, NULL};
    return z;
}

static zg_lc lc_term(zg_cs *cs, uint32_t wire, const zg_fr *k)
{
    if (zg_fr_is_zero(k))
        return zg_lc_zero();
    zg_r1cs_term *t = arena_alloc(cs, 1);
    if (!t)
        return zg_lc_zero();
    t->wire = wire;
    t->coeff = *k;
    zg_lc r = {1, t};
    return r;
}

zg_lc zg_lc_wire(zg_cs *cs, uint32_t wire)
{
    zg_fr one;
    zg_fr_one(&one);
    return lc_term(cs, wire, &one);
}

zg_lc zg_lc_const(zg_cs *cs, const zg_fr *c) { return lc_term(cs, 0, c); }

zg_lc zg_lc_u64(zg_cs *cs, uint64_t c)
{
    zg_fr k;
    zg_fr_set_u64(&k, c);
    return lc_term(cs, 0, &k);
}

zg_lc zg_lc_add_scaled(zg_cs *cs, zg_lc a, const zg_fr *k, zg_lc b)
{
    if (b.n == 0 || zg_fr_is_zero(k))
        return a;
    zg_fr one;
    zg_fr_one(&one);
    int unit = zg_fr_eq(k, &one);
    zg_r1cs_term *out = arena_alloc(cs, (size_t)a.n + b.n);
    if (!out)
        return zg_lc_zero();
    uint32_t i = 0, j = 0, n = 0;
    zg_fr kb;
    while (i < a.n || j < b.n) {
        if (j == b.n || (i < a.n && a.t[i].wire < b.t[j].wire)) {
            out[n++] = a.t[i++];
            continue;
        }
        if (unit)
            kb = b.t[j].coeff;
        else
            zg_fr_mul(&kb, k, &b.t[j].coeff);
        if (i == a.n || b.t[j].wire < a.t[i].wire) {
            out[n].wire = b.t[j].wire;
            out[n++].coeff = kb;
            j++;
            continue;
        }
        /* same wire: merge, and drop the term when the sum cancels */
        out[n].wire = a.t[i].wire;
        zg_fr_add(&out[n].coeff, &a.t[i].coeff, &kb);
        if (!zg_fr_is_zero(&out[n].coeff))
            n++;
        i++;
        j++;
    }
    arena_shrink(cs, (size_t)a.n + b.n - n);
    zg_lc r = {n, out};
    return r;
}

zg_lc zg_lc_from_terms(zg_cs *cs, const zg_r1cs_term *t, uint32_t n)
{
    if (n == 0)
        return zg_lc_zero();
    zg_r1cs_term *out = arena_alloc(cs, n);
    if (!out)
        return zg_lc_zero();
    memcpy(out, t, (size_t)n * sizeof *out);
    zg_lc r = {n, out};
    return r;
}

zg_lc zg_lc_add(zg_cs *cs, zg_lc a, zg_lc b)
{
    zg_fr one;
    zg_fr_one(&one);
    if (a.n == 0)
        return b;
    return zg_lc_add_scaled(cs, a, &one, b);
}

zg_lc zg_lc_sub(zg_cs *cs, zg_lc a, zg_lc b)
{
    zg_fr m1;
    zg_fr_one(&m1);
    zg_fr_neg(&m1, &m1);
    return zg_lc_add_scaled(cs, a, &m1, b);
}

zg_lc zg_lc_scale(zg_cs *cs, zg_lc a, const zg_fr *k)
{
    return zg_lc_add_scaled(cs, zg_lc_zero(), k, a);
}

zg_lc zg_lc_neg(zg_cs *cs, zg_lc a)
{
    return zg_lc_sub(cs, zg_lc_zero(), a);
}

zg_lc zg_lc_add_const(zg_cs *cs, zg_lc a, const zg_fr *c)
{
    return zg_lc_add(cs, a, zg_lc_const(cs, c));
}

zg_lc zg_lc_add_u64(zg_cs *cs, zg_lc a, uint64_t c)
{
    return zg_lc_add(cs, a, zg_lc_u64(cs, c));
}

int zg_lc_is_const(zg_lc a, zg_fr *c)
{
    if (a.n == 0) {
        if (c)
            zg_fr_zero(c);
        return 1;
    }
    if (a.n == 1 && a.t[0].wire == 0) {
        if (c)
            *c = a.t[0].coeff;
        return 1;
    }
    return 0;
}

void zg_cs_value(const zg_cs *cs, zg_lc a, zg_fr *out)
{
    zg_fr acc, t;
    zg_fr_zero(&acc);
    for (uint32_t i = 0; i < a.n; i++) {
        zg_fr_mul(&t, &a.t[i].coeff, &cs->value[a.t[i].wire]);
        zg_fr_add(&acc, &acc, &t);
    }
    *out = acc;
}

uint64_t zg_cs_value_u64(const zg_cs *cs, zg_lc a)
{
    zg_fr v;
    uint64_t c[4];
    zg_cs_value(cs, a, &v);
    zg_fr_to_canonical(c, &v);
    return c[0];
}

/* ---- constraints ---- */

static int set_constraint_cap(zg_cs *cs, uint32_t cap)
{
    for (int m = 0; m < 3; m++) {
        uint32_t *r = realloc(cs->row[m], (size_t)cap * sizeof *r);
        if (!r) {
            cs_fail(cs, ZG_ENOMEM);
            return 0;
        }
        if (!cs->row[m])
            r[0] = 0;
        cs->row[m] = r;
    }
    cs->cap_constraints = cap;
    return 1;
}

static int set_terms_cap(zg_cs *cs, int m, size_t cap)
{
    zg_r1cs_term *t = realloc(cs->terms[m], cap * sizeof *t);
    if (!t) {
        cs_fail(cs, ZG_ENOMEM);
        return 0;
    }
    cs->terms[m] = t;
    cs->cap_terms[m] = cap;
    advise_huge(t, cap * sizeof *t);
    return 1;
}

void zg_cs_reserve(zg_cs *cs, uint32_t wires, uint32_t constraints, const size_t terms[3])
{
    if (cs->status != ZG_OK)
        return;
    if ((uint64_t)cs->n_wires + wires > cs->cap_wires && (uint64_t)cs->n_wires + wires <= UINT32_MAX)
        set_wire_cap(cs, cs->n_wires + wires);
    if ((uint64_t)cs->n_constraints + constraints + 1 > cs->cap_constraints &&
        (uint64_t)cs->n_constraints + constraints + 1 <= UINT32_MAX)
        set_constraint_cap(cs, cs->n_constraints + constraints + 1);
    for (int m = 0; m < 3 && terms; m++)
        if (cs->n_terms[m] + terms[m] > cs->cap_terms[m])
            set_terms_cap(cs, m, cs->n_terms[m] + terms[m]);
}

static int grow_terms(zg_cs *cs, int m, size_t extra)
{
    if (cs->n_terms[m] + extra <= cs->cap_terms[m])
        return 1;
    size_t cap = cs->cap_terms[m] ? cs->cap_terms[m] : 256;
    while (cap < cs->n_terms[m] + extra)
        cap *= 2;
    return set_terms_cap(cs, m, cap);
}

void zg_cs_enforce(zg_cs *cs, zg_lc a, zg_lc b, zg_lc c)
{
    if (cs->status != ZG_OK)
        return;
    if (cs->n_constraints + 1 >= cs->cap_constraints &&
        !set_constraint_cap(cs, cs->cap_constraints ? cs->cap_constraints * 2 : 256))
        return;
    const zg_lc *lc[3] = {&a, &b, &c};
    for (int m = 0; m < 3; m++) {
        if (!grow_terms(cs, m, lc[m]->n))
            return;
    }
    for (int m = 0; m < 3; m++) {
        if (lc[m]->n)
            memcpy(cs->terms[m] + cs->n_terms[m], lc[m]->t, (size_t)lc[m]->n * sizeof(zg_r1cs_term));
        cs->n_terms[m] += lc[m]->n;
        cs->row[m][cs->n_constraints + 1] = (uint32_t)cs->n_terms[m];
    }
    cs->n_constraints++;
}

int zg_cs_finalize(zg_cs *cs, zg_r1cs *r, zg_err *e)
{
    memset(r, 0, sizeof *r);
    if (cs->status != ZG_OK)
        return zg_err_set(e, cs->status, "building the constraint system failed (%s)",
                          zg_code_name(cs->status));
    for (int m = 0; m < 3; m++) {
        if (cs->n_terms[m] > UINT32_MAX)
            return zg_err_set(e, ZG_ERANGE, "constraint system too large for 32-bit indices");
    }
    /* Renumber: one, public wires, private wires (iden3 order). */
    uint32_t *map = malloc((size_t)cs->n_wires * sizeof *map);
    zg_fr *w = malloc((size_t)cs->n_wires * sizeof *w);
    if (!map || !w) {
        free(map);
        free(w);
        return zg_err_set(e, ZG_ENOMEM, "out of memory finalizing the constraint system");
    }
    uint32_t next_pub = 1, next_priv = 1 + cs->n_public;
    int identity = 1;
    map[0] = 0;
    for (uint32_t i = 1; i < cs->n_wires; i++) {
        map[i] = cs->is_public[i] ? next_pub++ : next_priv++;
        identity &= map[i] == i;
    }
    for (uint32_t i = 0; i < cs->n_wires; i++)
        w[map[i]] = cs->value[i];
    for (int m = 0; m < 3; m++) {
        if (cs->n_constraints == 0 && !cs->row[m]) {
            cs->row[m] = calloc(1, sizeof(uint32_t));
            if (!cs->row[m]) {
                free(map);
                free(w);
                return zg_err_set(e, ZG_ENOMEM, "out of memory finalizing the constraint system");
            }
        }
        /* Public wires made first (the usual case) need no renumbering. */
        for (size_t k = 0; k < cs->n_terms[m] && !identity; k++)
            cs->terms[m][k].wire = map[cs->terms[m][k].wire];
        /* Renumbering can break a row's order when it mixes public wires made
         * late with private ones: re-sort such rows (rows are short). */
        for (uint32_t i = 0; i < cs->n_constraints && !identity; i++) {
            zg_r1cs_term *t = cs->terms[m] + cs->row[m][i];
            uint32_t n = cs->row[m][i + 1] - cs->row[m][i];
            for (uint32_t x = 1; x < n; x++) {
                zg_r1cs_term v = t[x];
                uint32_t y = x;
                while (y > 0 && t[y - 1].wire > v.wire) {
                    t[y] = t[y - 1];
                    y--;
                }
                t[y] = v;
            }
        }
        r->row[m] = cs->row[m];
        r->terms[m] = cs->terms[m];
        cs->row[m] = NULL;
        cs->terms[m] = NULL;
        cs->n_terms[m] = cs->cap_terms[m] = 0;
    }
    free(map);
    r->n_wires = cs->n_wires;
    r->n_public = cs->n_public;
    r->n_constraints = cs->n_constraints;
    r->witness = w;
    cs->n_constraints = cs->cap_constraints = 0;
    return ZG_OK;
}
