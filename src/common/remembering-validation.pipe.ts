import { ArgumentMetadata, ValidationPipe } from '@nestjs/common';

/** Distinct query strings remembered; a client walking pages brings a new cursor each time. */
const REMEMBERED = 1_000;

/**
 * The hub's ValidationPipe, remembering what a query string validated to. Validating the same
 * query (a dashboard polling a page) again is pure work: class-transformer and class-validator
 * were a twentieth of a unified read's CPU. Only successes are kept, frozen, since requests share
 * them; bodies are always validated afresh.
 */
export class RememberingValidationPipe extends ValidationPipe {
  private readonly remembered = new Map<ArgumentMetadata['metatype'], Map<string, unknown>>();

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type !== 'query' || !metadata.metatype) return super.transform(value, metadata);
    let byQuery = this.remembered.get(metadata.metatype);
    if (!byQuery) this.remembered.set(metadata.metatype, (byQuery = new Map()));
    const key = JSON.stringify(value);
    const known = byQuery.get(key);
    if (known !== undefined) return known;
    const result = Object.freeze(await super.transform(value, metadata));
    if (byQuery.size >= REMEMBERED) byQuery.delete(byQuery.keys().next().value!);
    byQuery.set(key, result);
    return result;
  }
}
