#pragma once
// Both programs declare the same function; each defines its own.
void handle(int fd);
