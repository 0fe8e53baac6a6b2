import { createContext, useContext } from "react";

/**
 * The CSP nonce of this document response, set by entry.server. In the browser it is empty:
 * browsers hide nonce attributes from scripts, and hydration does not need it.
 */
const NonceContext = createContext("");

export const NonceProvider = NonceContext.Provider;

export function useNonce(): string {
  return useContext(NonceContext);
}
