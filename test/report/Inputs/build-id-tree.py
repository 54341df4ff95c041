#!/usr/bin/env python3
"""Copies a separate debug file to DIR/.build-id/xx/yyyy.debug, named after
the build id of BINARY, the layout of /usr/lib/debug.

usage: build-id-tree.py BINARY DEBUG_FILE DIR
"""
import os
import re
import shutil
import subprocess
import sys

binary, debug_file, directory = sys.argv[1:4]
notes = subprocess.run(["readelf", "-n", binary], capture_output=True,
                       text=True, check=True).stdout
build_id = re.search(r"Build ID: ([0-9a-f]+)", notes).group(1)
target = os.path.join(directory, ".build-id", build_id[:2], build_id[2:] + ".debug")
os.makedirs(os.path.dirname(target), exist_ok=True)
shutil.copy(debug_file, target)
print(build_id)
