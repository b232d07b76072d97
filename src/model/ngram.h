/*
 * model/ngram.h - a word-level trigram language model with backoff.
 *
 * zg-model's "model": small, real (it is trained on text and generates text
 * from the statistics it learnt), deterministic, and fast. It stands in for a
 * real LLM served by vLLM, llama.cpp server or Ollama so that the serving
 * network runs offline; its answers are plausible-looking Carroll pastiche,
 * not answers to the question.
 *
 * Tokens are words (letters, digits, apostrophes, hyphens) and single
 * punctuation characters. A blank line in the training text is the end of a
 * paragraph, learnt as the end-of-answer token. Generation picks the next
 * token from the trigram counts of the last two tokens; when that context was
 * never seen it backs off to the bigram, then to the unigram counts.
 */
#ifndef ZG_MODEL_NGRAM_H
#define ZG_MODEL_NGRAM_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "zg/error.h"

typedef struct zg_ngram zg_ngram;

/* Trains a model on text (NUL terminated). ZG_EINVAL when the text has fewer
 * than two words, ZG_ENOMEM. */
int zg_ngram_train(zg_ngram **out, const char *text, zg_err *e);

void zg_ngram_free(zg_ngram *m);

/* Number of distinct tokens (the end-of-answer token included). */
size_t zg_ngram_vocab_size(const zg_ngram *m);

/* Number of tokens text splits into (how prompts are counted in `usage`). */
size_t zg_ngram_count_tokens(const char *text);

typedef struct zg_ngram_params {
    uint64_t seed;        /* same seed + prompt + temperature -> same answer */
    double temperature;   /* 0 = always the most frequent continuation */
    size_t max_tokens;    /* hard cap on generated tokens (>= 1) */
} zg_ngram_params;

/* Called for each generated token with its text as it joins the answer
 * (leading space included where one belongs). Returns 0 to go on, non-zero to
 * stop early. */
typedef int (*zg_ngram_emit_fn)(void *arg, const char *piece, size_t len);

/* Generates an answer that continues prompt. Calls emit once per token;
 * sets *n_tokens and *stopped (1: the model ended the answer itself, 0: it
 * hit max_tokens). ZG_ENOMEM only. */
int zg_ngram_generate(const zg_ngram *m, const char *prompt, const zg_ngram_params *p,
                      zg_ngram_emit_fn emit, void *arg, size_t *n_tokens, int *stopped);

#endif
