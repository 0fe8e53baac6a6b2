import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { run } from "../run.mjs";

interface Size {
  raw: number;
  gzip: number;
}

/** gzip -9, the usual "gzip size"; Cloudflare's own "gzip" figure in wrangler's output uses another level. */
function sizeOf(files: string[]): Size {
  const body = Buffer.concat(files.map((file) => readFileSync(file)));
  return { raw: body.length, gzip: gzipSync(body, { level: 9 }).length };
}

function scriptsIn(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => /\.(m?js|wasm)$/.test(name))
    .map((name) => join(dir, name));
}

export interface Bundles {
  pages: Size;
  pagesMinified: Size;
  worker: Size;
  workerTotalUpload: string;
  pagesDir: string;
  pagesMinifiedDir: string;
}

export async function buildBundles(scratch: string): Promise<Bundles> {
  const pagesDir = join(scratch, "pages");
  const pagesMinifiedDir = join(scratch, "pages-minified");
  const workerDir = join(scratch, "worker");
  await run(
    "pages functions bundle (what `pages deploy` uploads)",
    "npx",
    ["wrangler", "pages", "functions", "build", "--outdir", pagesDir],
    { quiet: true },
  );
  await run(
    "pages functions bundle, minified",
    "npx",
    ["wrangler", "pages", "functions", "build", "--minify", "--outdir", pagesMinifiedDir],
    { quiet: true },
  );
  const dryRun = await run(
    "workers deploy --dry-run, minified",
    "npx",
    [
      "wrangler",
      "deploy",
      "-c",
      "wrangler.workers.toml",
      "--minify",
      "--dry-run",
      "--outdir",
      workerDir,
    ],
    { quiet: true },
  );
  const totalUpload = /Total Upload:[^\n]*/.exec(dryRun)?.[0];
  if (!totalUpload) throw new Error(`No "Total Upload" line in wrangler's output:\n${dryRun}`);
  return {
    pages: sizeOf(scriptsIn(pagesDir)),
    pagesMinified: sizeOf(scriptsIn(pagesMinifiedDir)),
    worker: sizeOf(scriptsIn(workerDir)),
    workerTotalUpload: totalUpload.trim(),
    pagesDir,
    pagesMinifiedDir,
  };
}
