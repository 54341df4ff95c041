// A timer callback that keeps the loop busy for process.argv[2] ms once.
const busyMs = Number(process.argv[2] || 300);

function busyCallback() {
  const end = Date.now() + busyMs;
  let x = 0;
  while (Date.now() < end) x += Math.sqrt(x + 1);
  return x;
}

let ticks = 0;
const timer = setInterval(() => {
  ticks += 1;
  if (ticks === 5) busyCallback();
  if (ticks === 12) clearInterval(timer);
}, 10);
