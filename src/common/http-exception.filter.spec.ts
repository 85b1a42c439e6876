import { ArgumentsHost, BadRequestException, HttpException, InternalServerErrorException, Logger } from '@nestjs/common';
import { HubExceptionFilter } from './http-exception.filter';

/** Every error body has details.code, and a 500 never carries the error's own text. */
describe('HubExceptionFilter', () => {
  beforeAll(() => jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined));
  afterAll(() => jest.restoreAllMocks());

  function answer(exception: unknown): { status: number; body: Record<string, any> } {
    const sent: { status: number; body: Record<string, any> } = { status: 0, body: {} };
    const response = {
      headersSent: false,
      setHeader: () => undefined,
      status(code: number) {
        sent.status = code;
        return this;
      },
      json(body: Record<string, any>) {
        sent.body = body;
      },
    };
    const request = { method: 'GET', originalUrl: '/x', path: '/x', app: {} };
    const host = { switchToHttp: () => ({ getResponse: () => response, getRequest: () => request }) } as unknown as ArgumentsHost;
    new HubExceptionFilter().catch(exception, host);
    return sent;
  }

  it.each([
    [new Error('connect ECONNREFUSED 10.0.0.5:5432 password=hunter2'), 500, 'INTERNAL'],
    [new InternalServerErrorException('SELECT * FROM secrets failed'), 500, 'INTERNAL'],
    [new BadRequestException('Failed to decode param \'%ff\''), 400, 'BAD_REQUEST'],
    [new HttpException('teapot', 418), 418, 'I_M_A_TEAPOT'],
    [new BadRequestException(['a must be a string', 'b must be set']), 400, 'VALIDATION_FAILED'],
  ])('answers %s with %i and a code', (exception, status, code) => {
    const { status: sentStatus, body } = answer(exception);
    expect(sentStatus).toBe(status);
    expect(body).toMatchObject({ statusCode: status, details: { code } });
    if (status === 500) {
      expect(body.message).toBe('Internal error; the hub log has the details.');
      expect(JSON.stringify(body)).not.toMatch(/ECONNREFUSED|hunter2|SELECT/);
    }
  });

  it('says what to fix for invalid percent-encoding', () => {
    expect(answer(new BadRequestException("Failed to decode param '%ff'")).body.message).toMatch(/percent-encoding/);
  });
});
