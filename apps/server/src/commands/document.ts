import fs from 'node:fs/promises';
import { compileOnServer } from '@sluice/nodes/server';
import type { CompileResult } from '@sluice/spec';

export class DocumentReadError extends Error {
  override name = 'DocumentReadError';
}

/** Reads a workflow file (an editor graph or a sluice/v1 spec, as JSON) and compiles it. */
export async function compileFile(file: string): Promise<CompileResult> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    throw new DocumentReadError(
      `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
    );
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw new DocumentReadError(`${file} is not JSON: ${(error as Error).message}`);
  }
  return compileOnServer(doc);
}
