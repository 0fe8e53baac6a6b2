import type { AppConfig } from "../config/config.server.js";
import type { SessionStore } from "../session/session-store.server.js";
import { withDeadline } from "../utils/deadline.js";
import { applyOrganizationEvent } from "../organizations/organization-webhook.server.js";
import { type ClerkEvent, parseClerkEvent } from "./clerk-event.js";
import { type WebhookRefusal, verifyWebhook } from "./verify-webhook.server.js";
import { errorName } from "../utils/request-facts.js";

/** Clerk's user objects are a few KB; anything near this is not a delivery from Clerk. */
const MAX_BODY_BYTES = 256 * 1024;
const D1_DEADLINE_MS = 3000;

const REFUSAL_STATUS: Record<WebhookRefusal, 400 | 401> = {
  missing_headers: 400,
  bad_timestamp: 400,
  outside_tolerance: 401,
  bad_signature: 401,
};

function reply(status: number, body: Record<string, unknown>, headers: HeadersInit = {}) {
  return Response.json(body, { status, headers: { "Cache-Control": "no-store", ...headers } });
}

/** True when this delivery id was already processed: its effect is durably stored. */
async function alreadyProcessed(db: D1Database, id: string): Promise<boolean> {
  const row = await withDeadline("Webhook delivery check", D1_DEADLINE_MS, () =>
    db.prepare("SELECT 1 AS seen FROM webhook_deliveries WHERE svix_id = ?").bind(id).first(),
  );
  return row !== null;
}

/**
 * Records a delivery as processed. Only ever after its effect is stored: a record whose write
 * failed, or timed out and may still land, leaves at worst a retry that redoes an effect that is
 * idempotent (ending ended sessions, or writing the same fields again), never an acknowledged
 * event that did not happen.
 */
async function recordDelivery(db: D1Database, id: string, type: string, now: number) {
  await withDeadline("Webhook delivery record", D1_DEADLINE_MS, () =>
    db
      .prepare(
        "INSERT INTO webhook_deliveries (svix_id, event_type, received_at) VALUES (?, ?, ?) ON CONFLICT (svix_id) DO NOTHING",
      )
      .bind(id, type, now)
      .run(),
  );
}

/**
 * The body, read no further than `max` bytes: a chunked body declares no length, and this runs
 * before the signature is checked, so an unauthenticated sender must not make it read more.
 * Null when the body is longer.
 */
async function readCapped(request: Request, max: number): Promise<Uint8Array | null> {
  if (request.body === null) return new Uint8Array();
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => undefined);
      return null;
    }
    chunks.push(value);
  }
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

type ActedOnEvent = Exclude<ClerkEvent, { type: "ignored" }>;

/** Ends or updates the sessions the event concerns; returns how many sessions changed. */
function applyEvent(
  config: AppConfig,
  store: SessionStore,
  event: ActedOnEvent,
  now: number,
): Promise<number> {
  if (event.type === "organization") {
    return applyOrganizationEvent(config.sessionDb, store, event.event, now);
  }
  if (event.type === "user.deleted") return store.endAllForUser(event.userId, "user_deleted");
  if (event.banned) return store.endAllForUser(event.userId, "user_banned");
  if (event.locked) return store.endAllForUser(event.userId, "user_locked");
  // Ordered by Clerk's updated_at: a late retry of an older event finds newer fields and
  // changes nothing. Endings above are not ordered: ending a session is never unsafe.
  return store.updateUserEverywhere(event.userId, event.user, event.updatedAt);
}

export interface ClerkWebhookArgs {
  request: Request;
  config: AppConfig;
  store: SessionStore;
  now?: number;
}

/**
 * `POST /webhooks/clerk`: verifies a Clerk delivery over its raw body, refuses anything unverified
 * or malformed with a 4xx and no effect, acknowledges a repeated `svix-id` without acting again,
 * and ends or updates the sessions of the user the event names. The 2xx comes only once the
 * effect is stored, and the delivery is recorded only after that, so Clerk retries a delivery
 * whose effect failed or may not have landed, and the retry redoes it.
 */
export async function handleClerkWebhook({
  request,
  config,
  store,
  now = Date.now(),
}: ClerkWebhookArgs): Promise<Response> {
  const key = config.webhookSigningKey;
  if (key === null) {
    return reply(503, {
      error: "not_configured",
      message:
        "CLERK_WEBHOOK_SIGNING_SECRET is not set, so Clerk webhooks are not processed. Set it to the signing secret of the Clerk webhook endpoint (whsec_…) as a secret of this deployment.",
    });
  }
  const declared = Number(request.headers.get("Content-Length") ?? 0);
  if (declared > MAX_BODY_BYTES) return reply(413, { error: "too_large" });
  const body = await readCapped(request, MAX_BODY_BYTES);
  if (body === null) return reply(413, { error: "too_large" });

  const verified = await verifyWebhook(key, request.headers, body, now);
  if (!verified.ok) return reply(REFUSAL_STATUS[verified.reason], { error: verified.reason });

  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(body);
  } catch {
    return reply(400, { error: "not_an_event" });
  }
  const event = parseClerkEvent(text);
  if (event === null) return reply(400, { error: "not_an_event" });
  if (event.type === "ignored" || (event.type === "organization" && !config.organizations)) {
    return reply(200, { status: "ignored", type: event.name });
  }

  const db = config.sessionDb;
  try {
    if (await alreadyProcessed(db, verified.id)) return reply(200, { status: "duplicate" });
    const sessions = await applyEvent(config, store, event, now);
    const type = event.type === "organization" ? event.name : event.type;
    await recordDelivery(db, verified.id, type, now);
    return reply(200, { status: "processed", sessions });
  } catch (error) {
    return unavailable(error);
  }
}

/** The session database failed: Clerk retries a non-2xx answer, so the event is not lost. */
function unavailable(error: unknown): Response {
  console.error(`Webhook not processed: session database unavailable (${errorName(error)})`);
  return reply(503, { error: "unavailable" }, { "Retry-After": "60" });
}
