// Builds the emulator for Node: one ESM bundle for the library and one for the command (esbuild,
// so the sources keep the extensionless imports tsx and vitest read), plus type declarations.
import { execFileSync } from "node:child_process";
import { rmSync } from "node:fs";
import { build } from "esbuild";

const HERE = new URL(".", import.meta.url).pathname;
rmSync(`${HERE}dist`, { recursive: true, force: true });
await build({
  absWorkingDir: HERE,
  entryPoints: ["src/index.ts", "src/cli.ts"],
  outdir: "dist",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node22",
  packages: "external",
  logLevel: "warning",
});
execFileSync("tsc", ["-p", "tsconfig.build.json"], { cwd: HERE, stdio: "inherit" });
