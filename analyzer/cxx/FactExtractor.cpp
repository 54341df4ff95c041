//===- FactExtractor.cpp - Phase 1: facts of one translation unit ---------===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

#include "FactExtractor.h"

#include "AstNames.h"
#include "BodyScanner.h"
#include "FdOrigins.h"
#include "GilRegions.h"
#include "WorkQueues.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include <map>

using namespace clang;

namespace stallhound {

namespace {

class UserCodeVisitor : public RecursiveASTVisitor<UserCodeVisitor> {
public:
  UserCodeVisitor(ASTContext &Ctx, const Config &Cfg, const UserCode &User,
                  TuFacts &Out)
      : User(User), Scanner(Ctx, Cfg, User), Out(Out) {}

  bool shouldVisitTemplateInstantiations() const { return true; }

  bool VisitFunctionDecl(FunctionDecl *FD) {
    if (FD->doesThisDeclarationHaveABody() && !FD->isImplicit() &&
        !FD->isInvalidDecl() && User.contains(FD))
      record(Scanner.scan(FD));
    recordMarkedEntries();
    return true;
  }

  bool VisitVarDecl(VarDecl *VD) {
    if (VD->getInit() && isGilEntryTable(VD->getType()) && User.contains(VD))
      markFunctionsIn(VD->getInit());
    return true;
  }

  bool VisitLambdaExpr(LambdaExpr *L) {
    // RecursiveASTVisitor walks a lambda's body but not its call operator.
    CXXMethodDecl *Call = L->getCallOperator();
    if (Call && Call->hasBody() && User.contains(Call))
      record(Scanner.scan(Call));
    recordMarkedEntries();
    return true;
  }

  void setMemberFacts(MemberFds Fds,
                      llvm::DenseSet<const ValueDecl *> WorkQueues) {
    Scanner.setMemberFacts(std::move(Fds), std::move(WorkQueues));
  }

  void finish() {
    for (auto &Entry : ById)
      Out.Functions.push_back(std::move(Entry.second));
  }

private:
  const UserCode &User;
  BodyScanner Scanner;
  TuFacts &Out;
  std::map<std::string, FunctionFacts> ById;

  /// Every function a CPython table points at runs with the GIL held.
  void markFunctionsIn(const Stmt *S) {
    if (const auto *DRE = dyn_cast<DeclRefExpr>(S))
      if (const auto *FD = dyn_cast<FunctionDecl>(DRE->getDecl());
          FD && User.contains(FD))
        Scanner.markGilEntry(FD);
    for (const Stmt *Child : S->children())
      if (Child)
        markFunctionsIn(Child);
    recordMarkedEntries();
  }

  void recordMarkedEntries() {
    for (FunctionFacts &M : Scanner.takeMarkedEntries())
      record(std::move(M));
  }

  void record(FunctionFacts F) {
    // A function the TU only declares is known by its symbol alone.
    std::string Key = F.Id.empty() ? "symbol " + F.Symbol : F.Id;
    auto [It, Inserted] = ById.try_emplace(Key, F);
    if (!Inserted)
      It->second.mergeFrom(F);
  }
};

} // namespace

static void noteInputs(const SourceManager &SM, std::vector<std::string> &Out) {
  for (auto It = SM.fileinfo_begin(); It != SM.fileinfo_end(); ++It) {
    StringRef Real = It->first.getFileEntry().tryGetRealPathName();
    Out.push_back(Real.empty() ? It->first.getName().str() : Real.str());
  }
}

static void noteLibraries(const SourceManager &SM,
                          std::vector<std::string> &Out) {
  bool BoostAsio = false, Asio = false;
  for (auto It = SM.fileinfo_begin(); It != SM.fileinfo_end(); ++It) {
    StringRef Name = It->first.getName();
    if (Name.contains("/boost/asio/"))
      BoostAsio = true;
    else if (Name.contains("/asio/") || Name.ends_with("/asio.hpp"))
      Asio = true;
  }
  for (auto [Seen, Library] :
       {std::pair{BoostAsio, "boost-asio"}, {Asio, "asio"}})
    if (Seen && std::find(Out.begin(), Out.end(), Library) == Out.end())
      Out.push_back(Library);
}

/// Every method of the user's classes with a body (constructors included):
/// what members are for is decided across them.
static std::vector<const FunctionDecl *> userMethods(ASTContext &Ctx,
                                                     const UserCode &User) {
  class MethodCollector : public RecursiveASTVisitor<MethodCollector> {
  public:
    explicit MethodCollector(const UserCode &User) : User(User) {}
    std::vector<const FunctionDecl *> Methods;
    bool VisitCXXMethodDecl(CXXMethodDecl *MD) {
      if (MD->doesThisDeclarationHaveABody() && User.contains(MD))
        Methods.push_back(MD);
      return true;
    }

  private:
    const UserCode &User;
  } Collector(User);
  for (Decl *D : Ctx.getTranslationUnitDecl()->decls())
    if (User.contains(D))
      Collector.TraverseDecl(D);
  return std::move(Collector.Methods);
}

void FactExtractor::HandleTranslationUnit(ASTContext &Ctx) {
  const SourceManager &SM = Ctx.getSourceManager();
  noteLibraries(SM, Out.Libraries);
  noteInputs(SM, Out.Inputs);
  UserCode User(SM, HeaderFilter, Cfg.LibraryHeaders);
  UserCodeVisitor Visitor(Ctx, Cfg, User, Out);
  std::vector<const FunctionDecl *> Methods = userMethods(Ctx, User);
  // Members that some method makes non-blocking (a wake-up pipe set
  // O_NONBLOCK in the constructor and written in another method).
  MemberFds Members = FdOrigins::memberFacts(Methods, Ctx);
  for (const ValueDecl *Member : Members.NonBlocking)
    Out.NonBlockingMembers.push_back(declId(Member, SM));
  std::sort(Out.NonBlockingMembers.begin(), Out.NonBlockingMembers.end());
  Visitor.setMemberFacts(std::move(Members), workQueueMembers(Methods));
  // Library code (system headers, known libraries, headers outside the
  // filter) is not walked at all: its API is described by rules.
  for (Decl *D : Ctx.getTranslationUnitDecl()->decls())
    if (User.contains(D))
      Visitor.TraverseDecl(D);
  Visitor.finish();
}

} // namespace stallhound
