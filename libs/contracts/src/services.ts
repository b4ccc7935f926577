/** The seven bus services. The gateway is not one: it only calls them. */
export const SERVICE_NAMES = [
  'identity',
  'hierarchy',
  'intake',
  'review',
  'files',
  'notification',
  'assessment',
] as const;

export type ServiceName = (typeof SERVICE_NAMES)[number];

export function isServiceName(value: string): value is ServiceName {
  return (SERVICE_NAMES as readonly string[]).includes(value);
}
