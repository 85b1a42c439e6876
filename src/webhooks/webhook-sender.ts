import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { assertSendable, ForbiddenTargetError, guardedLookup, Resolver } from './webhook-target';

/** How long one attempt may take, connect to last byte; longer counts as a failure and is retried. */
export const DELIVERY_TIMEOUT_MS = 10_000;
/** Bytes of a receiver's answer read (its body only matters for the log line). */
const MAX_ANSWER_BYTES = 4096;

export interface SendResult {
  /** The HTTP status when the receiver answered. */
  status: number | null;
  /** Why it did not count as delivered (timeout, connection reset, refused target, a status). */
  error: string | null;
}

/**
 * One POST of a signed message. Redirects are not followed (node's http never does): a 3xx is a
 * failure, so a receiver cannot bounce the hub to another host.
 */
export function send(url: URL, headers: Record<string, string>, body: string, options: { privateAllowed: boolean; timeoutMs?: number; resolve?: Resolver }): Promise<SendResult> {
  const timeoutMs = options.timeoutMs ?? DELIVERY_TIMEOUT_MS;
  return new Promise((resolve) => {
    try {
      assertSendable(url, options.privateAllowed);
    } catch (error) {
      return resolve({ status: null, error: (error as Error).message });
    }
    let settled = false;
    const finish = (result: SendResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const request = (url.protocol === 'https:' ? httpsRequest : httpRequest)(
      url,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body).toString(), 'user-agent': 'integration-hub-webhooks', ...headers },
        lookup: guardedLookup(options.privateAllowed, options.resolve) as never,
        agent: false,
      },
      (response) => {
        let read = 0;
        response.on('data', (chunk: Buffer) => {
          read += chunk.length;
          if (read > MAX_ANSWER_BYTES) response.destroy();
        });
        const status = response.statusCode ?? 0;
        const done = () => finish({ status, error: status >= 200 && status < 300 ? null : `the receiver answered ${status}` });
        response.on('end', done);
        response.on('close', done);
        response.on('error', done);
      },
    );
    const timer = setTimeout(() => {
      request.destroy();
      finish({ status: null, error: `no answer within ${timeoutMs / 1000} s` });
    }, timeoutMs);
    request.on('error', (error: NodeJS.ErrnoException) =>
      finish({ status: null, error: error instanceof ForbiddenTargetError ? error.message : `could not deliver: ${error.code ?? error.message}` }),
    );
    request.end(body);
  });
}
