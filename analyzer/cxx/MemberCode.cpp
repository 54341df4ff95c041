//===- MemberCode.cpp - Every statement a class's methods evaluate --------===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

#include "MemberCode.h"

#include "clang/AST/DeclCXX.h"
#include "llvm/ADT/SetVector.h"

using namespace clang;

namespace stallhound {

void forEachMemberCode(const std::vector<const FunctionDecl *> &Methods,
                       llvm::function_ref<void(Stmt *)> Visit) {
  llvm::SetVector<const CXXRecordDecl *> Classes;
  for (const FunctionDecl *FD : Methods) {
    if (Stmt *Body = FD->getBody())
      Visit(Body);
    if (const auto *Method = dyn_cast<CXXMethodDecl>(FD))
      Classes.insert(Method->getParent());
    if (const auto *Ctor = dyn_cast<CXXConstructorDecl>(FD))
      for (const CXXCtorInitializer *Init : Ctor->inits())
        if (Init->getInit())
          Visit(Init->getInit());
  }
  for (const CXXRecordDecl *Class : Classes)
    for (const FieldDecl *Field : Class->fields())
      if (Field->hasInClassInitializer())
        Visit(Field->getInClassInitializer());
}

} // namespace stallhound
