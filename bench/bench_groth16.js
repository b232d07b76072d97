// bench_groth16.js - the snarkjs 0.7.6 / ffjavascript baseline of
// bench_groth16.c, run on files the C side wrote (same circuit, same key,
// same MSM bases and scalars, same NTT input). Prints "name ms" lines.
//   node bench/bench_groth16.js DIR what...
//   what: prove REPS | msm N | ntt N | setup (needs DIR/pot.ptau, DIR/c.r1cs)
const fs = require('fs');
const path = require('path');
const snarkjs = require('snarkjs');
const { buildBn128 } = require('ffjavascript');

const now = () => Number(process.hrtime.bigint()) / 1e6;

async function main() {
    const dir = process.argv[2];
    const what = process.argv.slice(3);
    for (let i = 0; i < what.length; i++) {
        const op = what[i];
        if (op === 'prove') {
            const reps = Number(what[++i]);
            const zkey = path.join(dir, 'c.zkey'), wtns = path.join(dir, 'c.wtns');
            await snarkjs.groth16.prove(zkey, wtns);   // warm-up (wasm, threads, caches)
            let best = Infinity, sum = 0;
            for (let r = 0; r < reps; r++) {
                const t = now();
                const { proof, publicSignals } = await snarkjs.groth16.prove(zkey, wtns);
                const dt = now() - t;
                sum += dt;
                best = Math.min(best, dt);
                if (r === 0) fs.writeFileSync(path.join(dir, 'snarkjs_proof.json'), JSON.stringify({ proof, publicSignals }));
            }
            console.log('prove_mean ' + (sum / reps).toFixed(1));
            console.log('prove_best ' + best.toFixed(1));
        } else if (op === 'msm') {
            const n = Number(what[++i]);
            const curve = await buildBn128();
            const bases = new Uint8Array(fs.readFileSync(path.join(dir, 'msm_bases.bin')));
            const scalars = new Uint8Array(fs.readFileSync(path.join(dir, 'msm_scalars.bin')));
            let res = await curve.G1.multiExpAffine(bases.slice(0, n * 64), scalars.slice(0, n * 32));
            const t = now();
            res = await curve.G1.multiExpAffine(bases.slice(0, n * 64), scalars.slice(0, n * 32));
            console.log('msm_g1 ' + (now() - t).toFixed(1));
            const o = curve.G1.toObject(curve.G1.toAffine(res));
            console.log('msm_g1_x ' + o[0].toString());
            await curve.terminate();
        } else if (op === 'ntt') {
            const n = Number(what[++i]);
            const curve = await buildBn128();
            const a = new Uint8Array(fs.readFileSync(path.join(dir, 'ntt_in.bin'))).slice(0, n * 32);
            await curve.Fr.fft(a);
            const t = now();
            await curve.Fr.fft(a);
            console.log('ntt ' + (now() - t).toFixed(1));
            await curve.terminate();
        } else if (op === 'setup') {
            const t = now();
            await snarkjs.zKey.newZKey(path.join(dir, 'c.r1cs'), path.join(dir, 'pot.ptau'), path.join(dir, 's.zkey'));
            console.log('setup ' + (now() - t).toFixed(1));
        }
    }
}

main().then(() => process.exit(0)).catch((e) => { console.error(e); process.exit(2); });
