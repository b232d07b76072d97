// tests/zk/js/eddsa_verify.js FILE - circomlibjs verifyPoseidon.
// Input lines: "<packed public key, hex> <message, decimal> <packed signature, hex>".
// Output lines: "1" when circomlibjs accepts, "0" when it rejects (including
// keys or R8 that do not unpack).
const fs = require("fs");
const { buildEddsa } = require("circomlibjs");
(async () => {
    const eddsa = await buildEddsa();
    const bj = eddsa.babyJub;
    const F = bj.F;
    const out = [];
    for (const l of fs.readFileSync(process.argv[2], "utf8").split("\n")) {
        if (!l) continue;
        const [aHex, msgDec, sigHex] = l.split(" ");
        let ok = false;
        try {
            const A = bj.unpackPoint(Buffer.from(aHex, "hex"));
            const sig = eddsa.unpackSignature(Buffer.from(sigHex, "hex"));
            if (A && sig.R8) ok = eddsa.verifyPoseidon(F.e(BigInt(msgDec)), sig, A);
        } catch (e) {
            ok = false;
        }
        out.push(ok ? "1" : "0");
    }
    process.stdout.write(out.join("\n") + "\n");
    process.exit(0);
})().catch((e) => { console.error(e); process.exit(1); });
