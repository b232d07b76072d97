// tests/serving/js/receipt.js FILE - the receipt and signer key as a
// JavaScript customer computes them (ethers v6 + circomlibjs).
// Input lines: "<wallet secret hex> <user hex> <provider hex> <nonce> <fee> <body hex or ->".
// Output lines: "<signer prv hex> <m decimal> <packed signer pubkey hex> <packed signature hex>".
const fs = require("fs");
const crypto = require("crypto");
const { ethers } = require("ethers");
const { buildEddsa } = require("circomlibjs");
(async () => {
    const eddsa = await buildEddsa();
    const bj = eddsa.babyJub;
    const F = bj.F;
    const hex = (u) => Buffer.from(u).toString("hex");
    const out = [];
    for (const l of fs.readFileSync(process.argv[2], "utf8").split("\n")) {
        if (!l) continue;
        const [secret, user, provider, nonce, fee, bodyHex] = l.split(" ");
        const wallet = new ethers.Wallet("0x" + secret);
        const h = ethers.keccak256(ethers.concat([ethers.toUtf8Bytes("zg-serving signer key v1"), "0x" + provider]));
        const prv = ethers.getBytes(ethers.keccak256(wallet.signingKey.sign(h).serialized));
        const body = bodyHex === "-" ? Buffer.alloc(0) : Buffer.from(bodyHex, "hex");
        const rh = BigInt("0x" + crypto.createHash("sha256").update(body).digest("hex").slice(0, 62));
        const m = eddsa.poseidon([BigInt("0x" + user), BigInt("0x" + provider), BigInt(nonce), BigInt(fee), rh]);
        const sig = eddsa.signPoseidon(prv, m);
        out.push([hex(prv), F.toString(m), hex(bj.packPoint(eddsa.prv2pub(prv))), hex(eddsa.packSignature(sig))].join(" "));
    }
    process.stdout.write(out.join("\n") + "\n");
    process.exit(0);
})().catch((e) => { console.error(e); process.exit(1); });
