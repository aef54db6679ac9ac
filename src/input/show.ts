/**
 * A value as an error message shows it: what the caller passed, recognisable and short. NaN
 * and the infinities read as themselves (JSON would print `null`), long strings are cut with
 * their length said, and objects are named by their shape rather than dumped.
 */

/** Longest string shown whole, in characters; longer ones are cut to this and marked. */
export const SHOWN_TEXT = 60;

/** `value` for an error message, at most about `SHOWN_TEXT` characters plus a note. */
export function showValue(value: unknown): string {
  switch (typeof value) {
    case "undefined":
      return "undefined";
    case "number":
      return Object.is(value, -0) ? "-0" : String(value);
    case "bigint":
      return `${value}n`;
    case "boolean":
      return String(value);
    case "string":
      return showText(value);
    case "symbol":
      return showText(value.toString());
    case "function":
      return value.name === "" ? "a function" : `a function (${showText(value.name)})`;
    case "object":
      if (value === null) return "null";
      if (Array.isArray(value)) return `an array of ${value.length}`;
      return objectName(value);
  }
  return "a value";
}

/** A string quoted as JSON, cut to `SHOWN_TEXT` characters with its full length noted. */
export function showText(text: string): string {
  if (text.length <= SHOWN_TEXT) return JSON.stringify(text);
  // Cut on a code point boundary so the quoted excerpt stays valid text.
  let cut = SHOWN_TEXT;
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut--;
  return `${JSON.stringify(text.slice(0, cut))}... (${text.length} characters)`;
}

function objectName(value: object): string {
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto === null || proto === Object.prototype) {
    const keys = Object.keys(value);
    if (keys.length === 0) return "{}";
    const shown = keys.slice(0, 4).map((k) => (/^[A-Za-z_$][\w$]*$/.test(k) && k.length <= 30 ? k : showText(k)));
    return `{ ${shown.join(", ")}${keys.length > 4 ? ", ..." : ""} }`;
  }
  const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
  return typeof name === "string" && name !== "" ? `a ${name.length > 40 ? `${name.slice(0, 40)}...` : name}` : "an object";
}
