/*
 * provider/store_int.h - the store's insides, shared by store.c (SQLite:
 * schema, statements, open, close, reads), store_feed.c (the feeder thread
 * that applies journaled writes to SQLite) and store_write.c (the request
 * path: journal appends and, with synchronous=full, the sync thread).
 */
#ifndef ZG_PROVIDER_STORE_INT_H
#define ZG_PROVIDER_STORE_INT_H

#include <pthread.h>
#include <sqlite3.h>

#include "provider/journal.h"
#include "provider/store.h"

/* How long the feeder lets writes gather into one transaction. A commit
 * writes every page it touched to the WAL, and receipts are clustered by
 * (user, nonce): each customer in a batch costs a leaf of the table and
 * leaves of its index, however many writes it has there. Those pages reach
 * the disk at the next checkpoint, and each block write's completion
 * interrupts a CPU that is serving requests. In bench_broker (2,000 req/s,
 * 32 customers, 8,000 requests), 50 ms instead of 10 cut the WAL written
 * from 100 to 39 MB, the checkpoints' writes from 16 to 6.3 MB and the
 * feeder's CPU from 34 to 20 us per request. Reads do not wait for it: they
 * mark the queue urgent. */
#define ZG_FEED_DELAY_MS 50
#define ZG_FEED_HIGH_WATER 4096      /* ...unless this many are waiting */
#define ZG_FEED_RETRY_MS 1000        /* after a failed commit */
#define ZG_FEED_YIELD_OPS 8          /* the feeder yields its CPU after this many writes */
#define ZG_FEED_MAX_QUEUED (1u << 18) /* writes waiting for SQLite before new ones are refused */
#define ZG_JOURNAL_ROTATE (8u << 20) /* start a new journal file past this many bytes */

enum { ZG_OP_JOURNAL, ZG_OP_EXEC };

typedef struct zg_store_op {
    struct zg_store_op *next;
    int kind;
    zg_jrec rec;                      /* ZG_OP_JOURNAL */
    uint64_t gen, end;                /* its journal file, and the offset after it */
    int (*fn)(sqlite3 *db, void *arg); /* ZG_OP_EXEC */
    void *fn_arg;
    zg_store_done_fn done;            /* ZG_OP_EXEC: called after the commit */
    void *done_arg;
    int rc;
} zg_store_op;

/* A receipt waiting for the next fdatasync (synchronous=full). */
typedef struct zg_sync_wait {
    struct zg_sync_wait *next;
    zg_store_done_fn done;
    void *arg;
} zg_sync_wait;

struct zg_store {
    char *path;
    int sync_full;
    size_t max_batch;
    sqlite3 *wdb, *rdb, *cdb;         /* feeder, readers, checkpoints */
    sqlite3_stmt *ins_receipt, *upd_output, *del_receipt, *upsert_owed, *set_applied;
    sqlite3_stmt *sp_begin, *sp_release, *sp_rollback, *tx_begin, *tx_commit;
    pthread_t feeder, syncer, checkpointer;
    int feeder_started, syncer_started, ckpt_started;
    pthread_mutex_t mu;               /* everything below, and the journal file */
    pthread_mutex_t rmu;              /* the read connection */
    pthread_mutex_t ckpt_mu;          /* ckpt_due, ckpt_stop */
    pthread_cond_t feed_cv, sync_cv, ckpt_cv;
    /* the journal: the file being appended to, its size; a retired file
     * waiting until SQLite has applied all of it; the next file, made in
     * advance (generation jgen + 1) */
    int jfd, retired_fd, spare_fd;
    uint64_t jgen, jend, retired_gen;
    uint64_t rotate_bytes;            /* ZG_JOURNAL_ROTATE; tests set it lower */
    char broken[256];                 /* why writes are refused ("" while healthy) */
    /* writes waiting for the feeder, in journal order */
    zg_store_op *head, *tail;
    size_t queued;
    int urgent;                       /* someone waits for the feeder: do not linger */
    int feeding;                      /* the feeder holds a batch not yet committed */
    zg_sync_wait *sync_head, *sync_tail;
    int syncing;
    int ckpt_due, ckpt_stop;
    int stop;
    int feeder_nice;                  /* the feeder's current priority */
    uint64_t commits, writes;
};

/* store_feed.c */
void *zg_store_feeder_main(void *arg);
void *zg_store_syncer_main(void *arg);
int zg_store_apply_op(zg_store *s, const zg_store_op *o);   /* one write, no transaction */
int zg_store_may_raise_priority(void);  /* CAP_SYS_NICE or RLIMIT_NICE 20: nice 19 can be left again */
void zg_store_queue(zg_store *s, zg_store_op *o);           /* with mu held */

#endif
