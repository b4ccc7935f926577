import { isFormId, newFormId } from './form-id';

describe('form ids', () => {
  it('makes distinct version 4 UUIDs', () => {
    const ids = new Set(Array.from({ length: 1000 }, () => newFormId()));
    expect(ids.size).toBe(1000);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it.each([
    ['3f2c7a4e-5b1d-4c8e-9a6f-0d2e4b6c8a1f', true],
    ['3F2C7A4E-5B1D-4C8E-9A6F-0D2E4B6C8A1F', true],
    ['3f2c7a4e5b1d4c8e9a6f0d2e4b6c8a1f', false],
    ['3f2c7a4e-5b1d-0c8e-9a6f-0d2e4b6c8a1f', false],
    ['', false],
  ])('isFormId(%s) is %s', (value, expected) => {
    expect(isFormId(value)).toBe(expected);
  });
});
