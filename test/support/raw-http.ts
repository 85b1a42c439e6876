import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import { TEST_API_KEY } from './hub-harness';

/** Real sockets to a hub: for clients supertest cannot play (impatient, slow, `Expect`-sending). */

/** Makes the app listen on a random 127.0.0.1 port and returns that port. */
export async function listen(app: INestApplication): Promise<number> {
  await app.listen(0, '127.0.0.1');
  return (app.getHttpServer().address() as AddressInfo).port;
}

export interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** ms from sending to the end of the answer. */
  elapsedMs: number;
}

/** One request on its own connection, with the hub key; `body` is sent after `100 Continue` when `expect` is set. */
export function send(
  port: number,
  method: string,
  path: string,
  options: { headers?: Record<string, string>; body?: string; expectContinue?: boolean } = {},
): Promise<RawAnswer & { continued: boolean }> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    let continued = false;
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        agent: false,
        headers: {
          authorization: `Bearer ${TEST_API_KEY}`,
          ...(options.body !== undefined ? { 'content-length': String(Buffer.byteLength(options.body)) } : {}),
          ...(options.expectContinue ? { expect: '100-continue' } : {}),
          ...options.headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString(), elapsedMs: Date.now() - started, continued }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (options.expectContinue) {
      req.on('continue', () => {
        continued = true;
        req.end(options.body);
      });
    } else {
      req.end(options.body);
    }
  });
}

/** A client that gives up: sends a GET and destroys its socket after `afterMs`, whatever came back. */
export function impatient(port: number, path: string, afterMs: number): Promise<void> {
  return new Promise((resolve) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, agent: false, headers: { authorization: `Bearer ${TEST_API_KEY}` } });
    req.on('response', (res) => res.resume());
    req.on('error', () => undefined);
    req.end();
    setTimeout(() => {
      req.destroy();
      resolve();
    }, afterMs);
  });
}

/**
 * A slow upload: headers announcing `declared` bytes, then only `sent` of them, then silence.
 * Resolves with what the hub answered (the raw response text) and when the connection closed.
 */
export function slowUpload(port: number, path: string, declared: number, sent: number): Promise<{ raw: string; elapsedMs: number }> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(
        `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAuthorization: Bearer ${TEST_API_KEY}\r\n` +
          `Content-Type: application/json\r\nContent-Length: ${declared}\r\n\r\n` +
          '{'.padEnd(sent, ' '),
      );
    });
    let raw = '';
    socket.on('data', (c: Buffer) => (raw += c.toString()));
    socket.on('error', reject);
    socket.on('close', () => resolve({ raw, elapsedMs: Date.now() - started }));
    // The test's own guard: a hub that never answers must not hold the test forever.
    setTimeout(() => socket.destroy(), 10_000).unref();
  });
}
