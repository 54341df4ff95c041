//===- AstNames.h - Stable names for declarations and types -----*- C++ -*-===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// Rules name functions the way people write them: "std::condition_variable::
// wait", "boost::asio::basic_stream_socket::read_some". These helpers print a
// declaration that way: no template arguments, no inline namespaces.
//
//===----------------------------------------------------------------------===//

#ifndef STALLHOUND_ANALYZER_ASTNAMES_H
#define STALLHOUND_ANALYZER_ASTNAMES_H

#include "Facts.h"

#include "clang/AST/Decl.h"
#include "clang/AST/Type.h"
#include "clang/Basic/SourceManager.h"

#include <string>

namespace stallhound {

/// "ns::Class::method" with template arguments and inline namespaces omitted.
std::string ruleName(const clang::NamedDecl *D);

/// The rule name of the class behind a type (through references, typedefs and
/// cv-qualifiers), or "" when it is not a class.
std::string className(clang::QualType T);

/// True when the class behind T, or one of its bases, is named in Names.
bool classOrBaseNamed(clang::QualType T, const std::vector<std::string> &Names);

/// A readable name for messages: "demo::handle_nap", "lambda at
/// session.cpp:12:5".
std::string displayName(const clang::FunctionDecl *FD,
                        const clang::SourceManager &SM);

/// The function whose facts an instantiation contributes to: the template
/// pattern for instantiations, the function itself otherwise.
const clang::FunctionDecl *factsOwner(const clang::FunctionDecl *FD);

/// How phase 2 names a function: Symbol hashes the owner's USR (the same in
/// every translation unit); Id also hashes the file of the definition, and is
/// empty when the translation unit does not see the definition.
struct FunctionKey {
  std::string Symbol;
  std::string Id;
};
FunctionKey functionKey(const clang::FunctionDecl *FD,
                        const clang::SourceManager &SM);

/// A hash of D's USR (for members: the same in every translation unit).
std::string declId(const clang::NamedDecl *D, const clang::SourceManager &SM);

/// The file position a user sees for Loc (macro uses resolve to the place the
/// macro was expanded), with an absolute, normalized path.
SourceLoc userLoc(clang::SourceLocation Loc, const clang::SourceManager &SM);

/// True when D is written in a system header.
bool inSystemHeader(const clang::Decl *D, const clang::SourceManager &SM);

} // namespace stallhound

#endif
