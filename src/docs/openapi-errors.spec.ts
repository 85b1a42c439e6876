import type { OpenAPIObject } from '@nestjs/swagger';
import { describeErrors } from './openapi-errors';
import { describeCommonFields } from './openapi-fields';
import { stableJson } from './stable-json';

const ref = { 'application/json': { schema: { $ref: '#/components/schemas/ErrorBody' } } };

function doc(paths: Record<string, unknown>, schemas: Record<string, unknown> = {}): OpenAPIObject {
  return { openapi: '3.0.0', info: { title: 't', version: '1' }, paths, components: { schemas } } as unknown as OpenAPIObject;
}

describe('describeErrors', () => {
  it('gives an authenticated write its 400/401/403/404/429, a read less, a public route none of the key\'s', () => {
    const out = describeErrors(
      doc({
        '/things/{id}': {
          patch: { requestBody: {}, parameters: [{ in: 'path', name: 'id' }], responses: { 200: { description: 'ok' } }, security: [{ bearer: [] }] },
          get: { parameters: [{ in: 'path', name: 'id' }], responses: { 200: { description: 'ok' }, 404: { description: 'THING_NOT_FOUND', content: { 'text/plain': {} } } } },
        },
        '/health': { get: { 'x-hub-public': true, responses: { 200: { description: 'ok' }, 503: { description: 'NOT_READY' } }, security: [{ bearer: [] }] } },
        '/upstream': { post: { 'x-hub-upstream': true, responses: { 201: { description: 'ok' } } }, search: { responses: {} } },
        '/connect': { get: { 'x-hub-connect-token': true, responses: { 200: { description: 'ok' } } } },
      }),
    );
    const patch = out.paths['/things/{id}']!.patch!;
    expect(Object.keys(patch.responses).sort()).toEqual(['200', '400', '401', '403', '404', '429']);
    expect(patch.security).toEqual([{ api_key: [] }, { session_cookie: [] }]);
    const get = out.paths['/things/{id}']!.get!;
    expect(Object.keys(get.responses).sort()).toEqual(['200', '400', '401', '404', '429']);
    // A route's own description is kept; its body becomes the hub's error body.
    expect(get.responses['404']).toEqual({ description: 'THING_NOT_FOUND', content: ref });
    const health = out.paths['/health']!.get!;
    expect(Object.keys(health.responses).sort()).toEqual(['200', '503']);
    expect(health.security).toBeUndefined();
    expect(health.responses['503']).toMatchObject({ content: ref });
    expect(Object.keys(out.paths['/upstream']!.post!.responses).sort()).toEqual(['201', '401', '403', '429', '502', '504']);
    expect((out.paths['/upstream'] as Record<string, unknown>).search).toBeUndefined();
    const connect = out.paths['/connect']!.get!;
    expect(connect.security).toEqual([{ connect_token: [] }]);
    expect(Object.keys(connect.responses).sort()).toEqual(['200', '401', '403', '404', '410', '429']);
    expect(out.components!.schemas!.ErrorBody).toMatchObject({ required: ['statusCode', 'error', 'message', 'details'] });
  });
});

describe('describeCommonFields', () => {
  it('describes the shared fields that have no description, keeps the others, wraps a $ref', () => {
    const out = describeCommonFields(
      doc({}, { A: { properties: { id: { type: 'string' }, name: { type: 'string', description: 'Own words' }, access: { $ref: '#/components/schemas/B' }, odd: { type: 'string' } } } }),
    );
    const props = (out.components!.schemas!.A as { properties: Record<string, { description?: string; allOf?: unknown }> }).properties;
    expect(props.id!.description).toMatch(/identifier/);
    expect(props.name!.description).toBe('Own words');
    expect(props.access).toEqual({ allOf: [{ $ref: '#/components/schemas/B' }], description: expect.any(String) });
    expect(props.odd!.description).toBeUndefined();
  });
});

describe('stableJson', () => {
  it('sorts keys at every depth, keeps array order, ends with a newline', () => {
    expect(stableJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: undefined } })).toBe('{\n  "a": {\n    "d": [\n      3,\n      {\n        "y": 2,\n        "z": 1\n      }\n    ]\n  },\n  "b": 1\n}\n');
  });
});
