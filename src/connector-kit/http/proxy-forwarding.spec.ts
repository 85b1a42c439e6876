import { forwardableHeaders } from './proxy-forwarding';

describe('forwardableHeaders', () => {
  it('drops hop-by-hop, credential, Expect and every re-routing or re-verbing header', () => {
    const kept = forwardableHeaders(
      {
        accept: 'application/json',
        'x-trace': 'abc',
        connection: 'keep-alive, x-drop-me',
        'x-drop-me': '1',
        authorization: 'Bearer hub-key',
        cookie: 'a=b',
        'x-csrf-token': 'the-session-token',
        host: 'hub.local',
        expect: '100-continue',
        forwarded: 'for=1.2.3.4;host=evil.example',
        'x-forwarded-for': '1.2.3.4',
        'x-forwarded-host': 'evil.example',
        'x-forwarded-prefix': '/admin',
        'x-original-url': '/admin',
        'x-rewrite-url': '/admin',
        'x-http-method-override': 'DELETE',
        'x-http-method': 'DELETE',
        'x-method-override': 'DELETE',
        'x-api-key': 'caller-sent',
      },
      new Set(['x-api-key']),
    );
    expect(kept).toEqual({ accept: 'application/json', 'x-trace': 'abc' });
  });
});
