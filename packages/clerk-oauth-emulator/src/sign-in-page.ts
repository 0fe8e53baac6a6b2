import type { ValidAuthorizeRequest } from "./authorize-request";
import { escapeHtml } from "./http";
import { ORG_FIELD } from "./organization-grant";
import type { EmulatorUser } from "./types";
import { fullName, primaryEmail } from "./user-store";

const STYLE = `
  body { font-family: system-ui, sans-serif; background: #f4f4f7; color: #1f2937; margin: 0; }
  main { max-width: 26rem; margin: 3rem auto; background: #fff; padding: 2rem;
    border-radius: 0.75rem; box-shadow: 0 1px 4px rgb(0 0 0 / 0.12); }
  h1 { font-size: 1.4rem; margin: 0 0 0.5rem; }
  ul { list-style: none; padding: 0; margin: 1rem 0; }
  li { display: flex; flex-wrap: wrap; align-items: center; gap: 0.75rem; margin: 0.5rem 0; }
  img { width: 2.5rem; height: 2.5rem; border-radius: 50%; }
  button { font: inherit; padding: 0.5rem 0.9rem; border-radius: 0.4rem; cursor: pointer;
    border: 1px solid #6c47ff; background: #6c47ff; color: #fff; }
  select { font: inherit; padding: 0.35rem; }
  button:focus-visible, input:focus-visible, select:focus-visible { outline: 3px solid #f59e0b; outline-offset: 2px; }
  .secondary { background: #fff; color: #b91c1c; border-color: #b91c1c; }
  .email { color: #4b5563; font-size: 0.9rem; }
  .error { color: #b91c1c; font-weight: 600; }
  label { display: block; margin: 1rem 0 0.25rem; }
  .picker { flex-basis: 100%; padding-left: 3.25rem; font-size: 0.9rem; }
  .picker label { display: inline; margin: 0 0.5rem 0 0; }
  input { font: inherit; padding: 0.45rem; width: 100%; box-sizing: border-box; }
  input[type="checkbox"] { width: auto; }
  fieldset { border: 1px solid #d1d5db; border-radius: 0.4rem; }
`;

/** The emulator's page frame, shared by the sign-in page and the admin page. */
export function documentHtml(body: string, title = "Sign in"): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} — Clerk emulator</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}

function hiddenFields(request: ValidAuthorizeRequest): string {
  return request.params
    .map(
      ([name, value]) =>
        `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`,
    )
    .join("\n");
}

function userItem(user: EmulatorUser, index: number, picker = ""): string {
  const email = primaryEmail(user)?.emailAddress ?? "";
  const label = fullName(user) ?? email;
  const emailId = `user-email-${index}`;
  return `<li>
<img src="${escapeHtml(user.imageUrl)}" alt="">
<button type="submit" name="user_id" value="${escapeHtml(user.id)}" aria-describedby="${emailId}">Continue as ${escapeHtml(label)}</button>
<span class="email" id="${emailId}">${escapeHtml(email)}</span>${picker}
</li>`;
}

/** The user's organizations as Clerk's consent screen offers them; none is the default. */
function organizationPicker(user: EmulatorUser, index: number, organizations: OrgChoice[]) {
  const id = `org-${index}`;
  const label = `Organization for ${fullName(user) ?? primaryEmail(user)?.emailAddress ?? user.id}`;
  const options = organizations
    .map((org) => `<option value="${escapeHtml(org.id)}">${escapeHtml(org.name)}</option>`)
    .join("");
  return `
<span class="picker"><label for="${id}">${escapeHtml(label)}</label>
<select id="${id}" name="${ORG_FIELD}"><option value="">No organization</option>${options}</select></span>`;
}

/** Without JavaScript each user needs a form of their own, so their pick travels with them. */
function usersWithPicker(
  users: readonly EmulatorUser[],
  fields: string,
  organizationsOf: (user: EmulatorUser) => OrgChoice[],
): string {
  const items = users.map((user, index) => {
    const picker = organizationPicker(user, index, organizationsOf(user));
    return `<form method="post" action="/oauth/authorize">
${fields}
${userItem(user, index, picker)}
</form>`;
  });
  return `<ul aria-label="Choose a test user and an organization">
${items.join("\n")}
</ul>`;
}

export interface OrgChoice {
  id: string;
  name: string;
}

/** With `organizationsOf` (the `user:org:read` scope), each user comes with a picker. */
export function renderSignInPage(
  request: ValidAuthorizeRequest,
  users: readonly EmulatorUser[],
  {
    error,
    organizationsOf,
  }: { error?: string; organizationsOf?: (user: EmulatorUser) => OrgChoice[] } = {},
): string {
  const fields = hiddenFields(request);
  const scopes = request.scope.map((scope) => `<code>${escapeHtml(scope)}</code>`).join(", ");
  const alert = error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : "";
  return documentHtml(`<h1>Sign in</h1>
<p>The application <strong>${escapeHtml(request.client.clientId)}</strong> asks for these scopes: ${scopes}.</p>
${alert}
${
  organizationsOf
    ? usersWithPicker(users, fields, organizationsOf)
    : `<form method="post" action="/oauth/authorize" aria-label="Choose a test user">
${fields}
<ul>
${users.map((user, index) => userItem(user, index)).join("\n")}
</ul>
</form>`
}
<form method="post" action="/oauth/authorize" aria-label="Sign in with an email address">
${fields}
<label for="email">Email address (an unknown address creates a new user)</label>
<input id="email" name="email" type="email" required autocomplete="email">
<p><button type="submit">Continue with email</button></p>
</form>
<form method="post" action="/oauth/authorize" aria-label="Refuse access">
${fields}
<p><button type="submit" class="secondary" name="decision" value="deny">Deny</button></p>
</form>`);
}

export function renderErrorPage(message: string): string {
  return documentHtml(`<h1>Invalid OAuth request</h1>
<p class="error" role="alert">${escapeHtml(message)}</p>
<p>The emulator will not redirect anywhere, because it cannot trust the redirect_uri.</p>`);
}
