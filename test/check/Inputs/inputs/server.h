#pragma once
#include <unistd.h>

// A header no compile command lists: it gets server.cpp's command.
inline void pause_briefly() { usleep(100); }
