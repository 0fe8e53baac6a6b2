import { decodeBase64 } from "../utils/base64url.js";

/** How far a delivery's timestamp may be from now, either way, before it counts as a replay. */
export const WEBHOOK_TOLERANCE_SECONDS = 5 * 60;

/** More entries than a secret rotation needs is not a delivery from Clerk; bounds the work. */
const MAX_SIGNATURES = 8;

export type WebhookRefusal =
  | "missing_headers"
  | "bad_timestamp"
  | "outside_tolerance"
  | "bad_signature";

export type WebhookVerification =
  | { ok: true; id: string; body: Uint8Array }
  | { ok: false; reason: WebhookRefusal };

/** The `v1,<base64>` entries of `svix-signature`; other versions and bad base64 are skipped. */
function signatures(header: string): Uint8Array<ArrayBuffer>[] {
  return header
    .split(" ")
    .slice(0, MAX_SIGNATURES)
    .flatMap((entry) => {
      const [version, value] = entry.split(",", 2);
      const bytes = version === "v1" && value ? decodeBase64(value) : null;
      return bytes ? [bytes] : [];
    });
}

function signedContent(id: string, timestamp: string, body: Uint8Array): Uint8Array<ArrayBuffer> {
  const prefix = new TextEncoder().encode(`${id}.${timestamp}.`);
  const content = new Uint8Array(prefix.length + body.length);
  content.set(prefix);
  content.set(body, prefix.length);
  return content;
}

/**
 * Checks a Clerk (Svix) delivery over the exact bytes received: HMAC-SHA256 of
 * `<svix-id>.<svix-timestamp>.<body>` with the endpoint's key must equal one of the `v1` entries
 * of `svix-signature` (more than one during a secret rotation), and the timestamp must be within
 * five minutes of now. `crypto.subtle.verify` compares in constant time.
 */
export async function verifyWebhook(
  key: Uint8Array,
  headers: Headers,
  body: Uint8Array,
  now: number = Date.now(),
): Promise<WebhookVerification> {
  const id = headers.get("svix-id");
  const timestamp = headers.get("svix-timestamp");
  const signatureHeader = headers.get("svix-signature");
  if (!id || !timestamp || !signatureHeader) return { ok: false, reason: "missing_headers" };
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: "bad_timestamp" };
  if (Math.abs(now / 1000 - Number(timestamp)) > WEBHOOK_TOLERANCE_SECONDS) {
    return { ok: false, reason: "outside_tolerance" };
  }
  const hmacKey = await crypto.subtle.importKey(
    "raw",
    new Uint8Array(key),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["verify"],
  );
  const content = signedContent(id, timestamp, body);
  for (const signature of signatures(signatureHeader)) {
    if (await crypto.subtle.verify("HMAC", hmacKey, signature, content)) {
      return { ok: true, id, body };
    }
  }
  return { ok: false, reason: "bad_signature" };
}
