//===- EventStream.cpp - What a probe's event stream tells after a run ----===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

#include "EventStream.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <utility>

namespace stallhound {

std::string eventStreamOf(const std::string &ReportPath) {
  std::string Base = ReportPath;
  if (Base.size() >= 5 && Base.compare(Base.size() - 5, 5, ".json") == 0)
    Base.erase(Base.size() - 5);
  return Base + ".events.ndjson";
}

EventStreamSummary readEventStream(const std::string &Path) {
  EventStreamSummary Summary;
  std::ifstream In(Path);
  if (!In)
    return Summary;
  Summary.Readable = true;
  // A stall is its loop thread and iteration; an open one remembers when it
  // was first seen, to keep that order. The watchdog may write its last
  // open-stall line just after the loop thread wrote the closing one.
  using StallKey = std::pair<int64_t, int64_t>;
  std::map<StallKey, std::pair<size_t, nlohmann::json>> Open;
  std::set<StallKey> Closed;
  std::string Line;
  size_t Seen = 0;
  while (std::getline(In, Line)) {
    nlohmann::json Event = nlohmann::json::parse(Line, nullptr, false);
    if (!Event.is_object())
      break;
    std::string Kind = Event.value("event", "");
    if (Kind == "start") {
      Summary.Pid = Event.value("pid", 0);
    } else if (Kind == "exit") {
      Summary.Exited = true;
    } else if (Kind == "open-stall" || Kind == "stall") {
      if (!Event["tid"].is_number_integer() ||
          !Event["iteration"].is_number_integer())
        continue;
      StallKey Key{Event["tid"].get<int64_t>(),
                   Event["iteration"].get<int64_t>()};
      if (Kind == "stall") {
        Open.erase(Key);
        Closed.insert(Key);
        continue;
      }
      if (Closed.count(Key))
        continue;
      auto [It, Inserted] = Open.try_emplace(Key, Seen++, Event);
      if (!Inserted)
        It->second.second = std::move(Event);
    }
  }
  std::vector<std::pair<size_t, nlohmann::json>> Ordered;
  for (auto &[Key, Stall] : Open)
    Ordered.push_back(std::move(Stall));
  std::sort(Ordered.begin(), Ordered.end(),
            [](const auto &A, const auto &B) { return A.first < B.first; });
  for (auto &[Order, Stall] : Ordered)
    Summary.OpenStalls.push_back(std::move(Stall));
  return Summary;
}

} // namespace stallhound
