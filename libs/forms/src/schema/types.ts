// The form document's TypeScript shape. Every value is a string (optional fields hold ''
// when empty), so drafts, Excel rows and package files share one shape. The spec
// `definition.spec.ts` checks these keys against the definition.
import { FORM_TYPE } from './definition';

export interface SiteInfo {
  siteName: string;
  homepageUrl: string;
  redirectUrl: string;
  siteKind: string;
  layer: string;
  sponsorUnit: string;
  operatorUnit: string;
  officeAddress: string;
  icpNumber: string;
  psbNumber: string;
  siteStatus: string;
  fillerUnit: string;
}

export interface PrincipalInfo {
  name: string;
  title: string;
  officePhone: string;
  mobile: string;
  email: string;
}

export interface ContactInfo {
  name: string;
  officePhone: string;
  mobile: string;
  email: string;
}

export interface ColumnInfo {
  name: string;
  url: string;
  category: string;
}

/** One 政府网站基本信息表: one website. */
export interface SiteForm {
  id: string;
  type: typeof FORM_TYPE;
  schemaVersion: string;
  /** ISO 8601 date-time of the last edit. */
  updatedAt: string;
  site: SiteInfo;
  principal: PrincipalInfo;
  contact: ContactInfo;
  columns: ColumnInfo[];
}

/** A field that failed a rule: `{field: "principal.mobile", label: "负责人手机", message: "手机号应为11位数字"}`. */
export interface FieldError {
  /** Path in the document: `site.homepageUrl`, `columns[2].url`. */
  field: string;
  /** The field's Chinese name as users see it. */
  label: string;
  /** What is wrong and what is expected, in Chinese. */
  message: string;
}

export type ValidationResult =
  { ok: true; value: SiteForm; errors: [] } | { ok: false; value: undefined; errors: FieldError[] };
