/* log.c - leveled, redacted log lines (see base/log.h). */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "base/hex.h"
#include "base/log.h"

static const char *const level_names[] = {"DEBUG", "INFO ", "WARN ", "ERROR"};

int zg_log_threshold(void)
{
    const char *v = getenv("ZG_LOG");
    static const char *const names[] = {"debug", "info", "warn", "error"};
    for (int i = 0; v && i < 4; i++)
        if (strcasecmp(v, names[i]) == 0)
            return i;
    return ZG_LOG_INFO;
}

/* Length of the run of hex digits starting at s. */
static size_t hex_run(const char *s)
{
    size_t n = 0;
    while (zg_hex_digit(s[n]) >= 0)
        n++;
    return n;
}

void zg_log_redact(char *s)
{
    static const char mask[] = "0x<redacted>";
    char *w = s;
    for (const char *r = s; *r;) {
        int prefixed = r[0] == '0' && (r[1] == 'x' || r[1] == 'X');
        const char *d = prefixed ? r + 2 : r;
        int at_start = r == s || zg_hex_digit(r[-1]) < 0;
        size_t n = at_start ? hex_run(d) : 0;
        if (n == 64) {
            /* 12 <= 64 chars: the write pointer never overtakes the read one. */
            memcpy(w, mask, sizeof mask - 1);
            w += sizeof mask - 1;
            r = d + 64;
        } else if (n > 0) {
            size_t total = (size_t)(d - r) + n; /* copy the whole run unchanged */
            memmove(w, r, total);
            w += total;
            r += total;
        } else {
            *w++ = *r++;
        }
    }
    *w = '\0';
}

void zg_log_short_hash(const uint8_t h[32], char out[23])
{
    char a[11], b[9 + 2];
    zg_hex_encode(h, 4, a);
    zg_hex_encode(h + 28, 4, b);
    snprintf(out, 23, "%s..%s", a, b + 2);
}

/* A truncated message may end in part of a secret too short to be redacted:
 * drop any trailing hex run and mark the cut. */
static void cut_trailing_hex(char *msg)
{
    size_t n = strlen(msg);
    while (n > 0 && (zg_hex_digit(msg[n - 1]) >= 0 || msg[n - 1] == 'x'))
        n--;
    strcpy(msg + (n > sizeof "..." ? n - sizeof "..." : 0), "...");
}

static void vlog(FILE *f, int min_level, int level, const char *fmt, va_list ap)
{
    if (level < min_level)
        return;
    if (level < ZG_LOG_DEBUG || level > ZG_LOG_ERROR)
        level = ZG_LOG_ERROR;
    char msg[2048], line[2200];
    int n = vsnprintf(msg, sizeof msg, fmt, ap);
    if (n >= (int)sizeof msg)
        cut_trailing_hex(msg);
    zg_log_redact(msg);
    struct timespec ts;
    struct tm tm;
    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    snprintf(line, sizeof line, "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ %s %s\n",
             tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
             ts.tv_nsec / 1000000, level_names[level], msg);
    fputs(line, f);
}

void zg_log(int level, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vlog(stderr, zg_log_threshold(), level, fmt, ap);
    va_end(ap);
}

void zg_log_to(FILE *f, int min_level, int level, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vlog(f, min_level, level, fmt, ap);
    va_end(ap);
}
