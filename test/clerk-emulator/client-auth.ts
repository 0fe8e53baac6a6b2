import type { EmulatorContext } from "./context";
import { safeEqual } from "./encoding";
import { oauthError } from "./responses";
import type { EmulatorClient } from "./types";

/** RFC 6749 §2.3.1: both halves are form-urlencoded before being joined with ":". */
function formDecode(value: string): string | undefined {
  try {
    return decodeURIComponent(value.replaceAll("+", " "));
  } catch {
    return undefined;
  }
}

function decodeBasic(encoded: string): { id: string; secret: string } | undefined {
  let text: string;
  try {
    text = new TextDecoder().decode(Uint8Array.from(atob(encoded), (c) => c.charCodeAt(0)));
  } catch {
    return undefined;
  }
  const colon = text.indexOf(":");
  if (colon < 0) return undefined;
  const id = formDecode(text.slice(0, colon));
  const secret = formDecode(text.slice(colon + 1));
  return id === undefined || secret === undefined ? undefined : { id, secret };
}

function invalidClient(description: string, usedBasic: boolean): Response {
  // RFC 6749 §5.2 requires the challenge whenever the client tried the Authorization header.
  const headers: HeadersInit = usedBasic
    ? { "www-authenticate": 'Basic realm="Clerk emulator"' }
    : {};
  return oauthError(401, "invalid_client", description, headers);
}

/** client_secret_basic and client_secret_post are treated alike, as Clerk does. */
export function authenticateClient(
  context: EmulatorContext,
  request: Request,
  form: URLSearchParams,
): EmulatorClient | Response {
  const header = request.headers.get("authorization");
  const bodyId = form.get("client_id");
  let credentials: { id: string | null; secret: string | null } = {
    id: bodyId,
    secret: form.get("client_secret"),
  };
  if (header !== null) {
    const match = /^Basic\s+(\S+)\s*$/i.exec(header);
    if (!match?.[1])
      return invalidClient("Only HTTP Basic client authentication is accepted.", true);
    if (credentials.secret !== null) {
      return oauthError(400, "invalid_request", "Use one client authentication method, not two.");
    }
    const decoded = decodeBasic(match[1]);
    if (!decoded) return invalidClient("The Basic credentials are malformed.", true);
    if (bodyId !== null && bodyId !== decoded.id) {
      return invalidClient("The client_id in the body differs from the Basic credentials.", true);
    }
    credentials = decoded;
  }
  if (!credentials.id || credentials.secret === null) {
    return invalidClient("Client authentication is required.", header !== null);
  }
  const client = context.settings.clients.find((c) => c.clientId === credentials.id);
  if (!client || !safeEqual(credentials.secret, client.clientSecret)) {
    return invalidClient("Client authentication failed.", header !== null);
  }
  return client;
}
