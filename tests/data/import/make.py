#!/usr/bin/env python3
"""make.py — regenerate the import fixtures of tests/api/imports.test.mjs.

The .xlsx files are written by LibreOffice (flat ODS → xlsx, `soffice --headless`), so
the importer is tested on what an office suite really produces: a title row above the
header, ID numbers stored as text, dates stored as date serials with a date format, and
an ID number typed as a number (which Excel rounds). The outputs are committed; run this
only to change them (needs libreoffice-calc).

The layouts of issue 10 (LAYOUTS: headers as offices word them, rows that are no people,
notes to the right of the table, trailing 备注/审核意见 columns) go through LibreOffice too
when it is installed; without it they are written by hand (xlsx_by_hand: the parts Excel
writes — workbook, shared strings, styles with a date format, one sheet — zipped with
python's zipfile, cell by cell where the rows put them). The committed ones were written by
hand: soffice was not installed on the machine that made them.

Each file uses its own region code in the ID numbers so that no two fixtures (and no
fixture and the demo, 350583) share a number.
"""
import os
import shutil
import subprocess
import tempfile
from xml.sax.saxutils import escape

HERE = os.path.dirname(os.path.abspath(__file__))
W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
HEADER = ['姓名', '性别', '出生日期', '身份证号', '手机号码', '单位', '职务', '是否一把手', '职级层次',
          '公务员职级', '干部类别', '任现职时间']


def idn(region, ymd, seq, wrong=False):
    d17 = f'{region}{ymd}{seq:03d}'
    c = '10X98765432'[sum(int(a) * b for a, b in zip(d17, W)) % 11]
    if wrong:
        c = '0' if c != '0' else '1'
    return d17 + c


def cell(v):
    if v is None or v == '':
        return '<table:table-cell/>'
    if isinstance(v, tuple) and v[0] == 'date':
        return (f'<table:table-cell table:style-name="date" office:value-type="date" '
                f'office:date-value="{v[1]}"><text:p>{v[1]}</text:p></table:table-cell>')
    if isinstance(v, tuple) and v[0] == 'number':
        return (f'<table:table-cell office:value-type="float" office:value="{v[1]}">'
                f'<text:p>{v[1]}</text:p></table:table-cell>')
    text = '<text:line-break/>'.join(escape(p) for p in str(v).split('\n'))
    return (f'<table:table-cell office:value-type="string"><text:p>{text}</text:p>'
            f'</table:table-cell>')


def fods(rows, title=None):
    body = ''
    if title:
        body += f'<table:table-row>{cell(title)}</table:table-row>'
    for r in rows:
        body += '<table:table-row>' + ''.join(cell(v) for v in r) + '</table:table-row>'
    return f'''<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0"
 office:version="1.2" office:mimetype="application/vnd.oasis.opendocument.spreadsheet">
<office:automatic-styles>
 <number:date-style style:name="ymd"><number:year number:style="long"/><number:text>-</number:text>
 <number:month number:style="long"/><number:text>-</number:text><number:day number:style="long"/></number:date-style>
 <style:style style:name="date" style:family="table-cell" style:data-style-name="ymd"/>
</office:automatic-styles>
<office:body><office:spreadsheet><table:table table:name="干部名册">{body}</table:table>
</office:spreadsheet></office:body></office:document>'''


def person(name, region, ymd, seq, unit, head=False, wrong=False, numeric=False):
    i = idn(region, ymd, seq, wrong)
    return [name, '', ('date', f'{ymd[:4]}-{ymd[4:6]}-{ymd[6:]}'),
            ('number', i) if numeric else i, '13905951234', unit, '党委书记' if head else '科员',
            '是' if head else '否', '乡科级' if head else '一般干部', '' if head else '一级科员',
            '党政领导干部' if head else '公务员', ('date', '2021-03-01')]


