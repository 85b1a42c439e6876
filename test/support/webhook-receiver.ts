import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON read in a test
  json: any;
  /** The status this receiver answered. */
  answered: number;
}

/** What the receiver answers a request with: a status (and headers), or 'hang' to never answer. */
export type Answer = number | { status: number; headers?: Record<string, string> } | 'hang';

/**
 * A webhook receiver on 127.0.0.1 (port 0) that records every request. It answers from `answers`
 * in order (a function may decide), then `otherwise` (default 200).
 */
export class WebhookReceiver {
  readonly received: Received[] = [];
  answers: Answer[] = [];
  otherwise: Answer | ((request: Received) => Answer) = 200;
  private server!: Server;
  url = '';

  static async start(): Promise<WebhookReceiver> {
    const receiver = new WebhookReceiver();
    receiver.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const entry: Received = { headers: req.headers, body, json: safeJson(body), answered: 0 };
        const next = receiver.answers.length ? receiver.answers.shift()! : receiver.otherwise;
        const answer = typeof next === 'function' ? next(entry) : next;
        receiver.received.push(entry);
        if (answer === 'hang') return;
        const { status, headers } = typeof answer === 'number' ? { status: answer, headers: {} } : answer;
        entry.answered = status;
        res.writeHead(status, headers).end();
      });
    });
    await new Promise<void>((resolve) => receiver.server.listen(0, '127.0.0.1', resolve));
    receiver.url = `http://127.0.0.1:${(receiver.server.address() as AddressInfo).port}/hooks`;
    return receiver;
  }

  /** The received messages of `type`. */
  ofType(type: string): Received[] {
    return this.received.filter((r) => r.json?.type === type);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** Verifies a received message with the standardwebhooks package, as a receiver would; throws if it does not verify. */
export function verify(secret: string, message: Received): unknown {
  return new Webhook(secret).verify(message.body, {
    'webhook-id': String(message.headers['webhook-id']),
    'webhook-timestamp': String(message.headers['webhook-timestamp']),
    'webhook-signature': String(message.headers['webhook-signature']),
  });
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
