import { clerkError, clerkErrors, jsonResponse, notFound, safeEqual } from "./http";
import { isPlainObject } from "./metadata-merge";
import { handleOrganizationApi, isOrganizationPath } from "./organization-routes";
import type { EmulatorContext } from "./types";
import { userJson } from "./user-json";
import {
  applyMetadataPatch,
  applyProfilePatch,
  metadataAllowedOnPatch,
  validateMetadataPatch,
  validateProfilePatch,
} from "./user-update";

const USER_PATH = /^\/v1\/users\/([^/]+)(\/metadata)?$/;

function invalidBody(longMessage: string): Response {
  return clerkError(400, "invalid_request_body", "Invalid request body", longMessage);
}

async function readJsonObject(request: Request): Promise<Record<string, unknown> | Response> {
  const text = await request.text();
  if (text.trim() === "") return {};
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return invalidBody("The request body is not valid JSON.");
  }
  return isPlainObject(body) ? body : invalidBody("The request body must be a JSON object.");
}

/** Answers with an error, or records the pinned version and returns undefined. */
function checkAuthAndVersion(context: EmulatorContext, request: Request, url: URL) {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.get("authorization") ?? "");
  if (!match?.[1] || !safeEqual(match[1], context.settings.secretKey)) {
    return clerkError(
      401,
      "authentication_invalid",
      "Invalid authentication",
      "Unable to authenticate the request, you need to supply an active API key.",
    );
  }
  const header = request.headers.get("clerk-api-version");
  const query = url.searchParams.get("__clerk_api_version");
  if (header !== null && query !== null) {
    return invalidBody(
      "Pin the API version with the Clerk-API-Version header or the __clerk_api_version " +
        "query parameter, not both.",
    );
  }
  context.apiVersions.last = header ?? query;
  return undefined;
}

/**
 * Clerk's Backend API labels its JSON `application/json` with no parameters, and Clerk's SDK reads
 * a body as JSON only on that exact value, so the emulator does the same.
 */
export async function handleBackendApi(context: EmulatorContext, request: Request, url: URL) {
  const response = await answer(context, request, url);
  response.headers.set("content-type", "application/json");
  return response;
}

async function answer(context: EmulatorContext, request: Request, url: URL): Promise<Response> {
  const refusal = checkAuthAndVersion(context, request, url);
  if (refusal) return refusal;
  if (isOrganizationPath(url.pathname)) return handleOrganizationApi(context, request, url);

  const match = USER_PATH.exec(url.pathname);
  // Clerk ids are plain base62, so the raw path segment is the id; nothing needs decoding.
  const userId = match?.[1];
  if (!userId) return notFound(url.pathname);
  const isMetadata = match?.[2] !== undefined;
  const allowed = isMetadata ? ["PATCH"] : ["GET", "PATCH"];
  if (!allowed.includes(request.method)) {
    const response = clerkError(405, "method_not_allowed", "method not allowed", "Not supported.");
    response.headers.set("allow", allowed.join(", "));
    return response;
  }
  const user = context.users.get(userId);
  if (!user) {
    return clerkError(
      404,
      "resource_not_found",
      "not found",
      `No user was found with id ${userId}.`,
    );
  }
  if (request.method === "GET") return jsonResponse(200, userJson(user));

  const body = await readJsonObject(request);
  if (body instanceof Response) return body;
  const now = context.settings.now();
  if (isMetadata) {
    const errors = validateMetadataPatch(body);
    if (errors.length > 0) return clerkErrors(422, errors);
    applyMetadataPatch(user, body, now);
  } else {
    const allowMetadata = metadataAllowedOnPatch(context.apiVersions.last);
    const errors = validateProfilePatch(body, user, context.users, allowMetadata);
    if (errors.length > 0) return clerkErrors(422, errors);
    applyProfilePatch(user, body, now);
  }
  return jsonResponse(200, userJson(user));
}
