import { parseRange } from './ip-address';

export const MAX_ENTRIES = 200;
export const MAX_NOTE = 50;

export interface DraftEntry {
  /** Local key for rendering; never sent. */
  key: number;
  cidr: string;
  note: string;
  /** When a saved entry was added; none for rows added on this screen. */
  addedAt?: string | null;
}

export type EntryProblem = 'invalid' | 'prefix' | 'duplicate' | 'noteTooLong' | 'required';

let nextKey = 1;
export const draftEntry = (cidr = '', note = '', addedAt: string | null = null): DraftEntry => ({ key: nextKey++, cidr, note, addedAt });

/** The same range written differently (`10.0.0.1/8` and `10.0.0.0/8`) counts as a duplicate. */
export function canonical(cidr: string): string | null {
  const range = parseRange(cidr);
  return typeof range === 'string' ? null : `${range.version}:${range.network}/${range.prefix}`;
}

/** Problems of one entry in the context of the others (index of the entry in `all`). */
export function entryProblem(entry: DraftEntry, all: readonly DraftEntry[], index: number): EntryProblem | null {
  const cidr = entry.cidr.trim();
  if (!cidr) return 'required';
  const range = parseRange(cidr);
  if (typeof range === 'string') return range;
  if ([...entry.note.trim()].length > MAX_NOTE) return 'noteTooLong';
  const key = canonical(cidr);
  if (all.some((other, i) => i < index && canonical(other.cidr.trim()) === key)) return 'duplicate';
  return null;
}
