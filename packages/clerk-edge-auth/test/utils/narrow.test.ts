import { describe, expect, it } from "vitest";
import { nonEmptyStringOrNull, stringOrNull } from "../../src/utils/narrow.js";

describe("narrowers for an optional string", () => {
  it.each([
    ["a word", "a word", "a word"],
    ["the empty string", "", null],
    ["null", null, null],
    ["undefined", undefined, null],
    ["a number", 7, null],
    ["an object", { toString: () => "x" }, null],
  ])("nonEmptyStringOrNull reads %s as %j", (_, value, expected) => {
    expect(nonEmptyStringOrNull(value)).toBe(expected);
  });

  it.each([
    ["a word", "a word", "a word"],
    ["the empty string", "", ""],
    ["null", null, null],
    ["a boolean", false, null],
  ])("stringOrNull reads %s as %j, keeping the empty string", (_, value, expected) => {
    expect(stringOrNull(value)).toBe(expected);
  });
});
