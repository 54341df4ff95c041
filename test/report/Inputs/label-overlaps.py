#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
"""Copies an HTML report with a script added at its end that, once the page
has drawn its charts, measures every label of every chart (getBBox) and
writes what it found into <body data-label-overlaps="...">: "none", or each
label that sticks out of its chart or covers another one. Load the copy with
`chromium --dump-dom`.

usage: label-overlaps.py PAGE.html OUT.html
"""
import sys

CHECK = r"""<script>
(function () {
  const found = [];
  document.querySelectorAll("svg[viewBox]").forEach((chart, n) => {
    const box = chart.viewBox.baseVal;
    const labels = [...chart.querySelectorAll("text")].map(t => [t.textContent, t.getBBox()]);
    for (const [text, b] of labels)
      if (b.x < -0.5 || b.y < -0.5 || b.x + b.width > box.width + 0.5 || b.y + b.height > box.height + 0.5)
        found.push(`chart ${n}: '${text}' sticks out`);
    for (let i = 0; i < labels.length; ++i)
      for (let j = i + 1; j < labels.length; ++j) {
        const [ta, a] = labels[i], [tb, b] = labels[j];
        if (a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height)
          found.push(`chart ${n}: '${ta}' covers '${tb}'`);
      }
  });
  document.body.setAttribute("data-label-overlaps", found.length ? found.join("; ") : "none");
})();
</script>
"""

page = open(sys.argv[1], encoding="utf-8").read()
end = page.rindex("</body>")
open(sys.argv[2], "w", encoding="utf-8").write(page[:end] + CHECK + page[end:])
