// sol_verify.js - compiles a generated Groth16 batch verifier with solc-js,
// deploys it on a running anvil and runs verifyBatch on every case.
//   node sol_verify.js DIR URL KEY
// DIR holds Verifier.sol (contract "Verifier") and cases.json
// ([{name, proofs: [dec...], inputs: [dec...]}]). Prints one line per case:
//   "<name> <true|false|revert> <gas|->"   (gas = eth_estimateGas of the call)
const fs = require('fs');
const path = require('path');
const solc = require('solc');
const { ethers } = require('ethers');

async function main() {
    const [dir, url, key] = process.argv.slice(2);
    const src = fs.readFileSync(path.join(dir, 'Verifier.sol'), 'utf8');
    const input = {
        language: 'Solidity',
        sources: { 'Verifier.sol': { content: src } },
        settings: {
            optimizer: { enabled: true, runs: 200 },
            evmVersion: 'cancun',
            outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object'] } },
        },
    };
    const out = JSON.parse(solc.compile(JSON.stringify(input)));
    const errs = (out.errors || []).filter((e) => e.severity === 'error');
    if (errs.length) {
        console.error(errs.map((e) => e.formattedMessage).join('\n'));
        process.exit(3);
    }
    const c = out.contracts['Verifier.sol'].Verifier;
    const provider = new ethers.JsonRpcProvider(url, undefined, { staticNetwork: true });
    const wallet = new ethers.Wallet(key, provider);
    const factory = new ethers.ContractFactory(c.abi, '0x' + c.evm.bytecode.object, wallet);
    const v = await factory.deploy();
    await v.waitForDeployment();
    console.log('deployed ' + (await v.getAddress()) + ' codesize ' + c.evm.bytecode.object.length / 2);
    const cases = JSON.parse(fs.readFileSync(path.join(dir, 'cases.json'), 'utf8'));
    for (const k of cases) {
        let res, gas = '-';
        try {
            res = await v.verifyBatch.staticCall(k.proofs, k.inputs);
            gas = (await v.verifyBatch.estimateGas(k.proofs, k.inputs)).toString();
        } catch (e) {
            res = 'revert';
        }
        console.log(k.name + ' ' + res + ' ' + gas);
    }
}

main().then(() => process.exit(0)).catch((e) => { console.error(e); process.exit(2); });
