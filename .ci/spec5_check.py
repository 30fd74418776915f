# An independent computation of SPEC section 5 on the embedded sample,
# written from the SPEC alone (not from the Go code), compared with the
# annual deltas of `rexpo demo --declarations= --json FILE` (no supplier
# declaration, so the sample's BOM content is what counts).
#
#   python3 .ci/spec5_check.py report.json
#
# Settings as the demo runs them: start 2026-11, USD, import country US,
# controlling country CN, unknown origin "world", carrying rate 25%.
# Exits 1 when any scenario differs by half a cent or more.
import csv, json, sys
from decimal import Decimal as D, getcontext
getcontext().prec = 60
import os
base = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'inputs', 'data') + os.sep
def rows(p): return list(csv.DictReader(open(p, encoding='utf-8-sig')))
products = {r['product']: D(r['annual_volume']) for r in rows(base+'sample/products.csv')}
fx = {r['currency']: D(r['rate']) for r in rows(base+'sample/fx.csv')}; fx['USD'] = D(1); fx[''] = D(1)
mats = {}
fam = {}
for r in rows(base+'materials.csv'):
    comp = {}
    for k, v in r.items():
        if k in ('material','description','family','source') or not v: continue
        comp[k] = D(v)
    mats[r['material'].upper()] = comp; fam[r['material'].upper()] = r['family'].lower()
prices = {r['element']: (D(r['price_usd_per_kg']), D(r['exchina_usd_per_kg'] or '0')) for r in rows(base+'prices.csv')}
shares = rows(base+'stage_shares.csv')
groups = {r['group'].lower(): r['elements'].split(',') for r in rows(base+'groups.csv')}
REs = 'Sc Y La Ce Pr Nd Pm Sm Eu Gd Tb Dy Ho Er Tm Yb Lu'.split()
stages = ['mine','separation','metal','component']
def share_of(stage, family, c):
    fr = [r for r in shares if r['stage']==stage and family and r['family'].lower()==family]
    if not fr: fr = [r for r in shares if r['stage']==stage and r['family']=='']
    return sum((D(r['share_pct'])/100 for r in fr if r['country']==c), D(0))
def probs(countries, family, C='CN'):
    comp = countries[3]
    pd = D(1) if comp==C else (D(0) if comp else share_of('component', family, C))
    notany = D(1); known = False
    for g in range(3):
        if countries[g]==C: known=True
        elif countries[g]=='': notany *= (1 - share_of(stages[g], family, C))
    pany = D(1) if known else 1-notany
    pu = (1-pd)*pany
    return [pd, pu, 1-pd-pu]
# BOM
bom = rows(base+'sample/bom.csv')
lines = []
for r in bom:
    cur = r['currency'] or 'USD'
    cost = D(r['unit_cost'] or '0') * fx[cur]
    m = (r['material'] or '').upper()
    comp = dict(mats.get(m, {}))
    for el in ('Nd','Dy','Tb'):
        if r.get(el): comp[el] = D(r[el])
    mass = D(r['re_mass_kg']) if r.get('re_mass_kg') else None
    content = {}
    grams = {}
    if r.get('Nd_g'): grams['Nd'] = D(r['Nd_g'])/1000
    if mass is not None:
        for el, pct in comp.items():
            if pct: content[el] = mass*pct/100
    content.update(grams)
    countries = [(r[k] or '') for k in ('mine_country','refine_country','metal_country','component_country')]
    lines.append(dict(product=r['product'], pn=r['part_number'], parent=r['parent'], qty=D(r['qty_per']), cost=cost, cur=cur,
                      material=m, hs=''.join(ch for ch in r['hs_code'] if ch.isdigit()), content=content,
                      sources=[dict(share=D(1), countries=countries, cost=cost)]))
src_rows = rows(base+'sample/sourcing.csv')
by = {}
for r in src_rows: by.setdefault(r['part_number'], []).append(r)
for l in lines:
    rs = by.get(l['pn'])
    if not rs: continue
    tot = sum(D(r['share_pct']) for r in rs)
    l['sources'] = [dict(share=D(r['share_pct'])/tot, countries=[r[k] or '' for k in ('mine_country','refine_country','metal_country','component_country')],
                         cost=(D(r['unit_cost'])*fx[r['currency'] or 'USD']) if r['unit_cost'] else l['cost']) for r in rs]
idx = {(l['product'], l['pn']): i for i, l in enumerate(lines)}
children = set()
for l in lines:
    p = l['parent']
    l['par'] = None if (p=='' or p==l['product']) else idx[(l['product'], p)]
    if l['par'] is not None: children.add(l['par'])
