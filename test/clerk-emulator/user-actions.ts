import type { EmulatorContext } from "./context";
import type { EmulatorUser, EmulatorUserPatch, WebhookDelivery } from "./types";
import {
  type WebhookEvent,
  deliverWebhook,
  userDeletedEvent,
  userUpdatedEvent,
  webhookKey,
} from "./webhooks";

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
  context.grants.revokeUser(id);
  return announce(context, userDeletedEvent(id));
}

/** Checks a target's secret up front, so a typo fails at start-up instead of at the first event. */
export function checkedTarget<T extends { secret: string } | null | undefined>(target: T): T {
  if (target) webhookKey(target.secret);
  return target;
}
