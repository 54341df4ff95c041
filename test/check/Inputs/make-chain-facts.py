"""usage: make-chain-facts.py OUT HANDLERS DEPTH -- writes a facts file in which
HANDLERS coroutines each call a chain of DEPTH functions whose last one sleeps
(what phase 2 must merge in linear time and print with its middle left out)."""
import json
import sys

out, handlers, depth = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])


def loc(line):
    return {"file": "/src/chain.cpp", "line": line, "column": 3}


def function(i, calls, sites=(), handler=False):
    return {"id": "f%d" % i, "symbol": "s%d" % i, "name": "step_%d" % i,
            "loc": loc(i + 1), "coroutine": handler, "handler": handler,
            "sites": list(sites), "calls": calls}


def call(i):
    return [{"callee": "f%d" % i, "callee_symbol": "s%d" % i,
             "callee_name": "step_%d" % i, "loc": loc(i)}]


functions = []
for i in range(depth):
    sites = [{"rule": "sleep", "call": "usleep", "loc": loc(i + 1)}] if i == depth - 1 else []
    functions.append(function(i, call(i + 1) if i + 1 < depth else [], sites))
for h in range(handlers):
    functions.append({"id": "h%d" % h, "symbol": "hs%d" % h, "name": "handler_%d" % h,
                      "loc": {"file": "/src/handlers.cpp", "line": h + 1, "column": 1},
                      "coroutine": True, "handler": True, "sites": [],
                      "calls": [{"callee": "f0", "callee_symbol": "s0",
                                 "callee_name": "step_0",
                                 "loc": {"file": "/src/handlers.cpp", "line": h + 1, "column": 5}}]})
json.dump({"stallhound_facts": 2, "main_file": "/src/chain.cpp", "link_unit": "",
           "functions": functions, "errors": []}, open(out, "w"))
