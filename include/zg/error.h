/*
 * zg/error.h - how every zg function reports failure.
 *
 * A function that can fail returns an int: ZG_OK (0) on success, otherwise one
 * of the ZG_E* codes below. When the caller passes a zg_err, it is filled with
 * the same code and a message written for the person who must act on it
 * ("insufficient balance: account holds 1.2 eth, request needs 1.5 eth").
 * Passing NULL for the zg_err is allowed: the code alone is then returned.
 * Messages never contain secrets (private keys, passwords, seeds).
 */
#ifndef ZG_ERROR_H
#define ZG_ERROR_H

#ifdef __cplusplus
extern "C" {
#endif

enum zg_code {
    ZG_OK = 0,
    ZG_EINVAL,     /* an argument or input is malformed */
    ZG_ERANGE,     /* a number does not fit, or an index is out of range */
    ZG_ENOMEM,     /* an allocation failed */
    ZG_EIO,        /* a file, socket or process could not be used */
    ZG_ECRYPTO,    /* a signature, key, proof or MAC does not verify */
    ZG_ERPC,       /* the chain's JSON-RPC endpoint failed or answered garbage */
    ZG_EREVERT,    /* a contract call or transaction reverted */
    ZG_ETIMEOUT,   /* something did not answer in time */
    ZG_ENOTFOUND,  /* the thing asked for does not exist */
    ZG_ESTATE,     /* the request conflicts with the current state */
    ZG_EFUNDS,     /* not enough balance */
    ZG_EHTTP,      /* a peer answered with an HTTP error */
    ZG_EINTERNAL   /* a bug: an invariant of zg itself does not hold */
};

#define ZG_ERR_MSG_MAX 512

typedef struct zg_err {
    int code;                  /* one of enum zg_code */
    char msg[ZG_ERR_MSG_MAX];  /* human readable, NUL terminated */
} zg_err;

/* Returns a short constant name for a code, such as "ZG_EINVAL". */
const char *zg_code_name(int code);

/* Clears an error to ZG_OK with an empty message. e may be NULL. */
void zg_err_clear(zg_err *e);

/* Sets code and a printf-style message; returns code so that a caller can
 * write `return zg_err_set(e, ZG_EINVAL, "bad hex at %zu", i);`. e may be NULL. */
int zg_err_set(zg_err *e, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Prefixes the message with more context ("reading config: ...") and returns
 * code, the failure being passed up, so that a caller can write
 * `if (rc) return zg_err_wrap(e, rc, "reading %s", path);`. Taking the code
 * as an argument keeps it right when e is NULL. e may be NULL. */
int zg_err_wrap(zg_err *e, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#ifdef __cplusplus
}
#endif
#endif
