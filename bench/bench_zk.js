// bench/bench_zk.js - circomlibjs baseline for bench_zk.c: operations per
// second of Fr multiplication, Poseidon(5), signPoseidon and verifyPoseidon.
// Prints "name ops_per_second" lines.
const { buildEddsa } = require("circomlibjs");
// Timed in CPU time of the process (user + system), like bench_zk.c, since
// the machine is shared.
function cpuMs() {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
}
function rate(fn, minMs, batch) {
    batch = batch || 16;
    let n = 0;
    const t0 = cpuMs();
    let dt = 0;
    do {
        for (let i = 0; i < batch; i++) fn(i);
        n += batch;
        dt = cpuMs() - t0;
    } while (dt < minMs);
    return (n * 1000) / dt;
}
(async () => {
    const eddsa = await buildEddsa();
    const F = eddsa.babyJub.F;
    const poseidon = eddsa.poseidon;
    let a = F.e(123456789n), b = F.e(987654321n);
    const out = [];
    out.push("fr_mul " + rate(() => { a = F.mul(a, b); }, 300, 4096));
    const ins = [1n, 2n, 3n, 4n, 5n].map((x) => F.e(x));
    out.push("poseidon5 " + rate((i) => { ins[0] = poseidon(ins); }, 300));
    const prv = Buffer.alloc(32, 7);
    const msg = F.e(42n);
    const sig = eddsa.signPoseidon(prv, msg);
    const A = eddsa.prv2pub(prv);
    out.push("sign " + rate(() => eddsa.signPoseidon(prv, msg), 1000));
    out.push("verify " + rate(() => { if (!eddsa.verifyPoseidon(msg, sig, A)) throw new Error("verify"); }, 1000));
    process.stdout.write(out.join("\n") + "\n");
    process.exit(0);
})().catch((e) => { console.error(e); process.exit(1); });
