// Builds the loss reporting page into page/dist/ (not committed): one
// bundle (esbuild) of page/src with the generated client, cosmjs and
// Chart.js, beside index.html and style.css. Open dist/index.html from disk
// or serve the folder with any static server.
import { build } from "esbuild";
import { copyFileSync, mkdirSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, "dist");
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const result = await build({
  entryPoints: [join(here, "src", "main.ts")],
  outfile: join(out, "page.js"),
  bundle: true,
  format: "iife",
  platform: "browser",
  target: ["es2022"],
  minify: true,
  sourcemap: true,
  legalComments: "linked",
  metafile: true,
  logLevel: "warning",
});
for (const f of ["index.html", "style.css"]) copyFileSync(join(here, f), join(out, f));
const bytes = Object.values(result.metafile.outputs).reduce((s, o) => s + o.bytes, 0);
console.log(`page built into ${out} (${(bytes / 1024).toFixed(0)} KiB)`);
