#!/usr/bin/env python3
"""Regenerate the spreadsheet fixtures in tests/data/ (and the fuzz seed corpora).

The outputs are committed; run this only to change them:

    python3 tests/data/make_fixtures.py            # hand-made files (python zipfile)
    python3 tests/data/make_fixtures.py --office   # + files LibreOffice writes (needs
                                                   #   libreoffice-calc-nogui installed)

Hand-made .xlsx files imitate what Excel writes (and what it must never be fooled by):
the worksheet is not sheet1.xml, the first sheet is hidden, rich text with phonetic runs,
_xHHHH_ escapes, Chinese built-in date formats, 1904 dates, strict OOXML, and every
malformed case the reader must name: not a zip, truncated, missing parts, a zip bomb, a
part that lies about its size, DOCTYPE/entities, bad references and indexes, invalid
UTF-8, bzip2 entries, an OLE2 (encrypted / .xls) file.
"""
import io
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
CORPUS = os.path.join(ROOT, "tests", "fuzz", "corpus")

NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
RT = NS_REL  # relationship types share the namespace's prefix

CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/></Types>"""


def root_rels(target="xl/workbook.xml", ns_rel=RT):
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<Relationships xmlns="{NS_PKG}"><Relationship Id="rId1" '
            f'Type="{ns_rel}/officeDocument" Target="{target}"/></Relationships>')


def workbook(sheets, date1904=False, ns_main=NS_MAIN, ns_rel=NS_REL):
    pr = '<workbookPr date1904="1"/>' if date1904 else '<workbookPr/>'
    s = "".join(
        f'<sheet name="{n}" sheetId="{i + 1}"' + (f' state="{st}"' if st else "") + f' r:id="{rid}"/>'
        for i, (n, rid, st) in enumerate(sheets))
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<workbook xmlns="{ns_main}" xmlns:r="{ns_rel}">{pr}<sheets>{s}</sheets></workbook>')


def wb_rels(rels, ns_rel=RT):
    r = "".join(f'<Relationship Id="{i}" Type="{ns_rel}/{t}" Target="{tg}"/>' for i, t, tg in rels)
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<Relationships xmlns="{NS_PKG}">{r}</Relationships>')


def sheet(rows_xml, ns_main=NS_MAIN):
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<worksheet xmlns="{ns_main}" xmlns:r="{NS_REL}"><dimension ref="A1"/>'
            f'<sheetData>{rows_xml}</sheetData></worksheet>')


def sst(items):
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<sst xmlns="{NS_MAIN}" count="{len(items)}" uniqueCount="{len(items)}">'
            + "".join(f"<si>{x}</si>" for x in items) + "</sst>")


STYLES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="{NS_MAIN}"><numFmts count="3"><numFmt numFmtId="176" formatCode="yyyy\\年m\\月d\\日;@"/><numFmt numFmtId="177" formatCode="[h]:mm:ss"/><numFmt numFmtId="178" formatCode="0.00_);[Red]\\(0.00\\)"/></numFmts>
<cellStyleXfs count="1"><xf numFmtId="14"/></cellStyleXfs>
<cellXfs count="8"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/><xf numFmtId="31" applyNumberFormat="1"/><xf numFmtId="176" applyNumberFormat="1"/><xf numFmtId="21" applyNumberFormat="1"/><xf numFmtId="177" applyNumberFormat="1"/><xf numFmtId="49" applyNumberFormat="1"/><xf numFmtId="178"/></cellXfs></styleSheet>"""


def write_zip(path, parts, method=zipfile.ZIP_DEFLATED):
    with zipfile.ZipFile(path, "w", method) as z:
        for name, data in parts:
            if isinstance(data, str):
                data = data.encode("utf-8")
            z.writestr(zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0)), data, compress_type=method)


