import { describe, expect, it } from "vitest";
import { tokenSeal } from "../../src/session/token-seal.server.js";

const OLD = "older-session-secret-0123456789abcdef";
const NEW = "newer-session-secret-0123456789abcdef";
const ROW = "a".repeat(64);
const TOKEN = "ort_refresh_token_value_0123456789";

describe("tokens sealed at rest", () => {
  it("seals to text holding nothing of the token, and opens back", async () => {
    const seal = tokenSeal([NEW]);
    const sealed = await seal.seal(ROW, "refresh_token", TOKEN);
    expect(sealed).toMatch(/^sealed:v1:[A-Za-z0-9_-]+$/);
    expect(sealed).not.toContain("ort_");
    expect(await seal.open(ROW, "refresh_token", sealed)).toBe(TOKEN);
  });

  it("seals the same token in the same place to the same text, so conditions can match it", async () => {
    const seal = tokenSeal([NEW]);
    const sealed = await seal.seal(ROW, "refresh_token", TOKEN);
    expect(await seal.seal(ROW, "refresh_token", TOKEN)).toBe(sealed);
    expect(await seal.seal(ROW, "refresh_token", `${TOKEN}x`)).not.toBe(sealed);
    expect(await seal.seal("b".repeat(64), "refresh_token", TOKEN)).not.toBe(sealed);
  });

  it("opens what an older secret still listed sealed, and matches it in every stored form", async () => {
    const sealedByOld = await tokenSeal([OLD]).seal(ROW, "refresh_token", TOKEN);
    const rotated = tokenSeal([NEW, OLD]);
    expect(await rotated.open(ROW, "refresh_token", sealedByOld)).toBe(TOKEN);
    const forms = await rotated.storedForms(ROW, "refresh_token", TOKEN);
    expect(forms).toContain(sealedByOld);
    expect(forms).toContain(TOKEN);
    expect(forms).toContain(await rotated.seal(ROW, "refresh_token", TOKEN));
  });

  it("does not open under a removed secret, nor moved to another row or column", async () => {
    const sealed = await tokenSeal([OLD]).seal(ROW, "refresh_token", TOKEN);
    expect(await tokenSeal([NEW]).open(ROW, "refresh_token", sealed)).toBeUndefined();
    const seal = tokenSeal([OLD]);
    expect(await seal.open("b".repeat(64), "refresh_token", sealed)).toBeUndefined();
    expect(await seal.open(ROW, "access_token", sealed)).toBeUndefined();
    expect(await seal.open(ROW, "refresh_token", `${sealed.slice(0, -2)}AA`)).toBeUndefined();
  });

  it("reads a value written before sealing as is, and an empty column as none", async () => {
    const seal = tokenSeal([NEW]);
    expect(await seal.open(ROW, "access_token", "oat_plain")).toBe("oat_plain");
    expect(await seal.open(ROW, "id_token", null)).toBeNull();
    expect(await seal.open(ROW, "access_token", "")).toBeNull();
  });
});
