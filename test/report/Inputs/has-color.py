#!/usr/bin/env python3
"""Says for each file whether it holds ANSI color codes, then whether all of
them read the same once the codes are removed.

usage: has-color.py FILE...
"""
import re
import sys

texts = []
for path in sys.argv[1:]:
    text = open(path, encoding="utf-8").read()
    print("%s: %s" % (path, "color" if "\x1b[" in text else "plain"))
    texts.append(re.sub(r"\x1b\[[0-9;]*m", "", text))
print("same words" if all(t == texts[0] for t in texts) else "different words")
