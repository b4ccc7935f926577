import {
  DEPARTMENTS,
  DepartmentCategory,
  DepartmentEntry,
  FIRST_NEW_DEPARTMENT_NUMBER,
  OBSERVED_DEPARTMENT_NUMBERS,
  PUBLIC_DEPARTMENT_NUMBERS,
  RETIRED_DEPARTMENT_NUMBERS,
} from './departments.data';

/** Where a department's number comes from (see SOURCES.md). */
export type DepartmentCodeSource = 'public' | 'observed' | 'legacy-order' | 'assigned';

export interface PresetDepartment {
  readonly code: string;
  readonly name: string;
  readonly category: DepartmentCategory;
  readonly source: DepartmentCodeSource;
}

const ROOT_DEPARTMENT_NUMBER = 1;

/** `bm` + two-digit department number + `00` (the department's headquarters). */
export function departmentCode(departmentNumber: number): string {
  return `bm${String(departmentNumber).padStart(2, '0')}00`;
}

function sourceOf(entry: DepartmentEntry): DepartmentCodeSource {
  if (entry.legacy === undefined) return 'assigned';
  if (PUBLIC_DEPARTMENT_NUMBERS.has(entry.legacy)) return 'public';
  if (OBSERVED_DEPARTMENT_NUMBERS.has(entry.legacy)) return 'observed';
  return 'legacy-order';
}

/**
 * Gives every department its code: a legacy number is kept; the others take, in list order,
 * the lowest free number from FIRST_NEW_DEPARTMENT_NUMBER on (never 01, a retired number or a
 * number already kept). Throws if the list contradicts itself, so a bad edit fails at boot.
 */
export function assignDepartmentCodes(entries: readonly DepartmentEntry[] = DEPARTMENTS): PresetDepartment[] {
  const taken = new Set<number>([ROOT_DEPARTMENT_NUMBER, ...Object.keys(RETIRED_DEPARTMENT_NUMBERS).map(Number)]);
  for (const entry of entries) {
    if (entry.legacy === undefined) continue;
    if (!Number.isInteger(entry.legacy) || entry.legacy < 2 || entry.legacy > 99) {
      throw new Error(`Department ${entry.name}: legacy number ${entry.legacy} is outside 02–99`);
    }
    if (taken.has(entry.legacy)) {
      throw new Error(`Department ${entry.name}: number ${entry.legacy} is already taken or retired`);
    }
    taken.add(entry.legacy);
  }
  let next = FIRST_NEW_DEPARTMENT_NUMBER;
  return entries.map((entry) => {
    let number = entry.legacy;
    if (number === undefined) {
      while (taken.has(next)) next += 1;
      if (next > 99) throw new Error(`No department number left for ${entry.name}`);
      number = next;
      taken.add(number);
    }
    return { code: departmentCode(number), name: entry.name, category: entry.category, source: sourceOf(entry) };
  });
}
