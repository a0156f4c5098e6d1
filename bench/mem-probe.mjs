// Preloaded into the servers the memory benchmark measures (node --expose-gc --import this):
// on SIGUSR2 it runs a full GC and writes process.memoryUsage() to BENCH_MEM_FILE.
import fs from 'node:fs';

const file = process.env.BENCH_MEM_FILE;
if (file && typeof globalThis.gc === 'function')
  process.on('SIGUSR2', () => {
    globalThis.gc();
    globalThis.gc();
    fs.writeFileSync(file, JSON.stringify(process.memoryUsage()));
  });
