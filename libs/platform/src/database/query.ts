import { EntityManager } from 'typeorm';

/**
 * Runs an UPDATE/DELETE … RETURNING and gives the returned rows. (TypeORM answers such
 * statements with `[rows, count]` but a SELECT or INSERT with the rows alone.)
 */
export async function returningRows<T>(
  manager: Pick<EntityManager, 'query'>,
  sql: string,
  parameters: unknown[],
): Promise<T[]> {
  const result: unknown = await manager.query(sql, parameters);
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number')
    return result[0] as T[];
  return result as T[];
}
