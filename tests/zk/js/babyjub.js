// tests/zk/js/babyjub.js FILE - circomlibjs babyJub operations, one per line.
//   "mul <k decimal>"       -> "<x> <y> <packPoint hex>" of k * Base8
//   "mulg <k decimal>"      -> the same for k * Generator (whole group)
//   "unpack <hex>"          -> "<x> <y>" or "null"
//   "sub <x> <y>"           -> "1"/"0": inSubgroup
const fs = require("fs");
const { buildBabyjub } = require("circomlibjs");
(async () => {
    const bj = await buildBabyjub();
    const F = bj.F;
    const pt = (P) => F.toString(P[0]) + " " + F.toString(P[1]) + " " + Buffer.from(bj.packPoint(P)).toString("hex");
    const out = [];
    for (const l of fs.readFileSync(process.argv[2], "utf8").split("\n")) {
        if (!l) continue;
        const w = l.split(" ");
        if (w[0] === "mul") out.push(pt(bj.mulPointEscalar(bj.Base8, BigInt(w[1]))));
        else if (w[0] === "mulg") out.push(pt(bj.mulPointEscalar(bj.Generator, BigInt(w[1]))));
        else if (w[0] === "unpack") {
            const P = bj.unpackPoint(Buffer.from(w[1], "hex"));
            out.push(P ? F.toString(P[0]) + " " + F.toString(P[1]) : "null");
        } else if (w[0] === "sub") out.push(bj.inSubgroup([F.e(BigInt(w[1])), F.e(BigInt(w[2]))]) ? "1" : "0");
        else throw new Error("unknown op " + w[0]);
    }
    process.stdout.write(out.join("\n") + "\n");
    process.exit(0);
})().catch((e) => { console.error(e); process.exit(1); });
