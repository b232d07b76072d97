/*
 * model/ngram.c - word trigram model: tokenizer, training, generation.
 *
 * Counts are kept as sorted arrays of unique n-grams, so a context lookup is
 * a binary search and the whole model is a few flat allocations.
 */
#include "model/ngram.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define EOS 0u /* token id 0: end of a paragraph = end of an answer */

typedef struct tri { uint32_t a, b, c, n; } tri;
typedef struct bi { uint32_t a, b, n; } bi;

struct zg_ngram {
    char **words;       /* id -> text (words[EOS] = "") */
    size_t n_words;
    uint32_t *slots;    /* open addressing: id + 1, 0 = empty */
    size_t n_slots;     /* power of two */
    tri *tris; size_t n_tris;
    bi *bis; size_t n_bis;
    uint32_t *uni;      /* id -> count */
};

/* ---- tokenizer ---------------------------------------------------------- */

static int is_word_byte(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c >= 0x80 || c == '\'';
}

static int is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* Finds the next token at *p: sets start/len; len 0 means a paragraph break.
 * Returns 0 at the end of the text. A hyphen joins two word parts
 * ("rabbit-hole"); any other byte is a one-byte token. */
static int next_token(const char **p, const char **start, size_t *len)
{
    const char *s = *p;
    int newlines = 0;
    while (*s && is_space((unsigned char)*s)) {
        if (*s == '\n') newlines++;
        s++;
    }
    if (newlines >= 2 && s != *p) {
        *p = s; *start = s; *len = 0;
        return 1;
    }
    if (!*s) { *p = s; return 0; }
    const char *b = s;
    if (is_word_byte((unsigned char)*s)) {
        while (*s && (is_word_byte((unsigned char)*s) ||
                      (*s == '-' && is_word_byte((unsigned char)s[1]) && s > b)))
            s++;
    } else {
        s++;
    }
    *start = b; *len = (size_t)(s - b); *p = s;
    return 1;
}

size_t zg_ngram_count_tokens(const char *text)
{
    const char *p = text, *st;
    size_t len, n = 0;
    while (next_token(&p, &st, &len))
        if (len) n++;
    return n;
}

/* ---- vocabulary --------------------------------------------------------- */

static uint64_t fnv1a(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a 64-bit offset basis */
    for (size_t i = 0; i < n; i++) { h ^= (unsigned char)s[i]; h *= 1099511628211ull; }
    return h;
}

/* Returns the id of word, or -1 when unknown. */
static long vocab_find(const zg_ngram *m, const char *w, size_t n)
{
    size_t mask = m->n_slots - 1;
    for (size_t i = fnv1a(w, n) & mask;; i = (i + 1) & mask) {
        uint32_t s = m->slots[i];
        if (!s) return -1;
        const char *x = m->words[s - 1];
        if (strlen(x) == n && memcmp(x, w, n) == 0) return (long)(s - 1);
    }
}

/* Adds word (if new) and returns its id; -1 on ENOMEM. The table is sized for
 * every token of the training text up front, so it never fills. */
static long vocab_add(zg_ngram *m, const char *w, size_t n)
{
    long id = vocab_find(m, w, n);
    if (id >= 0) return id;
    char *copy = malloc(n + 1);
    if (!copy) return -1;
    memcpy(copy, w, n); copy[n] = 0;
    size_t mask = m->n_slots - 1, i = fnv1a(w, n) & mask;
    while (m->slots[i]) i = (i + 1) & mask;
    m->words[m->n_words] = copy;
    m->slots[i] = (uint32_t)(m->n_words + 1);
    return (long)m->n_words++;
}

/* ---- training ----------------------------------------------------------- */

static int cmp_tri(const void *x, const void *y)
{
    const tri *a = x, *b = y;
    if (a->a != b->a) return a->a < b->a ? -1 : 1;
    if (a->b != b->b) return a->b < b->b ? -1 : 1;
    return a->c < b->c ? -1 : a->c > b->c;
}

static int cmp_bi(const void *x, const void *y)
{
    const bi *a = x, *b = y;
    if (a->a != b->a) return a->a < b->a ? -1 : 1;
    return a->b < b->b ? -1 : a->b > b->b;
}