def Q(i):
    l = lines[i]; return l['qty'] * (Q(l['par']) if l['par'] is not None else 1)
start_y, start_m = 2026, 11
def mindex(s, lo):
    if not s: return -10**9 if lo else 10**9
    if '-' in s:
        y, m = s.split('-'); return (int(y)-start_y)*12 + (int(m)-start_m) + 1
    return int(s)
scen = {r['scenario']: r for r in rows(base+'scenarios.csv')}
ctl = rows(base+'controls.csv'); tar = rows(base+'tariffs.csv')
def elems_of(cell):
    out = []; star = False
    for t in cell.split(','):
        t = t.strip()
        if t == '*': star = True
        elif t.lower() in groups: out += groups[t.lower()]
        elif t: out.append(t)
    return out, star
def control(sid, el, k, t):
    best = None
    for r in ctl:
        if r['scenario'] != sid: continue
        els, star = elems_of(r['elements'])
        if star and el not in prices: continue
        if not star and el not in els: continue
        cls = r['class'] or '*'
        if cls not in ('*', k): continue
        if not (mindex(r['from_month'], True) <= t <= mindex(r['to_month'], False)): continue
        rank = (17 if star else len(set(els)), 1 if cls=='*' else 0)
        if best is None or rank < best[0]: best = (rank, r)
        elif rank == best[0]: raise SystemExit('tie '+sid)
    if best is None: return D(0), D(100), D(0)
    r = best[1]
    f = lambda v, d: D(v.split('(')[0].strip()) if v else D(d)
    return f(r['price_uplift_pct'],'0'), f(r['availability_pct'],'100'), f(r['delay_days'],'0')
def tariff(sid, origin, hs, mat, t):
    best = None
    for r in tar:
        if r['scenario']!=sid or r['import_country']!='US': continue
        o = r['origin_country'] or '*'
        if o != '*' and (origin is None or o != origin): continue
        pre = ''.join(ch for ch in r['hs_prefix'] if ch.isdigit())
        if pre and not hs.startswith(pre): continue
        if r['material'] and r['material'].upper()!=mat: continue
        if not (mindex(r['from_month'], True) <= t <= mindex(r['to_month'], False)): continue
        rank = (1 if o!='*' else 0, len(pre), 1 if r['material'] else 0)
        if best is None or rank > best[0]: best = (rank, r)
        elif rank == best[0]: raise SystemExit('tariff tie')
    return D(best[1]['tariff_pct'].split('(')[0]) if best else D(0)
K = ['direct','upstream','free']
out = {}
for sid, s in scen.items():
    spot = D(s['spot_premium_pct'])
    annual = D(0)
    for i, l in enumerate(lines):
        b = 1 if i not in children else 0
        V = products[l['product']]; q = Q(i)
        for src in l['sources']:
            P = probs(src['countries'], fam.get(l['material'], ''))
            for t in range(1, 13):
                U = D(0); amin = D(1); dmax = D(0)
                for el, m in l['content'].items():
                    if m <= 0: continue
                    a = D(0); d = D(0)
                    for kk, k in enumerate(K):
                        up, av, de = control(sid, el, k, t)
                        cn, ex = prices.get(el, (D(0), D(0)))
                        pr = (ex if ex > 0 else cn) if k == 'free' else cn
                        U += m * P[kk] * pr * up / 100
                        a += P[kk] * av / 100; d += P[kk] * de
                    amin = min(amin, a); dmax = max(dmax, d)
                c = src['cost']
                S = c * (1 - amin) * spot / 100
                Dc = c * D(25) / 100 * dmax / 365
                comp = src['countries'][3]
                if comp:
                    T = c * tariff(sid, comp, l['hs'], l['material'], t) / 100
                else:
                    pd = P[0]
                    T = c * (pd*tariff(sid, 'CN', l['hs'], l['material'], t) + (1-pd)*tariff(sid, None, l['hs'], l['material'], t)) / 100
                annual += V/12 * q * src['share'] * (U + b*(S + Dc + T))
    out[sid] = annual
js = json.load(open(sys.argv[1]))
bad = 0
for sc in js['scenarios']:
    mine = out[sc['id']]; theirs = D(sc['annual_delta'])
    print(f"{sc['id']:32s} independent {mine:,.2f}  rexpo {theirs:,.2f}  diff {mine-theirs:.6f}")
    if abs(mine - theirs) >= D('0.005'):
        bad += 1
if len(js['scenarios']) != len(out):
    print(f"rexpo computed {len(js['scenarios'])} scenarios, the library has {len(out)}"); bad += 1
sys.exit(1 if bad else 0)
