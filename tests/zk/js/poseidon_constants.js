// tests/zk/js/poseidon_constants.js FILE - prints circomlibjs's raw Poseidon
// parameters, one line per width t = 2..17: "t <C as decimals...> | <M row-major>".
const path = require("path");
const consts = require(path.join(path.dirname(require.resolve("circomlibjs")), "..", "src", "poseidon_constants.json"));
const out = [];
for (let t = 2; t <= 17; t++) {
    const c = consts.C[t - 2].map((x) => BigInt(x).toString());
    const m = consts.M[t - 2].flat().map((x) => BigInt(x).toString());
    out.push(t + " " + c.join(" ") + " | " + m.join(" "));
}
process.stdout.write(out.join("\n") + "\n");
