/*
 * provider/store_write.c - the store's request path: a write is appended to
 * the journal with one write() on the caller's thread and queued for the
 * feeder. With synchronous=normal that is all: the write survives a crash or
 * SIGKILL of the broker, and a receipt's callback runs at once, on the
 * caller's thread. With synchronous=full the callback waits for the sync
 * thread's next fdatasync, which covers every write appended before it
 * started (group commit).
 *
 * The feeder is not woken for every write: only when the queue was empty
 * (it then lets writes gather for ZG_FEED_DELAY_MS) or is getting long. On
 * this path, a wake-up of another thread costs more than the write itself.
 */
#include "provider/store_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/log.h"

/* With mu held. */
void zg_store_queue(zg_store *s, zg_store_op *o)
{
    int was_empty = !s->head;
    if (s->tail) s->tail->next = o; else s->head = o;
    s->tail = o;
    s->queued++;
    if (was_empty || s->queued == ZG_FEED_HIGH_WATER || o->kind == ZG_OP_EXEC) {
        if (o->kind == ZG_OP_EXEC) s->urgent = 1;
        pthread_cond_signal(&s->feed_cv);
    }
}

static void set_broken(zg_store *s, const char *why)
{
    if (s->broken[0]) return;
    snprintf(s->broken, sizeof s->broken, "%s", why);
    zg_log(ZG_LOG_ERROR, "store: %s; the broker refuses requests until it is restarted", why);
}

/* Appends the record and queues it; with synchronous=full also registers
 * done for the next sync. With mu held; on failure nothing was written. */
static int append_locked(zg_store *s, zg_store_op *o, const uint8_t *enc, size_t len, zg_sync_wait *w)
{
    if (s->stop) return ZG_ESTATE;
    if (s->broken[0]) return ZG_EIO;
    if (s->queued >= ZG_FEED_MAX_QUEUED) {
        zg_log(ZG_LOG_ERROR, "store: %zu writes wait for SQLite ('%s'); refusing new ones until it catches up",
               s->queued, s->path);
        return ZG_EIO;
    }
    zg_err err;
    int rc = zg_journal_append(s->jfd, s->jend, enc, len, &err);
    if (rc) {
        zg_log(ZG_LOG_ERROR, "store: the receipt journal of '%s' cannot be written: %s", s->path, err.msg);
        if (rc == ZG_ESTATE) set_broken(s, "the receipt journal cannot be written and may end in half a record");
        return ZG_EIO;
    }
    s->jend += len;
    o->gen = s->jgen;
    o->end = s->jend;
    zg_store_queue(s, o);
    if (w) {
        if (s->sync_tail) s->sync_tail->next = w; else s->sync_head = w;
        s->sync_tail = w;
        pthread_cond_signal(&s->sync_cv);
    }
    return ZG_OK;
}

/* Journals rec; done (may be NULL) once it is durable. */
static int write_rec(zg_store *s, const zg_jrec *rec, zg_store_done_fn done, void *arg)
{
    uint8_t enc[ZG_JREC_MAX];
    size_t len = zg_jrec_encode(rec, enc);
    if (!len) return ZG_EINVAL;
    zg_store_op *o = calloc(1, sizeof *o);
    zg_sync_wait *w = done && s->sync_full ? calloc(1, sizeof *w) : NULL;
    if (!o || (done && s->sync_full && !w)) {
        free(o);
        free(w);
        return ZG_ENOMEM;
    }
    o->kind = ZG_OP_JOURNAL;
    o->rec = *rec;
    if (w) { w->done = done; w->arg = arg; }
    pthread_mutex_lock(&s->mu);
    int rc = append_locked(s, o, enc, len, w);
    pthread_mutex_unlock(&s->mu);
    if (rc) {
        free(o);
        free(w);
        return rc;
    }
    if (done && !s->sync_full) done(arg, ZG_OK);
    return ZG_OK;
}

int zg_store_put_receipt(zg_store *s, const zg_store_receipt *r, zg_store_done_fn done, void *arg)
{
    zg_jrec rec = {.kind = ZG_JREC_RECEIPT, .r = *r};
    return write_rec(s, &rec, done, arg);
}

int zg_store_record_output(zg_store *s, const uint8_t user[20], uint64_t nonce, uint64_t units,
                           const zg_u256 *fee, const zg_u256 *owed)
{
    zg_jrec rec = {.kind = ZG_JREC_OUTPUT, .owed = *owed};
    memcpy(rec.r.user, user, 20);
    rec.r.nonce = nonce;
    rec.r.output_units = units;
    rec.r.output_fee = *fee;
    return write_rec(s, &rec, NULL, NULL);
}

int zg_store_drop_receipt(zg_store *s, const uint8_t user[20], uint64_t nonce, const zg_u256 *owed,
                          zg_store_done_fn done, void *arg)
{
    zg_jrec rec = {.kind = ZG_JREC_DROP, .owed = *owed};
    memcpy(rec.r.user, user, 20);
    rec.r.nonce = nonce;
    return write_rec(s, &rec, done, arg);
}

/* ---- synchronous=full: the sync thread ------------------------------------ */

/* If fdatasync fails, Linux may already have dropped the unwritten pages, and
 * a second call can succeed without writing them: nothing can be promised
 * about these writes any more. Their callbacks are not called (the requests
 * stay unanswered: their outcome is decided by the journal at the next
 * start), and the store refuses every later write. */
void *zg_store_syncer_main(void *arg)
{
    zg_store *s = arg;
    pthread_mutex_lock(&s->mu);
    for (;;) {
        while (!s->sync_head && !s->stop) pthread_cond_wait(&s->sync_cv, &s->mu);
        if (!s->sync_head) break;
        zg_sync_wait *ws = s->sync_head;
        s->sync_head = s->sync_tail = NULL;
        int fd = s->jfd;
        s->syncing = 1;
        pthread_mutex_unlock(&s->mu);
        int ok = fdatasync(fd) == 0;
        pthread_mutex_lock(&s->mu);
        s->syncing = 0;
        if (!ok) set_broken(s, "the receipt journal cannot be synced to disk (fdatasync failed)");
        pthread_mutex_unlock(&s->mu);
        for (zg_sync_wait *w = ws, *next; w; w = next) {
            next = w->next;
            if (ok) w->done(w->arg, ZG_OK);
            free(w);
        }
        pthread_mutex_lock(&s->mu);
    }
    pthread_mutex_unlock(&s->mu);
    return NULL;
}
