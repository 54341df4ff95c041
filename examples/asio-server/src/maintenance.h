#ifndef DEMO_MAINTENANCE_H
#define DEMO_MAINTENANCE_H

namespace demo {

// Moves the previous run's log aside. Blocks for about a second, so call it
// only before the event loop starts.
void rotate_logs();

} // namespace demo

#endif // DEMO_MAINTENANCE_H
