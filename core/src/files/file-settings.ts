import { z } from 'zod';
import type { Db } from '../infra/db.ts';
import { FILE_GROUPS } from './file-types.ts';

const MB = 1024 * 1024;
/** The largest cap a company may set (CONV-FILE-14), and so the cap before the company is known. */
export const MAX_FILE_MB = 100;
/** Images are capped at 10 MB whatever the file cap (CONV-FILE-14). */
export const MAX_IMAGE_MB = 10;

/**
 * The 文件传输 settings, read from companies.chat_settings (flat keys, each
 * optional; a bad value falls back to the default rather than breaking uploads).
 */
const fileSettings = z.object({
  maxFileMb: z.number().int().min(1).max(MAX_FILE_MB).catch(20),
  autoAcceptVisitorFiles: z.boolean().catch(false),
  fileGroups: z.array(z.enum(FILE_GROUPS)).catch([...FILE_GROUPS]),
});

export interface FileSettings {
  maxBytes: number;
  maxImageBytes: number;
  autoAcceptVisitorFiles: boolean;
  groups: (typeof FILE_GROUPS)[number][];
}

export async function readFileSettings(db: Db, companyId: number): Promise<FileSettings> {
  const row = await db('companies').where({ id: companyId }).first('chat_settings');
  const raw = row?.chat_settings && typeof row.chat_settings === 'object' ? row.chat_settings : {};
  const s = fileSettings.parse({ maxFileMb: raw.maxFileMb, autoAcceptVisitorFiles: raw.autoAcceptVisitorFiles, fileGroups: raw.fileGroups });
  return {
    maxBytes: s.maxFileMb * MB,
    maxImageBytes: Math.min(s.maxFileMb, MAX_IMAGE_MB) * MB,
    autoAcceptVisitorFiles: s.autoAcceptVisitorFiles,
    groups: s.fileGroups,
  };
}
