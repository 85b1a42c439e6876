import { UpstreamTelemetry } from '../connector-kit/http/upstream-telemetry';
import { methodLabel } from './labels';

describe('metric labels', () => {
  it('keeps the proxy methods and folds anything else into one label', () => {
    expect(['get', 'HEAD', 'Post', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'].map(methodLabel)).toEqual(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
    expect(methodLabel('PROPFIND')).toBe('OTHER');
    expect(methodLabel('x'.repeat(500))).toBe('OTHER');
  });
});

describe('UpstreamTelemetry', () => {
  it('tells every listener, ignores one that throws, and stops telling one that unsubscribed', () => {
    const telemetry = new UpstreamTelemetry();
    const seen: string[] = [];
    telemetry.subscribe(() => {
      throw new Error('a broken observer');
    });
    const unsubscribe = telemetry.subscribe((event) => seen.push(event.kind));
    expect(() => telemetry.emit({ kind: 'retry', service: 'JetBrains', reason: 'UPSTREAM_RATE_LIMITED' })).not.toThrow();
    unsubscribe();
    telemetry.emit({ kind: 'attempt', service: 'JetBrains', outcome: '200', durationMs: 1 });
    expect(seen).toEqual(['retry']);
  });
});
