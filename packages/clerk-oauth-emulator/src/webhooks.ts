import { randomBase62 } from "./http";
import type { OrganizationEvent } from "./organization-changes";
import type {
  EmulatorContext,
  EmulatorUser,
  EmulatorUserPatch,
  WebhookDelivery,
  WebhookTarget,
} from "./types";
import { userJson } from "./user-json";

const SECRET_PREFIX = "whsec_";
/** Svix gives an endpoint 15 s; a little less keeps the admin page responsive. */
const DELIVERY_TIMEOUT_MS = 10_000;

function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** A fresh signing secret in the form Clerk's dashboard shows: `whsec_` and 24 random bytes. */
export function createWebhookSecret(): string {
  return SECRET_PREFIX + toBase64(crypto.getRandomValues(new Uint8Array(24)));
}

function decodeBase64(text: string): Uint8Array<ArrayBuffer> | null {
  try {
    return Uint8Array.from(atob(text), (char) => char.charCodeAt(0));
  } catch {
    return null;
  }
}

/** The HMAC key of a `whsec_…` secret; throws on anything else, so a typo fails at start-up. */
export function webhookKey(secret: string): Uint8Array<ArrayBuffer> {
  const key = secret.startsWith(SECRET_PREFIX)
    ? decodeBase64(secret.slice(SECRET_PREFIX.length))
    : null;
  if (!key || key.length === 0) {
    throw new RangeError("A webhook secret must be whsec_ followed by base64");
  }
  return key;
}

/**
 * One `v1,<base64>` signature entry, as Svix sends in `svix-signature`: HMAC-SHA256 over
 * `<id>.<timestamp>.<body>` with the decoded secret.
 */
export async function signWebhook(
  secret: string,
  id: string,
  timestampSeconds: number,
  body: string,
): Promise<string> {
  const key = await crypto.subtle.importKey(
    "raw",
    webhookKey(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const payload = new TextEncoder().encode(`${id}.${timestampSeconds}.${body}`);
  const signature = await crypto.subtle.sign("HMAC", key, payload);
  return `v1,${toBase64(new Uint8Array(signature))}`;
}

export type WebhookEvent =
  | OrganizationEvent
  | { type: "user.updated"; data: ReturnType<typeof userJson> }
  | { type: "user.deleted"; data: { object: "user"; id: string; deleted: true } };

export function userUpdatedEvent(user: EmulatorUser): WebhookEvent {
  return { type: "user.updated", data: userJson(user) };
}

export function userDeletedEvent(userId: string): WebhookEvent {
  return { type: "user.deleted", data: { object: "user", id: userId, deleted: true } };
}

/**
 * Delivers one event the way Clerk does (through Svix): a JSON POST with `svix-id`,
 * `svix-timestamp` and `svix-signature`. Never throws: a refused or failed delivery is reported in
 * the result, as Svix's dashboard would show it.
 */
export async function deliverWebhook(
  target: WebhookTarget,
  event: WebhookEvent,
  { now, instanceId }: { now: number; instanceId: string },
): Promise<WebhookDelivery> {
  const id = `msg_${randomBase62(27)}`;
  const timestamp = Math.floor(now / 1000);
  const body = JSON.stringify({
    data: event.data,
    instance_id: instanceId,
    object: "event",
    timestamp: now,
    type: event.type,
  });
  const headers = {
    "content-type": "application/json",
    "svix-id": id,
    "svix-timestamp": String(timestamp),
    "svix-signature": await signWebhook(target.secret, id, timestamp, body),
  };
  const send = target.fetch ?? fetch;
  try {
    const signal = AbortSignal.timeout(DELIVERY_TIMEOUT_MS);
    const response = await send(new Request(target.url, { method: "POST", headers, body, signal }));
    await response.body?.cancel();
    return { id, type: event.type, status: response.status, error: null };
  } catch (error) {
    return { id, type: event.type, status: null, error: String(error) };
  }
}

/** Delivers to the configured endpoint and records the attempt; null when none is configured. */
export async function announce(
  context: EmulatorContext,
  event: WebhookEvent,
): Promise<WebhookDelivery | null> {
  const target = context.webhooks.target;
  if (!target) return null;
  const delivery = await deliverWebhook(target, event, {
    now: context.settings.now(),
    instanceId: context.settings.instanceId,
  });
  context.webhooks.deliveries.push(delivery);
  return delivery;
}

function existingUser(context: EmulatorContext, id: string): EmulatorUser {
  const user = context.users.get(id);
  if (!user) throw new Error(`No user with id ${id}`);
  return user;
}

/** Applies a dashboard-style change; a ban or lock ends the user's OAuth grants as Clerk does. */
export function updateUser(
  context: EmulatorContext,
  id: string,
  patch: EmulatorUserPatch,
): Promise<WebhookDelivery | null> {
  const user = existingUser(context, id);
  if (patch.firstName !== undefined) user.firstName = patch.firstName;
  if (patch.lastName !== undefined) user.lastName = patch.lastName;
  if (patch.banned !== undefined) user.banned = patch.banned;
  if (patch.locked !== undefined) user.locked = patch.locked;
  user.updatedAt = context.settings.now();
  if (user.banned || user.locked) context.grants.revokeUser(id);
  return announce(context, userUpdatedEvent(user));
}

export function deleteUser(context: EmulatorContext, id: string): Promise<WebhookDelivery | null> {
  existingUser(context, id);
  context.users.delete(id);
  context.organizations.forgetUser(id);
  context.grants.revokeUser(id);
  return announce(context, userDeletedEvent(id));
}

/** Checks a target's secret up front, so a typo fails at start-up instead of at the first event. */
export function checkedTarget<T extends { secret: string } | null | undefined>(target: T): T {
  if (target) webhookKey(target.secret);
  return target;
}
