/** Deepest nesting of objects and arrays a JSON body may have. The hub's own bodies need 3. */
export const MAX_JSON_DEPTH = 32;

/**
 * Throws when the raw JSON text nests objects/arrays deeper than `max`. Run on the bytes before
 * JSON.parse: validation (class-transformer, class-validator) recurses, and a few thousand levels
 * overflow its stack. Brackets inside strings do not count; a quote preceded by a backslash does
 * not end a string. Invalid JSON is left for the parser to report.
 */
export function assertJsonDepth(bytes: Uint8Array, max = MAX_JSON_DEPTH): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i];
    if (inString) {
      if (byte === 0x5c) i++; // backslash: skip the escaped character
      else if (byte === 0x22) inString = false;
    } else if (byte === 0x22) {
      inString = true;
    } else if (byte === 0x7b || byte === 0x5b) {
      if (++depth > max) throw new JsonTooDeepError(max);
    } else if (byte === 0x7d || byte === 0x5d) {
      depth--;
    }
  }
}

export class JsonTooDeepError extends Error {
  /** body-parser keeps `type`, which is how the body middleware recognises this failure. */
  readonly type = 'entity.too.deep';
  constructor(readonly max: number) {
    super(`The request body nests objects or arrays more than ${max} levels deep.`);
  }
}
