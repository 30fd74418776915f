#!/usr/bin/env python3
# The April 2025 replay (`cn-april-2025-replay`) worked by hand on the
# sample's EV drive unit (EDU-150), magnet lines only (material of the NdFeB
# family), with the functions of .ci/spec5_check.py (SPEC sections 3-5):
#
#   python3 .ci/april2025_handcalc.py [SCENARIO [PRODUCT [FAMILY]]]
#
# For every such line: its B (value of the rare-earth-bearing material) and
# how it was found, each source's stages, origin and HS code, each element's
# mass, price and class, the month-1 control rows, and the four parts of the
# cost change (price U, shortage S, carrying D, tariff T):
#   month 1     per unit of the part, per unit of the product (x Q) and per
#               year at the month-1 rate (x Q x annual volume);
#   first year  months 1..12: per unit of the product (12-month mean) and per
#               year (V/12 x Q x sum over the months: the line's share of
#               annual_delta).
# Figures are in the report currency, printed to 4 places per unit and 2 per
# year; the sums are exact decimals.
import sys
from decimal import Decimal as D

import spec5_check as c

PARTS = (('U', 'price'), ('S', 'shortage'), ('D', 'carrying'), ('T', 'tariff'))


def money(x, places=4):
    return f'{x:,.{places}f}'


def plain(x):
    """A decimal without trailing zeros or exponent: 0.055, 655.5, 100."""
    return format(x.normalize(), 'f')


def main(argv):
    sid = argv[1] if len(argv) > 1 else 'cn-april-2025-replay'
    product = argv[2] if len(argv) > 2 else 'EDU-150'
    family = argv[3] if len(argv) > 3 else 'ndfeb'
    m = c.load()
    scen = {s['id']: s for s in m.scenarios}[sid]
    V = m.products[product]['volume']
    imp = m.products[product]['import_country']
    cur = m.currency
    print(f'Scenario {sid} (controlling country {scen["country"]}, spot premium {scen["spot"]}%), '
          f'product {product}: {V:,} units a year, imported into {imp}.')
    print(f'Projection month 1 = {m.start[0]}-{m.start[1]:02d}; carrying rate {m.carrying_rate}% a year; '
          f'unknown stages: {m.unknown_origin}; figures in {cur}.')
    print('U = sum_e sum_k m_e P_e(k) price_e,k uplift/100;  S = B (1 - a_j) spot/100;  '
          'D = B rate/100 d_j/365;  T = c_j tariff/100 (cost-bearing lines only).\n')
    total = {k: D(0) for k, _ in PARTS}
    total1 = {k: D(0) for k, _ in PARTS}
    for line in m.lines:
        if line['product'] != product or line['family'] != family or not line['re']:
            continue
        mat = m.materials[c.norm(line['material'])]
        q = line['Q']
        print('=' * 100)
        print(f"{line['pn']}  {line['desc']}")
        print(f"  material {line['material']}, re_mass_kg {plain(line['mass'])}, exploded quantity Q = {q} per product, "
              f"HS {line['hs'] or '-'}, {'cost-bearing (leaf)' if line['b'] else 'assembly (no tariff)'}")
        if line['mass'] is not None and mat['price'] is not None:
            how = f"re_mass_kg x material price = {plain(line['mass'])} x {plain(mat['price'])}"
        else:
            how = 'sum of m_e x China price over priced elements = ' + ' + '.join(
                f"{plain(x)} x {plain(m.prices[el][0])}" for el, x in sorted(line['content'].items()) if el in m.prices)
        print(f"  B = {money(line['B'])} {cur} per unit of the part ({how})")
        for j, src in enumerate(line['sources']):
            r1 = c.source_month(m, scen, line, src, 1)
            print(f"  source {j + 1}: {src['supplier'] or '-'}, share {src['share'] * 100:.2f}%, unit cost "
                  f"{money(src['cost'])} {cur}; mine {src['mine'] or '?'}, separation {src['sep'] or '?'}, "
                  f"heavy-RE separation {src['hre'] or '?'}, metal {src['metal'] or '?'}, component "
                  f"{src['comp'] or '?'}, origin {src['origin'] or '?'}, HS {src['hs'] or '-'}")
            others = []
            for el, e in r1['elements'].items():
                if el not in c.RARE_EARTHS and el not in m.prices:
                    others.append(f"{el} {plain(e['mass'] * 1000)} g")
                    continue
                cn, ex = m.prices.get(el, (D(0), None))
                rows = []
                for k, p in zip(c.CLASSES, e['probs']):
                    if p:
                        up, av, de = c.control(m, sid, el, k, src['hs'], 1)
                        rows.append(f'{k} row: uplift {up}%, availability {av}%, delay {de} d')
                kind = 'heavy RE' if el in c.HEAVY else ('light RE' if el in c.RARE_EARTHS else 'priced')
                print(f"    {el:2s} ({kind}) m = {plain(e['mass'] * 1000)} g, price CN {cn}"
                      f"{'' if ex is None else f' / ex-CN {ex}'} per kg, class {c.class_name(e['probs'])}; "
                      f"month 1 {'; '.join(rows)}; a_e = {plain(e['a'])}, d_e = {plain(e['d'])} d, "
                      f"U_e = {money(e['U'])}")
            if others:
                print('    other elements (no price, no control row): ' + ', '.join(others))
            print(f"    month 1: a_j = {plain(r1['a'])}, d_j = {plain(r1['d'])} days, tariff {r1['tariff_pct']}%: "
                  + ', '.join(f"{n} {money(r1[k])}" for k, n in PARTS) + ' per unit of the part'
                  + ('' if line['b'] else ' (T not charged: not cost-bearing)'))
        months = [c.line_month(m, scen, line, t) for t in range(1, 13)]
        m1 = months[0]
        year = {k: sum((x[k] for x in months), D(0)) for k, _ in PARTS}
        print('  line, all sources:')
        print(f"    {'':10s}{'month 1 /part':>16s}{'month 1 /product':>18s}{'month 1 /year':>18s}"
              f"{'year 1 /product':>18s}{'year 1 /year':>18s}")
        for k, n in PARTS + (('delta', 'total'),):
            v1 = m1[k] if k != 'delta' else m1['delta']
            vy = year[k] if k != 'delta' else sum(year.values(), D(0))
            print(f"    {n:10s}{money(v1):>16s}{money(q * v1):>18s}{money(V * q * v1, 2):>18s}"
                  f"{money(q * vy / 12):>18s}{money(V / 12 * q * vy, 2):>18s}")
        for k, _ in PARTS:
            total1[k] += q * m1[k]
            total[k] += q * year[k]
    print('=' * 100)
    print(f'All {family} lines of {product}:')
    print(f"    {'':10s}{'month 1 /product':>18s}{'month 1 /year':>18s}{'year 1 /product':>18s}{'year 1 /year':>18s}")
    for k, n in PARTS:
        print(f"    {n:10s}{money(total1[k]):>18s}{money(V * total1[k], 2):>18s}"
              f"{money(total[k] / 12):>18s}{money(V / 12 * total[k], 2):>18s}")
    t1 = sum(total1.values(), D(0))
    ty = sum(total.values(), D(0))
    print(f"    {'total':10s}{money(t1):>18s}{money(V * t1, 2):>18s}{money(ty / 12):>18s}{money(V / 12 * ty, 2):>18s}")
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
