#!/usr/bin/env python3
"""clang-check.py BUILD_DIR — compile every C file of a meson build once more with clang,
syntax and warnings only (-fsyntax-only, the build's own -Werror flags). gcc builds
everything `make test` runs; clang builds `make fuzz`, and the two warn differently."""
import json
import os
import shlex
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

build = sys.argv[1] if len(sys.argv) > 1 else "build-asan"
entries = json.load(open(os.path.join(build, "compile_commands.json")))


def check(e):
    args = shlex.split(e["command"])
    # drop the output and dependency-file arguments; keep defines, includes, warnings
    keep, skip = [], False
    for a in args[1:]:
        if skip:
            skip = False
        elif a in ("-o", "-MF", "-MQ"):
            skip = True
        elif a not in ("-c", "-MD"):
            keep.append(a)
    r = subprocess.run(["clang", "-fsyntax-only", "-fno-color-diagnostics"] + keep, cwd=e["directory"],
                       capture_output=True, text=True)
    return e["file"], r.returncode, r.stderr


with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
    results = list(pool.map(check, [e for e in entries if e["file"].endswith(".c")]))
bad = [(f, err) for f, rc, err in results if rc]
for f, err in bad:
    sys.stderr.write(err)
print(f"clang: {len(results) - len(bad)} of {len(results)} files clean")
sys.exit(1 if bad else 0)
