/*
 * model_test_ngram - tokenizer, training and generation of the n-gram model.
 */
#include <string.h>

#include "base/buf.h"
#include "model/corpus.h"
#include "model/ngram.h"
#include "zg_test.h"

static int collect(void *arg, const char *p, size_t n) { return zg_buf_append(arg, p, n) != 0; }

static void test_tokens(void)
{
    CHECK_EQ_INT(zg_ngram_count_tokens(""), 0);
    CHECK_EQ_INT(zg_ngram_count_tokens("Oh dear! Oh dear!"), 6);
    CHECK_EQ_INT(zg_ngram_count_tokens("a rabbit-hole, (really)"), 6);
    CHECK_EQ_INT(zg_ngram_count_tokens("Alice's  \n\n  key"), 2);
}

static void test_train_errors(void)
{
    zg_err err;
    zg_ngram *m = NULL;
    CHECK_EQ_INT(zg_ngram_train(&m, "one", &err), ZG_EINVAL);
    CHECK(m == NULL);
}

static void gen(const zg_ngram *m, const char *prompt, uint64_t seed, double t, size_t max,
                zg_buf *out, size_t *n, int *stopped)
{
    zg_ngram_params p = {seed, t, max};
    zg_buf_reset(out);
    CHECK_EQ_INT(zg_ngram_generate(m, prompt, &p, collect, out, n, stopped), ZG_OK);
    zg_buf_append_byte(out, 0);
}

static void test_generate(void)
{
    zg_err err;
    zg_ngram *m = NULL;
    CHECK_OK(zg_ngram_train(&m, zg_model_corpus_alice, &err));
    if (!m) return;
    CHECK(zg_ngram_vocab_size(m) > 300);
    zg_buf a, b;
    zg_buf_init(&a);
    zg_buf_init(&b);
    size_t n1, n2;
    int s1, s2;
    gen(m, "the White Rabbit", 1, 0.9, 50, &a, &n1, &s1);
    gen(m, "the White Rabbit", 1, 0.9, 50, &b, &n2, &s2);
    CHECK_EQ_STR((char *)a.data, (char *)b.data);
    CHECK_EQ_INT(n1, n2);
    CHECK(n1 >= 1 && n1 <= 50);
    CHECK(s1 || n1 == 50);
    /* the greedy continuation of "White" is "Rabbit" (its only successor) */
    gen(m, "White", 0, 0, 1, &a, &n1, &s1);
    CHECK_EQ_STR((char *)a.data, "Rabbit");
    CHECK_EQ_INT(s1, 0);
    /* words outside the text still get an answer */
    gen(m, "zzzz qqqq", 5, 0.5, 20, &a, &n1, &s1);
    CHECK(n1 >= 1);
    zg_buf_free(&a);
    zg_buf_free(&b);
    zg_ngram_free(m);
}

int main(void)
{
    ZG_RUN(test_tokens);
    ZG_RUN(test_train_errors);
    ZG_RUN(test_generate);
    ZG_TEST_END();
}
