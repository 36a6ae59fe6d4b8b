#!/usr/bin/env python3
"""make.py — regenerate the import fixtures of tests/api/imports.test.mjs.

The .xlsx files are written by LibreOffice (flat ODS → xlsx, `soffice --headless`), so
the importer is tested on what an office suite really produces: a title row above the
header, ID numbers stored as text, dates stored as date serials with a date format, and
an ID number typed as a number (which Excel rounds). The outputs are committed; run this
only to change them (needs libreoffice-calc).

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
    return (f'<table:table-cell office:value-type="string"><text:p>{escape(str(v))}</text:p>'
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


def main():
    tmp = tempfile.mkdtemp()
    try:
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


main()