/* Tokenizes text into ids: EOS EOS t1 t2 ... EOS (paragraph breaks -> EOS). */
static int encode_corpus(zg_ngram *m, const char *text, uint32_t **out, size_t *n_out)
{
    size_t cap = zg_ngram_count_tokens(text) * 2 + 4, n = 0;
    uint32_t *seq = malloc(cap * sizeof *seq);
    if (!seq) return ZG_ENOMEM;
    seq[n++] = EOS; seq[n++] = EOS;
    const char *p = text, *st;
    size_t len;
    while (next_token(&p, &st, &len)) {
        if (!len) {
            if (seq[n - 1] != EOS) { seq[n++] = EOS; seq[n++] = EOS; }
            continue;
        }
        long id = vocab_add(m, st, len);
        if (id < 0) { free(seq); return ZG_ENOMEM; }
        seq[n++] = (uint32_t)id;
    }
    if (seq[n - 1] != EOS) seq[n++] = EOS;
    *out = seq; *n_out = n;
    return ZG_OK;
}

static int count_ngrams(zg_ngram *m, const uint32_t *seq, size_t n)
{
    m->tris = malloc(n * sizeof *m->tris);
    m->bis = malloc(n * sizeof *m->bis);
    m->uni = calloc(m->n_words, sizeof *m->uni);
    if (!m->tris || !m->bis || !m->uni) return ZG_ENOMEM;
    size_t nt = 0, nb = 0;
    for (size_t i = 2; i < n; i++) {
        /* a pair of EOS is a paragraph start context, never a prediction */
        if (seq[i] == EOS && seq[i - 1] == EOS) continue;
        m->tris[nt++] = (tri){seq[i - 2], seq[i - 1], seq[i], 1};
        m->bis[nb++] = (bi){seq[i - 1], seq[i], 1};
        m->uni[seq[i]]++;
    }
    qsort(m->tris, nt, sizeof *m->tris, cmp_tri);
    qsort(m->bis, nb, sizeof *m->bis, cmp_bi);
    size_t u = 0;
    for (size_t i = 0; i < nt; i++) {
        if (u && cmp_tri(&m->tris[u - 1], &m->tris[i]) == 0) m->tris[u - 1].n++;
        else m->tris[u++] = m->tris[i];
    }
    m->n_tris = u;
    u = 0;
    for (size_t i = 0; i < nb; i++) {
        if (u && cmp_bi(&m->bis[u - 1], &m->bis[i]) == 0) m->bis[u - 1].n++;
        else m->bis[u++] = m->bis[i];
    }
    m->n_bis = u;
    return ZG_OK;
}

int zg_ngram_train(zg_ngram **out, const char *text, zg_err *e)
{
    *out = NULL;
    size_t n_tok = zg_ngram_count_tokens(text);
    if (n_tok < 2)
        return zg_err_set(e, ZG_EINVAL, "training text has %zu words; the model needs at least 2", n_tok);
    zg_ngram *m = calloc(1, sizeof *m);
    if (!m) return zg_err_set(e, ZG_ENOMEM, "out of memory training the model");
    m->n_slots = 16;
    while (m->n_slots < 2 * (n_tok + 1)) m->n_slots *= 2;
    m->slots = calloc(m->n_slots, sizeof *m->slots);
    m->words = calloc(n_tok + 1, sizeof *m->words);
    uint32_t *seq = NULL;
    size_t n = 0;
    int rc = (m->slots && m->words && vocab_add(m, "", 0) == EOS) ? ZG_OK : ZG_ENOMEM;
    if (!rc) rc = encode_corpus(m, text, &seq, &n);
    if (!rc) rc = count_ngrams(m, seq, n);
    free(seq);
    if (rc) {
        zg_ngram_free(m);
        return zg_err_set(e, rc, "out of memory training the model");
    }
    *out = m;
    return ZG_OK;
}

void zg_ngram_free(zg_ngram *m)
{
    if (!m) return;
    for (size_t i = 0; i < m->n_words; i++) free(m->words[i]);
    free(m->words); free(m->slots); free(m->tris); free(m->bis); free(m->uni);
    free(m);
}

size_t zg_ngram_vocab_size(const zg_ngram *m) { return m->n_words; }

/* ---- generation --------------------------------------------------------- */

static uint64_t splitmix64(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/* A list of candidate next tokens with counts, from one context. */
typedef struct cands { uint32_t *tok, *cnt; size_t n; } cands;

static void cands_from_tri(const zg_ngram *m, uint32_t a, uint32_t b, cands *c)
{
    size_t lo = 0, hi = m->n_tris;
    tri key = {a, b, 0, 0};
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (cmp_tri(&m->tris[mid], &key) < 0) lo = mid + 1; else hi = mid;
    }
    c->n = 0;
    for (size_t i = lo; i < m->n_tris && m->tris[i].a == a && m->tris[i].b == b; i++) {
        c->tok[c->n] = m->tris[i].c; c->cnt[c->n++] = m->tris[i].n;
    }
}

