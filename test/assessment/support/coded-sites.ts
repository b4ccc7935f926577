import { createSampleForm } from '@app/forms';
import { ApiClient } from '@app/testing';
import { ReviewSystem, Unit } from '../../review/support/review-system';

export interface CodedSite {
  id: string;
  siteCode: string;
  checkCode: string;
}

let next = 500;

/**
 * Imports `count` forms as `owner`, submits them all and has each unit above approve them all
 * (`review-all`, lowest first) until they are coded; answers the sites in 标识码 order.
 */
export async function codedSites(sys: ReviewSystem, owner: Unit, above: Unit[], count: number): Promise<CodedSite[]> {
  const forms = Array.from({ length: count }, () => createSampleForm(next++));
  await sys.importForms(owner, forms);
  expect((await owner.client.post('/forms/submit-all')).status).toBe(200);
  for (const unit of above) expect((await unit.client.post('/forms/review-all')).status).toBe(200);
  const sites: CodedSite[] = [];
  for (const form of forms) sites.push({ id: form.id, ...(await sys.siteCodes(form.id)) });
  return sites.sort((a, b) => (a.siteCode < b.siteCode ? -1 : 1));
}

/** The census sheet's five vetoes, all answered no (with one yes when named). */
export function vetoes(yes?: string): Record<string, { value: boolean; note?: string; evidenceUrl?: string }> {
  const keys = ['site-unreachable', 'site-not-updated', 'columns-not-updated', 'serious-errors', 'poor-response'];
  return Object.fromEntries(
    keys.map((key) => [
      key,
      key === yes
        ? { value: true, note: `${key} 属实`, evidenceUrl: `https://evidence.example.gov.cn/${key}.png` }
        : { value: false },
    ]),
  );
}

/** Every item of the census sheet answered with no problem, but for the deductions given. */
export function items(deductions: Record<string, number | boolean> = {}): Record<string, { value: number | boolean }> {
  const counts = [
    'homepage-availability',
    'link-availability',
    'homepage-columns',
    'basic-information',
    'consultation',
    'service-guides',
    'attachments',
    'online-systems',
  ];
  const flags = ['survey', 'interview'];
  return {
    ...Object.fromEntries(counts.map((key) => [key, { value: 0 }])),
    ...Object.fromEntries(flags.map((key) => [key, { value: false }])),
    ...Object.fromEntries(Object.entries(deductions).map(([key, value]) => [key, { value }])),
  };
}

/** Signs the site in and submits its self-assessment with these answers. */
export async function selfAssess(
  sys: ReviewSystem,
  site: CodedSite,
  answers: { vetoes: ReturnType<typeof vetoes>; items?: ReturnType<typeof items> },
): Promise<ApiClient> {
  const client = await sys.anonymous.siteLogin(site.siteCode, site.checkCode);
  const path = `/sites/${site.siteCode}/self-assessment`;
  expect((await client.put(path, answers)).status).toBe(200);
  const submitted = await client.post(`${path}/submit`);
  expect(submitted.status).toBe(200);
  return client;
}
