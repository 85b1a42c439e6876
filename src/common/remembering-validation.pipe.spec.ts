import { BadRequestException } from '@nestjs/common';
import { PageQuery } from './list-query.dto';
import { RememberingValidationPipe } from './remembering-validation.pipe';

describe('RememberingValidationPipe', () => {
  const pipe = new RememberingValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true });
  const query = { type: 'query' as const, metatype: PageQuery };

  it('validates a query once and hands the same frozen result to later requests', async () => {
    const first = (await pipe.transform({ limit: '20' }, query)) as PageQuery;
    expect(first).toBeInstanceOf(PageQuery);
    expect(first.limit).toBe(20);
    expect(Object.isFrozen(first)).toBe(true);
    expect(await pipe.transform({ limit: '20' }, query)).toBe(first);
    expect(await pipe.transform({ limit: '21' }, query)).not.toBe(first);
  });

  it('rejects a bad query every time, remembering nothing', async () => {
    for (let i = 0; i < 2; i++) await expect(pipe.transform({ limit: '0' }, query)).rejects.toBeInstanceOf(BadRequestException);
    await expect(pipe.transform({ limit: '5', extra: 'x' }, query)).rejects.toBeInstanceOf(BadRequestException);
  });

  it('validates bodies afresh', async () => {
    const body = { type: 'body' as const, metatype: PageQuery };
    const a = await pipe.transform({ limit: 3 }, body);
    expect(await pipe.transform({ limit: 3 }, body)).not.toBe(a);
  });
});
