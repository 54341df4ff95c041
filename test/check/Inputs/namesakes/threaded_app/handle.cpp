#include "../handle.h"

#include <unistd.h>

void handle(int fd) {
  sleep(1); // a thread per connection: blocking is its design
  (void)fd;
}
