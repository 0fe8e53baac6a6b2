import { describe, expect, it } from "vitest";
import { BackendApiError } from "~/clerk/backend-api-error";
import { createBackendClient, readBackendClient } from "~/clerk/backend-client.server";

const SECRET = "sk_test_do_not_show_me";

describe("readBackendClient", () => {
  it("reports missing_secret_key when CLERK_SECRET_KEY is unset", () => {
    const result = readBackendClient({ secretKey: null, apiUrl: "https://api.clerk.com" });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toBeInstanceOf(BackendApiError);
    expect(result.error.code).toBe("missing_secret_key");
    expect(result.error.status).toBeNull();
    expect(result.error.message).toContain("CLERK_SECRET_KEY is not set");
    expect(result.error.message).toContain(".dev.vars");
    expect(result.error.message).toContain("wrangler pages secret put CLERK_SECRET_KEY");
    expect(result.error.message).toContain(
      "wrangler secret put CLERK_SECRET_KEY -c wrangler.workers.toml",
    );
  });

  it("builds a client when CLERK_SECRET_KEY is set", () => {
    expect(readBackendClient({ secretKey: SECRET, apiUrl: "http://127.0.0.1:4010" }).ok).toBe(true);
  });
});

describe("createBackendClient", () => {
  it("refuses an empty secret key with missing_secret_key", () => {
    expect(() => createBackendClient({ secretKey: "" })).toThrow(
      expect.objectContaining({ code: "missing_secret_key" }),
    );
  });
});
