//===- MemberCode.h - Every statement a class's methods evaluate -*- C++
//-*-===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// What a member is for (a non-blocking socket, a work queue) is decided
// across all of a class's code: method bodies, constructors' member
// initializers, and default member initializers.
//
//===----------------------------------------------------------------------===//

#ifndef STALLHOUND_ANALYZER_MEMBERCODE_H
#define STALLHOUND_ANALYZER_MEMBERCODE_H

#include "clang/AST/Decl.h"
#include "clang/AST/Stmt.h"
#include "llvm/ADT/STLFunctionalExtras.h"

#include <vector>

namespace stallhound {

/// Calls Visit with the bodies of Methods, the member initializers of those
/// that are constructors, and the default member initializers of their
/// classes.
void forEachMemberCode(const std::vector<const clang::FunctionDecl *> &Methods,
                       llvm::function_ref<void(clang::Stmt *)> Visit);

} // namespace stallhound

#endif
