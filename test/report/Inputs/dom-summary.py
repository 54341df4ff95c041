#!/usr/bin/env python3
"""Prints what a browser rendered from the HTML report (the DOM that
`chromium --dump-dom` wrote) as stable lines for FileCheck.

usage: dom-summary.py DOM.html
"""
import html.parser
import sys


class Summary(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.stack = []    # open elements: (tag, attrs)
        self.text = None   # collects the text of the element being read
        self.what = None
        self.cells = None

    def attr(self, name):
        for tag, attrs in reversed(self.stack):
            if name in attrs:
                return attrs[name]
        return None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("meta", "br", "img", "link", "input"):
            return
        self.stack.append((tag, attrs))
        cls = attrs.get("class", "")
        if tag == "body" and "data-rendered" in attrs:
            print("rendered", attrs["data-rendered"])
            # Only a filtered view says how many rows it shows.
            if attrs.get("data-shown", "") not in ("", attrs["data-rendered"].split()[0]):
                print("shown", attrs["data-shown"])
        if tag == "div" and cls == "value" and len(self.stack) > 1:
            self.start("card %s" % self.stack[-2][1].get("id", "")[5:])
        elif tag == "h3" or (tag == "div" and cls == "stats") or (tag == "p" and cls == "empty"):
            self.start({"h3": "loop", "div": "  stats", "p": "  empty"}[tag])
        elif tag == "svg" and cls in ("histogram", "timeline"):
            print("  " + cls)
        elif tag == "rect" and "data-count" in attrs:
            print("    bucket <%sus %s%s" % (attrs["data-lt-us"], attrs["data-count"],
                                          " stall" if "stall" in cls else ""))
        elif tag == "rect" and "data-ms" in attrs:
            self.start("    stall %s ms:" % attrs["data-ms"])
        elif tag == "tr" and cls == "finding":
            self.cells = []
            self.hidden_row = "hidden" in attrs
        elif tag == "td" and self.cells is not None:
            self.start("cell")
        elif tag == "div" and cls == "cause" and self.what == "cell":
            self.text += " :: "  # the blocking call that made the row's stall
        elif tag == "li" and self.attr("class") == "stack":
            self.start("    frame")

    def start(self, what):
        self.what, self.text = what, ""

    def handle_data(self, data):
        if self.text is not None:
            self.text += data

    def handle_endtag(self, tag):
        if not self.stack:
            return
        open_tag, attrs = self.stack.pop()
        if self.text is not None and open_tag == tag and tag in (
                "div", "h3", "p", "li", "td", "rect"):
            if self.what == "cell":
                self.cells.append(self.text.strip())
            else:
                print(self.what, self.text.strip())
            self.text = self.what = None
        if tag == "tr" and self.cells is not None:
            print(("hidden " if self.hidden_row else "") + "finding " + " | ".join(self.cells))
            self.cells = None


Summary().feed(open(sys.argv[1], encoding="utf-8").read())
