import {
  applyOrganizationAction,
  isOrganizationAction,
  renderOrganizations,
} from "./admin-organizations";
import { escapeHtml, htmlResponse } from "./http";
import { documentHtml } from "./sign-in-page";
import type { EmulatorContext, EmulatorUser, EmulatorUserPatch, WebhookDelivery } from "./types";
import { fullName, primaryEmail } from "./user-store";
import { deleteUser, updateUser } from "./webhooks";

export const ADMIN_PATH = "/__admin";

const PATCHES: Record<string, EmulatorUserPatch> = {
  ban: { banned: true },
  unban: { banned: false },
  lock: { locked: true },
  unlock: { locked: false },
};

function html(status: number, body: string): Response {
  return htmlResponse(status, documentHtml(body, "Test users"));
}

function button(action: string, label: string, name: string): string {
  return `<button type="submit" name="action" value="${action}" aria-label="${escapeHtml(`${label} ${name}`)}">${label}</button>`;
}

function userItem(user: EmulatorUser): string {
  const email = primaryEmail(user)?.emailAddress ?? "";
  const name = fullName(user) ?? email;
  const flags = [user.banned ? "banned" : "", user.locked ? "locked" : ""].filter(Boolean);
  const id = escapeHtml(user.id);
  const hidden = `<input type="hidden" name="user_id" value="${id}">`;
  return `<li data-user-id="${id}"><div>
<p><strong>${escapeHtml(name)}</strong> <span class="email">${escapeHtml(email)}</span><br><code>${id}</code>${flags.length ? ` <strong>${flags.join(", ")}</strong>` : ""}</p>
<form method="post" action="${ADMIN_PATH}">${hidden}
${user.banned ? button("unban", "Unban", name) : button("ban", "Ban", name)}
${user.locked ? button("unlock", "Unlock", name) : button("lock", "Lock", name)}
${button("delete", "Delete", name)}
</form>
<form method="post" action="${ADMIN_PATH}">${hidden}
<label>First name <input name="first_name" value="${escapeHtml(user.firstName ?? "")}"></label>
<label>Last name <input name="last_name" value="${escapeHtml(user.lastName ?? "")}"></label>
<p>${button("rename", "Rename", name)}</p>
</form>
</div></li>`;
}

function renderAdminPage(context: EmulatorContext, notice: string | null): string {
  const target = context.webhooks.target;
  const webhooks = target
    ? `Each change is sent as a signed webhook to <code>${escapeHtml(target.url)}</code>.`
    : "No webhook endpoint is configured (start the emulator with --webhook-url and --webhook-secret), so changes are not announced.";
  const status = notice ? `<p role="status">${escapeHtml(notice)}</p>` : "";
  return `<h1>Test users</h1>
<p>Change a user, an organization or a role as Clerk's dashboard would. ${webhooks}</p>
${status}
<ul>
${context.users.list().map(userItem).join("\n")}
</ul>
${renderOrganizations(context)}`;
}

function describeDelivery(delivery: WebhookDelivery | null): string {
  if (!delivery) return "no webhook sent";
  const outcome =
    delivery.status === null ? `failed: ${delivery.error}` : `answered ${delivery.status}`;
  return `webhook ${delivery.type} ${outcome}`;
}

async function applyAction(context: EmulatorContext, form: URLSearchParams, user: EmulatorUser) {
  const action = form.get("action") ?? "";
  const patch =
    action === "rename"
      ? { firstName: form.get("first_name") || null, lastName: form.get("last_name") || null }
      : PATCHES[action];
  if (action === "delete") return deleteUser(context, user.id);
  if (!patch) return undefined;
  return updateUser(context, user.id, patch);
}

/**
 * Pages on other ports of 127.0.0.1 are same-site, so Sec-Fetch-Site must say same-origin. The
 * page's no-referrer policy makes browsers send `Origin: null` for its own forms.
 */
function isCrossOrigin(request: Request, url: URL): boolean {
  const site = request.headers.get("sec-fetch-site");
  const origin = request.headers.get("origin");
  if (site !== null && site !== "same-origin" && site !== "none") return true;
  return origin !== null && origin !== "null" && origin !== url.origin;
}

/**
 * A small stand-in for Clerk's dashboard: lists the test users and deletes, bans, locks or renames
 * them, and changes organizations and roles, announcing each change to the app as Clerk would.
 * Answers POSTs from its own pages only.
 */
export async function handleAdmin(context: EmulatorContext, request: Request, url: URL) {
  if (request.method === "GET")
    return html(200, renderAdminPage(context, url.searchParams.get("notice")));
  if (request.method !== "POST") return html(405, "<h1>Method not allowed</h1>");
  if (isCrossOrigin(request, url)) return html(403, "<h1>Cross-origin request refused</h1>");
  const form = new URLSearchParams(await request.text());
  const action = form.get("action");
  if (isOrganizationAction(action)) {
    const outcome = await applyOrganizationAction(context, action, form);
    if ("status" in outcome) return html(outcome.status, `<h1>${escapeHtml(outcome.message)}</h1>`);
    return backToList(action, outcome.subject, outcome.delivery);
  }
  const user = context.users.get(form.get("user_id") ?? "");
  if (!user) return html(404, "<h1>No such user</h1>");
  const delivery = await applyAction(context, form, user);
  if (delivery === undefined) return html(400, "<h1>Unknown action</h1>");
  return backToList(action ?? "", fullName(user) ?? user.id, delivery);
}

/** Post/redirect/get, with a notice saying what changed and what the app answered. */
function backToList(action: string, subject: string, delivery: WebhookDelivery | null): Response {
  const notice = `${action}: ${subject} (${describeDelivery(delivery)})`;
  const location = `${ADMIN_PATH}?${new URLSearchParams({ notice })}`;
  return new Response(null, { status: 303, headers: { location, "cache-control": "no-store" } });
}
