"""usage: expect-exit.py STATUS CMD ARGS... -- runs CMD and succeeds only when it
exits with STATUS (lit's `not` only tells zero from non-zero)."""
import subprocess
import sys

want = int(sys.argv[1])
got = subprocess.call(sys.argv[2:])
if got != want:
    sys.exit("expected exit status %d, got %d: %s" % (want, got, " ".join(sys.argv[2:])))
