// tests/zk/js/poseidon.js FILE - circomlibjs Poseidon of each input line.
// Input: lines of decimal field elements separated by spaces (1..16 of them).
// Output: one decimal hash per line, in order.
const fs = require("fs");
const { buildPoseidon } = require("circomlibjs");
(async () => {
    const poseidon = await buildPoseidon();
    const lines = fs.readFileSync(process.argv[2], "utf8").split("\n").filter((l) => l.length);
    const out = lines.map((l) => poseidon.F.toString(poseidon(l.split(" ").map(BigInt))));
    process.stdout.write(out.join("\n") + "\n");
    process.exit(0);
})().catch((e) => { console.error(e); process.exit(1); });
