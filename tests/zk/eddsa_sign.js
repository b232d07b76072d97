// eddsa_sign.js - test helper: EdDSA-Poseidon signatures made by circomlibjs.
// usage: node eddsa_sign.js <private key hex (32 bytes)> <message decimal>...
// prints "A <x> <y>" then one "SIG <R8.x> <R8.y> <S>" line per message. An
// argument "key=<hex>" switches the signing key for the messages after it
// (printing "A2 <x> <y>"), so one node start serves several keys.
const circomlibjs = require("circomlibjs");

(async () => {
    const eddsa = await circomlibjs.buildEddsa();
    const F = eddsa.babyJub.F;
    let prv = Buffer.from(process.argv[2], "hex");
    const a = eddsa.prv2pub(prv);
    const lines = [`A ${F.toObject(a[0])} ${F.toObject(a[1])}`];
    for (const m of process.argv.slice(3)) {
        if (m.startsWith("key=")) {
            prv = Buffer.from(m.slice(4), "hex");
            const b = eddsa.prv2pub(prv);
            lines.push(`A2 ${F.toObject(b[0])} ${F.toObject(b[1])}`);
            continue;
        }
        const sig = eddsa.signPoseidon(prv, F.e(BigInt(m)));
        lines.push(`SIG ${F.toObject(sig.R8[0])} ${F.toObject(sig.R8[1])} ${sig.S}`);
    }
    process.stdout.write(lines.join("\n") + "\n");
})().catch((e) => { console.error(e); process.exit(1); });
