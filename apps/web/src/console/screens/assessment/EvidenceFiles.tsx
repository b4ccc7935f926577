// 评分证据 of one veto or item: the files kept for it, each downloaded with the token, and — while
// the sheet is a draft the caller may change — 上传证据 (a file picker; the server checks the kind,
// the size and the limits, its Chinese message shows here) and 删除 behind a confirmation.
import { useRef, useState } from 'react';
import { api, downloadFile } from '../../api';
import type { EvidenceFile } from '../../assessment-types';
import { Dialog, ErrorNote, useAction } from '../../ui';

/** What the file picker offers (the server decides: the same list as its EVIDENCE_TYPES). */
const ACCEPT = '.png,.jpg,.jpeg,.gif,.webp,.bmp,.pdf,.doc,.docx,.xls,.xlsx,.wps,.et,.txt,.zip';

function sizeText(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export function EvidenceFiles({
  name,
  itemKey,
  files,
  uploadPath,
  onChange,
}: {
  /** The veto's or item's name, for labels. */
  name: string;
  itemKey: string;
  files: EvidenceFile[];
  /** Where a file is uploaded (POST …/evidence); absent: read-only. */
  uploadPath?: string;
  onChange?: (files: EvidenceFile[]) => void;
}) {
  const action = useAction();
  const picker = useRef<HTMLInputElement>(null);
  const [removing, setRemoving] = useState<EvidenceFile | null>(null);
  const editable = uploadPath !== undefined && onChange !== undefined;
  if (!editable && files.length === 0) return null;

  const upload = (file: File) =>
    action.run(async () => {
      const form = new FormData();
      form.append('file', file, file.name);
      try {
        const stored = await api<EvidenceFile>('POST', `${uploadPath}?key=${encodeURIComponent(itemKey)}`, form);
        onChange?.([...files, stored]);
      } finally {
        if (picker.current) picker.current.value = '';
      }
    });

  const remove = (file: EvidenceFile) =>
    action.run(async () => {
      setRemoving(null);
      await api('DELETE', `/evidence/${file.id}`);
      onChange?.(files.filter((kept) => kept.id !== file.id));
    });

  return (
    <div className="evidence" data-testid={`evidence-${itemKey}`}>
      {files.length > 0 && (
        <ul className="evidence-files" aria-label={`${name} 的证据文件`}>
          {files.map((file) => (
            <li key={file.id}>
              <button
                type="button"
                className="link"
                title={`${file.uploadedBy} 上传`}
                onClick={() =>
                  void action.run(async () => void (await downloadFile(`/evidence/${file.id}`, file.fileName)))
                }
              >
                {file.fileName}
              </button>
              <span className="muted">（{sizeText(file.size)}）</span>
              {editable && (
                <button
                  type="button"
                  className="link danger"
                  aria-label={`删除 ${file.fileName}`}
                  onClick={() => setRemoving(file)}
                >
                  删除
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {editable && (
        <label className="evidence-upload">
          <span className="button">{action.busy ? '正在上传…' : '上传证据文件'}</span>
          <input
            ref={picker}
            type="file"
            accept={ACCEPT}
            aria-label={`${name}：上传证据文件`}
            disabled={action.busy}
            onChange={(e) => {
              const file = e.target.files?.[0];
              if (file) void upload(file);
            }}
          />
          <span className="muted">截图、PDF 或文档，单个不超过 20 MB，每项最多 10 个</span>
        </label>
      )}
      <ErrorNote message={action.error} />
      {removing && (
        <Dialog title="删除证据文件" onClose={() => setRemoving(null)}>
          <p>确定删除“{removing.fileName}”吗？删除后不能恢复，可以重新上传。</p>
          <div className="actions">
            <button type="button" className="danger" onClick={() => void remove(removing)}>
              删除
            </button>
            <button type="button" data-autofocus onClick={() => setRemoving(null)}>
              取消
            </button>
          </div>
        </Dialog>
      )}
    </div>
  );
}
