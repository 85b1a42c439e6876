import { AsyncLocalStorage } from 'node:async_hooks';
import { HubError } from './errors';

/** What a redacted credential is replaced with. */
export const REDACTED = '[REDACTED]';
/** Shorter values are not redacted: "on" or "12" would blank out ordinary text and hide nothing. */
export const MIN_REDACTED_LENGTH = 4;
/** Yes/no answers (Atlassian's guard_enabled is stored as "true"/"false") are words, not secrets. */
const FLAGS = new Set(['true', 'false', 'yes', 'no']);

/** One case-insensitive pattern for the needles, longest first; `token`: only where no letter or digit touches them. */
function alternation(needles: string[], mode: '' | 'token'): RegExp | null {
  const usable = needles.filter((n) => n.length >= MIN_REDACTED_LENGTH).sort((x, y) => y.length - x.length);
  if (!usable.length) return null;
  const body = usable.map(escapeRegExp).join('|');
  return new RegExp(mode === 'token' ? `(?<![A-Za-z0-9])(?:${body})(?![A-Za-z0-9])` : body, 'gi');
}
/**
 * Any run of this many consecutive characters of a secret is redacted too, so an upstream that
 * quotes a token cut short ("key=sim-admin-to…") or glued to other text gives nothing away.
 */
export const SECRET_WINDOW = 8;

export interface RedactedValue {
  value: string;
  /** Secret values are also redacted by any SECRET_WINDOW-long piece of them. */
  secret: boolean;
}

/**
 * Removes the credentials of one account from text the hub writes or returns: each value of length
 * ≥ MIN_REDACTED_LENGTH as given, URL-encoded, JSON-escaped and base64 (the forms the hub or a
 * connector may have put into a URL, body or header such as Basic auth, including `a:b` pairs), and
 * any SECRET_WINDOW-long piece of a secret value. Values that are not secret go only as whole
 * tokens, and yes/no flags not at all. Case-insensitive; over-redacting is the safe side.
 */
export class Redactor {
  static readonly none = new Redactor([]);

  private compiled?: { anywhere: RegExp | null; tokens: RegExp | null; windows: Set<string> };

  /** Cheap to make: the patterns are built on first use (most scopes never redact anything). */
  constructor(readonly values: readonly RedactedValue[]) {}

  private compile(): { anywhere: RegExp | null; tokens: RegExp | null; windows: Set<string> } {
    if (this.compiled) return this.compiled;
    const usable = this.values.filter((v) => v.value.length >= MIN_REDACTED_LENGTH && !FLAGS.has(v.value.toLowerCase()));
    const anywhere = new Set<string>();
    const tokens = new Set<string>();
    for (const { value, secret } of usable) {
      for (const form of encodedForms(value)) (secret ? anywhere : tokens).add(form);
    }
    // Basic auth and similar: `user:password` base64-encoded, for every pair of values.
    for (const a of usable) {
      anywhere.add(base64(`${a.value}:`));
      for (const b of usable) if (a !== b) anywhere.add(base64(`${a.value}:${b.value}`));
    }
    const windows = new Set<string>();
    for (const { value, secret } of usable) {
      if (!secret) continue;
      const lower = value.toLowerCase();
      for (let i = 0; i + SECRET_WINDOW <= lower.length; i++) windows.add(lower.slice(i, i + SECRET_WINDOW));
    }
    // A secret is removed wherever it stands; a value that is not secret (a customer code, an org id,
    // a site) only as a whole token, so "1234" inside "/v1/12345" or a word inside a sentence stays.
    this.compiled = { anywhere: alternation([...anywhere], ''), tokens: alternation([...tokens], 'token'), windows };
    return this.compiled;
  }

  /** Every credential field's value; the fields named in `secretFields` (default: all) are secret. */
  static forCredentials(credentials: Record<string, string>, secretFields?: Iterable<string>): Redactor {
    const secret = secretFields ? new Set(secretFields) : null;
    return new Redactor(
      Object.entries(credentials)
        .filter(([, value]) => typeof value === 'string')
        .map(([name, value]) => ({ value, secret: secret ? secret.has(name) : true })),
    );
  }

  /** This redactor and another one's values together (a scope opened inside another). */
  with(other: Redactor): Redactor {
    if (other === Redactor.none || other === this) return this;
    if (this === Redactor.none) return other;
    return new Redactor([...this.values, ...other.values]);
  }

