import type { Request, Response } from 'express';
import { PassThrough, Readable } from 'node:stream';
import { HubError } from '../common/errors';

export interface ExchangeLimits {
  /** Whole exchange, upload and download included (HUB_PROXY_TIMEOUT). */
  totalMs: number;
  /** Time to receive the client's body (HUB_PROXY_UPLOAD_TIMEOUT). */
  uploadMs: number;
}

/**
 * One proxied request's lifetime, tied to its client. The upstream request gets `signal`, which
 * aborts when the client goes away (at any point: while the hub looks up the account, before the
 * upstream's headers, mid-body) or when a deadline passes; so no upstream socket is ever left
 * holding a body nobody reads. `done` runs once when the client's response closes, whatever ended
 * it.
 */
export class ProxyExchange {
  private readonly controller = new AbortController();
  private readonly timers: NodeJS.Timeout[] = [];
  /** Set when the client closed before its answer was complete: nothing left to answer. */
  clientGone = false;
  /** The request body as handed upstream (see `bodyFor`), or null for a bodiless request. */
  readonly body: Readable | null;

  constructor(
    private readonly req: Request,
    private readonly res: Response,
    limits: ExchangeLimits,
    hasBody: boolean,
    done: () => void,
  ) {
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      for (const timer of this.timers) clearTimeout(timer);
      done();
    };
    res.once('close', () => {
      if (!res.writableFinished) this.leave('The client closed the connection; the proxied request was abandoned.');
      finish();
    });
    // The client may have left while the hub was still looking up the account: its `close` is past.
    if (req.socket.destroyed || res.destroyed) {
      this.leave('The client closed the connection before the request was sent.');
      finish();
      this.body = null;
      return;
    }
    this.body = hasBody ? this.bodyFor(req) : null;
    this.after(limits.totalMs, () =>
      this.abort(
        new HubError('UPSTREAM_TIMEOUT', `The proxied request did not complete within ${limits.totalMs} ms (HUB_PROXY_TIMEOUT).`, {
          details: { timeout_ms: limits.totalMs },
        }),
      ),
    );
    if (hasBody && !req.complete) {
      const upload = this.after(limits.uploadMs, () => {
        if (req.complete) return;
        // The client is still sending: answer, then close, as the rest of its body is not wanted.
        if (!res.headersSent) res.setHeader('Connection', 'close');
        this.abort(
          new HubError('PROXY_UPLOAD_TIMEOUT', `The request body did not arrive within ${limits.uploadMs} ms (HUB_PROXY_UPLOAD_TIMEOUT); send it faster or in smaller requests.`, {
            details: { timeout_ms: limits.uploadMs },
          }),
        );
      });
      req.once('end', () => clearTimeout(upload));
    }
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Why the exchange was cut short (a HubError), or undefined while it runs. */
  get reason(): HubError | undefined {
    return this.controller.signal.aborted ? (this.controller.signal.reason as HubError) : undefined;
  }

  /**
   * Streams the upstream body to the client with back-pressure (`pipe`). Not `stream.pipeline`: it
   * creates and aborts an AbortController per call, and building that abort's DOMException was 3%
   * of the proxy's CPU. If the upstream cuts the body the status is already sent, so closing the
   * connection is the only honest signal left; if the client goes away the upstream read stops
   * (here and through `signal`).
   */
  relay(body: Readable): Promise<void> {
    const res = this.res;
    if (this.clientGone || res.destroyed) {
      body.destroy();
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      body.once('error', () => {
        res.destroy();
        resolve();
      });
      res.once('close', () => {
        if (!res.writableFinished) body.destroy();
        resolve();
      });
      body.pipe(res);
    });
  }

  private leave(message: string): void {
    this.clientGone = true;
    this.abort(new HubError('UPSTREAM_UNAVAILABLE', message));
  }

  private abort(reason: HubError): void {
    if (!this.controller.signal.aborted) this.controller.abort(reason);
  }

  private after(ms: number, fire: () => void): NodeJS.Timeout {
    const timer = setTimeout(fire, ms);
    timer.unref();
    this.timers.push(timer);
    return timer;
  }

  /**
   * The client's body goes upstream through a PassThrough, not as `req` itself: when the upstream
   * request is aborted undici destroys its body stream, and destroying `req` would destroy the
   * client's socket before the hub could answer 408.
   */
  private bodyFor(req: Request): Readable {
    const body = new PassThrough();
    req.pipe(body);
    return body;
  }
}
