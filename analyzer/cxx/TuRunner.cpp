//===- TuRunner.cpp - Parse translation units and extract facts -----------===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

#include "TuRunner.h"

#include "AstNames.h"
#include "FactExtractor.h"

#include "clang/Basic/Diagnostic.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendAction.h"
#include "clang/Tooling/ArgumentsAdjusters.h"
#include "clang/Tooling/Tooling.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/PrettyStackTrace.h"

using namespace clang;
using namespace clang::tooling;

namespace stallhound {

namespace {

/// One command for the file, whatever else the database has for it.
class SingleCommandDatabase : public CompilationDatabase {
public:
  explicit SingleCommandDatabase(CompileCommand Command)
      : Command(std::move(Command)) {}
  std::vector<CompileCommand> getCompileCommands(StringRef) const override {
    return {Command};
  }

private:
  CompileCommand Command;
};

/// Keeps errors (with their position) and drops everything else.
class ErrorCollector : public DiagnosticConsumer {
public:
  ErrorCollector(std::string MainFile, std::vector<TuError> &Errors)
      : MainFile(std::move(MainFile)), Errors(Errors) {}

  void HandleDiagnostic(DiagnosticsEngine::Level Level,
                        const Diagnostic &Info) override {
    DiagnosticConsumer::HandleDiagnostic(Level, Info);
    if (Level < DiagnosticsEngine::Error)
      return;
    llvm::SmallString<200> Message;
    Info.FormatDiagnostic(Message);
    TuError E;
    E.Message = std::string(Message);
    if (Info.getLocation().isValid() && Info.hasSourceManager())
      E.Loc = userLoc(Info.getLocation(), Info.getSourceManager());
    if (E.Loc.File.empty()) // the driver's errors have no position
      E.Loc = {MainFile, 0, 0};
    Errors.push_back(std::move(E));
  }

private:
  std::string MainFile;
  std::vector<TuError> &Errors;
};

class FactsAction : public ASTFrontendAction {
public:
  FactsAction(const Config &Cfg, const std::string &HeaderFilter, TuFacts &Out)
      : Cfg(Cfg), HeaderFilter(HeaderFilter), Out(Out) {}

  std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance &,
                                                 StringRef) override {
    return std::make_unique<FactExtractor>(Cfg, HeaderFilter, Out);
  }

private:
  const Config &Cfg;
  const std::string &HeaderFilter;
  TuFacts &Out;
};

class FactsActionFactory : public FrontendActionFactory {
public:
  FactsActionFactory(const Config &Cfg, const std::string &HeaderFilter,
                     TuFacts &Out)
      : Cfg(Cfg), HeaderFilter(HeaderFilter), Out(Out) {}
  std::unique_ptr<FrontendAction> create() override {
    return std::make_unique<FactsAction>(Cfg, HeaderFilter, Out);
  }

private:
  const Config &Cfg;
  const std::string &HeaderFilter;
  TuFacts &Out;
};

/// The program or library a compile command builds for: CMake's
/// CMakeFiles/<target>.dir and Meson's <target>.p in the object's path, or
/// the object's directory; "" when the command names no object.
std::string linkUnitOf(const CompileCommand &Command) {
  std::string Output = Command.Output;
  const auto &Args = Command.CommandLine;
  for (size_t I = 0; Output.empty() && I < Args.size(); ++I) {
    if (Args[I] == "-o" && I + 1 < Args.size())
      Output = Args[I + 1];
    else if (llvm::StringRef(Args[I]).starts_with("-o") && Args[I].size() > 2)
      Output = Args[I].substr(2);
  }
  if (Output.empty())
    return "";
  llvm::SmallString<256> Path(Output);
  if (!llvm::sys::path::is_absolute(Path))
    llvm::sys::fs::make_absolute(Command.Directory, Path);
  llvm::sys::path::remove_dots(Path, /*remove_dot_dot=*/true);
  llvm::SmallString<256> Unit;
  for (auto It = llvm::sys::path::begin(Path), End = llvm::sys::path::end(Path);
       It != End; ++It) {
    llvm::sys::path::append(Unit, *It);
    if (It->ends_with(".dir") || It->ends_with(".p"))
      return std::string(Unit);
  }
  return llvm::sys::path::parent_path(Path).str();
}

} // namespace

TuFacts extractFacts(const CompilationDatabase &DB, const std::string &File,
                     const Config &Cfg, CommandAdjuster &Adjuster,
                     const std::string &HeaderFilter) {
  TuFacts Facts;
  Facts.MainFile = File;
  auto Setup = [&](std::string Message) {
    Facts.Errors.push_back(
        {{File, 0, 0}, std::move(Message), TuError::Kind::Setup});
    return Facts;
  };
  std::vector<CompileCommand> Commands = DB.getCompileCommands(File);
  if (Commands.empty())
    return Setup("no compile command for this file in the database");
  if (!llvm::sys::fs::exists(File))
    return Setup("no such file");
  // A file listed several times is analyzed once, with its first command.
  SingleCommandDatabase First(Commands.front());
  Facts.LinkUnit = linkUnitOf(Commands.front());
  // A file system of its own: the working directory of each TU is then not
  // the process's.
  ClangTool Tool(First, {File}, std::make_shared<PCHContainerOperations>(),
                 llvm::vfs::createPhysicalFileSystem());
  std::string Directory = Commands.front().Directory;
  Tool.appendArgumentsAdjuster(
      [&Adjuster, Directory](const CommandLineArguments &Args, StringRef) {
        return Adjuster.adjust(Args, Directory);
      });
  ErrorCollector Collector(File, Facts.Errors);
  Tool.setDiagnosticConsumer(&Collector);
  FactsActionFactory Factory(Cfg, HeaderFilter, Facts);
  llvm::PrettyStackTraceFormat Crumb("stallhound: analyzing %s", File.c_str());
  int Status = Tool.run(&Factory);
  if (Status != 0 && Facts.Errors.empty())
    return Setup("the compiler could not run");
  return Facts;
}

} // namespace stallhound
