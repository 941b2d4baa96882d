// Preloaded (NODE_OPTIONS=--require) into every Node process of a benchmark
// run when GNU time is not installed: records the process's peak RSS (KiB).
'use strict';
const dir = process.env.EDU_BENCH_RSS_DIR;
if (dir) {
  process.on('exit', () => {
    try {
      require('node:fs').writeFileSync(require('node:path').join(dir, `${process.pid}`), String(process.resourceUsage().maxRSS));
    } catch {
      // Measuring must never change the outcome of the measured command.
    }
  });
}
