#!/usr/bin/env python3
"""gen_cadres.py N OUT.csv — N synthetic cadres for the demo's units, valid ID numbers.

Rows use the cadre import template's header, so `peixun import --kind cadres` takes them.
ID numbers use region code 440305 (not the demo's 350583), so they never collide with the
demo database, and run through distinct (birth date, sequence) pairs.
"""
import random
import sys

UNITS = ['溪美街道', '柳城街道', '美林街道', '省新镇', '仑苍镇', '东田镇', '英都镇', '翔云镇', '金淘镇',
         '诗山镇', '蓬华镇', '码头镇', '九都镇', '乐峰镇', '罗东镇', '梅山镇', '洪濑镇', '洪梅镇', '康美镇',
         '丰州镇', '霞美镇', '官桥镇', '水头镇', '石井镇', '眉山乡', '向阳乡']
SURNAMES = '陈林黄王李张吴刘蔡洪郑苏傅叶许杨何戴潘施庄柯余詹卓'
GIVEN = '伟强敏静丽军杰涛明超勇艳娟华平辉鑫婷斌宇浩凯晓建志文海燕玲峰雪晨阳毅清源泉鸿泽锦荣丹琳'
RANKS = ['一般干部'] * 8 + ['乡科级'] * 2
W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def check(d17):
    return '10X98765432'[sum(int(c) * w for c, w in zip(d17, W)) % 11]


def main():
    n, out = int(sys.argv[1]), sys.argv[2]
    rnd = random.Random(20230218)
    import datetime
    base = datetime.date(1965, 1, 1)
    with open(out, 'w', encoding='utf-8', newline='') as f:
        f.write('姓名,身份证号,手机号码,单位,职务,是否一把手,职级层次,干部类别,任现职时间\n')
        for i in range(n):
            day = base + datetime.timedelta(days=i // 500)
            seq = (i % 500) * 2 + 1
            d17 = f'440305{day:%Y%m%d}{seq:03d}'
            name = rnd.choice(SURNAMES) + rnd.choice(GIVEN) + (rnd.choice(GIVEN) if i % 3 else '')
            phone = f'1{rnd.choice("3589")}{rnd.randrange(10**9):09d}'
            f.write(f'{name},{d17}{check(d17)},{phone},{UNITS[i % len(UNITS)]},科员,否,'
                    f'{RANKS[i % 10]},公务员,2020-0{1 + i % 9}-01\n')


main()
