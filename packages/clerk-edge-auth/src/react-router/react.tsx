import { useLocation, useRouteLoaderData, useSubmit } from "react-router";
import { createAuthComponents } from "../react/client.js";

export * from "../browser.js";
export type { ShowProps } from "../react/client.js";

/** Clerk-shaped hooks and components for React Router 8 (browser-safe: no server code behind them). */
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
