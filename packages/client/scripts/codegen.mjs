// Generates the TypeScript clients of the three contracts from the committed
// JSON schemas (../../schema/<contract>/<contract>.json) into src/generated
// with @cosmwasm/ts-codegen. Nothing in src/generated is edited by hand.
//
//   node scripts/codegen.mjs           regenerate src/generated
//   node scripts/codegen.mjs --check   regenerate into a temp dir, fail on any difference
//   --schema DIR                       read the schemas from DIR instead of ../../schema
import tsCodegen from "@cosmwasm/ts-codegen";
import { mkdtempSync, readdirSync, readFileSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname, relative } from "node:path";
import { fileURLToPath } from "node:url";

const pkg = join(dirname(fileURLToPath(import.meta.url)), "..");
const at = process.argv.indexOf("--schema");
const schemaRoot = at > 0 ? process.argv[at + 1] : join(pkg, "..", "..", "schema");
const committed = join(pkg, "src", "generated");

// Contract directory under schema/ -> the name the generated types and clients carry.
const contracts = [
  { name: "MarginVault", dir: join(schemaRoot, "margin-vault") },
  { name: "DefaultFund", dir: join(schemaRoot, "default-fund") },
  { name: "Governance", dir: join(schemaRoot, "governance") },
];

async function generate(outPath) {
  rmSync(outPath, { recursive: true, force: true });
  await (tsCodegen.default ?? tsCodegen)({
    contracts,
    outPath,
    options: {
      bundle: { enabled: true, bundleFile: "index.ts", scope: "contracts" },
      types: { enabled: true },
      // The signing client does not extend the query client: governance has a
      // query and an execute message both named `vote`.
      client: { enabled: true, execExtendsQuery: false },
      messageComposer: { enabled: true },
      reactQuery: { enabled: false },
      recoil: { enabled: false },
      messageBuilder: { enabled: false },
      useContractsHook: { enabled: false },
    },
  });
}

function files(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => relative(dir, join(d.parentPath ?? d.path, d.name)))
    .sort();
}

const quiet = (fn) => async (...args) => {
  const log = console.log;
  console.log = () => {};
  try {
    return await fn(...args);
  } finally {
    console.log = log;
  }
};

if (process.argv.includes("--check")) {
  const tmp = mkdtempSync(join(tmpdir(), "chf-codegen-"));
  try {
    await quiet(generate)(tmp);
    const want = files(tmp);
    const have = files(committed);
    const problems = [];
    for (const f of new Set([...want, ...have])) {
      if (!want.includes(f)) problems.push(`extra file src/generated/${f} (not generated from schema/)`);
      else if (!have.includes(f)) problems.push(`missing src/generated/${f}`);
      else if (readFileSync(join(tmp, f), "utf8") !== readFileSync(join(committed, f), "utf8"))
        problems.push(`src/generated/${f} differs from what schema/ generates`);
    }
    if (problems.length) {
      console.error(problems.join("\n"));
      console.error("codegen: the TypeScript client drifted from schema/; run `npm run codegen` in packages/client and commit");
      process.exit(1);
    }
    console.log(`codegen: src/generated matches schema/ (${want.length} files)`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
} else {
  await quiet(generate)(committed);
  console.log(`codegen: wrote ${files(committed).length} files to src/generated`);
}