FILES = {
    'cadres_good': ([HEADER,
                     person('林志远', '120101', '19800101', 11, '溪美街道'),
                     person('陈雅婷', '120101', '19850202', 22, '柳城街道'),
                     person('黄建国', '120101', '19790303', 33, '水头镇')], '南安市干部信息导入表'),
    'cadres_one_bad': ([HEADER,
                        person('郑好', '120102', '19800101', 11, '溪美街道'),
                        person('吴错', '120102', '19850202', 22, '溪美街道', wrong=True),
                        person('许对', '120102', '19790303', 33, '溪美街道')], None),
    'cadres_dupes': ([HEADER,
                      person('甲', '120103', '19800101', 11, '溪美街道'),
                      person('乙', '120103', '19850202', 22, '溪美街道'),
                      person('丙', '120103', '19800101', 11, '溪美街道')], None),
    'cadres_numeric_id': ([HEADER,
                           person('数字', '120104', '19800101', 11, '溪美街道', numeric=True)], None),
    'units_good': ([['单位名称', '单位简称', '单位类型', '所属地区', '主导产业'],
                    ['南安市光电信息产业园', '光电园', '开发区', '南安市', '电子、新材料'],
                    ['南安市大数据中心', '', '事业单位', '南安市', '']], None),
}


# ---- issue 10: the layouts offices send -------------------------------------------------

def col_name(i):
    s = ''
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def xlsx_by_hand(path, rows, title=None, sheet='干部名册'):
    """An .xlsx as Excel lays it out, without an office suite: shared strings, a date style
    (built-in format 14), each non-empty value a cell at its own column."""
    import datetime
    import zipfile
    strings, index = [], {}

    def sst(t):
        if t not in index:
            index[t] = len(strings)
            strings.append(t)
        return index[t]

    grid = ([[title]] if title else []) + rows
    body = []
    for r, row in enumerate(grid, 1):
        cells = []
        for c, v in enumerate(row):
            ref = f'{col_name(c)}{r}'
            if v is None or v == '':
                continue
            if isinstance(v, tuple) and v[0] == 'date':
                d = datetime.date.fromisoformat(v[1]) - datetime.date(1899, 12, 30)
                cells.append(f'<c r="{ref}" s="1"><v>{d.days}</v></c>')
            elif isinstance(v, tuple) and v[0] == 'number':
                cells.append(f'<c r="{ref}"><v>{v[1]}</v></c>')
            else:
                cells.append(f'<c r="{ref}" t="s"><v>{sst(str(v))}</v></c>')
        body.append(f'<row r="{r}">{"".join(cells)}</row>')
    ns = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main'
    rel = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships'
    parts = {
        '[Content_Types].xml': '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
        '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        '</Types>',
        '_rels/.rels': '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/>'
        '</Relationships>',
        'xl/workbook.xml': f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<workbook xmlns="{ns}" xmlns:r="{rel}"><sheets>'
        f'<sheet name="{escape(sheet)}" sheetId="1" r:id="rId1"/></sheets></workbook>',
        'xl/_rels/workbook.xml.rels': '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/>'
        f'<Relationship Id="rId3" Type="{rel}/styles" Target="styles.xml"/>'
        '</Relationships>',
        'xl/styles.xml': f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<styleSheet xmlns="{ns}"><fonts count="1"><font><sz val="11"/><name val="宋体"/></font></fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
        '<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
        '</styleSheet>',
        'xl/sharedStrings.xml': f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<sst xmlns="{ns}" count="{len(strings)}" uniqueCount="{len(strings)}">'
        + ''.join(f'<si><t xml:space="preserve">{escape(t)}</t></si>' for t in strings) + '</sst>',
        'xl/worksheets/sheet1.xml': f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<worksheet xmlns="{ns}" xmlns:r="{rel}"><sheetData>{"".join(body)}</sheetData></worksheet>',
    }
    with zipfile.ZipFile(path, 'w', zipfile.ZIP_DEFLATED) as z:
        for name, text in parts.items():
            info = zipfile.ZipInfo(name, date_time=(2024, 3, 1, 9, 0, 0))  # the same bytes each run
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, text.encode('utf-8'))


