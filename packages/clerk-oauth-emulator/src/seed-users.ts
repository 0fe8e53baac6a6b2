import { initialsAvatar } from "./avatar";
import type { EmulatorUser, Metadata } from "./types";

interface SeedSpec {
  id: string;
  emailId: string;
  firstName: string;
  lastName: string;
  username: string | null;
  email: string;
  publicMetadata: Metadata;
  privateMetadata: Metadata;
  unsafeMetadata: Metadata;
  createdAt: number;
}

function seedUser(spec: SeedSpec): EmulatorUser {
  return {
    id: spec.id,
    firstName: spec.firstName,
    lastName: spec.lastName,
    username: spec.username,
    emailAddresses: [{ id: spec.emailId, emailAddress: spec.email, verified: true }],
    primaryEmailAddressId: spec.emailId,
    imageUrl: initialsAvatar(`${spec.firstName} ${spec.lastName}`),
    publicMetadata: spec.publicMetadata,
    privateMetadata: spec.privateMetadata,
    unsafeMetadata: spec.unsafeMetadata,
    banned: false,
    locked: false,
    lastSignInAt: null,
    createdAt: spec.createdAt,
    updatedAt: spec.createdAt,
  };
}

/** Fixed ids so tests, fixtures and a developer's notes can refer to the same people. */
export const SEED_USERS: readonly EmulatorUser[] = Object.freeze([
  seedUser({
    id: "user_2d7LcA5PWzP89aqvmJHv210fuRJ",
    emailId: "idn_2976jM2ga3IHUCpUa3kGwM3wPTL",
    firstName: "Ada",
    lastName: "Lovelace",
    username: "ada",
    email: "ada@example.com",
    publicMetadata: { role: "admin" },
    privateMetadata: { billingPlan: "analytical-engine" },
    unsafeMetadata: { theme: "dark" },
    createdAt: Date.UTC(2024, 0, 15, 9, 30),
  }),
  seedUser({
    id: "user_2CD169wdUKuqtJAperyNpCxdLKb",
    emailId: "idn_2s4p8aSm4B5vYTgZxEDvu1WckzQ",
    firstName: "Grace",
    lastName: "Hopper",
    username: "grace",
    email: "grace@example.com",
    publicMetadata: {},
    privateMetadata: {},
    unsafeMetadata: {},
    createdAt: Date.UTC(2024, 2, 3, 14, 0),
  }),
  seedUser({
    id: "user_2xXG5TUcaFfmvLuDecjyd3UGqgZ",
    emailId: "idn_2W4xN1Yk0r4DRk9DIwyF03Ag1M9",
    firstName: "Alan",
    lastName: "Turing",
    username: null,
    email: "alan@example.com",
    publicMetadata: {},
    privateMetadata: {},
    unsafeMetadata: {},
    createdAt: Date.UTC(2024, 5, 23, 8, 45),
  }),
]);

/** A value tests plant in backend-only fields, to prove it never reaches a browser. */
export const BACKEND_ONLY_MARKER = "backend-only-marker-7f3a";

function edgeUser(id: string, patch: Partial<EmulatorUser>): EmulatorUser {
  const base = seedUser({
    id,
    emailId: `idn_${id.slice(5)}`,
    firstName: "Edge",
    lastName: "Case",
    username: null,
    email: `${id.slice(5).toLowerCase()}@example.com`,
    publicMetadata: {},
    privateMetadata: {},
    unsafeMetadata: {},
    createdAt: Date.UTC(2024, 0, 1),
  });
  return { ...base, ...patch };
}

/**
 * Users that Clerk's Backend API spec allows but that are easy to mishandle: not seeded by
 * default, so pass them as `users: [...SEED_USERS, ...EDGE_USERS]`.
 */
export const EDGE_USERS: readonly EmulatorUser[] = Object.freeze([
  // The smallest int64 JSON can carry exactly: far outside what a JavaScript Date holds.
  edgeUser("user_edgeMinCreatedAt", { createdAt: -9007199254740991 }),
  edgeUser("user_edgeNoEmails", { emailAddresses: [], primaryEmailAddressId: null }),
  // An empty id is sent without one (`id` is optional in the spec).
  edgeUser("user_edgeEmailWithoutId", {
    emailAddresses: [{ id: "", emailAddress: "no-id@example.com", verified: false }],
    primaryEmailAddressId: null,
  }),
  edgeUser("user_edgeMarked", {
    privateMetadata: { note: BACKEND_ONLY_MARKER },
    unsafeMetadata: { note: BACKEND_ONLY_MARKER },
    banned: false,
    locked: false,
  }),
]);
