import { describe, expect, it } from "vitest";
import { NAME_MAX_LENGTH, parseProfileForm } from "../../src/clerk/profile-form.js";

function form(fields: Record<string, string>): FormData {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.set(name, value);
  return data;
}

describe("parseProfileForm", () => {
  it("leaves a field that was not posted out of the patch, so Clerk keeps it", () => {
    expect(parseProfileForm(form({ lastName: "Byron" }))).toEqual({
      ok: true,
      patch: { lastName: "Byron" },
    });
    expect(parseProfileForm(form({}))).toEqual({ ok: true, patch: {} });
  });

  it("clears a field that was posted empty (or only spaces)", () => {
    expect(parseProfileForm(form({ firstName: "", lastName: "   " }))).toEqual({
      ok: true,
      patch: { firstName: null, lastName: null },
    });
  });

  it("NFC-normalises and trims names", () => {
    const decomposed = "Jose\u0301";
    const parsed = parseProfileForm(form({ firstName: `  ${decomposed} ` }));
    expect(parsed).toEqual({ ok: true, patch: { firstName: "Jos\u00e9" } });
  });

  it.each([
    ["U+200B zero-width space", "\u200b"],
    ["U+200C zero-width non-joiner", "\u200c"],
    ["U+200D zero-width joiner", "\u200d"],
    ["U+200E left-to-right mark", "\u200e"],
    ["U+200F right-to-left mark", "\u200f"],
    ["U+202A left-to-right embedding", "\u202a"],
    ["U+202B right-to-left embedding", "\u202b"],
    ["U+202C pop directional formatting", "\u202c"],
    ["U+202D left-to-right override", "\u202d"],
    ["U+202E right-to-left override", "\u202e"],
    ["U+2066 left-to-right isolate", "\u2066"],
    ["U+2067 right-to-left isolate", "\u2067"],
    ["U+2068 first strong isolate", "\u2068"],
    ["U+2069 pop directional isolate", "\u2069"],
    ["U+FEFF byte-order mark, even where trimming would drop it", "\ufeff"],
    ["U+00AD soft hyphen", "\u00ad"],
    ["U+061C Arabic letter mark", "\u061c"],
    ["U+180E Mongolian vowel separator", "\u180e"],
    ["U+2060 word joiner", "\u2060"],
    ["U+2063 invisible separator", "\u2063"],
    ["U+FFF9 interlinear annotation anchor", "\ufff9"],
    ["U+E0041 tag Latin capital A", "\u{e0041}"],
    ["U+2028 line separator", "\u2028"],
    ["U+2029 paragraph separator", "\u2029"],
    ["U+E000 private-use character", "\ue000"],
    ["U+F0000 supplementary private-use character", "\u{f0000}"],
    ["U+115F Hangul choseong filler", "\u115f"],
    ["U+1160 Hangul jungseong filler", "\u1160"],
    ["U+3164 Hangul filler", "\u3164"],
    ["U+FFA0 halfwidth Hangul filler", "\uffa0"],
  ])("refuses a name holding %s", (_, char) => {
    for (const name of [`Ada${char}Lovelace`, `${char}Ada`, `Ada${char}`]) {
      const parsed = parseProfileForm(form({ firstName: name, lastName: "Ok" }));
      expect(parsed).toEqual({
        ok: false,
        fieldErrors: {
          firstName: "First name cannot contain invisible or text-direction characters.",
        },
      });
    }
  });

  it("keeps names in any script, with their combining marks and emoji", () => {
    for (const name of ["Zoë", "김민수", "محمد", "Nguyễn", "देवनागरी", "Ada 🙂"]) {
      expect(parseProfileForm(form({ firstName: name }))).toEqual({
        ok: true,
        patch: { firstName: name.normalize("NFC") },
      });
    }
  });

  it.each([
    ["a C0 control", "\u0007"],
    ["DEL", "\u007f"],
    ["a C1 control", "\u0085"],
  ])("refuses a name holding %s", (_, char) => {
    const parsed = parseProfileForm(form({ lastName: `Bad${char}name` }));
    expect(parsed).toEqual({
      ok: false,
      fieldErrors: { lastName: "Last name cannot contain control characters." },
    });
  });

  it("keeps the 256-character cap, counted after normalising", () => {
    const atCap = "é".repeat(NAME_MAX_LENGTH);
    expect(parseProfileForm(form({ firstName: atCap })).ok).toBe(true);
    expect(parseProfileForm(form({ firstName: "e\u0301".repeat(NAME_MAX_LENGTH) })).ok).toBe(true);
    expect(parseProfileForm(form({ firstName: `${atCap}x` }))).toEqual({
      ok: false,
      fieldErrors: { firstName: "First name can be at most 256 characters." },
    });
  });

  it("refuses a file where a name belongs", () => {
    const data = new FormData();
    data.set("firstName", new File(["x"], "x.txt"));
    expect(parseProfileForm(data)).toEqual({
      ok: false,
      fieldErrors: { firstName: "First name must be text." },
    });
  });
});