static void cands_from_bi(const zg_ngram *m, uint32_t a, cands *c)
{
    size_t lo = 0, hi = m->n_bis;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (m->bis[mid].a < a) lo = mid + 1; else hi = mid;
    }
    c->n = 0;
    for (size_t i = lo; i < m->n_bis && m->bis[i].a == a; i++) {
        c->tok[c->n] = m->bis[i].b; c->cnt[c->n++] = m->bis[i].n;
    }
}

static void cands_from_uni(const zg_ngram *m, cands *c)
{
    c->n = 0;
    for (size_t i = 1; i < m->n_words; i++)
        if (m->uni[i]) { c->tok[c->n] = (uint32_t)i; c->cnt[c->n++] = m->uni[i]; }
}

/* Backoff: trigram context, else bigram, else unigram. */
static void candidates(const zg_ngram *m, uint32_t a, uint32_t b, cands *c)
{
    cands_from_tri(m, a, b, c);
    if (!c->n) cands_from_bi(m, b, c);
    if (!c->n) cands_from_uni(m, c);
}

static uint32_t pick(const cands *c, double temperature, uint64_t *rng)
{
    if (temperature <= 1e-3) { /* greedy; ties go to the lowest id (first) */
        size_t best = 0;
        for (size_t i = 1; i < c->n; i++) if (c->cnt[i] > c->cnt[best]) best = i;
        return c->tok[best];
    }
    double total = 0, inv = 1.0 / temperature;
    for (size_t i = 0; i < c->n; i++) total += pow((double)c->cnt[i], inv);
    double r = (double)(splitmix64(rng) >> 11) * (1.0 / 9007199254740992.0) * total;
    for (size_t i = 0; i < c->n; i++) {
        r -= pow((double)c->cnt[i], inv);
        if (r < 0) return c->tok[i];
    }
    return c->tok[c->n - 1];
}

/* The answer continues from the last prompt word the model knows, so that
 * different prompts lead to different answers even when sampling greedily. */
static uint32_t prompt_context(const zg_ngram *m, const char *prompt)
{
    const char *p = prompt, *st;
    size_t len;
    uint32_t last = EOS;
    while (next_token(&p, &st, &len)) {
        if (!len || !is_word_byte((unsigned char)*st)) continue;
        long id = vocab_find(m, st, len);
        if (id > 0 && m->uni[id]) last = (uint32_t)id;
    }
    return last;
}

static int no_space_before(const char *w)
{
    return w[0] && !w[1] && strchr(",.;:!?)", w[0]) != NULL;
}

int zg_ngram_generate(const zg_ngram *m, const char *prompt, const zg_ngram_params *p,
                      zg_ngram_emit_fn emit, void *arg, size_t *n_tokens, int *stopped)
{
    *n_tokens = 0; *stopped = 0;
    cands c = {malloc(m->n_words * sizeof(uint32_t)), malloc(m->n_words * sizeof(uint32_t)), 0};
    char *piece = malloc(256);
    if (!c.tok || !c.cnt || !piece) { free(c.tok); free(c.cnt); free(piece); return ZG_ENOMEM; }
    uint64_t rng = p->seed ^ fnv1a(prompt, strlen(prompt));
    uint32_t a = EOS, b = prompt_context(m, prompt), prev = EOS;
    size_t n = 0;
    int restarted = 0;
    while (n < p->max_tokens) {
        candidates(m, a, b, &c);
        uint32_t t = pick(&c, p->temperature, &rng);
        if (t == EOS) {
            if (n || restarted) { *stopped = 1; break; }
            a = b = EOS; restarted = 1; /* never answer with nothing */
            continue;
        }
        const char *w = m->words[t];
        size_t wl = strlen(w), off = 0;
        if (wl > 250) wl = 250;
        if (n && !no_space_before(w) && strcmp(m->words[prev], "(") != 0) piece[off++] = ' ';
        memcpy(piece + off, w, wl);
        piece[off + wl] = 0;
        n++;
        prev = t; a = b; b = t;
        if (emit(arg, piece, off + wl)) break;
    }
    *n_tokens = n;
    free(c.tok); free(c.cnt); free(piece);
    return ZG_OK;
}
