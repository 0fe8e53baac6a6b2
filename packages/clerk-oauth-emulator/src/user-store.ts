import { initialsAvatar } from "./avatar";
import { randomId } from "./http";
import type { EmulatorEmailAddress, EmulatorUser } from "./types";

export interface UserStore {
  get(id: string): EmulatorUser | undefined;
  list(): EmulatorUser[];
  findByEmail(email: string): EmulatorUser | undefined;
  findByUsername(username: string): EmulatorUser | undefined;
  createWithEmail(email: string, now: number): EmulatorUser;
  delete(id: string): boolean;
}

export function primaryEmail(user: EmulatorUser): EmulatorEmailAddress | undefined {
  return user.emailAddresses.find((address) => address.id === user.primaryEmailAddressId);
}

export function fullName(user: EmulatorUser): string | null {
  const name = [user.firstName, user.lastName].filter(Boolean).join(" ");
  return name === "" ? null : name;
}

/** Records are owned by one emulator instance; callers mutate them in place to mimic Clerk edits. */
export function createUserStore(seed: readonly EmulatorUser[]): UserStore {
  const users = new Map<string, EmulatorUser>(seed.map((user) => [user.id, structuredClone(user)]));
  return {
    get: (id) => users.get(id),
    delete: (id) => users.delete(id),
    list: () => [...users.values()],
    findByEmail(email) {
      const wanted = email.trim().toLowerCase();
      return [...users.values()].find((user) =>
        user.emailAddresses.some((address) => address.emailAddress.toLowerCase() === wanted),
      );
    },
    findByUsername(username) {
      const wanted = username.toLowerCase();
      return [...users.values()].find((user) => user.username?.toLowerCase() === wanted);
    },
    createWithEmail(email, now) {
      const emailId = randomId("idn");
      const user: EmulatorUser = {
        id: randomId("user"),
        firstName: null,
        lastName: null,
        username: null,
        emailAddresses: [{ id: emailId, emailAddress: email.trim().toLowerCase(), verified: true }],
        primaryEmailAddressId: emailId,
        imageUrl: initialsAvatar(email),
        publicMetadata: {},
        privateMetadata: {},
        unsafeMetadata: {},
        banned: false,
        locked: false,
        lastSignInAt: null,
        createdAt: now,
        updatedAt: now,
      };
      users.set(user.id, user);
      return user;
    },
  };
}
