// Allocates hard on a 5 ms timer for 40 ticks: V8's scavenger runs on the
// loop thread and waits for its helper threads.
let keep = [];
let ticks = 0;
const timer = setInterval(() => {
  for (let i = 0; i < 200000; i++) keep.push({i, s: 'x' + i});
  if (keep.length > 2000000) keep = [];
  if (++ticks === 40) clearInterval(timer);
}, 5);
