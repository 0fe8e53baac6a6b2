import { readFileSync } from "node:fs";

/**
 * The compatibility date of wrangler.toml, so every workerd a test or benchmark starts runs the
 * same runtime behaviour as the deployed app.
 */
export const COMPATIBILITY_DATE = readCompatibilityDate("wrangler.toml");

/** The `compatibility_date` of a wrangler config at the repository root. */
export function readCompatibilityDate(file: string): string {
  const toml = readFileSync(new URL(`../../${file}`, import.meta.url), "utf8");
  const date = /^compatibility_date\s*=\s*"([^"]+)"/m.exec(toml)?.[1];
  if (!date) throw new Error(`${file} has no compatibility_date`);
  return date;
}