def basic_parts(sheet_xml, strings=None, styles=None, extra_rels=()):
    """A one-sheet workbook; sheet_xml is a whole part, or just rows to wrap."""
    if not sheet_xml.startswith("<?xml"):
        sheet_xml = sheet(sheet_xml)
    rels = [("rId1", "worksheet", "worksheets/sheet1.xml")]
    parts = [("[Content_Types].xml", CONTENT_TYPES), ("_rels/.rels", root_rels()),
             ("xl/workbook.xml", workbook([("Sheet1", "rId1", None)]))]
    if strings is not None:
        rels.append(("rId2", "sharedStrings", "sharedStrings.xml"))
        parts.append(("xl/sharedStrings.xml", strings))
    if styles is not None:
        rels.append(("rId3", "styles", "styles.xml"))
        parts.append(("xl/styles.xml", styles))
    rels.extend(extra_rels)
    parts.append(("xl/_rels/workbook.xml.rels", wb_rels(rels)))
    parts.append(("xl/worksheets/sheet1.xml", sheet_xml))
    return parts


def excel_like():
    """Worksheet in sheet7.xml behind a hidden first sheet; every kind of cell."""
    strings = sst([
        '<t>姓名</t>',
        '<t>身份证号</t>',
        '<r><rPr><b/></rPr><t>富</t></r><r><t xml:space="preserve">文本 </t></r><rPh sb="0" eb="1"><t>フ</t></rPh>',
        '<t>350583198001010011</t>',
        '<t>第一行_x000D_\n第二行</t>',
        '<t>_x005F_x0041_ 与 _x0041_</t>',
        '<t xml:space="preserve">  前后空格  </t>',
        '<t/>',
    ])
    rows = (
        '<row r="1" spans="1:8"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
        '<row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2" s="6" t="s"><v>3</v></c>'
        '<c r="C2"><v>3.50583198001010E+17</v></c><c r="D2" s="1"><v>29221</v></c>'
        '<c r="E2" s="2"><v>44377</v></c><c r="F2" s="3"><v>44377.5</v></c>'
        '<c r="G2" s="4"><v>0.5</v></c><c r="H2" s="5"><v>1.5</v></c></row>'
        '<row r="4"><c r="A4" t="inlineStr"><is><t>行内</t></is></c><c r="B4" t="str"><f>A1&amp;"x"</f><v>姓名x</v></c>'
        '<c r="C4" t="b"><v>1</v></c><c r="D4" t="e"><f>1/0</f><v>#DIV/0!</v></c><c r="E4" t="d"><v>2023-02-18T00:00:00</v></c>'
        '<c r="F4" s="7"><v>-12.5</v></c><c r="G4" t="s"><v>7</v></c></row>'
        '<row><c t="s"><v>4</v></c><c t="s"><v>5</v></c><c t="s"><v>6</v></c></row>'
        '<row r="7"><c r="A7" s="1"/><c r="XFD7" s="1"/></row>'
        '<row r="9"><c r="C9"><v>13800138000</v></c><c r="E9" t="n"><v>  42  </v></c></row>'
    )
    hidden = sheet('<row r="1"><c r="A1" t="inlineStr"><is><t>隐藏</t></is></c></row>')
    parts = [
        ("[Content_Types].xml", CONTENT_TYPES),
        ("_rels/.rels", root_rels()),
        ("docProps/app.xml", "<Properties/>"),
        ("xl/workbook.xml", workbook([("选项", "rId9", "hidden"), ("干部名册", "rId3", None), ("Sheet3", "rId4", None)])),
        ("xl/_rels/workbook.xml.rels", wb_rels([
            ("rId3", "worksheet", "/xl/worksheets/sheet7.xml"),
            ("rId4", "worksheet", "worksheets/./sub/../sheet1.xml"),
            ("rId9", "worksheet", "worksheets/sheet2.xml"),
            ("rId5", "sharedStrings", "sharedStrings.xml"),
            ("rId6", "styles", "styles.xml"),
            ("rId7", "theme", "theme/theme1.xml")])),
        ("xl/sharedStrings.xml", strings),
        ("xl/styles.xml", STYLES),
        ("xl/worksheets/sheet7.xml", sheet(rows)),
        ("xl/worksheets/sheet2.xml", hidden),
        ("xl/worksheets/sheet1.xml", sheet('<row r="1"><c r="A1"><v>3</v></c></row>')),
    ]
    return parts


