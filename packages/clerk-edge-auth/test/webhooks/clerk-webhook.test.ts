import { describe, expect, it, vi } from "vitest";
import { signWebhook, createWebhookSecret, webhookKey } from "clerk-oauth-emulator";
import type { AppConfig } from "../../src/config/config.server.js";
import type { SessionStore } from "../../src/session/session-store.server.js";
import { handleClerkWebhook } from "../../src/webhooks/clerk-webhook.server.js";

const SECRET = createWebhookSecret();

/**
 * The delivery table as a small stand-in with D1's answers (`first`, `meta.changes`), which can be
 * told to fail; the integration tests run the same handler against real D1 with injected faults.
 */
function deliveriesTable({ failing = false } = {}) {
  const ids = new Set<string>();
  const db = {
    prepare: (sql: string) => ({
      bind: (...args: unknown[]) => ({
        first: async () => {
          if (failing) throw new Error("D1_ERROR: database unavailable");
          return ids.has(String(args[0])) ? { seen: 1 } : null;
        },
        run: async () => {
          if (failing) throw new Error("D1_ERROR: database unavailable");
          const id = String(args[0]);
          if (sql.startsWith("DELETE")) return { meta: { changes: ids.delete(id) ? 1 : 0 } };
          const fresh = !ids.has(id);
          ids.add(id);
          return { meta: { changes: fresh ? 1 : 0 } };
        },
      }),
    }),
  };
  return { ids, db: db as unknown as D1Database };
}

function sessionStore(overrides: Partial<Record<keyof SessionStore, unknown>> = {}) {
  const store = {
    endAllForUser: vi.fn(async () => 2),
    updateUserEverywhere: vi.fn(async () => 1),
    ...overrides,
  };
  return store as typeof store & SessionStore;
}

async function delivery(event: unknown, id = `msg_${crypto.randomUUID()}`) {
  const body = JSON.stringify(event);
  const timestamp = Math.floor(Date.now() / 1000);
  return new Request("https://app.test/webhooks/clerk", {
    method: "POST",
    headers: {
      "svix-id": id,
      "svix-timestamp": String(timestamp),
      "svix-signature": await signWebhook(SECRET, id, timestamp, body),
    },
    body,
  });
}

function configWith(db: D1Database, key: Uint8Array | null = webhookKey(SECRET)) {
  return { sessionDb: db, webhookSigningKey: key } as AppConfig;
}

const user = {
  id: "user_1",
  first_name: "Ada",
  last_name: "King",
  username: null,
  image_url: "https://img.clerk.com/a.png",
  primary_email_address_id: "idn_1",
  email_addresses: [{ id: "idn_1", email_address: "ada@example.com", verification: null }],
  public_metadata: {},
  private_metadata: { plan: "secret" },
  banned: false,
  locked: false,
};

describe("handleClerkWebhook", () => {
  it.each([
    ["user.deleted", { id: "user_1", object: "user", deleted: true }, "user_deleted"],
    ["user.updated", { ...user, banned: true }, "user_banned"],
    ["user.updated", { ...user, locked: true }, "user_locked"],
  ])("%s ends every session of the user with its reason (%#)", async (type, data, reason) => {
    const store = sessionStore();
    const response = await handleClerkWebhook({
      request: await delivery({ type, data }),
      config: configWith(deliveriesTable().db),
      store,
    });
    expect(response.status).toBe(200);
    expect(store.endAllForUser).toHaveBeenCalledWith("user_1", reason);
    expect(store.updateUserEverywhere).not.toHaveBeenCalled();
  });

  it("passes only the public fields of an updated user to the sessions", async () => {
    const store = sessionStore();
    await handleClerkWebhook({
      request: await delivery({ type: "user.updated", data: user }),
      config: configWith(deliveriesTable().db),
      store,
    });
    expect(store.updateUserEverywhere).toHaveBeenCalledWith(
      "user_1",
      {
        email: "ada@example.com",
        emailVerified: false,
        firstName: "Ada",
        lastName: "King",
        fullName: "Ada King",
        username: null,
        imageUrl: "https://img.clerk.com/a.png",
        publicMetadata: {},
      },
      null,
    );
  });

  it("answers 503 when the effect fails and forgets the delivery, so Clerk's retry is processed", async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const table = deliveriesTable();
    const failing = sessionStore({
      endAllForUser: vi.fn(async () => Promise.reject(new Error("D1_ERROR: timeout"))),
    });
    const event = { type: "user.deleted", data: { id: "user_1", deleted: true } };
    const first = await handleClerkWebhook({
      request: await delivery(event, "msg_retry"),
      config: configWith(table.db),
      store: failing,
    });
    expect(first.status).toBe(503);
    expect(first.headers.get("Retry-After")).toBe("60");
    expect(table.ids.has("msg_retry")).toBe(false);

    const healthy = sessionStore();
    const retry = await handleClerkWebhook({
      request: await delivery(event, "msg_retry"),
      config: configWith(table.db),
      store: healthy,
    });
    expect(retry.status).toBe(200);
    expect(healthy.endAllForUser).toHaveBeenCalledTimes(1);
    expect(errors).toHaveBeenCalled();
    errors.mockRestore();
  });

  it("answers 503 and acts on nothing when the delivery cannot be recorded", async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const store = sessionStore();
    const response = await handleClerkWebhook({
      request: await delivery({ type: "user.deleted", data: { id: "user_1" } }),
      config: configWith(deliveriesTable({ failing: true }).db),
      store,
    });
    expect(response.status).toBe(503);
    expect(store.endAllForUser).not.toHaveBeenCalled();
    errors.mockRestore();
  });

  it("refuses a body over 256 KB with 413 before verifying it", async () => {
    const store = sessionStore();
    const response = await handleClerkWebhook({
      request: new Request("https://app.test/webhooks/clerk", {
        method: "POST",
        body: "x".repeat(256 * 1024 + 1),
      }),
      config: configWith(deliveriesTable().db),
      store,
    });
    expect(response.status).toBe(413);
    expect(store.endAllForUser).not.toHaveBeenCalled();
  });

  it("refuses a verified body that is not UTF-8 with 400", async () => {
    const id = "msg_binary";
    const timestamp = Math.floor(Date.now() / 1000);
    const body = new Uint8Array([0xff, 0xfe, 0x7b]);
    const key = await crypto.subtle.importKey(
      "raw",
      webhookKey(SECRET),
      { name: "HMAC", hash: "SHA-256" },
      false,
      ["sign"],
    );
    const signed = new Uint8Array([...new TextEncoder().encode(`${id}.${timestamp}.`), ...body]);
    const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, signed));
    const response = await handleClerkWebhook({
      request: new Request("https://app.test/webhooks/clerk", {
        method: "POST",
        headers: {
          "svix-id": id,
          "svix-timestamp": String(timestamp),
          "svix-signature": `v1,${btoa(String.fromCharCode(...mac))}`,
        },
        body,
      }),
      config: configWith(deliveriesTable().db),
      store: sessionStore(),
    });
    expect(response.status).toBe(400);
  });
});
