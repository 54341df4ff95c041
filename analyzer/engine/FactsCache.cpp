//===- FactsCache.cpp - Skip parsing translation units that did not change ===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

#include "FactsCache.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/xxhash.h"

#include <cstdio>
#include <fstream>
#include <sstream>
#include <unistd.h>

namespace stallhound {

namespace {

std::string hex(uint64_t V) {
  char Buf[17];
  std::snprintf(Buf, sizeof Buf, "%016llx", static_cast<unsigned long long>(V));
  return Buf;
}

std::optional<std::string> contentHash(const std::string &Path) {
  auto Buffer = llvm::MemoryBuffer::getFile(Path, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  if (!Buffer)
    return std::nullopt;
  return hex(llvm::xxh3_64bits((*Buffer)->getBuffer()));
}

/// Size and modification time: cheap to compare before hashing.
std::optional<std::pair<uint64_t, int64_t>> stamp(const std::string &Path) {
  llvm::sys::fs::file_status Status;
  if (llvm::sys::fs::status(Path, Status))
    return std::nullopt;
  return std::pair<uint64_t, int64_t>(
      Status.getSize(),
      Status.getLastModificationTime().time_since_epoch().count());
}

} // namespace

FactsCache::FactsCache(std::string Dir, std::string Configuration)
    : Dir(std::move(Dir)), Configuration(std::move(Configuration)) {
  llvm::sys::fs::create_directories(this->Dir);
}

std::string FactsCache::entryPath(const std::string &CommandKey) const {
  return Dir + "/" + hex(llvm::xxh3_64bits(Configuration + "\n" + CommandKey)) +
         ".json";
}

std::optional<TuFacts> FactsCache::lookup(const std::string &CommandKey) const {
  std::ifstream In(entryPath(CommandKey));
  if (!In)
    return std::nullopt;
  std::stringstream Text;
  Text << In.rdbuf();
  nlohmann::json Entry = nlohmann::json::parse(Text.str(), nullptr, false);
  if (Entry.is_discarded() ||
      Entry.value("configuration", "") != Configuration ||
      Entry.value("command", "") != CommandKey)
    return std::nullopt;
  try {
    for (const auto &Input : Entry.at("inputs")) {
      std::string Path = Input.at("path").get<std::string>();
      auto Now = stamp(Path);
      if (!Now)
        return std::nullopt;
      bool SameStamp = Now->first == Input.at("size").get<uint64_t>() &&
                       Now->second == Input.at("mtime").get<int64_t>();
      if (!SameStamp &&
          contentHash(Path) != Input.at("hash").get<std::string>())
        return std::nullopt;
    }
    TuFacts Facts = tuFactsFromJson(Entry.at("facts"));
    Facts.FromCache = true;
    return Facts;
  } catch (const std::exception &) {
    return std::nullopt; // a damaged entry is a miss, never an error
  }
}

void FactsCache::store(const std::string &CommandKey,
                       const TuFacts &Facts) const {
  if (!Facts.Errors.empty())
    return;
  nlohmann::json Inputs = nlohmann::json::array();
  for (const std::string &Path : Facts.Inputs) {
    auto Stamp = stamp(Path);
    auto Hash = contentHash(Path);
    if (!Stamp || !Hash)
      return; // cannot validate later: do not cache
    Inputs.push_back({{"path", Path},
                      {"size", Stamp->first},
                      {"mtime", Stamp->second},
                      {"hash", *Hash}});
  }
  nlohmann::json Entry = {{"configuration", Configuration},
                          {"command", CommandKey},
                          {"inputs", std::move(Inputs)},
                          {"facts", toJson(Facts)}};
  std::string Path = entryPath(CommandKey);
  std::string Temp = Path + ".tmp" + std::to_string(::getpid());
  {
    std::ofstream Out(Temp);
    Out << Entry.dump();
    if (!Out)
      return;
  }
  llvm::sys::fs::rename(Temp, Path);
}

} // namespace stallhound