def strict_ooxml():
    m = "http://purl.oclc.org/ooxml/spreadsheetml/main"
    r = "http://purl.oclc.org/ooxml/officeDocument/relationships"
    rows = '<row r="1"><c r="A1" t="inlineStr"><is><t>严格</t></is></c><c r="B1"><v>7</v></c></row>'
    return [
        ("[Content_Types].xml", CONTENT_TYPES),
        ("_rels/.rels", root_rels("xl/workbook.xml", r)),
        ("xl/workbook.xml", workbook([("S", "rId1", None)], ns_main=m, ns_rel=r)),
        ("xl/_rels/workbook.xml.rels", wb_rels([("rId1", "worksheet", "worksheets/sheet1.xml")], r)),
        ("xl/worksheets/sheet1.xml", sheet(rows, m)),
    ]


def mac1904():
    parts = basic_parts('<row r="1"><c r="A1" s="1"><v>0</v></c><c r="B1" s="1"><v>1462</v></c></row>',
                        styles=STYLES)
    parts[2] = ("xl/workbook.xml", workbook([("Sheet1", "rId1", None)], date1904=True))
    return parts


def patch_sizes(data, name, new_size):
    """Make every header of entry `name` declare `new_size` uncompressed bytes."""
    b = bytearray(data)
    nm = name.encode()
    i = 0
    while True:  # local headers: PK\3\4, size at +22, name length at +26, name at +30
        i = b.find(b"PK\x03\x04", i)
        if i < 0:
            break
        n = struct.unpack_from("<H", b, i + 26)[0]
        if b[i + 30:i + 30 + n] == nm:
            struct.pack_into("<I", b, i + 22, new_size)
        i += 4
    i = 0
    while True:  # central directory: PK\1\2, size at +24, name length at +28, name at +46
        i = b.find(b"PK\x01\x02", i)
        if i < 0:
            break
        n = struct.unpack_from("<H", b, i + 28)[0]
        if b[i + 46:i + 46 + n] == nm:
            struct.pack_into("<I", b, i + 24, new_size)
        i += 4
    return bytes(b)


def zip_bytes(parts, method=zipfile.ZIP_DEFLATED):
    bio = io.BytesIO()
    with zipfile.ZipFile(bio, "w", method) as z:
        for name, data in parts:
            if isinstance(data, str):
                data = data.encode("utf-8")
            z.writestr(zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0)), data, compress_type=method)
    return bio.getvalue()


def put(name, data):
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode("utf-8"))


