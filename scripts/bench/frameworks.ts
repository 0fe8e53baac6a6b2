// The two apps side by side: the Remix app's Pages bundle and the React Router example's Worker,
// each in workerd with real KV and D1, GET / signed out and signed in (one live session),
// interleaved over rounds; and the size of what each deploys.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { startApp } from "../../test/support/app-harness";
import { SESSION_SECRET, validBindings } from "../../test/support/bindings";
import { plantSession } from "../../test/support/session-fixture";
import { EXAMPLE } from "../run.mjs";
import { CONNECTIONS, COST_REQUESTS, COST_ROUNDS, median } from "./settings";

export const FRAMEWORKS = ["remix", "react-router"] as const;
export type Framework = (typeof FRAMEWORKS)[number];

export interface FrameworkCost {
  /** Requests per second of GET /, medians over the rounds. */
  signedOut: number;
  signedIn: number;
}

/** The React Router example's Worker as `wrangler deploy` uploads it: build/server's scripts. */
export function reactRouterBundleGzip(): { raw: number; gzip: number } {
  const server = join(EXAMPLE, "build", "server");
  const files = [
    join(server, "index.js"),
    ...readdirSync(join(server, "assets"))
      .filter((name) => name.endsWith(".js"))
      .map((name) => join(server, "assets", name)),
  ];
  const body = Buffer.concat(files.map((file) => readFileSync(file)));
  return { raw: body.length, gzip: gzipSync(body, { level: 9 }).length };
}

async function measure(framework: Framework): Promise<FrameworkCost> {
  const app = await startApp(validBindings(), { app: framework });
  try {
    const { cookie } = await plantSession(app, SESSION_SECRET);
    const burst = async (headers: Record<string, string>): Promise<number> => {
      let sent = 0;
      const started = performance.now();
      const worker = async () => {
        while (sent++ < COST_REQUESTS) {
          const response = await app.fetch("/", { headers });
          await response.arrayBuffer();
          if (!response.ok) throw new Error(`${framework}: GET / answered ${response.status}`);
        }
      };
      await Promise.all(Array.from({ length: CONNECTIONS }, worker));
      return (COST_REQUESTS / (performance.now() - started)) * 1000;
    };
    await burst({});
    await burst({ Cookie: cookie });
    const out: number[] = [];
    const inn: number[] = [];
    for (let round = 0; round < COST_ROUNDS; round++) {
      out.push(await burst({}));
      inn.push(await burst({ Cookie: cookie }));
    }
    return { signedOut: median(out), signedIn: median(inn) };
  } finally {
    await app.close();
  }
}

export async function measureFrameworks(): Promise<Record<Framework, FrameworkCost>> {
  const remix = await measure("remix");
  const reactRouter = await measure("react-router");
  console.log("✔ both apps, signed out and signed in, in workerd");
  return { remix, "react-router": reactRouter };
}
