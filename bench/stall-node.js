// The node loop of bench/accuracy.py: a setTimeout callback busy-loops for
// each argument (ms), 100 ms apart, while perf_hooks.monitorEventLoopDelay
// (1 ms resolution) watches the loop; prints one line per stall with the
// histogram's maximum delay ("peer MS").
'use strict';
const { monitorEventLoopDelay, performance } = require('perf_hooks');

const stalls = process.argv.slice(2).map(Number);
const histogram = monitorEventLoopDelay({ resolution: 1 });
histogram.enable();
const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function handleStall(ms) {
  const end = performance.now() + ms;
  while (performance.now() < end) {
  }
}

(async () => {
  for (const ms of stalls) {
    await pause(100);
    histogram.reset();
    await new Promise((resolve) => setTimeout(() => { handleStall(ms); resolve(); }, 0));
    await pause(50);
    console.log('peer ' + (histogram.max / 1e6).toFixed(3));
  }
  histogram.disable();
})();
