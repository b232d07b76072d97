/*
 * provider_test_anvil_crash - crash safety on a real chain (see
 * anvil_world.h): a chain-backed broker process is SIGKILLed in the middle of
 * a load of streamed requests, a new broker starts on its database and
 * settles: every receipt whose answer began is paid on chain exactly once
 * (the account pays exactly the stored receipts' fees; a second round pays
 * nothing).
 */
#define _GNU_SOURCE
#include "anvil_world.h"

int main(void)
{
    signal(SIGPIPE, SIG_IGN);
    curl_global_init(CURL_GLOBAL_DEFAULT);
    if (setup_chain()) {
        fprintf(stderr, "chain setup failed\n");
        zg_anvil_stop(&W.anvil);
        return 1;
    }
    ZG_RUN(test_crash_load);
    if (setup()) {
        fprintf(stderr, "setup failed\n");
        zg_anvil_stop(&W.anvil);
        return 1;
    }
    ZG_RUN(test_crash_settled_once);
    teardown();
    ZG_TEST_END();
}
