import { decodeBase64Url, encodeBase64Url } from "../utils/base64url.js";

/** The columns of `sessions` that hold Clerk's tokens, sealed at rest. */
export type TokenColumn = "access_token" | "refresh_token" | "id_token";

/** Marks a sealed value; no JWT or opaque Clerk token starts with it (`:` is in neither alphabet). */
const SEALED_PREFIX = "sealed:v1:";
/** HKDF's purpose label: keys for this use only, never the cookie-signing key itself. */
const PURPOSE = "clerk-edge-auth/session-tokens/v1";
const SALT = "clerk-edge-auth";
const IV_BYTES = 12;
/** Far more secrets than any rotation keeps at once; the cap only bounds memory. */
const MAX_CACHED_KEYS = 16;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

interface SealKeys {
  /** AES-256-GCM: encrypts and authenticates the token. */
  aes: CryptoKey;
  /** HMAC-SHA256: derives each value's IV from what it seals (see `seal`). */
  iv: CryptoKey;
}

const keys = new Map<string, Promise<SealKeys>>();

/** The sealing keys of one session secret, derived once per isolate with HKDF-SHA256. */
function sealKeys(secret: string): Promise<SealKeys> {
  let derived = keys.get(secret);
  if (!derived) {
    if (keys.size >= MAX_CACHED_KEYS) keys.clear();
    derived = (async () => {
      const material = await crypto.subtle.importKey("raw", encoder.encode(secret), "HKDF", false, [
        "deriveBits",
      ]);
      const bits = new Uint8Array(
        await crypto.subtle.deriveBits(
          {
            name: "HKDF",
            hash: "SHA-256",
            salt: encoder.encode(SALT),
            info: encoder.encode(PURPOSE),
          },
          material,
          512,
        ),
      );
      const [aes, iv] = await Promise.all([
        crypto.subtle.importKey("raw", bits.slice(0, 32), "AES-GCM", false, ["encrypt", "decrypt"]),
        crypto.subtle.importKey("raw", bits.slice(32), { name: "HMAC", hash: "SHA-256" }, false, [
          "sign",
        ]),
      ]);
      return { aes, iv };
    })();
    keys.set(secret, derived);
    derived.catch(() => keys.delete(secret));
  }
  return derived;
}

/** Binds a sealed value to its row and column: moved anywhere else, it does not open. */
const associatedData = (idHash: string, column: TokenColumn) =>
  encoder.encode(`${column}\n${idHash}`);

/**
 * Seals with a synthetic IV, the HMAC of the row, column and token: the same token in the same
 * place seals to the same text, so the authority's compare-and-swap statements (`refresh_token
 * = ?`) still work on sealed values, and an IV repeats only with its plaintext, which leaks
 * nothing but that equality.
 */
async function seal(secret: string, idHash: string, column: TokenColumn, token: string) {
  const { aes, iv: ivKey } = await sealKeys(secret);
  const data = associatedData(idHash, column);
  const plain = encoder.encode(token);
  const mac = new Uint8Array(
    await crypto.subtle.sign("HMAC", ivKey, new Uint8Array([...data, 0, ...plain])),
  );
  const iv = mac.slice(0, IV_BYTES);
  const sealed = new Uint8Array(
    await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: data }, aes, plain),
  );
  const out = new Uint8Array(IV_BYTES + sealed.length);
  out.set(iv);
  out.set(sealed, IV_BYTES);
  return SEALED_PREFIX + encodeBase64Url(out);
}

async function open(secret: string, idHash: string, column: TokenColumn, bytes: Uint8Array) {
  const { aes } = await sealKeys(secret);
  try {
    const plain = await crypto.subtle.decrypt(
      {
        name: "AES-GCM",
        iv: bytes.slice(0, IV_BYTES),
        additionalData: associatedData(idHash, column),
      },
      aes,
      bytes.slice(IV_BYTES),
    );
    return decoder.decode(plain);
  } catch {
    return null;
  }
}

/**
 * Clerk's tokens sealed at rest under keys derived from the session secrets: the first secret
 * seals, every listed one opens, so prepending a new secret keeps every session; a value sealed
 * under a secret no longer listed does not open, and its session reads as signed out.
 */
export function tokenSeal(secrets: string[]) {
  return {
    /** The token as stored: sealed under the first secret. */
    seal(idHash: string, column: TokenColumn, token: string): Promise<string> {
      return seal(secrets[0] ?? "", idHash, column, token);
    },

    /**
     * Every form in which a row may hold `token`: sealed under each listed secret, and as is (a
     * row written before tokens were sealed). For conditions such as `refresh_token IN (…)`.
     */
    storedForms(idHash: string, column: TokenColumn, token: string): Promise<string[]> {
      return Promise.all(secrets.map((secret) => seal(secret, idHash, column, token))).then(
        (sealed) => [...sealed, token],
      );
    },

    /**
     * The token a column holds: null when it holds none, as is when it was written before tokens
     * were sealed (it is sealed at its next change), and undefined when it is sealed under no
     * listed secret (or was moved from another row or column).
     */
    async open(
      idHash: string,
      column: TokenColumn,
      stored: unknown,
    ): Promise<string | null | undefined> {
      if (typeof stored !== "string" || stored === "") return null;
      if (!stored.startsWith(SEALED_PREFIX)) return stored;
      const bytes = decodeBase64Url(stored.slice(SEALED_PREFIX.length));
      if (bytes === null || bytes.length <= IV_BYTES) return undefined;
      for (const secret of secrets) {
        const token = await open(secret, idHash, column, bytes);
        if (token !== null) return token;
      }
      return undefined;
    },
  };
}

export type TokenSeal = ReturnType<typeof tokenSeal>;
