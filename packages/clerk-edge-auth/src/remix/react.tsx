import { useLocation, useRouteLoaderData, useSubmit } from "@remix-run/react";
import { createAuthComponents } from "../react/client.js";

export * from "../browser.js";
export type { ShowProps } from "../react/client.js";

/** Clerk-shaped hooks and components for Remix v2 (browser-safe: no server code behind them). */
export const {
  useUser,
  useAuth,
  useOrganization,
  useOrganizationsEnabled,
  Show,
  SignedIn,
  SignedOut,
  RedirectToSignIn,
} = createAuthComponents({ useLocation, useRouteLoaderData, useSubmit });
