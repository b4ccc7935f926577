import { IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, MaxLength, Min } from 'class-validator';
import { ActorRequest } from '../hierarchy/org-unit.contract';
import { subject } from '../subject';
import { SITE_CODE_PATTERN } from './assessment.contract';

/**
 * 评分证据: files (screenshots, PDFs, office documents) uploaded for one veto or item of a
 * self-assessment (by the site) or of an inspection's scoring of a site (by the inspectors).
 * The bytes go straight from the gateway into object storage (bucket `evidence`); only their
 * reference crosses the bus.
 */
export const EVIDENCE_SCOPES = ['self', 'inspection'] as const;
export type EvidenceScope = (typeof EVIDENCE_SCOPES)[number];

/** The kinds of file taken as evidence, by extension, with the type they are served as. */
export const EVIDENCE_TYPES: Readonly<Record<string, string>> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  bmp: 'image/bmp',
  pdf: 'application/pdf',
  doc: 'application/msword',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xls: 'application/vnd.ms-excel',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  wps: 'application/vnd.ms-works',
  et: 'application/vnd.ms-excel',
  txt: 'text/plain; charset=utf-8',
  zip: 'application/zip',
};
/** The extensions a clerk reads in a message: 图片、PDF、Word/Excel/WPS 文档、文本、ZIP. */
export const EVIDENCE_TYPES_TEXT =
  'png、jpg、gif、webp、bmp 图片，pdf，doc/docx、xls/xlsx、wps/et 文档，txt 文本或 zip 压缩包';
/** Files kept per veto or item of one sheet (a self-assessment, or one inspected site). */
export const EVIDENCE_PER_ITEM = 10;
/** Files kept per sheet in all. */
export const EVIDENCE_PER_SHEET = 100;
export const EVIDENCE_FILE_NAME_MAX = 200;

/** The extension of a file name if it is one taken as evidence; else null. */
export function evidenceExtension(fileName: string): string | null {
  const match = /\.([A-Za-z0-9]{1,5})$/.exec(fileName.trim());
  const ext = match?.[1]?.toLowerCase();
  return ext && ext in EVIDENCE_TYPES ? ext : null;
}

export interface EvidenceFileView {
  id: string;
  /** The veto or item the file is evidence for. */
  key: string;
  fileName: string;
  contentType: string;
  size: number;
  uploadedAt: string;
  /** Who uploaded it: 网站自查 (the site) or the inspector's account name. Downloaded at GET /api/v1/evidence/{id}. */
  uploadedBy: string;
}

/** The files of one sheet, by veto or item key. */
export type EvidenceByKey = Record<string, EvidenceFileView[]>;

/** Where an evidence file is uploaded: a site's self-assessment or an inspection's scoring of the site. */
export class EvidenceTarget extends ActorRequest {
  @IsIn(EVIDENCE_SCOPES)
  scope: EvidenceScope;

  @Matches(SITE_CODE_PATTERN, { message: '网站标识码应为10位字母或数字' })
  siteCode: string;

  /** The inspection (scope inspection). */
  @IsOptional()
  @IsUUID('4', { message: '检查编号格式有误' })
  inspectionId?: string;
}

/** Reserves a place for a file about to stream into object storage: checked and counted first. */
export class BeginEvidenceRequest extends EvidenceTarget {
  @IsString({ message: '请指明证据所属的评分项 key' })
  @MaxLength(64, { message: '评分项 key 过长' })
  key: string;

  @IsString({ message: '文件名有误' })
  @MaxLength(EVIDENCE_FILE_NAME_MAX, { message: `文件名不能超过${EVIDENCE_FILE_NAME_MAX}个字符` })
  fileName: string;
}

export interface EvidenceUpload {
  id: string;
  objectKey: string;
  contentType: string;
}

export class EvidenceRequest extends ActorRequest {
  @IsUUID('4', { message: '证据文件编号格式有误' })
  id: string;
}

/** The bytes are stored: the file becomes part of its sheet. */
export class CompleteEvidenceRequest extends EvidenceRequest {
  @IsInt()
  @Min(1)
  size: number;
}

/** Where the bytes of a file the caller may see are kept. */
export interface EvidenceLocation {
  objectKey: string;
  fileName: string;
  contentType: string;
  size: number;
}

export const EvidenceSubjects = {
  begin: subject<BeginEvidenceRequest, EvidenceUpload>('assessment.evidence.begin'),
  complete: subject<CompleteEvidenceRequest, EvidenceFileView>('assessment.evidence.complete'),
  /** The upload failed: the reservation (and whatever bytes got stored) goes. */
  abort: subject<EvidenceRequest, { aborted: boolean }>('assessment.evidence.abort'),
  locate: subject<EvidenceRequest, EvidenceLocation>('assessment.evidence.locate'),
  remove: subject<EvidenceRequest, { removed: true }>('assessment.evidence.remove'),
};
