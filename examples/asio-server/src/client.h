#ifndef DEMO_CLIENT_H
#define DEMO_CLIENT_H

#include <cstdint>
#include <string>
#include <vector>

namespace demo {

// Sends each command to the server on 127.0.0.1:`port` as one line and prints
// each reply line. Returns the process exit status.
int run_client(std::uint16_t port, const std::vector<std::string> &commands);

} // namespace demo

#endif // DEMO_CLIENT_H
