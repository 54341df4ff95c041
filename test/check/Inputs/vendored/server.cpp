#include <boost/asio/awaitable.hpp>

int main() {}
