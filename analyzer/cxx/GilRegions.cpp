//===- GilRegions.cpp - Where a CPython extension has released the GIL ----===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

#include "GilRegions.h"

#include "AstNames.h"

#include "clang/AST/RecursiveASTVisitor.h"

using namespace clang;

namespace stallhound {

namespace {

bool calls(const CallExpr *CE, const char *Name) {
  const FunctionDecl *FD = CE->getDirectCallee();
  return FD && FD->getIdentifier() && FD->getName() == Name;
}

class RegionCollector : public RecursiveASTVisitor<RegionCollector> {
public:
  explicit RegionCollector(const SourceManager &SM) : SM(SM) {}

  std::vector<SourceLocation> Saves, Restores;
  std::vector<SourceRange> Scoped;

  bool TraverseLambdaExpr(LambdaExpr *) { return true; }

  bool VisitCallExpr(CallExpr *CE) {
    if (calls(CE, "PyEval_SaveThread"))
      Saves.push_back(SM.getFileLoc(CE->getBeginLoc()));
    else if (calls(CE, "PyEval_RestoreThread"))
      Restores.push_back(SM.getFileLoc(CE->getBeginLoc()));
    return true;
  }

  bool VisitCompoundStmt(CompoundStmt *CS) {
    for (const Stmt *Child : CS->body())
      if (const auto *DS = dyn_cast<DeclStmt>(Child))
        for (const Decl *D : DS->decls())
          if (const auto *VD = dyn_cast<VarDecl>(D);
              VD && className(VD->getType()) == "pybind11::gil_scoped_release")
            Scoped.push_back({SM.getFileLoc(VD->getBeginLoc()),
                              SM.getFileLoc(CS->getEndLoc())});
    return true;
  }

private:
  const SourceManager &SM;
};

} // namespace

GilRegions::GilRegions(const Stmt *Body, ASTContext &Ctx)
    : SM(Ctx.getSourceManager()) {
  if (!Body)
    return;
  RegionCollector C(SM);
  C.TraverseStmt(const_cast<Stmt *>(Body));
  Released = C.Scoped;
  // Each SaveThread releases until the next RestoreThread after it.
  for (SourceLocation Save : C.Saves) {
    SourceLocation End = SM.getFileLoc(Body->getEndLoc());
    for (SourceLocation Restore : C.Restores)
      if (SM.isBeforeInTranslationUnit(Save, Restore) &&
          SM.isBeforeInTranslationUnit(Restore, End))
        End = Restore;
    Released.push_back({Save, End});
  }
}

bool GilRegions::releasedAt(SourceLocation Loc) const {
  Loc = SM.getFileLoc(Loc);
  for (const SourceRange &R : Released)
    if (SM.isBeforeInTranslationUnit(R.getBegin(), Loc) &&
        SM.isBeforeInTranslationUnit(Loc, R.getEnd()))
      return true;
  return false;
}

bool isGilEntryTable(QualType T) {
  while (const auto *Array = T->getAsArrayTypeUnsafe())
    T = Array->getElementType();
  const RecordDecl *RD = T->getAsRecordDecl();
  if (!RD)
    return false;
  // The typedef names differ from the struct tags: compare the tags.
  StringRef Name = RD->getName();
  return Name == "PyMethodDef" || Name == "PyType_Slot" ||
         Name == "_typeobject" || Name == "PyGetSetDef";
}

} // namespace stallhound
