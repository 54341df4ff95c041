//===- HtmlPage.h - The static parts of the HTML report ---------*- C++ -*-===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

#ifndef STALLHOUND_REPORT_HTMLPAGE_H
#define STALLHOUND_REPORT_HTMLPAGE_H

namespace stallhound::report {

/// From <!DOCTYPE html> to the opening of the data element: styles and the
/// empty sections the script fills.
const char *htmlPageHead();
/// The script that draws the report from the data element, and the end of
/// the page.
const char *htmlPageScript();

} // namespace stallhound::report

#endif
