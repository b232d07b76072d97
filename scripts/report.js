#!/usr/bin/env node
// report.js - the report of `bash scripts/network.sh start`: reads the JSON the
// run left in RUN_DIR, checks that every figure adds up to the wei, prints the
// report and writes RUN_DIR/report.json. Exits 1 if a figure does not add up.
//
// Usage: node scripts/report.js RUN_DIR T0 T_BUILT T_NETWORK T_DONE RPC_URL
// (times in unix seconds; RPC_URL to read the settlement's receipt)
'use strict';
const fs = require('fs');
const path = require('path');

const [dir, t0, t1, t2, t3, rpc] = process.argv.slice(2);
const read = (f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'));
const W = (x) => BigInt(x === undefined || x === null || x === '' ? 0 : x);
const ETH = 10n ** 18n, GWEI = 10n ** 9n;

function fmt(wei) {
  const v = W(wei);
  const unit = v >= 10n ** 15n ? [ETH, 'eth'] : v >= 10n ** 6n ? [GWEI, 'gwei'] : [1n, 'wei'];
  const whole = v / unit[0], frac = v % unit[0];
  let s = whole.toString();
  if (frac) s += '.' + frac.toString().padStart(unit[0].toString().length - 1, '0').replace(/0+$/, '');
  return `${s} ${unit[1]}`;
}

// Pulls the first present key out of an object or its nested "settlement(s)".
function pick(o, keys) {
  if (!o || typeof o !== 'object') return undefined;
  for (const k of keys) if (o[k] !== undefined && o[k] !== null) return o[k];
  for (const v of Object.values(o)) {
    if (v && typeof v === 'object') {
      const r = pick(Array.isArray(v) ? v[0] : v, keys);
      if (r !== undefined) return r;
    }
  }
  return undefined;
}

const before = read('account-before.json');
const after = read('account-after.json');
const chats = [read('chat1.json'), read('chat2.json'), read('chat3.json')];
const close = read('close.json');
const settle = read('settle.json');
const deposit = W(before.balance);

const failures = [];
const check = (cond, what) => { if (!cond) failures.push(what); };

// Each round pays its own input and the previous answer's output.
let prevOut = 0n, signed = 0n;
chats.forEach((c, i) => {
  check(W(c.fee) === W(c.input_fee) + W(c.previous_output_fee), `chat ${i + 1}: fee != input + previous output`);
  check(W(c.previous_output_fee) === prevOut, `chat ${i + 1}: previous output fee ${c.previous_output_fee} != ${prevOut}`);
  prevOut = W(c.output_fee);
  signed += W(c.fee);
});
const closed = W(close.closed_fee);
check(closed === prevOut, `closing fee ${closed} != last output fee ${prevOut}`);
signed += closed;

const settledTotal = W(pick(settle, ['total', 'settled_total', 'amount']));
const txs = Array.isArray(settle.txs) ? settle.txs : [pick(settle, ['tx', 'tx_hash', 'transaction', 'hash'])].filter(Boolean);
const tx = txs.join(', ');
if (Array.isArray(settle.errors) && settle.errors.length) failures.push(`settlement errors: ${settle.errors.join('; ')}`);
check(txs.length > 0, 'no settlement transaction');
let gas;
const drawn = deposit - W(after.balance);
const refunds = W(after.pending_refund);
check(drawn === signed, `account drawn ${drawn} != fees signed ${signed}`);
if (settledTotal) check(settledTotal === drawn, `settled total ${settledTotal} != account drawn ${drawn}`);
const income = drawn;
check(W(after.balance) + income + 0n === deposit, 'balance + provider income + refunds != deposits');
const lastNonce = BigInt(close.closed_nonce || 0) || BigInt(chats[2].nonce);
check(BigInt(after.nonce) === lastNonce, `settled nonce ${after.nonce} != last signed nonce ${lastNonce}`);

async function receipts() {
  const out = [];
  for (const h of txs) {
    const res = await fetch(rpc, { method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_getTransactionReceipt', params: [h] }) });
    const r = (await res.json()).result;
    check(r && r.status === '0x1', `settlement ${h} did not succeed`);
    if (r) out.push({ tx: h, gas: BigInt(r.gasUsed).toString(), block: BigInt(r.blockNumber).toString() });
  }
  return out;
}

async function main() {
const mined = rpc ? await receipts() : [];
gas = mined.map((m) => m.gas).join(', ') || undefined;
const s = (a, b) => (Number(b) - Number(a)).toFixed(1);
console.log('');
console.log('================ zg-serving: local network report ================');
chats.forEach((c, i) => {
  console.log(`request ${i + 1}${i === 2 ? ' (streamed)' : ''}: nonce ${c.nonce}`);
  console.log(`  answer: ${c.answer.replace(/\s+/g, ' ').trim()}`);
  console.log(`  fee ${fmt(c.fee)} = input ${fmt(c.input_fee)} (${c.units_in} bytes)` +
              ` + previous output ${fmt(c.previous_output_fee)}; this answer: ${c.units_out} bytes,` +
              ` ${fmt(c.output_fee)} owed`);
  if (c.warning) console.log(`  warning: ${c.warning}`);
});
console.log(`closing request: paid the last output, ${fmt(closed)}`);
console.log(`fees signed in total:        ${fmt(signed)} (${signed} wei)`);
console.log(`customer balance before:     ${fmt(deposit)} (${deposit} wei)`);
console.log(`customer balance after:      ${fmt(after.balance)} (${after.balance} wei)`);
console.log(`provider income:             ${fmt(income)} (${income} wei)`);
console.log(`settlement transaction:      ${tx || '(not reported by the broker)'}`);
console.log(`settlement gas:              ${gas === undefined ? '(not reported)' : gas}`);
console.log(`settled up to nonce:         ${after.nonce}`);
console.log(`balance + income + refunds == deposits: ${failures.length ? 'NO' : 'yes, to the wei'}`);
console.log(`time: setup/build ${s(t0, t1)} s, network start ${s(t1, t2)} s, customer + settlement ${s(t2, t3)} s`);
for (const f of failures) console.log(`MISMATCH: ${f}`);
console.log('==================================================================');

const report = {
  requests: chats, closed_fee: closed.toString(), signed_total: signed.toString(),
  balance_before: deposit.toString(), balance_after: W(after.balance).toString(),
  provider_income: income.toString(), refunds: refunds.toString(),
  settlement: { tx: txs[0] || null, txs, gas: gas === undefined ? null : String(gas), mined,
                total: settledTotal.toString(), raw: settle },
  seconds: { setup: Number(s(t0, t1)), network: Number(s(t1, t2)), customer: Number(s(t2, t3)) },
  ok: failures.length === 0, failures,
};
fs.writeFileSync(path.join(dir, 'report.json'), JSON.stringify(report, null, 2));
process.exit(failures.length ? 1 : 0);
}

main().catch((err) => { console.error('report.js:', err.message || err); process.exit(1); });
