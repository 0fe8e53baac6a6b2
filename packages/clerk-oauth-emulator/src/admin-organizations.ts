/**
 * The admin page's organizations and roles: forms that add, remove and re-role members, rename or
 * delete an organization and change what a role grants, each announced as Clerk announces it.
 */
import { escapeHtml } from "./http";
import {
  addMembership,
  deleteOrganization,
  removeMembership,
  updateMembership,
  updateOrganization,
  updateRole,
} from "./organization-changes";
import type { EmulatorMembership, EmulatorOrganization, EmulatorRole } from "./organization-types";
import type { EmulatorContext, WebhookDelivery } from "./types";
import { fullName } from "./user-store";

const ACTIONS = [
  "add-member",
  "set-role",
  "remove-member",
  "rename-org",
  "delete-org",
  "set-permissions",
] as const;
type OrganizationAction = (typeof ACTIONS)[number];

export function isOrganizationAction(action: string | null): action is OrganizationAction {
  return (ACTIONS as readonly (string | null)[]).includes(action);
}

function hidden(name: string, value: string): string {
  return `<input type="hidden" name="${name}" value="${escapeHtml(value)}">`;
}

function button(action: OrganizationAction, label: string, accessibleName: string): string {
  return `<button type="submit" name="action" value="${action}" aria-label="${escapeHtml(accessibleName)}">${label}</button>`;
}

function roleSelect(roles: readonly EmulatorRole[], label: string, selected?: string): string {
  const options = roles.map(
    (role) =>
      `<option value="${escapeHtml(role.key)}"${role.key === selected ? " selected" : ""}>${escapeHtml(role.name)}</option>`,
  );
  return `<label>${escapeHtml(label)} <select name="role">${options.join("")}</select></label>`;
}

function userName(context: EmulatorContext, userId: string): string {
  const user = context.users.get(userId);
  return (user && fullName(user)) ?? userId;
}

function memberItem(
  context: EmulatorContext,
  org: EmulatorOrganization,
  entry: EmulatorMembership,
) {
  const name = userName(context, entry.userId);
  const where = `${name} in ${org.name}`;
  return `<li data-membership-id="${escapeHtml(entry.id)}"><form method="post" action="/__admin">
${hidden("org_id", org.id)}${hidden("user_id", entry.userId)}
<strong>${escapeHtml(name)}</strong>
${roleSelect(context.organizations.roles(), `Role of ${where}`, entry.role)}
${button("set-role", "Change role", `Change role of ${where}`)}
${button("remove-member", "Remove", `Remove ${name} from ${org.name}`)}
</form></li>`;
}

function organizationSection(context: EmulatorContext, org: EmulatorOrganization): string {
  const store = context.organizations;
  const members = store.memberships({ organizationId: org.id });
  const outsiders = context.users.list().filter((user) => !store.membership(org.id, user.id));
  const candidates = outsiders.map(
    (user) =>
      `<option value="${escapeHtml(user.id)}">${escapeHtml(userName(context, user.id))}</option>`,
  );
  const add =
    outsiders.length === 0
      ? ""
      : `<form method="post" action="/__admin">${hidden("org_id", org.id)}
<label>New member of ${escapeHtml(org.name)} <select name="user_id">${candidates.join("")}</select></label>
${roleSelect(store.roles(), `Role of the new member of ${org.name}`, "org:member")}
<p>${button("add-member", "Add member", `Add member to ${org.name}`)}</p>
</form>`;
  return `<section data-org-id="${escapeHtml(org.id)}">
<h2>${escapeHtml(org.name)} <code>${escapeHtml(org.slug)}</code></h2>
<p><code>${escapeHtml(org.id)}</code>, ${members.length} members</p>
<ul>
${members.map((entry) => memberItem(context, org, entry)).join("\n")}
</ul>
${add}
<form method="post" action="/__admin">${hidden("org_id", org.id)}
<label>Name of ${escapeHtml(org.name)} <input name="name" value="${escapeHtml(org.name)}"></label>
<p>${button("rename-org", "Rename", `Rename ${org.name}`)} ${button("delete-org", "Delete", `Delete ${org.name}`)}</p>
</form>
</section>`;
}

function roleForm(context: EmulatorContext, role: EmulatorRole): string {
  const boxes = context.organizations.permissions().map((permission) => {
    const checked = role.permissions.includes(permission.key) ? " checked" : "";
    return `<label><input type="checkbox" name="permission" value="${escapeHtml(permission.key)}"${checked}> <code>${escapeHtml(permission.key)}</code></label>`;
  });
  return `<form method="post" action="/__admin">${hidden("role", role.key)}
<fieldset><legend>${escapeHtml(role.name)} <code>${escapeHtml(role.key)}</code></legend>
${boxes.join("\n")}
</fieldset>
<p>${button("set-permissions", "Save permissions", `Save permissions of ${role.name}`)}</p>
</form>`;
}

export function renderOrganizations(context: EmulatorContext): string {
  const store = context.organizations;
  if (!store.enabled) return "";
  return `<h2>Organizations</h2>
${store
  .organizations()
  .map((org) => organizationSection(context, org))
  .join("\n")}
<h2>Roles</h2>
${store
  .roles()
  .map((role) => roleForm(context, role))
  .join("\n")}`;
}

export type OrganizationOutcome =
  | { subject: string; delivery: WebhookDelivery | null }
  | { status: number; message: string };

/** Applies one posted change; an unknown organization, user or role changes nothing. */
export async function applyOrganizationAction(
  context: EmulatorContext,
  action: OrganizationAction,
  form: URLSearchParams,
): Promise<OrganizationOutcome> {
  const store = context.organizations;
  const field = (name: string) => form.get(name) ?? "";
  if (action === "set-permissions") {
    const role = store.role(field("role"));
    if (!role) return { status: 404, message: "No such role" };
    const known = new Set(store.permissions().map((permission) => permission.key));
    if (form.getAll("permission").some((key) => !known.has(key))) {
      return { status: 400, message: "No such permission" };
    }
    const delivery = await updateRole(context, role.key, {
      permissions: form.getAll("permission"),
    });
    return { subject: role.name, delivery };
  }
  const org = store.organization(field("org_id"));
  if (!org) return { status: 404, message: "No such organization" };
  if (action === "rename-org" || action === "delete-org") {
    const subject = org.name;
    const name = field("name").trim();
    if (action === "rename-org" && name === "")
      return { status: 400, message: "A name is required" };
    const delivery =
      action === "rename-org"
        ? await updateOrganization(context, org.id, { name })
        : await deleteOrganization(context, org.id);
    return { subject, delivery };
  }
  const userId = field("user_id");
  if (!context.users.get(userId)) return { status: 404, message: "No such user" };
  const isMember = store.membership(org.id, userId) !== undefined;
  if (isMember === (action === "add-member")) {
    return { status: 400, message: isMember ? "Already a member" : "Not a member" };
  }
  const role = field("role");
  if (action !== "remove-member" && !store.role(role))
    return { status: 400, message: "No such role" };
  const subject = `${userName(context, userId)} in ${org.name}`;
  const delivery =
    action === "add-member"
      ? await addMembership(context, { organizationId: org.id, userId, role })
      : action === "set-role"
        ? await updateMembership(context, org.id, userId, { role })
        : await removeMembership(context, org.id, userId);
  return { subject, delivery };
}
