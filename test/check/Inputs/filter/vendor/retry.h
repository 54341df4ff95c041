#pragma once
#include <unistd.h>

inline void vendor_backoff() { usleep(100); }
