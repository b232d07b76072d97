/*
 * base/log.h - leveled log lines on stderr that never print secrets.
 *
 * A line: "2026-11-22T04:05:06.123Z INFO  message\n", written with one
 * fputs so that lines of concurrent threads do not interleave.
 * The threshold comes from the environment variable ZG_LOG
 * (debug|info|warn|error, default info), read on each call, so there is no
 * global mutable state to set up.
 *
 * Never pass secrets to a log call. As a safety net, every message is
 * redacted before it is written: any run of exactly 64 hex digits (with or
 * without 0x), the shape of a private key, becomes "0x<redacted>". Public
 * 32-byte values (tx and block hashes) are masked too; log them through
 * zg_log_short_hash, which prints the first and last 4 bytes.
 */
#ifndef ZG_BASE_LOG_H
#define ZG_BASE_LOG_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum zg_log_level { ZG_LOG_DEBUG, ZG_LOG_INFO, ZG_LOG_WARN, ZG_LOG_ERROR };

/* Writes one redacted line to stderr if level >= the ZG_LOG threshold. */
void zg_log(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Same to any stream, with an explicit threshold (for tests, log files). */
void zg_log_to(FILE *f, int min_level, int level, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* The threshold named by ZG_LOG (ZG_LOG_INFO if unset or unknown). */
int zg_log_threshold(void);

/* Masks, in place, every run of exactly 64 hex digits (optionally preceded by
 * 0x) in the NUL-terminated s. The result is never longer than s. */
void zg_log_redact(char *s);

/* "0x12345678..9abcdef0": identifies a public hash in a log line without
 * tripping the redaction. out needs 23 bytes. */
void zg_log_short_hash(const uint8_t h[32], char out[23]);

#endif
