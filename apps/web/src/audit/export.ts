// Exporting a chain as JSON Lines: every page of `audit.export`, joined, saved as one file.
import { api } from '../api/client';

/** The whole chain (workspace or run) as one JSON Lines text, oldest event first. */
export async function exportChain(runId: string | null): Promise<{ filename: string; body: string }> {
  let afterSeq = 0;
  const parts: string[] = [];
  let filename = `audit-${runId ?? 'workspace'}.jsonl`;
  for (let page = 0; page < 1000; page += 1) {
    const result = await api.audit.export.query({ ...(runId ? { runId } : {}), afterSeq });
    if (page === 0) filename = result.filename.replace(/-\d+\.jsonl$/, '.jsonl');
    parts.push(result.body);
    if (result.complete) break;
    afterSeq = result.lastSeq;
  }
  return { filename, body: parts.join('') };
}

/** Saves `body` as a file the browser downloads. */
export function downloadText(filename: string, body: string, type: string): void {
  const url = URL.createObjectURL(new Blob([body], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