  redact(text: string): string;
  redact(text: string | undefined): string | undefined;
  redact(text: string | undefined): string | undefined {
    if (!text || this.values.length === 0) return text;
    const { anywhere, tokens, windows } = this.compile();
    const marks: [number, number][] = [];
    if (anywhere) for (const match of text.matchAll(anywhere)) marks.push([match.index, match.index + match[0].length]);
    if (windows.size && text.length >= SECRET_WINDOW) {
      const lower = text.toLowerCase();
      for (let i = 0; i + SECRET_WINDOW <= lower.length; i++) {
        if (windows.has(lower.slice(i, i + SECRET_WINDOW))) marks.push([i, i + SECRET_WINDOW]);
      }
    }
    if (tokens) {
      // Whole tokens, with what the secrets covered blanked first: a value glued to a secret is a token too.
      let masked = text;
      for (const [from, to] of marks) masked = masked.slice(0, from) + ' '.repeat(to - from) + masked.slice(to);
      for (const match of masked.matchAll(tokens)) marks.push([match.index, match.index + match[0].length]);
    }
    if (!marks.length) return text;
    marks.sort((a, b) => a[0] - b[0]);
    // Overlapping or touching marks become one [REDACTED].
    let out = '';
    let copied = 0;
    let [start, end] = marks[0]!;
    for (const [from, to] of marks) {
      if (from <= end) {
        end = Math.max(end, to);
        continue;
      }
      out += text.slice(copied, start) + REDACTED;
      copied = end;
      [start, end] = [from, to];
    }
    out += text.slice(copied, start) + REDACTED + text.slice(end);
    return out;
  }

  /** Strings anywhere inside a JSON-like value (error details), redacted; other values kept. */
  redactDeep<T>(value: T): T {
    if (typeof value === 'string') return this.redact(value) as T;
    if (Array.isArray(value)) return value.map((v) => this.redactDeep(v)) as T;
    if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.redactDeep(v)])) as T;
    }
    return value;
  }

  /**
   * The error as it may leave the scope: a HubError rebuilt with its message and details redacted
   * (its cause dropped: it may hold the raw upstream answer), any other error's message and stack
   * redacted in place.
   */
  error(error: unknown): unknown {
    if (this === Redactor.none) return error;
    if (error instanceof HubError) {
      const message = this.redact(error.message);
      const details = error.details ? this.redactDeep(error.details) : undefined;
      if (message === error.message && JSON.stringify(details) === JSON.stringify(error.details) && error.cause === undefined) return error;
      return new HubError(error.code, message, { details, retryAfterSeconds: error.retryAfterSeconds });
    }
    if (error instanceof Error) {
      error.message = this.redact(error.message);
      if (error.stack) error.stack = this.redact(error.stack);
    }
    return error;
  }
}

const scope = new AsyncLocalStorage<Redactor>();

/**
 * Runs `work` in a redaction scope: text created inside (upstream error messages, log lines) is
 * redacted with `redactor` through `redact()`, and any error leaving the scope is redacted on the
 * way out, so error bodies and stored run errors cannot carry the account's credentials.
 */
export async function withRedaction<T>(redactor: Redactor, work: () => Promise<T>): Promise<T> {
  const combined = (scope.getStore() ?? Redactor.none).with(redactor);
  return scope.run(combined, async () => {
    try {
      return await work();
    } catch (error) {
      throw combined.error(error);
    }
  });
}

/** The redactor of the scope in play (none outside any scope). */
export function currentRedactor(): Redactor {
  return scope.getStore() ?? Redactor.none;
}

/** `text` with the credentials of the account in play removed. */
export function redact(text: string): string;
export function redact(text: string | undefined): string | undefined;
export function redact(text: string | undefined): string | undefined {
  return currentRedactor().redact(text);
}

function encodedForms(value: string): string[] {
  const forms = [value, encodeURIComponent(value), JSON.stringify(value).slice(1, -1), base64(value), Buffer.from(value, 'utf8').toString('base64url')];
  // base64 without its padding, as it appears when glued into a longer encoded string.
  forms.push(base64(value).replace(/=+$/, ''));
  return forms;
}

function base64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
