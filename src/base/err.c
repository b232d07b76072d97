/* err.c - filling zg_err values (see include/zg/error.h). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "zg/error.h"

const char *zg_code_name(int code)
{
    static const char *const names[] = {
        "ZG_OK", "ZG_EINVAL", "ZG_ERANGE", "ZG_ENOMEM", "ZG_EIO", "ZG_ECRYPTO",
        "ZG_ERPC", "ZG_EREVERT", "ZG_ETIMEOUT", "ZG_ENOTFOUND", "ZG_ESTATE",
        "ZG_EFUNDS", "ZG_EHTTP", "ZG_EINTERNAL",
    };
    if (code < 0 || (size_t)code >= sizeof names / sizeof names[0])
        return "ZG_E?";
    return names[code];
}

void zg_err_clear(zg_err *e)
{
    if (!e)
        return;
    e->code = ZG_OK;
    e->msg[0] = '\0';
}

int zg_err_set(zg_err *e, int code, const char *fmt, ...)
{
    if (!e)
        return code;
    e->code = code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    va_end(ap);
    return code;
}

int zg_err_wrap(zg_err *e, int code, const char *fmt, ...)
{
    if (!e)
        return code;
    e->code = code;
    char prefix[ZG_ERR_MSG_MAX];
    char old[ZG_ERR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(prefix, sizeof prefix, fmt, ap);
    va_end(ap);
    memcpy(old, e->msg, sizeof old);
    /* Truncation is fine here: the message is for a person, and the most
     * specific context comes first. */
    size_t n = strlen(prefix);
    if (n > sizeof e->msg - 3)
        n = sizeof e->msg - 3;
    memcpy(e->msg, prefix, n);
    memcpy(e->msg + n, ": ", 2);
    size_t rest = sizeof e->msg - n - 3;
    size_t m = strnlen(old, rest);
    memcpy(e->msg + n + 2, old, m);
    e->msg[n + 2 + m] = '\0';
    return code;
}
