//===- TuRunner.cpp - Parse translation units and extract facts -----------===//

#include "TuRunner.h"

#include "AstNames.h"
#include "FactExtractor.h"

#include "clang/Basic/Diagnostic.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendAction.h"
#include "clang/Tooling/ArgumentsAdjusters.h"
#include "clang/Tooling/Tooling.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/CrashRecoveryContext.h"

using namespace clang;
using namespace clang::tooling;

namespace stallhound {

namespace {

/// Keeps errors (with their position) and drops everything else.
class ErrorCollector : public DiagnosticConsumer {
public:
  explicit ErrorCollector(std::vector<TuError> &Errors) : Errors(Errors) {}

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
    Errors.push_back(std::move(E));
  }

private:
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

} // namespace

TuFacts extractFacts(const CompilationDatabase &DB, const std::string &File,
                     const Config &Cfg, CommandAdjuster &Adjuster,
                     const std::string &HeaderFilter) {
  TuFacts Facts;
  Facts.MainFile = File;
  if (DB.getCompileCommands(File).empty()) {
    Facts.Errors.push_back(
        {{File, 0, 0}, "no compile command for this file in the database"});
    return Facts;
  }
  // A file system of its own: the working directory of each TU is then not
  // the process's, so TUs can be parsed on several threads (-j).
  ClangTool Tool(DB, {File}, std::make_shared<PCHContainerOperations>(),
                 llvm::vfs::createPhysicalFileSystem());
  std::string Directory = DB.getCompileCommands(File).front().Directory;
  Tool.appendArgumentsAdjuster(
      [&Adjuster, Directory](const CommandLineArguments &Args, StringRef) {
        return Adjuster.adjust(Args, Directory);
      });
  ErrorCollector Collector(Facts.Errors);
  Tool.setDiagnosticConsumer(&Collector);
  FactsActionFactory Factory(Cfg, HeaderFilter, Facts);
  // A crash on one TU must not lose the others: it becomes this TU's error.
  int Status = 1;
  llvm::CrashRecoveryContext Recovery;
  if (!Recovery.RunSafely([&] { Status = Tool.run(&Factory); })) {
    Facts.Errors.push_back(
        {{File, 0, 0}, "stallhound crashed while analyzing this file"});
    return Facts;
  }
  if (Status != 0 && Facts.Errors.empty())
    Facts.Errors.push_back({{File, 0, 0}, "the compiler could not run"});
  return Facts;
}

} // namespace stallhound
