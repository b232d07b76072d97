/* sdk/sdk_util.h - small helpers the SDK's files share. */
#ifndef ZG_SDK_UTIL_H
#define ZG_SDK_UTIL_H

#include <stddef.h>

#include "zg/error.h"

/* The home directory: opt, else $ZG_HOME, else $HOME/.zg. */
int zg_sdk_home(const char *opt, char *out, size_t cap, zg_err *e);

/* Creates the directories leading to a file path (mode 0700). */
int zg_sdk_mkdirs_for(const char *path, zg_err *e);

#endif
