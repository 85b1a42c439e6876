/**
 * One proxied exchange ended (answered, refused or cut), emitted without waiting for listeners:
 * for metrics. `status` is what the client got, or 0 when the connection closed before an answer.
 */
export const PROXY_EXCHANGED = 'proxy.exchanged';

export interface ProxyExchangedEvent {
  integration: string;
  method: string;
  status: number;
  durationMs: number;
}
