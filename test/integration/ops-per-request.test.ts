import { beforeAll, describe, expect, it } from "vitest";
import {
  type Measured,
  OPS_SCENARIOS,
  type OpsScenario,
  describeOps,
  full,
  measureOpsPerRequest,
  spent,
} from "../support/ops-scenarios";

// Every KV and D1 call adds latency, and the free plans count them per day (KV: 100,000 reads and
// 1,000 writes, deletes and lists each; D1: rows read and written): the budgets in OPS_SCENARIOS
// are the app's cost per request type. `npm run bench` reports the same measurement with what the
// free plans allow per day.
let measured: Record<OpsScenario, Measured>;
beforeAll(async () => {
  measured = await measureOpsPerRequest();
}, 60_000);

describe("KV and D1 operations per request", () => {
  for (const scenario of Object.keys(OPS_SCENARIOS) as OpsScenario[]) {
    const { label, budget } = OPS_SCENARIOS[scenario];
    it(`${label} costs exactly ${describeOps(budget)}`, () => {
      const result = measured[scenario];
      if (result.error !== undefined) throw new Error(`${label}: ${result.error}`);
      expect(spent(result.ops)).toEqual(full(budget));
    });
  }
});
