import { describe, expect, it } from "vitest";
import {
  BackendApiError,
  backendApiErrorFromResponse,
  fieldErrors,
} from "../../src/clerk/backend-api-error.js";

const clerkBody = (errors: unknown[], traceId = "trace_123") => ({
  errors,
  clerk_trace_id: traceId,
});

describe("backendApiErrorFromResponse", () => {
  it("takes the code of Clerk's first error and shows its long_message", () => {
    const error = backendApiErrorFromResponse(
      404,
      clerkBody([{ code: "resource_not_found", message: "not found", long_message: "No user." }]),
    );
    expect(error).toBeInstanceOf(BackendApiError);
    expect(error.name).toBe("BackendApiError");
    expect(error.status).toBe(404);
    expect(error.code).toBe("resource_not_found");
    expect(error.message).toBe("No user.");
    expect(error.traceId).toBe("trace_123");
    expect(error.errors).toEqual([
      {
        code: "resource_not_found",
        message: "not found",
        longMessage: "No user.",
        paramName: null,
      },
    ]);
  });

  it.each([
    ["no long_message", {}],
    ["an empty long_message", { long_message: "" }],
  ])("falls back to message when Clerk sends %s", (_, extra) => {
    const error = backendApiErrorFromResponse(
      401,
      clerkBody([{ code: "authentication_invalid", message: "Unauthorized", ...extra }]),
    );
    expect(error.message).toBe("Unauthorized");
    expect(error.errors[0]?.longMessage).toBeNull();
  });

  it("keeps meta.param_name of every error", () => {
    const error = backendApiErrorFromResponse(
      422,
      clerkBody([
        { code: "form_param_format_invalid", message: "a", meta: { param_name: "username" } },
        { code: "form_param_max_length_exceeded", message: "b", meta: { param_name: "last_name" } },
      ]),
    );
    expect(error.errors.map((detail) => detail.paramName)).toEqual(["username", "last_name"]);
  });

  it("skips error entries that are not Clerk-shaped", () => {
    const error = backendApiErrorFromResponse(
      422,
      clerkBody([{ code: 7 }, "oops", { code: "form_param_missing", message: "missing" }]),
    );
    expect(error.code).toBe("form_param_missing");
    expect(error.errors).toHaveLength(1);
  });

  it.each([
    ["a body that is not JSON", null],
    ["JSON without errors", { message: "nope" }],
    ["errors that is not an array", { errors: { code: "x", message: "y" } }],
    ["an empty errors array", clerkBody([])],
    ["a JSON array", []],
  ])("turns %s into unexpected_response with the status", (_label, body) => {
    const error = backendApiErrorFromResponse(502, body);
    expect(error.code).toBe("unexpected_response");
    expect(error.status).toBe(502);
    expect(error.errors).toEqual([]);
    expect(error.message).toContain("502");
  });
});

describe("fieldErrors", () => {
  it("maps each param_name to its message, the first one winning", () => {
    const error = backendApiErrorFromResponse(
      422,
      clerkBody([
        {
          code: "form_param_max_length_exceeded",
          message: "too long",
          long_message: "first_name must be at most 256 characters.",
          meta: { param_name: "first_name" },
        },
        { code: "form_param_format_invalid", message: "bad", meta: { param_name: "username" } },
        { code: "form_param_format_invalid", message: "later", meta: { param_name: "username" } },
        { code: "form_param_unknown", message: "no param" },
      ]),
    );
    expect(fieldErrors(error)).toEqual({
      first_name: "first_name must be at most 256 characters.",
      username: "bad",
    });
  });

  it("is empty for errors that are not BackendApiErrors", () => {
    expect(fieldErrors(new Error("x"))).toEqual({});
    expect(fieldErrors(undefined)).toEqual({});
  });

  it("treats param names like toString as ordinary keys", () => {
    const error = backendApiErrorFromResponse(
      422,
      clerkBody([{ code: "c", message: "m", meta: { param_name: "toString" } }]),
    );
    expect(fieldErrors(error)).toEqual({ toString: "m" });
  });
});
