/** Encodes bytes as unpadded base64url (RFC 4648 §5), the alphabet OAuth uses for state and PKCE. */
export function encodeBase64Url(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}
