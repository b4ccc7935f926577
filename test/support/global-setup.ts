// Runs once before the e2e project. Each test file makes its own database (see
// libs/testing); this only fixes a run id so teardown can drop whatever this run left.
import { randomBytes } from 'node:crypto';

export default async function globalSetup(): Promise<void> {
  process.env.TEST_RUN_ID ??= `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
}
