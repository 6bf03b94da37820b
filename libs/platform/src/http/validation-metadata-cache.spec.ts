import { getMetadataStorage, IsInt, IsString, validateSync } from 'class-validator';
import { validateDto } from './dto-validation';

class Named {
  @IsString() name!: string;
}

describe('validation metadata, worked out once per class', () => {
  it('validates the same way on every call', () => {
    for (let round = 0; round < 3; round++) {
      expect(validateDto(Named, { name: 'Ada' }).ok).toBe(true);
      expect(validateDto(Named, { name: 7 })).toMatchObject({ ok: false, details: [{ field: 'name' }] });
      expect(validateDto(Named, { name: 'Ada', extra: 1 })).toMatchObject({
        ok: false,
        details: [{ field: 'extra', code: 'whitelistValidation' }],
      });
    }
  });

  it('takes up a rule a decorator adds after the class was first validated', () => {
    class Later {
      @IsString() name!: string;
      declare age: unknown;
    }
    expect(validateDto(Later, { name: 'Ada' }).ok).toBe(true);

    IsInt()(Later.prototype, 'age');

    expect(validateDto(Later, { name: 'Ada', age: 'old' })).toMatchObject({
      ok: false,
      details: [{ field: 'age', code: 'isInt' }],
    });
  });

  it('answers the same rules as the library for a subclass, its own and inherited ones', () => {
    class Aged extends Named {
      @IsInt() age!: number;
    }
    const errors = validateSync(Object.assign(new Aged(), { name: 1, age: 'x' }));
    expect(errors.map((error) => error.property).sort()).toEqual(['age', 'name']);
    const storage = getMetadataStorage();
    const rules = storage.getTargetValidationMetadatas(Aged, '', false, false);
    expect(storage.getTargetValidationMetadatas(Aged, '', false, false)).toBe(rules);
    expect(rules.map((rule) => rule.propertyName).sort()).toEqual(['age', 'name']);
  });
});
