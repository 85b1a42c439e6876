/**
 * JSON text a connector already has (for instance the raw upstream record, serialised as it
 * arrived), passed where a value is expected. The sync stores the text as is instead of
 * serialising the value again; anywhere else it serialises as the value it encodes.
 */
export class RawJson {
  constructor(readonly json: string) {}

  toJSON(): unknown {
    return JSON.parse(this.json);
  }
}

/** The JSON text of a value, using a RawJson's own text when given one. */
export function jsonText(value: unknown): string {
  return value instanceof RawJson ? value.json : JSON.stringify(value);
}
