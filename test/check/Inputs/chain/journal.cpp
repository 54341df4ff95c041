#include "helpers.h"

#include <unistd.h>

namespace {
void sync_to_disk() { fsync(3); }
void wait_for_replica() { usleep(20000); }
} // namespace

void flush_journal() {
  sync_to_disk();
  wait_for_replica();
}

int compute_digest(int rounds) {
  int h = 0;
  for (int i = 0; i < rounds; ++i)
    h = h * 31 + i;
  return h;
}
