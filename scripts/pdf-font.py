#!/usr/bin/python3
"""pdf-font.py TTC FACE_NAME WEIGHT OUT — the font peixun's PDFs are set in.

Debian 12's cairo (1.16) subsets a CFF font with subroutines wrongly for some glyphs: it
blanks a local subroutine the glyph still calls, and the glyph prints as nothing — "如"
among the 6,763 characters of GB2312, in Noto Sans CJK SC Regular (docs/files.md). A font
without subroutines cannot meet that bug. This takes the face of Noto Sans CJK (a .ttc)
whose family name is FACE_NAME, flattens its charstrings (fontTools' subsetter,
--desubroutinize, every character and layout feature kept), and names it "Peixun Noto Sans
SC" so that it never stands in for the system's Noto. About 25 s a weight.
"""
import sys

from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont

src, face, weight, out = sys.argv[1:5]
names = [f["name"].getDebugName(1) for f in TTCollection(src).fonts]
number = names.index(face)
opts = subset.Options()
opts.desubroutinize = True
opts.layout_features = ["*"]
opts.name_IDs = ["*"]
opts.name_languages = ["*"]
opts.notdef_outline = True
opts.font_number = number
font = TTFont(src, fontNumber=number, lazy=False)
s = subset.Subsetter(opts)
s.populate(unicodes=font.getBestCmap().keys())
s.subset(font)
family = "Peixun Noto Sans SC"
for rec in font["name"].names:
    if rec.nameID in (1, 16):
        rec.string = family
    elif rec.nameID == 4:
        rec.string = f"{family} {weight}"
    elif rec.nameID == 6:
        rec.string = f"PeixunNotoSansSC-{weight}"
    elif rec.nameID in (2, 17):
        rec.string = weight
font.save(out)
