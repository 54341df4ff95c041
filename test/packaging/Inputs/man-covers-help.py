"""usage: man-covers-help.py HELP_TEXT MAN_PAGE -- prints every option that
`--help` lists and the man page does not document (and the reverse), one a
line; prints "complete" when both name the same options."""
import re
import sys

OPTION = re.compile(r"(?<![\w-])(--[a-z][a-z-]*[a-z]|-[a-zA-Z])(?![\w-])")


def help_options(text):
    options = set()
    for line in text.splitlines():
        # Option lines of the help start with two spaces and a dash.
        if re.match(r"^  -", line):
            options.update(OPTION.findall(re.split(r"\s{2,}", line.strip())[0]))
    return options


def man_options(source):
    options = set()
    plain = re.sub(r"\\f[BIRP]", "", source).replace("\\-", "-")
    lines = plain.splitlines()
    for i, line in enumerate(lines):
        # The tagged paragraphs of OPTIONS: .TP, then the option line.
        if i > 0 and lines[i - 1].startswith(".TP"):
            options.update(OPTION.findall(line))
    return options


with open(sys.argv[1]) as f:
    in_help = help_options(f.read())
with open(sys.argv[2]) as f:
    in_man = man_options(f.read())
for option in sorted(in_help - in_man):
    print("not in the man page:", option)
for option in sorted(in_man - in_help):
    print("not in --help:", option)
if in_help == in_man:
    print("complete")
