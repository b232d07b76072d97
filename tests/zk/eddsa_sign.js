// eddsa_sign.js - test helper: EdDSA-Poseidon signatures made by circomlibjs.
// usage: node eddsa_sign.js <private key hex (32 bytes)> <message decimal>...
// prints "A <x> <y>" then one "SIG <R8.x> <R8.y> <S>" line per message.
const circomlibjs = require("circomlibjs");

(async () => {
    const eddsa = await circomlibjs.buildEddsa();
    const F = eddsa.babyJub.F;
    const prv = Buffer.from(process.argv[2], "hex");
    const a = eddsa.prv2pub(prv);
    const lines = [`A ${F.toObject(a[0])} ${F.toObject(a[1])}`];
    for (const m of process.argv.slice(3)) {
        const sig = eddsa.signPoseidon(prv, F.e(BigInt(m)));
        lines.push(`SIG ${F.toObject(sig.R8[0])} ${F.toObject(sig.R8[1])} ${sig.S}`);
    }
    process.stdout.write(lines.join("\n") + "\n");
})().catch((e) => { console.error(e); process.exit(1); });