def make_xlsx():
    one = '<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row>'
    put("excel_like.xlsx", zip_bytes(excel_like()))
    put("strict.xlsx", zip_bytes(strict_ooxml()))
    put("mac1904.xlsx", zip_bytes(mac1904()))
    good = zip_bytes(basic_parts(one))
    put("bad_not_zip.xlsx", "姓名,身份证号\n这不是 xlsx 文件\n")
    put("bad_truncated.xlsx", zip_bytes(excel_like())[:1500])
    put("bad_ole2.xlsx", bytes([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) + bytes(504))
    put("bad_empty_zip.xlsx", zip_bytes([]))
    put("bad_no_workbook.xlsx", zip_bytes([("[Content_Types].xml", CONTENT_TYPES), ("_rels/.rels", root_rels())]))
    p = [x for x in basic_parts(one) if x[0] != "xl/_rels/workbook.xml.rels"]
    put("bad_no_rels.xlsx", zip_bytes(p))
    p = [x for x in basic_parts(one) if x[0] != "xl/worksheets/sheet1.xml"]
    put("bad_missing_sheet.xlsx", zip_bytes(p))
    # 64 MiB of rows, honest sizes: ~64 KiB compressed; refused by a 16 MiB limit.
    row = '<row><c t="inlineStr"><is><t>炸弹</t></is></c></row>'
    big = sheet(row * ((64 << 20) // len(row.encode())))
    put("bad_bomb.xlsx", zip_bytes(basic_parts(big)))
    # A part declaring 100 bytes that inflates to 1 MiB.
    lie = sheet(row * ((1 << 20) // len(row.encode())))
    put("bad_lying_size.xlsx", patch_sizes(zip_bytes(basic_parts(lie)), "xl/worksheets/sheet1.xml", 100))
    laughs = ('<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 '
              '"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;'
              '&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>\n'
              f'<worksheet xmlns="{NS_MAIN}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol3;</t></is></c></row></sheetData></worksheet>')
    put("bad_doctype.xlsx", zip_bytes(basic_parts(laughs)))
    xxe = ('<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
           f'<sst xmlns="{NS_MAIN}"><si><t>&xxe;</t></si></sst>')
    put("bad_xxe.xlsx", zip_bytes(basic_parts('<row r="1"><c r="A1" t="s"><v>0</v></c></row>', strings=xxe)))
    put("bad_sst_index.xlsx", zip_bytes(basic_parts(
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>2</v></c></row>',
        strings=sst(["<t>a</t>", "<t>b</t>"]))))
    put("bad_ref.xlsx", zip_bytes(basic_parts('<row r="1"><c r="XFE1"><v>1</v></c></row>')))
    put("bad_row_order.xlsx", zip_bytes(basic_parts(
        '<row r="3"><c r="A3"><v>1</v></c></row><row r="2"><c r="A2"><v>2</v></c></row>')))
    put("bad_number.xlsx", zip_bytes(basic_parts('<row r="1"><c r="A1"><v>12abc</v></c></row>')))
    bad_utf8 = sst(["<t>ok</t>"]).encode().replace(b"ok", b"\xe5\xbc\xa0\xff\xfe")
    put("bad_utf8.xlsx", zip_bytes(basic_parts('<row r="1"><c r="A1" t="s"><v>0</v></c></row>', strings=bad_utf8)))
    put("bad_xml.xlsx", zip_bytes(basic_parts('<row r="1"><c r="A1"><v>1</v></row>')))
    attrs = "".join(f' a{i}="{i}"' for i in range(2000))
    put("bad_attrs.xlsx", zip_bytes(basic_parts(f'<row r="1"{attrs}><c r="A1"><v>1</v></c></row>')))
    put("bad_bzip2.xlsx", zip_bytes(basic_parts(one), zipfile.ZIP_BZIP2))
    return good


def make_csv():
    rows = [["姓名", "身份证号", "出生日期", "单位", "备注"],
            ["张三", "350583198001010011", "1980-01-01", "溪美街道", "一把手"],
            ["李四", "35058319800101002X", "1985/12/31", "柳城街道", ""]]
    text = "\r\n".join(",".join(r) for r in rows) + "\r\n"
    put("gbk.csv", text.encode("gbk"))                      # Excel "CSV" on Chinese Windows
    put("utf8_bom.csv", b"\xef\xbb\xbf" + text.encode())      # Excel "CSV UTF-8"
    put("quoted.csv", ('姓名,备注,金额\n"王五","第一行\n第二行, 含逗号",'
                       '"1,234"\n"赵""六""",="350583198001010011",\n'
                       ',,\n"末行",,\n').encode())
    put("tab.tsv", "姓名\t身份证号\n张三\t350583198001010011\n".encode())
    put("semicolon.csv", "姓名;金额\n张三;1,5\n".encode())
    put("unterminated.csv", '姓名,备注\n张三,ok\n李四,"没有结束\n王五,x\n'.encode())
    put("utf16.csv", "\ufeff姓名,身份证号\r\n".encode("utf-16-le"))
    put("bad_encoding.csv", b"name,\x80\xff\nabc\n")  # neither UTF-8 nor GB18030


def make_office():
    if not shutil.which("soffice"):
        sys.exit("soffice not found: apt-get install libreoffice-calc-nogui")
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(HERE, "lo_cadres.fods")
        subprocess.run(["soffice", "--headless", "--convert-to", "xlsx", "--outdir", tmp, src],
                       check=True, capture_output=True)
        shutil.copy(os.path.join(tmp, "lo_cadres.xlsx"), os.path.join(HERE, "lo_cadres.xlsx"))
        # The same sheet saved as a GB18030 CSV (charset 85 = RTL_TEXTENCODING_GB_18030).
        subprocess.run(["soffice", "--headless", "--convert-to",
                        "csv:Text - txt - csv (StarCalc):44,34,85,1,,0,false,true,false,false,false",
                        "--outdir", tmp, src], check=True, capture_output=True)
        shutil.copy(os.path.join(tmp, "lo_cadres.csv"),
                    os.path.join(HERE, "lo_cadres_gb18030.csv"))


def make_corpus():
    """Small seeds (< 1 MB in all): zip seeds are stored uncompressed so that mutations
    reach the XML; "parts" seeds (name NUL content …) reach it without zip at all.
    The fz-* files beside them are the smallest of a coverage-minimized corpus that
    libFuzzer grew (-merge=1); this script leaves them alone."""
    xl = os.path.join(CORPUS, "xlsx")
    cs = os.path.join(CORPUS, "csv")
    os.makedirs(xl, exist_ok=True)
    os.makedirs(cs, exist_ok=True)
    for name in ["excel_like.xlsx", "strict.xlsx", "mac1904.xlsx", "bad_truncated.xlsx",
                 "bad_ole2.xlsx", "bad_no_rels.xlsx", "bad_doctype.xlsx", "bad_xxe.xlsx",
                 "bad_sst_index.xlsx", "bad_ref.xlsx", "bad_utf8.xlsx", "bad_bzip2.xlsx",
                 "lo_cadres.xlsx"]:
        if os.path.exists(os.path.join(HERE, name)):
            shutil.copy(os.path.join(HERE, name), os.path.join(xl, name))
    with open(os.path.join(xl, "stored_excel_like.xlsx"), "wb") as f:
        f.write(zip_bytes(excel_like(), zipfile.ZIP_STORED))
    with open(os.path.join(xl, "lying_size_small.xlsx"), "wb") as f:
        row = '<row><c t="inlineStr"><is><t>x</t></is></c></row>'
        f.write(patch_sizes(zip_bytes(basic_parts(sheet(row * 2000))), "xl/worksheets/sheet1.xml", 10))
    for tag, parts in [("parts_excel_like", excel_like()), ("parts_strict", strict_ooxml()),
                       ("parts_1904", mac1904())]:
        blob = b"\0".join(n.encode() + b"\0" + (d if isinstance(d, bytes) else d.encode())
                          for n, d in parts)
        with open(os.path.join(xl, tag), "wb") as f:
            f.write(blob)
    for name in ["gbk.csv", "utf8_bom.csv", "quoted.csv", "tab.tsv", "semicolon.csv",
                 "unterminated.csv", "utf16.csv", "bad_encoding.csv"]:
        shutil.copy(os.path.join(HERE, name), os.path.join(cs, name))
    with open(os.path.join(cs, "huge_row.csv"), "wb") as f:
        f.write(b"a" * 40000 + b"," * 20000 + b"\n\"" + b"x" * 1000)
    with open(os.path.join(cs, "sep_line.csv"), "wb") as f:
        f.write("sep=|\n姓名|电话\n张三|13800138000\r李四|\r\n".encode())
    with open(os.path.join(cs, "invalid_utf8_mix.csv"), "wb") as f:
        f.write("姓名\n".encode() + b"\xe5\xbc\n" + "张三\n".encode("gbk"))


if __name__ == "__main__":
    make_xlsx()
    make_csv()
    if "--office" in sys.argv:
        make_office()
    make_corpus()
