// Two "routes" that run once each, so V8 never compiles them: a synchronous
// read of the file named by process.argv[2] and a synchronous key derivation.
// Still interpreted, they have no frame of their own on the native stack
// unless node runs with --interpreted-frames-native-stack.
const fs = require('fs');
const crypto = require('crypto');

function readColdFile() {
  return fs.readFileSync(process.argv[2]).length;
}

function deriveColdKey() {
  return crypto.pbkdf2Sync('secret', 'salt', 1500000, 32, 'sha256').length;
}

let ticks = 0;
const timer = setInterval(() => {
  ticks += 1;
  if (ticks === 3) readColdFile();
  if (ticks === 6) deriveColdKey();
  if (ticks === 9) clearInterval(timer);
}, 10);
