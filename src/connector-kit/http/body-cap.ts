import type { Readable } from 'node:stream';
import { HubError } from '../../common/errors';

/**
 * Reads an upstream body the hub decodes itself (token, pages, error bodies) into memory, but no
 * more than `maxBytes`: past that the stream is destroyed (the socket is dropped, not drained) and
 * UPSTREAM_TOO_LARGE is thrown. Without a cap one hostile or broken answer (a 400 MB `/token`)
 * takes the hub's memory with it. A declared Content-Length over the cap fails before any byte is
 * read. Not used by the proxy, which streams and never buffers.
 */
export async function readCappedBody(
  body: Readable,
  contentLength: string | string[] | undefined,
  maxBytes: number,
  service: string,
  where: string,
): Promise<ArrayBuffer> {
  const declared = Number(Array.isArray(contentLength) ? contentLength[0] : contentLength);
  if (Number.isFinite(declared) && declared > maxBytes) {
    body.destroy();
    throw tooLarge(service, where, maxBytes, declared);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) {
      body.destroy();
      throw tooLarge(service, where, maxBytes);
    }
    chunks.push(chunk as Buffer);
  }
  // Always a copy the hub owns (a chunk may be a view into a socket's read buffer), since callers
  // may transfer it to a worker thread; a small result may sit in Buffer's pool, hence the slice.
  const joined = Buffer.concat(chunks, size);
  return joined.buffer.byteLength === joined.byteLength && joined.byteOffset === 0
    ? (joined.buffer as ArrayBuffer)
    : (joined.buffer.slice(joined.byteOffset, joined.byteOffset + joined.byteLength) as ArrayBuffer);
}

function tooLarge(service: string, where: string, maxBytes: number, declared?: number): HubError {
  const limit = maxBytes >= 1024 ** 2 ? `${+(maxBytes / 1024 ** 2).toFixed(1)} MB` : `${+(maxBytes / 1024).toFixed(1)} KB`;
  return new HubError(
    'UPSTREAM_TOO_LARGE',
    `${service} sent a response larger than the hub reads (${limit}, HUB_UPSTREAM_MAX_BODY) from ${where}; it was not read further`,
    { details: { limit_bytes: maxBytes, ...(declared !== undefined ? { declared_bytes: declared } : {}) } },
  );
}
