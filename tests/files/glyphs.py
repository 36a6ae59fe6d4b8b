#!/usr/bin/env python3
"""glyphs.py GLYPH_SHEETS SRC_ROOT — every character a PDF of peixun may hold leaves ink.

The characters: all 3,755 of GB2312 level 1 (through iconv's table, via Python's gb2312
codec) and every CJK character and full-width sign in the demo's texts (src/service/demo*.c).
glyph_sheets sets them, 20 a document, by the PDFs' own code path (files/pdf.c) in both
weights; pdftoppm renders each document and every character's cell must hold dark pixels.
Then the same with the system's Noto Sans CJK SC, where Debian 12's cairo leaves some blank
(如): the test must see that, or it could not see anything.
"""
import glob
import os
import re
import subprocess
import sys
import tempfile

sheets, root = sys.argv[1], sys.argv[2]
GROUP, CELL = 20, 14


def characters():
    out = []
    for hi in range(0xB0, 0xD8):
        for lo in range(0xA1, 0xFF):
            try:
                out.append(bytes([hi, lo]).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    level1 = out[:3755]
    demo = set()
    for path in glob.glob(os.path.join(root, "src/service/demo*.c")):
        for ch in open(path, encoding="utf-8").read():
            if "\u3000" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef":
                demo.add(ch)
    return level1 + sorted(demo - set(level1))


def blank_cells(system_font):
    chars = characters()
    with tempfile.TemporaryDirectory() as d:
        args = [sheets, d, str(GROUP)] + (["--system-font"] if system_font else [])
        subprocess.run(args, input="".join(chars).encode(), check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        blank = []
        for f in sorted(glob.glob(os.path.join(d, "*.pdf"))):
            g = int(os.path.basename(f)[:4])
            pgm = subprocess.run(["pdftoppm", "-gray", "-r", "72", f], capture_output=True,
                                 check=True).stdout
            head = re.match(rb"P5\s+(\d+)\s+(\d+)\s+\d+\s", pgm)
            w, h = int(head.group(1)), int(head.group(2))
            px = pgm[head.end():]
            for c in range(GROUP):
                i = g * GROUP + c
                if i >= len(chars):
                    break
                for row, weight in ((10, "regular"), (26, "bold")):
                    x0 = 10 + c * CELL
                    ink = sum(1 for y in range(row, min(row + CELL, h))
                              for b in px[y * w + x0:y * w + x0 + CELL] if b < 128)
                    if ink == 0:
                        blank.append(f"{chars[i]} (U+{ord(chars[i]):04X}, {weight})")
    return len(chars), blank


n, blank = blank_cells(False)
print(f"{n} characters × 2 weights in peixun's PDF font: {len(blank)} blank")
for b in blank:
    print("  blank:", b)
_, control = blank_cells(True)
print(f"the system's Noto Sans CJK SC, the same way: {len(control)} blank "
      f"({', '.join(control[:5])})")
if blank:
    sys.exit(1)
if not control:
    print("the control shows no blank character: this test could not see one either")
    sys.exit(1)
