/*
 * provider_test_anvil - the broker against a real chain (see anvil_world.h):
 * chain rejections, settlement with Groth16 proofs, the provider's income
 * equal to the accepted fees to the wei, no double payment, settlement of
 * what a restarted broker accepted before, settled receipts deleted after
 * store.keep_settled_s without their nonces becoming usable again.
 */
#define _GNU_SOURCE
#include "anvil_world.h"

int main(void)
{
    signal(SIGPIPE, SIG_IGN);
    curl_global_init(CURL_GLOBAL_DEFAULT);
    if (setup_chain() || setup()) {
        fprintf(stderr, "setup failed\n");
        zg_anvil_stop(&W.anvil);
        return 1;
    }
    ZG_RUN(test_requests);
    ZG_RUN(test_chain_rejections);
    ZG_RUN(test_deposit_event);
    ZG_RUN(test_settlement);
    ZG_RUN(test_restart_then_settle);
    ZG_RUN(test_old_settled_deleted);
    ZG_RUN(test_refund_triggers_settlement);
    teardown();
    ZG_TEST_END();
}
