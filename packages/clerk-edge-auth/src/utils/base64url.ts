/** Encodes bytes as unpadded base64url (RFC 4648 §5), the alphabet OAuth uses for state and PKCE. */
export function encodeBase64Url(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** Decodes standard base64 (as in `whsec_` secrets and Svix signatures); null when it is not base64. */
export function decodeBase64(text: string): Uint8Array<ArrayBuffer> | null {
  try {
    return Uint8Array.from(atob(text), (char) => char.charCodeAt(0));
  } catch {
    return null;
  }
}

/** Decodes unpadded base64url; null when it is not base64url. */
export function decodeBase64Url(text: string): Uint8Array<ArrayBuffer> | null {
  return /^[A-Za-z0-9_-]*$/.test(text)
    ? decodeBase64(text.replace(/-/g, "+").replace(/_/g, "/"))
    : null;
}
