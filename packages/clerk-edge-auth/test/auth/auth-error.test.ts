import { describe, expect, it } from "vitest";
import { AuthError, authErrorMessages, isAuthErrorCode } from "../../src/auth/auth-error.js";

describe("AuthError", () => {
  it("carries its code, its cause and the name AuthError", () => {
    const cause = { error: "access_denied" };
    const error = new AuthError("provider_denied", { cause });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe("AuthError");
    expect(error.code).toBe("provider_denied");
    expect(error.cause).toBe(cause);
  });

  it("keeps provider text out of the message", () => {
    const error = new AuthError("token_exchange_failed", {
      cause: { error_description: "client secret sk_live_123 is wrong" },
    });
    expect(error.message).toBe("token_exchange_failed: We could not complete your sign-in");
  });

  it("recognises every known code and nothing else", () => {
    for (const code of Object.keys(authErrorMessages)) expect(isAuthErrorCode(code)).toBe(true);
    for (const value of ["toString", "__proto__", "", "STATE_MISMATCH", 1, null, undefined]) {
      expect(isAuthErrorCode(value)).toBe(false);
    }
  });

  it("has a title and a plain-words detail for every code", () => {
    for (const { title, detail } of Object.values(authErrorMessages)) {
      expect(title.length).toBeGreaterThan(0);
      expect(detail).toMatch(/\.$/);
    }
  });
});
