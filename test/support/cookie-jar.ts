export interface SetCookie {
  name: string;
  value: string;
  /** Attribute names in lower case; flags such as HttpOnly map to "". */
  attributes: Map<string, string>;
}

/** Splits one Set-Cookie header into its name, value and attributes. */
export function parseSetCookie(header: string): SetCookie {
  const [pair = "", ...parts] = header.split(";").map((part) => part.trim());
  const separator = pair.indexOf("=");
  const attributes = new Map<string, string>();
  for (const part of parts) {
    const [key = "", ...rest] = part.split("=");
    attributes.set(key.toLowerCase(), rest.join("="));
  }
  return { name: pair.slice(0, separator), value: pair.slice(separator + 1), attributes };
}

/** A minimal browser cookie jar for one origin: enough to carry cookies between test requests. */
export class CookieJar {
  private readonly cookies = new Map<string, string>();

  /** Applies every Set-Cookie of a response: a value sets, an expiry in the past or Max-Age=0 removes. */
  absorb(response: Response): void {
    for (const header of response.headers.getSetCookie()) {
      const { name, value, attributes } = parseSetCookie(header);
      const maxAge = attributes.get("max-age");
      const expires = attributes.get("expires");
      const expired =
        (maxAge !== undefined && Number(maxAge) <= 0) ||
        (expires !== undefined && Date.parse(expires) <= Date.now());
      if (expired || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  get(name: string): string | undefined {
    return this.cookies.get(name);
  }

  set(name: string, value: string): void {
    this.cookies.set(name, value);
  }

  delete(name: string): void {
    this.cookies.delete(name);
  }

  names(): string[] {
    return [...this.cookies.keys()];
  }

  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }
}

/** Finds one Set-Cookie header of a response by cookie name. */
export function setCookieFor(response: Response, name: string): string | undefined {
  return response.headers.getSetCookie().find((header) => header.startsWith(`${name}=`));
}
