import { ServiceName } from '@app/contracts';
import { createServiceApp, ServiceRuntime } from '@app/platform';
import { eventually, startTestInfrastructure, TestInfrastructure, withClient } from '@app/testing';
import { buildPresetTree } from '../../apps/hierarchy/src/seed';
import { SERVICE_MODULES } from '../../apps/standalone/src/services';
import { RunningSystem, startSystem } from '../../apps/standalone/src/system';

/**
 * The national preset tree (PRESET_TREE=national, the default) as hierarchy seeds it on first
 * start, with identity making one account per unit, over real NATS and PostgreSQL. Only the
 * two services the seed involves run: the other tests seed the sample tree.
 */
describe('the national preset tree', () => {
  let infra: TestInfrastructure;
  let runtime: ServiceRuntime;
  let system: RunningSystem;

  beforeAll(async () => {
    infra = await startTestInfrastructure();
    const config = infra.config({ PRESET_TREE: 'national' });
    runtime = { config, transport: infra.transport('nats', config) };
    system = await startSystem(runtime, { services: ['identity', 'hierarchy'] });
  });

  afterAll(async () => {
    await system?.close();
    await infra?.teardown();
  });

  const sql = <T = any>(query: string, params: unknown[] = []) =>
    withClient(infra.database.url, async (client) => (await client.query(query, params)).rows as T[]);

  async function restart(service: ServiceName): Promise<void> {
    await system.services.get(service)!.close();
    system.services.set(service, await createServiceApp(SERVICE_MODULES[service](runtime), { service, ...runtime }));
  }

  it('seeds the preset tree once, with one account per unit', async () => {
    const preset = buildPresetTree();
    const [{ units }] = await sql('SELECT count(*)::int AS units FROM hierarchy.org_unit');
    expect(units).toBe(preset.length);
    expect(units).toBeGreaterThan(3200);
    await eventually(
      async () =>
        (await sql('SELECT count(*)::int AS n FROM identity.account WHERE org_unit_id IS NOT NULL'))[0].n ===
        preset.length,
      // 3,279 accounts: seconds on a quiet machine, minutes on a busy CI runner.
      180_000,
    );
    const [{ roots }] = await sql(
      "SELECT count(*)::int AS roots FROM identity.account WHERE username = 'bm0100' AND org_unit_id IS NOT NULL AND 'ROOT' = ANY(roles)",
    );
    expect(roots).toBe(1);
    // A second start adds nothing: no unit, no account request.
    const [{ before }] = await sql('SELECT count(*)::int AS before FROM hierarchy.outbox');
    await restart('hierarchy');
    expect((await sql('SELECT count(*)::int AS n FROM hierarchy.org_unit'))[0].n).toBe(preset.length);
    expect((await sql('SELECT count(*)::int AS n FROM hierarchy.outbox'))[0].n).toBe(before);
  });
});
