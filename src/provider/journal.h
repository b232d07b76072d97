/*
 * provider/journal.h - the receipt journal: an append-only file holding the
 * store's writes (receipts, answers' output fees, dropped receipts) in the
 * order they were made.
 *
 * A request goes upstream once its receipt is in the journal: one write()
 * (plus, with synchronous=full, a shared fdatasync), instead of waiting for an
 * SQLite commit on another thread. SQLite is fed the same writes in the
 * background (store.c) and remembers how far into which journal file it has
 * applied them, so on start-up the rest is applied again, exactly once.
 *
 * A journal file is "<database>.journal.<generation>": a 16-byte header (the
 * magic "ZGJRNL01", then the generation as a big-endian u64), then records.
 * A record is a big-endian u32 body length, the body, and the first 8 bytes of
 * SHA-256(body). Replay stops at the first record that is cut short or does
 * not match its checksum (a crash in the middle of a write), and reports how
 * many bytes it ignored.
 *
 * These functions do no locking: the store serialises appends.
 */
#ifndef ZG_PROVIDER_JOURNAL_H
#define ZG_PROVIDER_JOURNAL_H

#include <stddef.h>
#include <stdint.h>

#include "provider/store.h"

#define ZG_JOURNAL_HDR 16   /* bytes before the first record */
#define ZG_JREC_MAX 320     /* the largest encoded record, length and checksum included */

enum zg_jrec_kind { ZG_JREC_RECEIPT = 1, ZG_JREC_OUTPUT = 2, ZG_JREC_DROP = 3 };

/* One journal record. RECEIPT uses all of r except the output and settlement
 * fields; OUTPUT uses r.user, r.nonce, r.output_units, r.output_fee and owed;
 * DROP uses r.user, r.nonce and owed. */
typedef struct zg_jrec {
    int kind;
    zg_store_receipt r;
    zg_u256 owed;
} zg_jrec;

/* Encodes rec (length, body, checksum) into out; returns its size, or 0 if
 * the kind is unknown or the service name is longer than 63 bytes. */
size_t zg_jrec_encode(const zg_jrec *rec, uint8_t out[ZG_JREC_MAX]);

/* Decodes one record body (without its length and checksum). ZG_EINVAL if
 * the body is not a well-formed record. */
int zg_jrec_decode(zg_jrec *rec, const uint8_t *body, size_t len);

/* "<db>.journal.<gen>" into out (cap bytes). ZG_ERANGE if it does not fit. */
int zg_journal_path(char *out, size_t cap, const char *db, uint64_t gen);

/* Creates (or empties) journal file gen and writes its header; *fd is open
 * for appending. With sync, the header and the directory entry are synced
 * too, so the file survives a power loss. */
int zg_journal_create(const char *db, uint64_t gen, int sync, int *fd, zg_err *e);

/* Appends n bytes, the file being `at` bytes long. On failure the file is
 * cut back to `at`, so that a failed append never leaves half a record in
 * front of later ones; ZG_EIO then (ZG_ESTATE if even that failed: the file
 * must not be appended to again). */
int zg_journal_append(int fd, uint64_t at, const uint8_t *p, size_t n, zg_err *e);

/* The generations of the journal files next to db, ascending (*gens is
 * malloc'd, NULL when there are none). */
int zg_journal_list(const char *db, uint64_t **gens, size_t *n, zg_err *e);

/* Calls fn(arg, rec) for each whole record of file gen from offset `from`
 * (at least ZG_JOURNAL_HDR), in order. *end gets the offset after the last
 * good record, *ignored the bytes after it (a cut or damaged tail). A
 * non-zero fn result stops the replay and is returned. ZG_EIO if the file
 * cannot be read, ZG_EINVAL if its header is wrong. */
int zg_journal_replay(const char *db, uint64_t gen, uint64_t from, int (*fn)(void *arg, const zg_jrec *rec),
                      void *arg, uint64_t *end, uint64_t *ignored, zg_err *e);

#endif
