//===- AstNames.cpp - Stable names for declarations and types -------------===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

#include "AstNames.h"

#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/Basic/FileManager.h"
#include "clang/Index/USRGeneration.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/xxhash.h"

#include <cstdio>

using namespace clang;

namespace stallhound {

namespace {

std::string contextPrefix(const DeclContext *DC) {
  std::string Prefix;
  for (; DC && !DC->isTranslationUnit(); DC = DC->getParent()) {
    std::string Part;
    if (const auto *NS = dyn_cast<NamespaceDecl>(DC)) {
      if (NS->isInline())
        continue;
      Part = NS->isAnonymousNamespace() ? "(anonymous)" : NS->getNameAsString();
    } else if (const auto *RD = dyn_cast<RecordDecl>(DC)) {
      if (const auto *CRD = dyn_cast<CXXRecordDecl>(RD); CRD && CRD->isLambda())
        Part = "(lambda)";
      else
        Part = RD->getNameAsString();
      if (Part.empty())
        Part = "(anonymous)";
    } else if (const auto *FD = dyn_cast<FunctionDecl>(DC)) {
      Part = FD->getNameAsString();
    } else {
      continue; // extern "C" blocks, linkage specs
    }
    Prefix = Part + "::" + Prefix;
  }
  return Prefix;
}

} // namespace

std::string ruleName(const NamedDecl *D) {
  if (const auto *Ctor = dyn_cast<CXXConstructorDecl>(D))
    D = Ctor->getParent(); // rules name a constructor by its class
  return contextPrefix(D->getDeclContext()) + D->getDeclName().getAsString();
}

static const CXXRecordDecl *classOf(QualType T) {
  if (T.isNull())
    return nullptr;
  T = T.getNonReferenceType().getCanonicalType();
  if (T->isPointerType()) // obj->method(): the receiver is the pointee
    T = T->getPointeeType();
  return T->getAsCXXRecordDecl();
}

std::string className(QualType T) {
  const CXXRecordDecl *RD = classOf(T);
  return RD ? ruleName(RD) : std::string();
}

bool classOrBaseNamed(QualType T, const std::vector<std::string> &Names) {
  const CXXRecordDecl *RD = classOf(T);
  if (!RD)
    return false;
  auto Named = [&](const CXXRecordDecl *C) {
    std::string N = ruleName(C);
    return std::find(Names.begin(), Names.end(), N) != Names.end();
  };
  if (Named(RD))
    return true;
  if (!RD->hasDefinition())
    return false;
  bool Found = false;
  RD->forallBases([&](const CXXRecordDecl *Base) {
    if (Named(Base))
      Found = true;
    return !Found;
  });
  return Found;
}

SourceLoc userLoc(SourceLocation Loc, const SourceManager &SM) {
  SourceLocation FileLoc = SM.getFileLoc(Loc);
  PresumedLoc P = SM.getPresumedLoc(FileLoc);
  if (P.isInvalid())
    return {};
  llvm::SmallString<256> Path(P.getFilename());
  if (!llvm::sys::path::is_absolute(Path)) // relative to the TU's directory
    SM.getFileManager().getVirtualFileSystem().makeAbsolute(Path);
  llvm::sys::path::remove_dots(Path, /*remove_dot_dot=*/true);
  return {std::string(Path), P.getLine(), P.getColumn()};
}

bool inSystemHeader(const Decl *D, const SourceManager &SM) {
  SourceLocation Loc = D->getLocation();
  return Loc.isValid() && SM.isInSystemHeader(SM.getExpansionLoc(Loc));
}

std::string displayName(const FunctionDecl *FD, const SourceManager &SM) {
  if (const auto *MD = dyn_cast<CXXMethodDecl>(FD);
      MD && MD->getParent()->isLambda()) {
    SourceLoc L = userLoc(MD->getParent()->getLocation(), SM);
    return "lambda at " + std::string(llvm::sys::path::filename(L.File)) + ":" +
           std::to_string(L.Line) + ":" + std::to_string(L.Column);
  }
  return ruleName(FD);
}

const FunctionDecl *factsOwner(const FunctionDecl *FD) {
  while (const FunctionDecl *Pattern = FD->getTemplateInstantiationPattern()) {
    if (Pattern == FD)
      break;
    FD = Pattern;
  }
  return FD->getCanonicalDecl();
}

static std::string hex(uint64_t V) {
  char Hex[17];
  std::snprintf(Hex, sizeof Hex, "%016llx", static_cast<unsigned long long>(V));
  return Hex;
}

static llvm::SmallString<256> usrOf(const NamedDecl *D,
                                    const SourceManager &SM) {
  llvm::SmallString<256> USR;
  if (index::generateUSRForDecl(D, USR)) {
    SourceLoc L = userLoc(D->getLocation(), SM);
    USR = L.File + ":" + std::to_string(L.Line) + ":" +
          std::to_string(L.Column) + ":" + ruleName(D);
  }
  return USR;
}

FunctionKey functionKey(const FunctionDecl *FD, const SourceManager &SM) {
  const FunctionDecl *Owner = factsOwner(FD);
  llvm::SmallString<256> USR = usrOf(Owner, SM);
  FunctionKey Key;
  Key.Symbol = hex(llvm::xxh3_64bits(USR));
  if (const FunctionDecl *Definition = Owner->getDefinition()) {
    USR += "\n";
    USR += userLoc(Definition->getLocation(), SM).File;
    Key.Id = hex(llvm::xxh3_64bits(USR));
  }
  return Key;
}

std::string declId(const NamedDecl *D, const SourceManager &SM) {
  return hex(llvm::xxh3_64bits(usrOf(D, SM)));
}

} // namespace stallhound
