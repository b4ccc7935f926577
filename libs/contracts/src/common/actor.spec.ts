import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, validateSync } from 'class-validator';
import * as contracts from '../index';

/**
 * Services check the actor assertion of every message whose payload HAS an `actor` (see
 * libs/platform's ActorAssertionInterceptor). So no request type that carries an actor may
 * accept one without it: a handler that authorises by actor must never run with none.
 */
describe('requests that carry an actor', () => {
  const storage = getMetadataStorage() as unknown as {
    getTargetValidationMetadatas(target: object, schema: string, always: boolean, strict: boolean): unknown[];
  };
  const withActor = Object.values(contracts).filter(
    (value): value is new () => object =>
      typeof value === 'function' &&
      (storage.getTargetValidationMetadatas(value, '', true, false) as Array<{ propertyName: string }>).some(
        (meta) => meta.propertyName === 'actor',
      ),
  );

  it('are found (every ActorRequest and the importer of an import)', () => {
    const names = withActor.map((cls) => cls.name);
    expect(names).toEqual(expect.arrayContaining(['ActorRequest', 'UpdateContactRequest', 'Importer']));
    expect(names.length).toBeGreaterThan(20);
  });

  it('refuse a payload whose actor is missing or null', () => {
    for (const cls of withActor)
      for (const actor of [undefined, null]) {
        const errors = validateSync(plainToInstance(cls, { actor }));
        expect([cls.name, errors.some((error) => error.property === 'actor')]).toEqual([cls.name, true]);
      }
  });
});
