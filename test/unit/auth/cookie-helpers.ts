export interface SetCookie {
  name: string;
  value: string;
  /** Attribute names in lower case; flags such as HttpOnly map to "". */
  attributes: Map<string, string>;
}

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

/** One browser's cookies: applies Set-Cookie headers and builds the Cookie header. */
export class CookieJar {
  private readonly cookies = new Map<string, string>();

  apply(setCookie: string | null): void {
    if (setCookie === null) return;
    const { name, value, attributes } = parseSetCookie(setCookie);
    if (attributes.get("max-age") === "0") this.cookies.delete(name);
    else this.cookies.set(name, value);
  }

  names(): string[] {
    return [...this.cookies.keys()];
  }

  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }
}
