#!/usr/bin/env node
// customer.js - a second customer, written in JavaScript with circomlibjs and
// ethers only (TEST-ONLY, not part of the runtime): it creates its own account
// with a Baby Jubjub signer, signs chat requests exactly as docs/protocol.md
// says, and sends them to the broker. If the broker accepts them, the C and
// JavaScript implementations of the receipt agree bit for bit.
//
// Usage: node customer.js RPC_URL CONTRACT PRIVATE_KEY PROVIDER SERVICE_URL SERVICE
//                         INPUT_PRICE OUTPUT_PRICE DEPOSIT_WEI
// Prints one JSON line: {"user","signer":[x,y],"rounds":[{nonce,fee,input_fee,
// previous_output_fee,units_in,units_out,output_fee,status,answer}],"closed_fee"}
// and exits 0 if every request was accepted.
'use strict';
const crypto = require('crypto');
const { ethers } = require('ethers');
const { buildEddsa } = require('circomlibjs');
const { waitReceipt } = require('../../js/wait_receipt.js');

const ABI = [
  'function addAccount(address provider, uint256[2] signer) payable',
  'function accountExists(address user, address provider) view returns (bool)',
];

// requestHash: the first 31 bytes of SHA-256 of the exact body, big-endian.
function requestHash(body) {
  const h = crypto.createHash('sha256').update(body).digest();
  return BigInt('0x' + h.subarray(0, 31).toString('hex'));
}

// Byte rule: UTF-8 bytes of every message's content.
function unitsIn(req) {
  let n = 0;
  for (const m of req.messages) {
    if (typeof m.content === 'string') n += Buffer.byteLength(m.content, 'utf8');
  }
  return BigInt(n);
}

function hex(bytes) {
  return '0x' + Buffer.from(bytes).toString('hex');
}

async function main() {
  const [rpc, contract, key, provider, url, service, inP, outP, deposit] = process.argv.slice(2);
  if (!deposit) {
    console.error('usage: node customer.js RPC CONTRACT KEY PROVIDER URL SERVICE IN_PRICE OUT_PRICE DEPOSIT');
    process.exit(2);
  }
  const inputPrice = BigInt(inP), outputPrice = BigInt(outP);
  const eddsa = await buildEddsa();
  const poseidon = eddsa.poseidon; // the same field instance as eddsa.signPoseidon's

  const wallet = new ethers.Wallet(key, new ethers.JsonRpcProvider(rpc));
  const serving = new ethers.Contract(contract, ABI, wallet);
  // A random Baby Jubjub key: any key works as long as it is the account's signer.
  const prv = crypto.randomBytes(32);
  const pub = eddsa.prv2pub(prv);
  const signer = [eddsa.F.toObject(pub[0]), eddsa.F.toObject(pub[1])];
  if (!(await serving.accountExists(wallet.address, provider))) {
    const tx = await serving.addAccount(provider, signer, { value: BigInt(deposit) });
    await waitReceipt(wallet.provider, tx.hash);
  }

  const user = BigInt(wallet.address), prov = BigInt(provider);
  let owed = 0n, owedUnits = 0n, nonce = BigInt(Date.now()) * 1000n;
  const rounds = [];
  async function send(path, body, inFee) {
    nonce += 1n;
    const fee = inFee + owed;
    const m = poseidon([user, prov, nonce, fee, requestHash(body)]);
    const sig = eddsa.packSignature(eddsa.signPoseidon(prv, m));
    const res = await fetch(`${url.replace(/\/+$/, '')}/v1/proxy/${service}${path}`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'X-ZG-User': wallet.address,
        'X-ZG-Nonce': nonce.toString(),
        'X-ZG-Input-Fee': inFee.toString(),
        'X-ZG-Previous-Output-Fee': owed.toString(),
        'X-ZG-Fee': fee.toString(),
        'X-ZG-Signature': hex(sig),
      },
      body,
    });
    const text = await res.text();
    const round = { nonce: nonce.toString(), fee: fee.toString(), input_fee: inFee.toString(),
                    previous_output_fee: owed.toString(), status: res.status };
    if (res.status !== 200) {
      round.error = text;
      return round;
    }
    owed = 0n;
    return { round, text, res };
  }

  let ok = true;
  for (const q of ['Who is the Queen?', 'Tell me about the White Rabbit, please.']) {
    const req = { messages: [{ role: 'user', content: q }], max_tokens: 24, stream: false };
    const body = JSON.stringify(req);
    const r = await send('/chat/completions', body, unitsIn(req) * inputPrice);
    if (!r.text) { rounds.push(r); ok = false; break; }
    const ans = JSON.parse(r.text);
    const content = ans.choices[0].message.content || '';
    const units = BigInt(Buffer.byteLength(content, 'utf8'));
    owedUnits = units;
    owed = units * outputPrice;
    Object.assign(r.round, { units_in: Number(unitsIn(req)), units_out: Number(units),
                             output_fee: owed.toString(), answer: content,
                             provider_output_fee: r.res.headers.get('x-zg-output-fee') });
    if (r.round.provider_output_fee !== null && r.round.provider_output_fee !== owed.toString()) ok = false;
    rounds.push(r.round);
  }
  let closed = '0';
  if (ok && owed > 0n) {
    closed = owed.toString();
    const r = await send('/close', '{}', 0n);
    if (!r.text) { ok = false; rounds.push(r); }
  }
  console.log(JSON.stringify({ user: wallet.address, signer: signer.map(String), rounds,
                               closed_fee: closed, owed_units: Number(owedUnits) }));
  process.exit(ok ? 0 : 1);
}

main().catch((err) => {
  console.error('customer.js:', err && err.message ? err.message : err);
  process.exit(1);
});
