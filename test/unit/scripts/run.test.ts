import { describe, expect, it } from "vitest";
import { quietWranglerEnv, run } from "../../../scripts/run.mjs";

const node = process.execPath;

describe("the scripts' command runner", () => {
  it("resolves with what a quiet command printed, run with wrangler kept offline", async () => {
    const output = await run(
      "print the env",
      node,
      [
        "-e",
        "console.log(process.env.WRANGLER_SEND_METRICS, process.env.CLOUDFLARE_CF_FETCH_ENABLED)",
      ],
      { quiet: true },
    );
    expect(output.trim()).toBe("false false");
    expect(quietWranglerEnv).toMatchObject({
      WRANGLER_SEND_METRICS: "false",
      WRANGLER_SEND_ERROR_REPORTS: "false",
      CLOUDFLARE_CF_FETCH_ENABLED: "false",
      WRANGLER_HIDE_BANNER: "true",
    });
  });

  it("never gives a command a terminal on stdin, so wrangler answers its own prompts with defaults", async () => {
    const output = await run(
      "check stdin",
      node,
      ["-e", "console.log(Boolean(process.stdin.isTTY))"],
      {
        quiet: true,
      },
    );
    expect(output.trim()).toBe("false");
  });

  it("rejects a failed command with its label, exit code and output", async () => {
    await expect(
      run("fail on purpose", node, ["-e", "console.error('what went wrong'); process.exit(3)"], {
        quiet: true,
      }),
    ).rejects.toThrow(/fail on purpose failed \(exit 3\)\nwhat went wrong/);
  });
});
