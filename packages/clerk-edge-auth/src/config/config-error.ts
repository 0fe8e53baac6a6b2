/**
 * A binding is missing or malformed. The message names the binding, what it should look like and
 * how to set it; it never contains the binding's value, because the value may be a secret.
 */
export class ConfigError extends Error {
  override readonly name = "ConfigError";

  constructor(
    readonly binding: string,
    readonly problem: string,
    readonly howToSet: string,
  ) {
    super(`${binding} ${problem}. ${howToSet}`);
  }
}
