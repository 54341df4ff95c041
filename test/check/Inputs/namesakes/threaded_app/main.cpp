#include "../handle.h"

#include <thread>

int main() {
  std::thread([] { handle(0); }).join();
}
