// Node flags of the production worker process (`npm run start:worker`, and the benchmarks that
// stand for it; package.json's script must carry the same, which a test checks).
//
// V8 sizes its heap from the machine's memory and collects old objects lazily, so a worker on a
// large box grows its RSS with garbage during a big device sync (370 MB at 100k devices on a
// 24 GB machine). A 256 MB old-space limit makes it collect sooner: 281–289 MB peak for the
// same sync at the same speed (bench/README.md). The live set is far below it.
export const WORKER_NODE_FLAGS = ['--max-old-space-size=256'] as const;
