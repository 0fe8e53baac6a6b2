import { beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_CLIENT } from "../src/emulator";
import {
  basicAuth,
  CALLBACK,
  codeFor,
  postForm,
  queryOf,
  STATE,
  type EmulatorUnderTest,
  inProcessEmulator,
} from "./support";

let clerk: EmulatorUnderTest;

beforeEach(() => {
  clerk = inProcessEmulator();
});

describe("client authentication at /oauth/token", () => {
  const specialClient = {
    clientId: "app:one",
    clientSecret: "s3cr+t %&:",
    redirectUris: [CALLBACK],
  };

  it("accepts url-encoded HTTP Basic credentials and client_secret_post alike", async () => {
    clerk = inProcessEmulator({ clients: [specialClient] });
    const codeForSpecial = () =>
      queryOf(clerk.emulator.approve({ clientId: "app:one", redirectUri: CALLBACK, state: STATE }))
        .code ?? "";
    const basic = await postForm(
      clerk,
      "/oauth/token",
      { grant_type: "authorization_code", code: codeForSpecial(), redirect_uri: CALLBACK },
      { authorization: basicAuth(specialClient.clientId, specialClient.clientSecret) },
    );
    expect(basic.status).toBe(200);

    const post = await postForm(clerk, "/oauth/token", {
      grant_type: "authorization_code",
      code: codeForSpecial(),
      redirect_uri: CALLBACK,
      client_id: specialClient.clientId,
      client_secret: specialClient.clientSecret,
    });
    expect(post.status).toBe(200);
  });

  it.each([
    ["a wrong Basic secret", { authorization: basicAuth(DEFAULT_CLIENT.clientId, "nope") }, {}],
    ["a wrong posted secret", {}, { client_id: DEFAULT_CLIENT.clientId, client_secret: "nope" }],
    ["no credentials at all", {}, { client_id: DEFAULT_CLIENT.clientId }],
  ])("answers %s with 401 invalid_client", async (_label, headers, extra) => {
    const response = await postForm(
      clerk,
      "/oauth/token",
      {
        grant_type: "authorization_code",
        code: codeFor(clerk),
        redirect_uri: CALLBACK,
        ...extra,
      },
      headers,
    );
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: "invalid_client" });
  });
});
