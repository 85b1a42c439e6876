import { Injectable } from '@nestjs/common';

/**
 * What the upstream HTTP client tells observers about its own reads (syncs, credential tests,
 * live reads): one event per attempt and per retry. Labels are the upstream's name, an HTTP status
 * or a hub error code: never a URL, a header or a customer's identifier.
 */
export type UpstreamEvent =
  /** One attempt ended: `outcome` is the HTTP status the upstream answered, or the hub error code when it did not (UPSTREAM_TIMEOUT…). */
  | { kind: 'attempt'; service: string; outcome: string; durationMs: number }
  /** A failed attempt is tried again; `reason` is its hub error code. */
  | { kind: 'retry'; service: string; reason: string };

export type UpstreamListener = (event: UpstreamEvent) => void;

/**
 * The kit's side of observability: the hub's metrics subscribe here, so neither the HTTP client nor
 * any connector imports anything of the hub to be measured. A listener that throws is ignored: an
 * observer must never fail a read.
 */
@Injectable()
export class UpstreamTelemetry {
  private readonly listeners = new Set<UpstreamListener>();

  /** Adds `listener`; the returned function removes it. */
  subscribe(listener: UpstreamListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: UpstreamEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // see the class comment
      }
    }
  }
}
