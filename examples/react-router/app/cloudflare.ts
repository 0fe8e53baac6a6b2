import type { AuthBindings } from "clerk-edge-auth";
import { createContext } from "react-router";

/** The Worker's bindings and execution context, for loaders that need them beyond auth. */
export const cloudflareContext = createContext<{ env: AuthBindings; ctx: ExecutionContext }>();
