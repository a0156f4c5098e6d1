// Writes docs/protocol.md from the zod schemas in core/src/protocol (run: npm run docs:protocol).
import fs from 'node:fs';
import path from 'node:path';
import { renderProtocolDoc } from '../core/src/protocol/protocol-doc.ts';

const out = path.resolve(import.meta.dirname, '../docs/protocol.md');
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, renderProtocolDoc());
console.log(`wrote ${out}`);
