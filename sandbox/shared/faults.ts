import { seededRandom } from './random';

/** What the simulator does with one request instead of (or on top of) answering it normally. */
export type FaultKind = 'ok' | '429' | '429-retry-after' | '500' | '503' | 'reset' | 'malformed' | 'slow' | 'hang' | 'huge' | EchoFault;

/**
 * A careless upstream that quotes the credentials it was sent in its error body ("failed for
 * key=…"), with a 500 or a 401: what the hub must never copy into anything it writes or returns.
 */
export type EchoFault = '500-echo' | '401-echo';

/** The answers a simulator gives in its own error shape. */
export type FaultAnswerKind = '429' | '429-retry-after' | '500' | '503' | EchoFault;

export interface FaultSettings {
  /** Added before every API answer. */
  latencyMs: number;
  /** Requests served at once; more wait in line (0: no limit). */
  maxConcurrent: number;
  rate429: number;
  /** Share of the 429s that carry Retry-After (the rest carry none). */
  retryAfterShare: number;
  retryAfterSeconds: number;
  /** Retry-After as delay-seconds or as an HTTP-date (RFC 9110 allows both). */
  retryAfterFormat: 'seconds' | 'http-date';
  rate500: number;
  rateReset: number;
  rateMalformed: number;
  rateSlow: number;
  slowMs: number;
  /** Megabytes of a `huge` answer: a 200 with that much JSON, streamed chunked (no Content-Length). */
  hugeBodyMb: number;
  /** Seed of the fault dice, so a faulty run can be replayed. */
  seed: number;
  /** Forced outcomes for the next API requests, consumed first in, first out. */
  script: FaultKind[];
}

export const NO_FAULTS: FaultSettings = {
  latencyMs: 0,
  maxConcurrent: 0,
  rate429: 0,
  retryAfterShare: 0.5,
  retryAfterSeconds: 1,
  retryAfterFormat: 'seconds',
  rate500: 0,
  rateReset: 0,
  rateMalformed: 0,
  rateSlow: 0,
  slowMs: 2000,
  hugeBodyMb: 400,
  seed: 1,
  script: [],
};

export interface SimStats {
  requests: number;
  inFlight: number;
  maxInFlight: number;
  outcomes: Record<string, number>;
}

/** Decides each request's fate and limits concurrency, the same way for every simulator. */
export class FaultInjector {
  settings: FaultSettings;
  readonly stats: SimStats = { requests: 0, inFlight: 0, maxInFlight: 0, outcomes: {} };
  private random: () => number;
  private readonly waiting: (() => void)[] = [];

  constructor(settings: Partial<FaultSettings> = {}) {
    this.settings = { ...NO_FAULTS, ...settings, script: [...(settings.script ?? [])] };
    this.random = seededRandom(this.settings.seed);
  }

  update(changes: Partial<FaultSettings>): void {
    this.settings = { ...this.settings, ...changes, script: [...(changes.script ?? this.settings.script)] };
    if (changes.seed !== undefined) this.random = seededRandom(changes.seed);
  }

  resetStats(): void {
    Object.assign(this.stats, { requests: 0, maxInFlight: this.stats.inFlight, outcomes: {} });
  }

  decide(): FaultKind {
    const scripted = this.settings.script.shift();
    const kind = scripted ?? this.roll();
    this.stats.requests += 1;
    this.stats.outcomes[kind] = (this.stats.outcomes[kind] ?? 0) + 1;
    return kind;
  }

  private roll(): FaultKind {
    const s = this.settings;
    let dice = this.random();
    const bands: [number, FaultKind][] = [
      [s.rate429, this.random() < s.retryAfterShare ? '429-retry-after' : '429'],
      [s.rate500, '500'],
      [s.rateReset, 'reset'],
      [s.rateMalformed, 'malformed'],
      [s.rateSlow, 'slow'],
    ];
    for (const [rate, kind] of bands) {
      if (dice < rate) return kind;
      dice -= rate;
    }
    return 'ok';
  }

  retryAfterValue(now = Date.now()): string {
    const { retryAfterSeconds, retryAfterFormat } = this.settings;
    return retryAfterFormat === 'http-date' ? new Date(now + retryAfterSeconds * 1000).toUTCString() : String(retryAfterSeconds);
  }

  /** Runs `work` within the concurrency limit, after the configured latency. */
  async withinLimit<T>(work: () => Promise<T> | T, extraDelayMs = 0): Promise<T> {
    const limit = this.settings.maxConcurrent;
    if (limit > 0 && this.stats.inFlight >= limit) {
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
    this.stats.inFlight += 1;
    this.stats.maxInFlight = Math.max(this.stats.maxInFlight, this.stats.inFlight);
    try {
      const delay = this.settings.latencyMs + extraDelayMs;
      if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
      return await work();
    } finally {
      this.stats.inFlight -= 1;
      this.waiting.shift()?.();
    }
  }
}
