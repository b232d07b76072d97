// zkey_tool.js - the snarkjs 0.7.6 side of tests/zk/test_groth16_zkey.c, in
// one node process per call (node start-up dominates these small runs).
//   node zkey_tool.js setup DIR POWER  : pot (POWER) -> c.zkey from c.r1cs, vk.json
//   node zkey_tool.js verify DIR       : vk.json + public.json + proof.json -> "OK" / "BAD"
//   node zkey_tool.js prove DIR        : c.zkey + c.wtns -> proof, verified with vk.json -> "OK" / "BAD"
const fs = require('fs');
const path = require('path');
const snarkjs = require('snarkjs');
const { getCurveFromName } = require('ffjavascript');

async function main() {
    const [cmd, dir, power] = process.argv.slice(2);
    const f = (n) => path.join(dir, n);
    const json = (n) => JSON.parse(fs.readFileSync(f(n), 'utf8'));
    if (cmd === 'setup') {
        const curve = await getCurveFromName('bn128');
        await snarkjs.powersOfTau.newAccumulator(curve, Number(power), f('pot0.ptau'));
        await snarkjs.powersOfTau.preparePhase2(f('pot0.ptau'), f('pot.ptau'));
        await snarkjs.zKey.newZKey(f('c.r1cs'), f('pot.ptau'), f('c.zkey'));
        const vk = await snarkjs.zKey.exportVerificationKey(f('c.zkey'));
        fs.writeFileSync(f('vk.json'), JSON.stringify(vk));
        console.log('OK');
    } else if (cmd === 'verify') {
        const ok = await snarkjs.groth16.verify(json('vk.json'), json('public.json'), json('proof.json'));
        console.log(ok ? 'OK' : 'BAD');
    } else if (cmd === 'prove') {
        const { proof, publicSignals } = await snarkjs.groth16.prove(f('c.zkey'), f('c.wtns'));
        const ok = await snarkjs.groth16.verify(json('vk.json'), publicSignals, proof);
        console.log(ok ? 'OK' : 'BAD');
    }
}

main().then(() => process.exit(0)).catch((e) => { console.error(e); process.exit(2); });
