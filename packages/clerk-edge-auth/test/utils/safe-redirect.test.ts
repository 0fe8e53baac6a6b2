import { describe, expect, it } from "vitest";
import { safeRedirect } from "../../src/utils/safe-redirect.js";

describe("safeRedirect", () => {
  it.each([
    ["/", "/"],
    ["/private", "/private"],
    ["/private?tab=2#top", "/private?tab=2#top"],
    ["/a/./b/../c", "/a/c"],
    ["/files/a%2Fb", "/files/a%2Fb"],
    ["/search?q=caf%C3%A9", "/search?q=caf%C3%A9"],
    ["/path with space", "/path%20with%20space"],
  ])("accepts the same-origin path %j as %j", (input, expected) => {
    expect(safeRedirect(input)).toBe(expected);
  });

  it.each([
    ["protocol-relative", "//evil.com"],
    ["slash backslash", "/\\evil.com"],
    ["backslash later in the path", "/foo\\bar"],
    ["encoded double slash", "/%2F%2Fevil.com"],
    ["lower-case encoded double slash", "/%2f%2fevil.com"],
    ["double-encoded double slash", "/%252F%252Fevil.com"],
    ["encoded backslash", "/%5Cevil"],
    ["encoded backslash in lower case", "/%5cevil.com"],
    ["absolute https URL", "https://evil.com"],
    ["javascript scheme", "javascript:alert(1)"],
    ["bare javascript scheme", "javascript:"],
    ["raw tab that browsers strip", "/\t/evil.com"],
    ["raw newline", "/private\nLocation: https://evil.com"],
    ["encoded tab", "/%09/evil.com"],
    ["encoded newline", "/private%0aSet-Cookie:x=1"],
    ["encoded NUL", "/private%00"],
    ["DEL character", "/private\u007f"],
    ["bare encoded newline", "%0a"],
    ["dot segments collapsing into //", "/..//evil.com"],
    ["single dot collapsing into //", "/.//evil.com"],
    ["relative path", "private"],
    ["empty string", ""],
    ["malformed percent-encoding", "/%E0%A4%A"],
    ["longer than 2048 characters", `/${"a".repeat(2048)}`],
    ["path whose percent-encoded form is longer than 2048 characters", `/${"€".repeat(300)}`],
  ])("falls back for a %s (%j)", (_label, input) => {
    expect(safeRedirect(input)).toBe("/private");
  });

  it.each([[null], [undefined], [42], [["/private"]], [{ toString: () => "/private" }]])(
    "falls back for the non-string %j",
    (input) => {
      expect(safeRedirect(input)).toBe("/private");
    },
  );

  it("keeps a path whose percent-encoded form is exactly 2048 characters", () => {
    const path = `/${"a".repeat(2038)}${"€"}`;
    expect(safeRedirect(path)).toHaveLength(2048);
  });

  it("uses the given fallback instead of /private", () => {
    expect(safeRedirect("//evil.com", "/")).toBe("/");
  });
});