def cadre(name, region, ymd, seq, unit, wrong=False, head=False):
    """One cadre as a dict of the template's columns."""
    v = person(name, region, ymd, seq, unit, head=head, wrong=wrong)
    return dict(zip(HEADER, v))


def laid_out(header, people, pick):
    """Rows under `header`: each person's value for a column by pick[column] (a template
    column name, a constant ('=', value) or None)."""
    out = [header]
    for p in people:
        if not isinstance(p, dict):
            out.append(p)  # a row given as it is
            continue
        row = []
        for h in header:
            k = pick.get(h)
            row.append(k[1] if isinstance(k, tuple) else p.get(k, '') if k else '')
        out.append(row)
    return out


# 姓名 written as offices write it, 身份证号 as 公民身份号码 with a line break and （必填）, and
# the other columns under the names of their own forms; 备注 and 审核意见 are no columns.
OFFICE_HEADER = ['序号', '姓\u3000名', '性 别', '公民身份号码\n（必填）', '工作单位*', '联系电话',
                 '现任职务', '职务层次', '人员类别', '出生年月', '任现职务时间', '备注', '审核意见']
OFFICE_PICK = {'姓\u3000名': '姓名', '性 别': '性别', '公民身份号码\n（必填）': '身份证号',
               '工作单位*': '单位', '联系电话': '手机号码', '现任职务': '职务', '职务层次': '职级层次',
               '人员类别': '干部类别', '出生年月': '出生日期', '任现职务时间': '任现职时间'}


def numbered(people):
    return [dict(p, 序号=str(i + 1)) if isinstance(p, dict) else p for i, p in enumerate(people)]


def office_rows():
    people = numbered([cadre('庄美玲', '150121', '19800101', 11, '溪美街道'),
                       cadre('洪文斌', '150121', '19850202', 22, '柳城街道'),
                       cadre('傅晓东', '150121', '19790303', 33, '水头镇')])
    people[0]['备注'] = '新调入'
    return laid_out(OFFICE_HEADER, people, dict(OFFICE_PICK, 序号='序号', 备注='备注'))


def not_people_rows(bad=False):
    """Three cadres, then what such a sheet holds below them: a lone 序号, a row of spaces,
    合计, 填表人 with a phone, 备注, 说明, 注, an 审核人 further right."""
    region = '150126' if bad else '150122'
    people = numbered([cadre('苏丽华', region, '19800101', 11, '溪美街道'),
                       cadre('蔡志明', region, '19850202', 22, '溪美街道', wrong=bad),
                       cadre('柯建华', region, '19790303', 33, '溪美街道')])
    rows = laid_out(['序号'] + HEADER, people, dict({h: h for h in HEADER}, 序号='序号'))
    rows += [['4'], ['  ', '\u3000'], ['合计：3人'],
             ['填表人：张三', '', '', '', '联系电话：0595-86381234'],
             ['备注：本表由各单位人事科填写'], ['说明：身份证号须为18位'], ['注：职级按现任填写'],
             ['', '', '', '', '', '', '', '', '审核人：李四']]
    return rows


def note_right_rows():
    """A title row with a date far to the right (P1), a note cell right of the table in a data
    row (N3), one bad check digit, and a 填表人 line below."""
    people = [cadre('郭明辉', '150123', '19800101', 11, '溪美街道'),
              cadre('吕秀英', '150123', '19850202', 22, '溪美街道', wrong=True),
              cadre('康振华', '150123', '19790303', 33, '溪美街道')]
    rows = laid_out(HEADER, people, {h: h for h in HEADER})
    rows[1] += ['', '注：该同志2023年调入']   # N2 (N3 with the title row)
    rows.append(['填表人：王五'])
    title = ['南安市干部信息表'] + [''] * 14 + ['填报日期：2024年3月']  # A1 … P1
    return [title] + rows


