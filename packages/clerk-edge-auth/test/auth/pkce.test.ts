import { describe, expect, it } from "vitest";
import {
  createCodeChallenge,
  createCodeVerifier,
  createState,
} from "../../src/auth/pkce.server.js";

const BASE64URL_43 = /^[A-Za-z0-9_-]{43}$/;

describe("pkce", () => {
  it("derives the S256 challenge of RFC 7636 Appendix B from its verifier", async () => {
    await expect(createCodeChallenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")).resolves.toBe(
      "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
    );
  });

  it("creates verifiers of 43 unreserved characters, as RFC 7636 §4.1 requires", () => {
    expect(createCodeVerifier()).toMatch(BASE64URL_43);
  });

  it("creates a state of 32 random bytes in base64url", () => {
    expect(createState()).toMatch(BASE64URL_43);
  });

  it("never repeats a state or a verifier", () => {
    const values = Array.from({ length: 200 }, () => [createState(), createCodeVerifier()]).flat();
    expect(new Set(values).size).toBe(values.length);
  });
});
