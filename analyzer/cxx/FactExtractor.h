//===- FactExtractor.h - Phase 1: facts of one translation unit -*- C++ -*-===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

#ifndef STALLHOUND_ANALYZER_FACTEXTRACTOR_H
#define STALLHOUND_ANALYZER_FACTEXTRACTOR_H

#include "Config.h"
#include "Facts.h"

#include "clang/AST/ASTConsumer.h"

namespace stallhound {

/// Visits the user code of a parsed translation unit (declarations outside
/// system headers) and collects one FunctionFacts per function with a body.
class FactExtractor : public clang::ASTConsumer {
public:
  FactExtractor(const Config &Cfg, const std::string &HeaderFilter,
                TuFacts &Out)
      : Cfg(Cfg), HeaderFilter(HeaderFilter), Out(Out) {}

  void HandleTranslationUnit(clang::ASTContext &Ctx) override;

private:
  const Config &Cfg;
  const std::string &HeaderFilter;
  TuFacts &Out;
};

} // namespace stallhound

#endif