def trailing_rows():
    """备注 and 审核意见 after the last column, left empty in every row; one bad row."""
    people = [cadre('石静怡', '150124', '19800101', 11, '溪美街道'),
              cadre('史国强', '150124', '19850202', 22, '溪美街道', wrong=True)]
    return laid_out(HEADER + ['备注', '审核意见'], people, {h: h for h in HEADER})


LAYOUTS = {
    'cadres_office_headers': (office_rows(), '南安市机关事业单位干部信息表'),
    'cadres_not_people': (not_people_rows(), None),
    'cadres_not_people_bad': (not_people_rows(bad=True), None),
    'cadres_note_right': (note_right_rows(), None),
    'cadres_trailing_cols': (trailing_rows(), None),
}


def header_problem_csv():
    """300 cadres under a header whose ID column is called 证件号: one problem, not 301."""
    head = ['序号', '姓名', '证件号', '单位', '职级层次', '干部类别']
    rows = [head]
    for i in range(300):
        ymd = f'1980{1 + i // 28:02d}{1 + i % 28:02d}'
        rows.append([str(i + 1), f'测试{i}', idn('150125', ymd, 11), '溪美街道', '一般干部', '公务员'])
    return '\r\n'.join(','.join(r) for r in rows) + '\r\n'


def write_xlsx(name, rows, title, tmp):
    if shutil.which('soffice'):
        src = os.path.join(tmp, name + '.fods')
        with open(src, 'w', encoding='utf-8') as f:
            f.write(fods(rows, title))
        subprocess.run(['soffice', '--headless', '--convert-to', 'xlsx', '--outdir', tmp, src],
                       check=True, capture_output=True)
        shutil.copy(os.path.join(tmp, name + '.xlsx'), os.path.join(HERE, name + '.xlsx'))
    else:
        xlsx_by_hand(os.path.join(HERE, name + '.xlsx'), rows, title)


def main():
    tmp = tempfile.mkdtemp()
    try:
        for name, (rows, title) in LAYOUTS.items():
            write_xlsx(name, rows, title, tmp)
        with open(os.path.join(HERE, 'cadres_header_problem.csv'), 'w', encoding='utf-8', newline='') as f:
            f.write(header_problem_csv())
        if not shutil.which('soffice'):
            print('soffice not installed: the LibreOffice-made fixtures are left as they are')
            return
        for name, (rows, title) in FILES.items():
            src = os.path.join(tmp, name + '.fods')
            with open(src, 'w', encoding='utf-8') as f:
                f.write(fods(rows, title))
            subprocess.run(['soffice', '--headless', '--convert-to', 'xlsx', '--outdir', tmp, src],
                           check=True, capture_output=True)
            shutil.copy(os.path.join(tmp, name + '.xlsx'), os.path.join(HERE, name + '.xlsx'))
        # GBK CSV files, as Excel on Chinese Windows saves them
        gbk_rows = [HEADER, person('赵钱', '120105', '19800101', 11, '美林街道'),
                    person('孙李', '120105', '19850202', 22, '美林街道')]
        bad_rows = [HEADER, person('周对', '120106', '19800101', 11, '美林街道'),
                    person('周错', '120106', '19790303', 33, '美林街道', wrong=True)]
        for name, rows in (('cadres_gbk', gbk_rows), ('cadres_gbk_bad', bad_rows)):
            text = '\r\n'.join(','.join(v[1] if isinstance(v, tuple) else str(v) for v in r)
                               for r in rows) + '\r\n'
            with open(os.path.join(HERE, name + '.csv'), 'wb') as f:
                f.write(text.encode('gbk'))
    finally:
        shutil.rmtree(tmp)


if __name__ == '__main__':
    main()
