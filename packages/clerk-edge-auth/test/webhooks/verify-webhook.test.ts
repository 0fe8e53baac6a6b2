import { createHmac, randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { verifyWebhook } from "../../src/webhooks/verify-webhook.server.js";

const key = new Uint8Array(randomBytes(24));
const otherKey = new Uint8Array(randomBytes(24));
const NOW = Date.UTC(2026, 11, 1, 12, 0, 0);
const ID = "msg_2abc";
const body = new TextEncoder().encode('{"type":"user.updated","data":{"id":"user_1"}}');

/** Node's own HMAC, independent of the Web Crypto code under test. */
function sign(secret: Uint8Array, id: string, timestamp: string, payload: Uint8Array) {
  const mac = createHmac("sha256", secret).update(`${id}.${timestamp}.`).update(payload);
  return `v1,${mac.digest("base64")}`;
}

function headersFor({
  id = ID,
  timestamp = String(NOW / 1000),
  signature,
}: {
  id?: string;
  timestamp?: string;
  signature?: string;
} = {}) {
  return new Headers({
    "svix-id": id,
    "svix-timestamp": timestamp,
    "svix-signature": signature ?? sign(key, id, timestamp, body),
  });
}

describe("verifyWebhook", () => {
  it("accepts a delivery signed with the endpoint's key", async () => {
    expect(await verifyWebhook(key, headersFor(), body, NOW)).toEqual({ ok: true, id: ID, body });
  });

  it("refuses a signature made with another key", async () => {
    const signature = sign(otherKey, ID, String(NOW / 1000), body);
    const result = await verifyWebhook(key, headersFor({ signature }), body, NOW);
    expect(result).toEqual({ ok: false, reason: "bad_signature" });
  });

  it("refuses a body changed after signing, byte for byte", async () => {
    const changed = new TextEncoder().encode('{"type":"user.updated","data":{"id":"user_2"}}');
    expect(await verifyWebhook(key, headersFor(), changed, NOW)).toMatchObject({ ok: false });
  });

  it("accepts any one valid entry among several, as during a secret rotation", async () => {
    const timestamp = String(NOW / 1000);
    const signature = `${sign(otherKey, ID, timestamp, body)} ${sign(key, ID, timestamp, body)}`;
    expect(await verifyWebhook(key, headersFor({ signature }), body, NOW)).toMatchObject({
      ok: true,
    });
  });

  it("ignores entries of other versions and undecodable ones", async () => {
    const valid = sign(key, ID, String(NOW / 1000), body).slice(3);
    const signature = `v2,${valid} v1,@@@ v1`;
    const result = await verifyWebhook(key, headersFor({ signature }), body, NOW);
    expect(result).toEqual({ ok: false, reason: "bad_signature" });
  });

  it("refuses timestamps more than five minutes old or ahead, even when signed", async () => {
    for (const offset of [-301, 301]) {
      const timestamp = String(NOW / 1000 + offset);
      const result = await verifyWebhook(key, headersFor({ timestamp }), body, NOW);
      expect(result).toEqual({ ok: false, reason: "outside_tolerance" });
    }
  });

  it("accepts timestamps just inside the five-minute window", async () => {
    for (const offset of [-299, 299]) {
      const timestamp = String(NOW / 1000 + offset);
      expect(await verifyWebhook(key, headersFor({ timestamp }), body, NOW)).toMatchObject({
        ok: true,
      });
    }
  });

  it("refuses a delivery without its three headers or with a timestamp that is not a number", async () => {
    for (const name of ["svix-id", "svix-timestamp", "svix-signature"]) {
      const headers = headersFor();
      headers.delete(name);
      expect(await verifyWebhook(key, headers, body, NOW)).toEqual({
        ok: false,
        reason: "missing_headers",
      });
    }
    const result = await verifyWebhook(key, headersFor({ timestamp: "1e9" }), body, NOW);
    expect(result).toEqual({ ok: false, reason: "bad_timestamp" });
  });
});
