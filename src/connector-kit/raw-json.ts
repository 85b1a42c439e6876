/**
 * JSON text a connector already has (for instance the raw upstream record, serialised as it
 * arrived), passed where a value is expected. The sync stores the text as is instead of
 * serialising the value again; anywhere else it serialises as the value it encodes.
 */
export class RawJson {
  private constructor(private readonly text: () => string) {}

  static of(json: string): RawJson {
    return new RawJson(() => json);
  }

  /** A JSON array of elements that are JSON text each; joined only when needed, so never held twice. */
  static array(elements: string[]): RawJson {
    return new RawJson(() => `[${elements.join(',')}]`);
  }

  get json(): string {
    return this.text();
  }

  toJSON(): unknown {
    return JSON.parse(this.json);
  }
}

/** The JSON text of a value, using a RawJson's own text when given one. */
export function jsonText(value: unknown): string {
  return value instanceof RawJson ? value.json : JSON.stringify(value);
}
