import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import { renderProtocolDoc } from '../src/protocol/protocol-doc.ts';
import { agentClientEvents } from '../src/protocol/agent-events.ts';
import { visitorClientEvents } from '../src/protocol/visitor-events.ts';
import { collabAgentEvents } from '../src/protocol/collab-events.ts';
import { internalClientEvents } from '../src/internal/internal-event-handlers.ts';

test('docs/protocol.md is generated from the current schemas (run npm run docs:protocol)', (t) => {
  const file = fs.readFileSync(path.resolve(import.meta.dirname, '../../docs/protocol.md'), 'utf8');
  t.is(file, renderProtocolDoc());
  for (const name of [
    ...Object.keys(agentClientEvents),
    ...Object.keys(visitorClientEvents),
    ...Object.keys(collabAgentEvents),
    ...Object.keys(internalClientEvents),
  ])
    t.true(file.includes(`### \`${name}\``), name);
});
