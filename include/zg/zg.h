/* zg/zg.h - everything of libzg in one include. See each header. */
#ifndef ZG_ZG_H
#define ZG_ZG_H
#include "zg/error.h"
#include "zg/client.h"
#include "zg/wallet.h"
#include "zg/service.h"
#include "zg/account.h"
#include "zg/chat.h"
#endif
