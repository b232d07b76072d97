// tests/zk/js/blake512.js FILE - BLAKE-512 (npm blake-hash, as circomlibjs
// uses it) of each input line (hex, possibly empty "-"), as hex.
const fs = require("fs");
const createBlakeHash = require("blake-hash");
const out = [];
for (const l of fs.readFileSync(process.argv[2], "utf8").split("\n")) {
    if (!l) continue;
    const data = l === "-" ? Buffer.alloc(0) : Buffer.from(l, "hex");
    out.push(createBlakeHash("blake512").update(data).digest("hex"));
}
process.stdout.write(out.join("\n") + "\n");
