/*
 * provider_test_anvil - the broker against a real chain (see anvil_world.h):
 * chain rejections, settlement with Groth16 proofs, the provider's income
 * equal to the accepted fees to the wei, no double payment, settlement of
 * what a restarted broker accepted before.
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
    ZG_RUN(test_refund_triggers_settlement);
    stop_broker();
    zg_verifier_free(W.ver);
    zg_pcfg_free(&W.cfg);
    zg_model_server_stop(W.msrv);
    zg_ngram_free(W.model);
    zg_rpc_free(W.rpc);
    zg_anvil_stop(&W.anvil);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", W.dir);
    if (system(cmd)) {}
    curl_global_cleanup();
    libevent_global_shutdown();
    ZG_TEST_END();
}
