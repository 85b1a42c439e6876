import { maxHeaderSize, STATUS_CODES, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { errorBody } from './error-response';

/** What Node refused, and what to tell the client: the hub's error body instead of a bare status line. */
function describe(error: NodeJS.ErrnoException): { status: number; code: string; message: string } {
  if (error.code === 'HPE_HEADER_OVERFLOW') {
    const limit = `${Math.round(maxHeaderSize / 1024)} KB`;
    return { status: 431, code: 'HEADERS_TOO_LARGE', message: `The request's headers are larger than the hub accepts (${limit} in all): send fewer or shorter headers (cookies, tokens)` };
  }
  if (error.code === 'HPE_CHUNK_EXTENSIONS_OVERFLOW') {
    return { status: 413, code: 'PAYLOAD_TOO_LARGE', message: "The request body's chunk extensions are larger than the hub accepts: send the body without them" };
  }
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    return { status: 408, code: 'REQUEST_TIMEOUT', message: 'The request did not arrive in time: send the whole request at once' };
  }
  return { status: 400, code: 'BAD_REQUEST', message: 'The request is not valid HTTP/1.1 and was refused before any route saw it' };
}

/**
 * Requests Node's HTTP parser refuses before Express sees them (headers too large, a malformed
 * request line) are answered with the same JSON error body as every other error, and the connection
 * is closed. Without a listener Node writes `431` or `400` with no body at all.
 */
export function answerClientErrors(server: Server): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    // A client that hung up: nothing to answer. A connection with a request still being served
    // (a malformed one pipelined behind it): an answer now would be taken for that request's, so
    // the connection is dropped instead, as a client sees when a server gives up.
    if (error.code === 'ECONNRESET' || !socket.writable || (socket as Duplex & { _httpMessage?: unknown })._httpMessage) {
      socket.destroy();
      return;
    }
    const { status, code, message } = describe(error);
    const body = JSON.stringify(errorBody(status, code, message));
    // Destroyed once written (or after a second, for a client that never reads): the parser has
    // failed, so no request timeout would ever close a connection left half open.
    const drop = setTimeout(() => socket.destroy(), 1_000);
    drop.unref();
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `Cache-Control: no-store\r\nConnection: close\r\n\r\n${body}`,
      () => {
        clearTimeout(drop);
        socket.destroy();
      },
    );
  });
}
