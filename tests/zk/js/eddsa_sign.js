// tests/zk/js/eddsa_sign.js FILE - circomlibjs keys and signatures.
// Input lines: "<private key, 64 hex> <message, decimal>".
// Output lines: "<A.x> <A.y> <packPoint(A), hex> <packSignature(signPoseidon), hex>".
const fs = require("fs");
const { buildEddsa, buildBabyjub } = require("circomlibjs");
(async () => {
    const eddsa = await buildEddsa();
    const bj = await buildBabyjub();
    const F = bj.F;
    const hex = (u) => Buffer.from(u).toString("hex");
    const out = [];
    for (const l of fs.readFileSync(process.argv[2], "utf8").split("\n")) {
        if (!l) continue;
        const [prvHex, msgDec] = l.split(" ");
        const prv = Buffer.from(prvHex, "hex");
        const A = eddsa.prv2pub(prv);
        const sig = eddsa.signPoseidon(prv, F.e(BigInt(msgDec)));
        out.push([F.toString(A[0]), F.toString(A[1]), hex(bj.packPoint(A)), hex(eddsa.packSignature(sig))].join(" "));
    }
    process.stdout.write(out.join("\n") + "\n");
    process.exit(0);
})().catch((e) => { console.error(e); process.exit(1); });
