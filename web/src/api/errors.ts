/** The hub's error body: `{ statusCode, error, message, details: { code, hint?, … } }`. */
export class HubApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly hint: string | null,
    readonly details: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'HubApiError';
  }
}

export function toHubError(status: number, body: unknown): HubApiError {
  const b = (typeof body === 'object' && body !== null ? body : {}) as { message?: unknown; hint?: unknown; details?: Record<string, unknown> };
  const details = b.details ?? {};
  const message = typeof b.message === 'string' ? b.message : `The hub answered ${status}.`;
  const hint = typeof details.hint === 'string' ? details.hint : typeof b.hint === 'string' ? b.hint : null;
  return new HubApiError(status, typeof details.code === 'string' ? details.code : 'UNKNOWN', message, hint, details);
}

/** The data of an openapi-fetch answer, or its error thrown as a HubApiError. */
export async function ok<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  let answer: { data?: T; error?: unknown; response: Response };
  try {
    answer = await call;
  } catch (error) {
    throw new HubApiError(0, 'NETWORK', `The hub did not answer (${(error as Error).message}). Is it running?`, null, {});
  }
  if (!answer.response.ok) throw toHubError(answer.response.status, answer.error);
  return answer.data as T;
}
