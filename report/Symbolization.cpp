//===- Symbolization.cpp - Offline names and lines of runtime frames ------===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

#include "Symbolization.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Object/BuildID.h"
#include "llvm/Object/ObjectFile.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/FileSystem.h"

namespace stallhound::report {

namespace {

llvm::symbolize::LLVMSymbolizer::Options
symbolizerOptions(const std::vector<std::string> &DebugDirs) {
  llvm::symbolize::LLVMSymbolizer::Options Options;
  Options.Demangle = true;
  Options.PrintFunctions = llvm::symbolize::FunctionNameKind::LinkageName;
  // LLVM searches /usr/lib/debug only when no directory is given.
  Options.DebugFileDirectory = DebugDirs;
  Options.DebugFileDirectory.push_back("/usr/lib/debug");
  return Options;
}

bool known(const std::string &Value) {
  return !Value.empty() && Value != "<invalid>" && Value != "??";
}

/// Code the program did not write: the C++ library and templates inlined
/// from libraries, the C runtime's entry points.
bool isLibraryFunction(const std::string &Name) {
  static const char *Prefixes[] = {
      "std::", "__gnu_cxx::", "boost::", "asio::", "__", "_start"};
  for (const char *Prefix : Prefixes)
    if (Name.rfind(Prefix, 0) == 0)
      return true;
  // "void std::..." and the like: a return type before the name.
  size_t Space = Name.find(' ');
  size_t Paren = Name.find('(');
  return Space != std::string::npos && Space < Paren &&
         isLibraryFunction(Name.substr(Space + 1));
}

} // namespace

Symbolization::Symbolization(const std::vector<std::string> &DebugDirs)
    : Symbolizer(symbolizerOptions(DebugDirs)) {}

const std::string &Symbolization::buildIdOnDisk(const std::string &Module) {
  auto [It, New] = BuildIdOnDisk.try_emplace(Module);
  if (!New)
    return It->second;
  auto Object = llvm::object::ObjectFile::createObjectFile(Module);
  if (!Object) {
    llvm::consumeError(Object.takeError());
    return It->second;
  }
  llvm::object::BuildIDRef Id = llvm::object::getBuildID(Object->getBinary());
  It->second = llvm::toHex(Id, /*LowerCase=*/true);
  return It->second;
}

Symbolization::SourceInfo Symbolization::lookUp(const std::string &Module,
                                                const std::string &BuildId,
                                                uint64_t Address) {
  auto [It, New] = Cache.try_emplace({Module, BuildId, Address});
  if (!New)
    return It->second;
  llvm::object::SectionedAddress Where{
      Address, llvm::object::SectionedAddress::UndefSection};
  const std::string &DiskId = buildIdOnDisk(Module);
  std::optional<llvm::Expected<llvm::DILineInfo>> Info;
  if (!DiskId.empty() && (BuildId.empty() || DiskId == BuildId))
    Info.emplace(Symbolizer.symbolizeCode(Module, Where));
  else if (llvm::object::BuildID Id = llvm::object::parseBuildID(BuildId);
           !Id.empty())
    Info.emplace(Symbolizer.symbolizeCode(Id, Where));
  if (!Info)
    return It->second;
  if (!*Info) {
    llvm::consumeError(Info->takeError());
    return It->second;
  }
  if (known((*Info)->FunctionName))
    It->second.Function = (*Info)->FunctionName;
  if (known((*Info)->FileName) && (*Info)->Line > 0) {
    It->second.File = (*Info)->FileName;
    It->second.Line = (*Info)->Line;
  }
  return It->second;
}

bool Symbolization::symbolizeFrame(StackFrame &Frame, bool IsReturnAddress) {
  if (Frame.Module.empty() || (known(Frame.Function) && !Frame.File.empty()))
    return false;
  uint64_t Address = Frame.Offset;
  if (IsReturnAddress && Address > 0)
    --Address; // inside the call instruction, not after it
  SourceInfo Info =
      lookUp(Frame.Module, llvm::StringRef(Frame.BuildId).lower(), Address);
  bool Changed = false;
  if (!known(Frame.Function) && !Info.Function.empty()) {
    Frame.Function = Info.Function;
    Changed = true;
  }
  if (Frame.File.empty() && !Info.File.empty()) {
    Frame.File = Info.File;
    Frame.Line = Info.Line;
    Changed = true;
  }
  return Changed;
}

/// python3.11, node, ruby...: a program whose own frames are no handler.
static bool isInterpreter(const std::string &Exe) {
  std::string Name = Exe.substr(Exe.rfind('/') + 1);
  for (const char *Interpreter :
       {"python", "node", "nodejs", "ruby", "perl", "php", "lua", "java"})
    if (Name.rfind(Interpreter, 0) == 0)
      return true;
  return false;
}

size_t Symbolization::symbolize(RuntimeFinding &F, const std::string &Exe) {
  size_t Completed = 0;
  for (size_t I = 0; I < F.Stack.size(); ++I)
    Completed += symbolizeFrame(F.Stack[I], !(I == 0 && F.Sampled));
  if (!F.Handler) {
    // In a stripped program the probe saw no names: the handler is the
    // innermost frame of the main program that is not library code (never
    // the interpreter's own C code, which runs every handler).
    if (isInterpreter(Exe) || !F.PythonStack.empty())
      return Completed;
    for (const StackFrame &Frame : F.Stack)
      if (Frame.Module == Exe && known(Frame.Function) &&
          !isLibraryFunction(Frame.Function)) {
        F.Handler = RuntimeHandler{
            Frame.Function, Frame.Module, Frame.File, Frame.Line,
            Frame.Function.find("::") == std::string::npos ? "c" : "c++"};
        break;
      }
    return Completed;
  }
  if (F.Handler->Language == "python")
    return Completed;
  RuntimeHandler &H = *F.Handler;
  for (const StackFrame &Frame : F.Stack) {
    if (Frame.Module != H.Module || !known(Frame.Function))
      continue;
    if (!known(H.Name))
      H.Name = Frame.Function;
    if (Frame.Function != H.Name)
      continue;
    if (H.File.empty() && !Frame.File.empty()) {
      H.File = Frame.File;
      H.Line = Frame.Line;
    }
    break;
  }
  return Completed;
}

} // namespace stallhound::report
