// A library header (included with -isystem) whose macro writes a loop, like
// asio's stackless coroutines (reenter/yield).
#pragma once
#define LIB_WAIT_FOR(flag)                                                     \
  for (;;)                                                                     \
    if (*(flag))                                                               \
      break;
