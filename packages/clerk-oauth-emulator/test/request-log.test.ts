import { beforeEach, expect, it } from "vitest";
import { authorizeUrl, signIn, type EmulatorUnderTest, inProcessEmulator } from "./support";

let clerk: EmulatorUnderTest;

beforeEach(() => {
  clerk = inProcessEmulator();
});

it("records what the client sent, with secrets reduced to their kind", async () => {
  await clerk.fetch(authorizeUrl(clerk.origin));
  await signIn(clerk);
  const [authorize, token] = clerk.emulator.requests;
  expect(authorize).toMatchObject({
    method: "GET",
    path: "/oauth/authorize",
    query: { response_type: "code", client_id: "emulator_client_id" },
  });
  expect(token?.path).toBe("/oauth/token");
  expect(token?.headers.authorization).toBe("Basic …");
  expect(token?.headers["content-type"]).toBe("application/x-www-form-urlencoded");
  expect(token?.form).toMatchObject({
    grant_type: "authorization_code",
    code_verifier: "[redacted]",
  });
  expect(JSON.stringify(clerk.emulator.requests)).not.toContain("emulator_client_secret");
});

it("records JSON bodies sent to the Backend API and forgets everything on clearRequests()", async () => {
  await clerk.fetch(`${clerk.origin}/v1/users/user_2d7LcA5PWzP89aqvmJHv210fuRJ`, {
    method: "PATCH",
    headers: { authorization: "Bearer sk_test_emulator", "content-type": "application/json" },
    body: JSON.stringify({ last_name: "Byron" }),
  });
  expect(clerk.emulator.requests[0]).toMatchObject({
    headers: { authorization: "Bearer …" },
    json: { last_name: "Byron" },
  });
  clerk.emulator.clearRequests();
  expect(clerk.emulator.requests).toHaveLength(0);
});
