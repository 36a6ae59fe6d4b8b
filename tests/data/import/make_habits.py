#!/usr/bin/env python3
"""make_habits.py — the fixtures of tests/api/import-habits.test.mjs (issue 10: files as
offices make them). Writes .xlsx with make.py's writer by hand (plain number
cells without a style — a General cell, as Excel leaves a column nobody formatted) and .csv as Excel
saves them. Outputs are committed; run only to change them. Region code 150102 is these
fixtures' own (no other test or the demo uses it).
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make import HERE, W, xlsx_by_hand  # noqa: E402


def check(d17):
    return '10X98765432'[sum(int(a) * b for a, b in zip(d17, W)) % 11]


def idn(ymd, seq):
    d17 = f'150102{ymd}{seq:03d}'
    return d17 + check(d17)


def damaged_but_valid(ymd):
    """An 18-digit number ending in 000 that passes the check digit: what Excel's 15 digits
    leave of another number, by bad luck valid."""
    for seq in range(0, 1000, 100):  # the sequence ends in 00, the check digit must be 0
        d17 = f'150102{ymd}{seq:03d}'
        if check(d17) == '0':
            return d17 + '0'
    raise SystemExit('no such number for ' + ymd)


def xlsx(path, rows):
    """Numbers as number cells (General: no style), the rest as text, through make.py's
    writer."""
    xlsx_by_hand(path, [[('number', v) if isinstance(v, (int, float)) else v for v in r] for r in rows])


def csv(path, rows, encoding='utf-8-sig'):
    def field(v):
        v = str(v)
        return '"' + v.replace('"', '""') + '"' if any(ch in v for ch in ',"\n') else v
    with open(path, 'w', encoding=encoding, newline='') as f:
        for r in rows:
            f.write(','.join(field(v) for v in r) + '\r\n')


HEADER = ['姓名', '身份证号', '单位', '职务', '职级层次', '干部类别', '出生日期', '任现职时间', '状态']
FW = str.maketrans('0123456789X', '０１２３４５６７８９Ｘ')


def main():
    bad = damaged_but_valid('19800101')
    real = idn('19800102', 7)
    # 1: numbers Excel kept as numbers; the damaged one passes the check digit
    xlsx(os.path.join(HERE, 'habits_numeric_id.xlsx'), [
        HEADER,
        ['陈数值', int(bad), '溪美街道', '科员', '一般干部', '公务员', '', '', ''],
        ['陈文本', real, '溪美街道', '科员', '一般干部', '公务员', '', '', ''],
    ])
    csv(os.path.join(HERE, 'habits_excel_15digits.csv'), [
        HEADER,
        ['林十五', bad, '溪美街道', '科员', '一般干部', '公务员', '', '', ''],
    ])
    # the same number written on purpose as text: quoted, it is taken as it is
    with open(os.path.join(HERE, 'habits_quoted_000.csv'), 'w', encoding='utf-8-sig', newline='') as f:
        f.write(','.join(HEADER) + '\r\n')
        f.write(f'林引号,"{bad}",溪美街道,科员,一般干部,公务员,,,\r\n')
    # a real number that ends in 000, bare, in a column whose other numbers do not: genuine
    csv(os.path.join(HERE, 'habits_genuine_000.csv'), [
        HEADER,
        ['周零零', damaged_but_valid('19810202'), '溪美街道', '科员', '一般干部', '公务员', '', '', ''],
        ['周一一', idn('19810203', 21), '溪美街道', '科员', '一般干部', '公务员', '', '', ''],
    ])
    # 3, 4, 5: what offices type
    rows = [HEADER]
    rows.append(['王\u3000 芳', idn('19850301', 11).translate(FW), '南安市溪美街道', '\u00a0党委委员 ',
                 '副科级', '参公人员', '1985.03', 2021.1, '在岗'])
    rows.append(['李  明\u200b', ' '.join([idn('19760815', 12)[:6], idn('19760815', 12)[6:14], idn('19760815', 12)[14:]]),
                 '溪美街道办事处', '主任科员', '正科级', '公务员', '1976年8月', 1976.08 + 40, '在职'])
    rows.append(['张卫东', idn('19700101', 13), '中共南安市委组织部', '科员', '科员', '公务员', '1970-1',
                 44562, '在职'])
    xlsx(os.path.join(HERE, 'habits_office.xlsx'), rows)
    # 4, 5: a character that must be refused, a unit that is a slip of another
    csv(os.path.join(HERE, 'habits_refused.csv'), [
        HEADER,
        ['赵\u202e钱', idn('19800103', 14), '溪美街道', '科员', '一般干部', '公务员', '', '', ''],
        ['孙错字', idn('19800104', 15), '溪美街', '科员', '一般干部', '公务员', '', '', ''],
    ])


if __name__ == '__main__':
    main()
