import { ScoreSheet } from '@app/contracts';
import { plainToInstance, Type } from 'class-transformer';
import {
  ArrayMinSize,
  IsArray,
  IsIn,
  IsNumber,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
  ValidateNested,
  validateSync,
  ValidationError,
} from 'class-validator';

const KEY = /^[a-z][a-z0-9-]{1,63}$/;
const POINTS = { maxDecimalPlaces: 1, allowNaN: false, allowInfinity: false };

class DeductionShape {
  @IsIn(['perCount', 'perStep', 'flag']) kind: string;
  @IsNumber(POINTS) @Min(0.1) @Max(1000) points: number;
  @ValidateIf((d: DeductionShape) => d.kind === 'perStep') @IsNumber({ allowNaN: false }) @Min(0.001) step?: number;
  @ValidateIf((d: DeductionShape) => d.kind !== 'flag') @IsString() @MinLength(1) @MaxLength(10) unit?: string;
  @IsString() @MinLength(1) @MaxLength(500) text: string;
}

class VetoShape {
  @Matches(KEY) key: string;
  @IsString() @MinLength(1) @MaxLength(50) name: string;
  @IsString() @MinLength(1) @MaxLength(2000) rule: string;
}

class ItemShape {
  @Matches(KEY) key: string;
  @IsString() @MinLength(1) @MaxLength(50) name: string;
  @IsString() @MinLength(1) @MaxLength(2000) rule: string;
  @IsNumber(POINTS) @Min(0.1) @Max(1000) maxPoints: number;
  @ValidateNested() @Type(() => DeductionShape) deduction: DeductionShape;
}

class GroupShape {
  @Matches(KEY) key: string;
  @IsString() @MinLength(1) @MaxLength(50) name: string;
  @IsArray() @ArrayMinSize(1) @ValidateNested({ each: true }) @Type(() => ItemShape) items: ItemShape[];
}

class SheetShape {
  @Matches(KEY) id: string;
  @Matches(/^[0-9A-Za-z.-]{1,32}$/) version: string;
  @IsString() @MinLength(1) @MaxLength(100) title: string;
  @IsString() @MinLength(1) @MaxLength(2000) source: string;
  @IsNumber(POINTS) @Min(1) @Max(1000) totalPoints: number;
  @IsNumber(POINTS) @Min(0) passScore: number;
  @IsArray() @ValidateNested({ each: true }) @Type(() => VetoShape) vetoes: VetoShape[];
  @IsArray() @ArrayMinSize(1) @ValidateNested({ each: true }) @Type(() => GroupShape) groups: GroupShape[];
}

/**
 * What is wrong with a score sheet, one line each (empty: a sound sheet). Beyond the shape of
 * every field: keys are unique across vetoes, groups and items, the items' maxima add up to
 * the total, and the pass mark lies within it.
 */
export function sheetProblems(raw: unknown): string[] {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return ['评分表应为 JSON 对象'];
  const shaped = plainToInstance(SheetShape, raw);
  const errors = validateSync(shaped, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length > 0) return flatten(errors, '');
  const sheet = raw as ScoreSheet;
  const problems: string[] = [];
  const keys = [
    ...sheet.vetoes.map((v) => v.key),
    ...sheet.groups.map((g) => g.key),
    ...sheet.groups.flatMap((g) => g.items.map((i) => i.key)),
  ];
  const seen = new Set<string>();
  for (const key of keys) {
    if (seen.has(key)) problems.push(`键 ${key} 重复`);
    seen.add(key);
  }
  const sum = sheet.groups.flatMap((g) => g.items).reduce((total, item) => total + item.maxPoints * 10, 0) / 10;
  if (sum !== sheet.totalPoints) problems.push(`各项满分之和为 ${sum}，与总分 ${sheet.totalPoints} 不符`);
  if (sheet.passScore > sheet.totalPoints) problems.push(`合格分 ${sheet.passScore} 高于总分 ${sheet.totalPoints}`);
  return problems;
}

/** The sheet, or an error naming every problem (a sheet that fails never reaches the engine). */
export function parseSheet(raw: unknown, origin: string): ScoreSheet {
  const problems = sheetProblems(raw);
  if (problems.length > 0) throw new Error(`score sheet ${origin} is not valid: ${problems.join('; ')}`);
  return raw as ScoreSheet;
}

function flatten(errors: ValidationError[], path: string): string[] {
  return errors.flatMap((error) => {
    const at = path ? `${path}.${error.property}` : error.property;
    const own = Object.keys(error.constraints ?? {}).map((constraint) => `${at}: ${constraint}`);
    return [...own, ...flatten(error.children ?? [], at)];
  });
}
