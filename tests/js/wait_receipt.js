// wait_receipt.js - the receipt of a transaction, polled with a deadline.
//
// ethers v6's tx.wait() and waitForDeployment() wait for block events and,
// on a busy machine, were seen to miss an anvil block and wait forever. The
// test scripts poll eth_getTransactionReceipt themselves instead, and fail
// with a message when the deadline passes.
'use strict';

async function waitReceipt(provider, hash, timeoutMs = 60000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await provider.getTransactionReceipt(hash);
    if (r) {
      if (r.status !== 1) throw new Error(`transaction ${hash} reverted`);
      return r;
    }
    if (Date.now() > deadline) throw new Error(`no receipt for ${hash} after ${timeoutMs} ms`);
    await new Promise((done) => setTimeout(done, 100));
  }
}

module.exports = { waitReceipt };
