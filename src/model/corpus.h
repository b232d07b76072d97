/*
 * model/corpus.h - built-in training text of zg-model.
 */
#ifndef ZG_MODEL_CORPUS_H
#define ZG_MODEL_CORPUS_H

/* Public-domain prose (see corpus_alice.c for the source), NUL terminated;
 * paragraphs separated by blank lines. */
extern const char zg_model_corpus_alice[];

#endif
