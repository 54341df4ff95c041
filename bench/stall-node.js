// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// The node loop of bench/accuracy.py: a setTimeout callback busy-loops for
// each argument (ms), 100 ms apart, while perf_hooks.monitorEventLoopDelay
// (1 ms resolution) watches the loop; prints per stall the callback's own
// view of it ("self MS") and the histogram's maximum delay ("peer MS").
'use strict';
const { monitorEventLoopDelay, performance } = require('perf_hooks');

const stalls = process.argv.slice(2).map(Number);
const histogram = monitorEventLoopDelay({ resolution: 1 });
histogram.enable();
const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Returns what the callback's own clock saw (printed later: the first
// console.log of a process takes milliseconds).
function handleStall(ms) {
  const start = performance.now();
  while (performance.now() < start + ms) {
  }
  return performance.now() - start;
}

(async () => {
  for (const ms of stalls) {
    await pause(100);
    histogram.reset();
    const self = await new Promise((resolve) => setTimeout(() => resolve(handleStall(ms)), 0));
    await pause(50);
    console.log('self ' + self.toFixed(3));
    console.log('peer ' + (histogram.max / 1e6).toFixed(3));
  }
  histogram.disable();
})();
