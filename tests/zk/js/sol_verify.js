// sol_verify.js - compiles a generated Groth16 batch verifier with solc-js,
// deploys it on a running anvil and runs verifyBatch on every case.
//   node sol_verify.js DIR URL KEY
// DIR holds Verifier.sol (contract "Verifier") and cases.json
// ([{name, proofs: [dec...], inputs: [dec...]}]). Prints one line per case:
//   "<name> <true|false|revert> <gas|->"
// gas = gasUsed of a real transaction calling verifyBatch with a 10M gas
// limit (21k base and calldata included), sent for cases that verify. Not
// eth_estimateGas: a precompile starved of gas makes verifyBatch return
// false instead of reverting, so the estimate would be too low.
const fs = require('fs');
const path = require('path');
const solc = require('solc');
const { ethers } = require('ethers');
const { waitReceipt } = require('../../js/wait_receipt.js');

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
    await waitReceipt(provider, v.deploymentTransaction().hash);
    console.log('deployed ' + (await v.getAddress()) + ' codesize ' + c.evm.bytecode.object.length / 2);
    let nonce = await provider.getTransactionCount(wallet.address, 'latest');
    const cases = JSON.parse(fs.readFileSync(path.join(dir, 'cases.json'), 'utf8'));
    for (const k of cases) {
        let res, gas = '-';
        try {
            res = await v.verifyBatch.staticCall(k.proofs, k.inputs);
            if (res === true) {
                const tx = await v.verifyBatch.send(k.proofs, k.inputs, { gasLimit: 10000000, nonce: nonce++ });
                gas = (await waitReceipt(provider, tx.hash)).gasUsed.toString();
            }
        } catch (e) {
            res = 'revert';
            if (process.env.ZG_DEBUG) console.error(k.name, e.shortMessage || e.message);
        }
        console.log(k.name + ' ' + res + ' ' + gas);
    }
}

main().then(() => process.exit(0)).catch((e) => { console.error(e); process.exit(2); });
