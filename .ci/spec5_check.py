#!/usr/bin/env python3
# An independent computation of SPEC section 5 (with the definitions of
# sections 2, 3 and 4 it uses) on the embedded sample, written from the SPEC
# alone (not from the Go code), compared with `rexpo demo --declarations=
# --json FILE` (no supplier declaration, so the sample's BOM content is what
# counts):
#
#   python3 .ci/spec5_check.py report.json
#
# It compares, for every scenario, annual_delta, and when the JSON has them
# the four parts of split and each product's units_at_risk; it prints every
# figure and exits 1 when one differs by half a cent (half a hundredth of a
# unit) or more.
#
# Settings as the demo runs them: the sample's settings.csv (currency,
# import_country, and start, carrying_rate, unknown_origin, rollup when set),
# else start = the month of --as-of 2026-11-26, carrying rate 25%, unknown
# origin "world", rollup "leaves", import country US.
#
# Every column is read by name (with the SPEC's aliases) and a missing column
# is empty, so the script runs on the reference data before and after the
# columns of the revised SPEC were added (origin_country,
# hre_separation_country, hs_prefix on Controls, import_country on Products,
# price_usd_per_kg on Materials, stage hre_separation in stage_shares.csv).
#
# Readings where the SPEC leaves room:
# - the world share of heavy-rare-earth separation: stage_shares rows of stage
#   hre_separation (the material family's, else the general ones); with no
#   such row at all, those of stage separation;
# - a Sourcing row's hs_code, when given, is that source's; else the BOM row's;
# - "rare-earth content" (B > 0, lines of units_at_risk) means a mass of one of
#   the 17 rare earths; a_j and d_j run over every element with a mass;
# - a source of unknown origin is costed as if made in the scenario's
#   controlling country (weight: that country's component share for the
#   line's material family) and as if made elsewhere (only `*` origin rows);
# - B uses the material's price per kg even when the BOM row changes wt%.
#
# The functions are reused by .ci/april2025_handcalc.py.
import csv
import json
import os
import re
import sys
from decimal import Decimal as D, getcontext

getcontext().prec = 60

HERE = os.path.dirname(os.path.abspath(__file__))
REFERENCE = os.path.normpath(os.path.join(HERE, '..', 'reference', 'data'))  # package reference's files
SAMPLE = os.path.normpath(os.path.join(HERE, '..', 'inputs', 'data', 'sample'))  # the demo's input
AS_OF_MONTH = (2026, 11)  # --as-of 2026-11-26T00:00:00Z, as .ci/run runs the demo
CLASSES = ('direct', 'upstream', 'free')
RARE_EARTHS = 'Sc Y La Ce Pr Nd Pm Sm Eu Gd Tb Dy Ho Er Tm Yb Lu'.split()
HEAVY = 'Gd Tb Dy Ho Er Tm Yb Lu Y'.split()  # SPEC 2: separated at hre_separation_country
HALF_CENT = D('0.005')


class CheckError(Exception):
    pass


# ---------------------------------------------------------------- reading

def norm(s):
    """SPEC 2: names match case-insensitively, ignoring spaces, _, -, % and ()."""
    return re.sub(r'[\s_\-%()]', '', s or '').lower()


# Canonical column -> its aliases (SPEC 2), all normalised.
ALIASES = {
    'product': ['product'],
    'annual_volume': ['annualvolume', 'volume', 'unitsperyear'],
    'import_country': ['importcountry', 'plantcountry'],
    'part_number': ['partnumber', 'part', 'pn', 'component', 'item', 'materialnumber'],
    'parent': ['parent', 'parentpart'],
    'qty_per': ['qtyper', 'quantity', 'qty'],
    'unit_cost': ['unitcost', 'unitprice', 'price', 'cost'],
    'currency': ['currency'],
    'supplier': ['supplier', 'vendor'],
    'material': ['material'],
    're_mass_kg': ['remasskg'],
    're_mass_g': ['remassg'],
    'mine_country': ['minecountry'],
    'refine_country': ['refinecountry', 'separationcountry'],
    'metal_country': ['metalcountry', 'alloycountry'],
    'component_country': ['componentcountry', 'magnetcountry'],
    'hre_separation_country': ['hreseparationcountry'],
    'origin_country': ['origincountry', 'countryoforigin', 'coo'],
    'hs_code': ['hscode'],
    'hs_prefix': ['hsprefix'],
    'share_pct': ['sharepct', 'share'],
}
CANON = {a: c for c, al in ALIASES.items() for a in al}


def read_rows(path):
    """Rows of a CSV file as dicts keyed by canonical column names (aliases
    resolved) and also by the raw headers; a missing file is no rows."""
    if not os.path.exists(path):
        return [], []
    with open(path, encoding='utf-8-sig', newline='') as f:
        rd = csv.reader(f)
        try:
            hdr = next(rd)
        except StopIteration:
            return [], []
        out = []
        for rec in rd:
            if not any(c.strip() for c in rec):
                continue
            r = {}
            for h, v in zip(hdr, rec):
                v = v.strip()
                r[h] = v
                n = norm(h)
                r[CANON.get(n, n)] = v
            out.append(r)
        return hdr, out


def g(r, k):
    """A cell by canonical name; a missing column is empty."""
    return r.get(k, '') or ''


def num(s, default=None):
    """A number cell: `1,234.50`, `$12.50`, `5%`, `30 (20..60)` (the value
    before a range)."""
    s = (s or '').strip()
    if not s:
        if default is None:
            raise CheckError('empty number')
        return D(default)
    s = s.split('(')[0].strip()
    s = re.sub(r'[$€£¥%\s]', '', s)
    if re.fullmatch(r'-?\d{1,3}(,\d{3})+(\.\d*)?', s):
        s = s.replace(',', '')
    return D(s)


def digits(s):
    return ''.join(ch for ch in (s or '') if ch.isdigit())


class Model:
    pass


def load(base=REFERENCE, sample=SAMPLE):
    """Reads the reference data and the sample into a Model."""
    m = Model()
    ref = lambda n: read_rows(os.path.join(base, n))[1]
    smp = lambda n: read_rows(os.path.join(sample, n))[1]

    # periodic table and names
    m.symbols = {}
    for r in ref('periodic.csv') + ref('elements.csv'):
        sym = g(r, 'symbol')
        if sym:
            m.symbols[sym.lower()] = sym
            m.symbols[norm(g(r, 'name'))] = sym

    # countries: alpha-2, alpha-3, names and variants -> alpha-2
    m.country = {}
    for r in ref('countries.csv'):
        a2 = g(r, 'alpha2').upper()
        for v in [a2, g(r, 'alpha3'), g(r, 'name')] + g(r, 'variants').split(';'):
            if v.strip():
                m.country[norm(v)] = a2

    settings = {norm(g(r, 'key')): g(r, 'value') for r in smp('settings.csv')}
    m.settings = settings
    m.currency = (settings.get('currency') or 'USD').upper()
    m.fx = {m.currency: D(1)}
    for r in smp('fx.csv'):
        m.fx[g(r, 'currency').upper()] = num(g(r, 'rate'))
    m.import_default = m_country(m, settings.get('importcountry', '')) or 'US'
    m.carrying_rate = num(settings.get('carryingrate', ''), '25')
    m.unknown_origin = norm(settings.get('unknownorigin', '')) or 'world'
    m.rollup = norm(settings.get('rollup', '')) or 'leaves'
    st = settings.get('start', '')
    m.start = (int(st[:4]), int(st[5:7])) if re.match(r'\d{4}-\d{2}', st) else AS_OF_MONTH

    # prices (USD, converted)
    usd = m.fx.get('USD')
    m.prices = {}
    for r in ref('prices.csv'):
        el = element(m, g(r, 'element'))
        cn = num(g(r, 'priceusdperkg'))
        ex = num(g(r, 'exchinausdperkg'), '0')
        m.prices[el] = (cn * need(usd, 'USD'), ex * need(usd, 'USD') if ex > 0 else None)

    # materials: composition, family, own price
    m.materials = {}
    for r in ref('materials.csv'):
        comp = {}
        for h, v in r.items():
            el = wt_header(m, h)
            if el and v:
                comp[el] = num(v)
        if sum(comp.values(), D(0)) > 100:
            raise CheckError('material %s: composition over 100' % g(r, 'material'))
        price = g(r, 'priceusdperkg')
        m.materials[norm(g(r, 'material'))] = dict(
            code=g(r, 'material'), comp=comp, family=norm(g(r, 'family')),
            price=num(price) * need(usd, 'USD') if price else None)

    m.shares = ref('stage_shares.csv')
    m.groups = {norm(g(r, 'group')): [element(m, e) for e in g(r, 'elements').split(',') if e.strip()]
                for r in ref('groups.csv')}
    m.scenarios = []
    for r in ref('scenarios.csv'):
        m.scenarios.append(dict(id=g(r, 'scenario'), spot=num(g(r, 'spotpremiumpct'), '0'),
                                country=m_country(m, g(r, 'country')) or 'CN'))
    m.controls = ref('controls.csv')
    m.tariffs = ref('tariffs.csv')

    # products
    m.products = {}
    for r in smp('products.csv'):
        m.products[g(r, 'product')] = dict(
            volume=num(g(r, 'annual_volume')),
            import_country=m_country(m, g(r, 'import_country')) or m.import_default)

    # BOM
    hdr, bom = read_rows(os.path.join(sample, 'bom.csv'))
    gram_cols = {h: gram_header(m, h) for h in hdr if gram_header(m, h)}
    wt_cols = {h: wt_header(m, h) for h in hdr if h not in gram_cols and wt_header(m, h)}
    m.lines = []
    for n, r in enumerate(bom, start=2):
        prod = g(r, 'product') or (next(iter(m.products)) if len(m.products) == 1 else '')
        cur = (g(r, 'currency') or m.currency).upper()
        cost = num(g(r, 'unit_cost'), '0') * need(m.fx.get(cur), cur)
        mat = m.materials.get(norm(g(r, 'material'))) if g(r, 'material') else None
        if g(r, 'material') and mat is None:
            raise CheckError('bom.csv row %d: unknown material %s' % (n, g(r, 'material')))
        mass = None
        if g(r, 're_mass_kg'):
            mass = num(g(r, 're_mass_kg'))
        elif g(r, 're_mass_g'):
            mass = num(g(r, 're_mass_g')) / 1000
        own = {el: num(r[h]) for h, el in wt_cols.items() if r.get(h)}
        comp = composition(mat, own, 'bom.csv row %d' % n)
        content = {}
        if mass is not None:
            for el, pct in comp.items():
                if pct > 0:
                    content[el] = mass * pct / 100
        for h, el in gram_cols.items():
            if r.get(h):
                content[el] = num(r[h]) / 1000  # SPEC 3: <El>_g wins over wt%
        content = {el: x for el, x in content.items() if x > 0}
        line = dict(row=n, product=prod, pn=g(r, 'part_number'), desc=g(r, 'description'),
                    parent=g(r, 'parent'), qty=num(g(r, 'qty_per'), '1'), cost=cost,
                    material=mat['code'] if mat else '', family=mat['family'] if mat else '',
                    mass=mass, comp=comp, content=content,
                    hs=digits(g(r, 'hs_code')))
        line['re'] = any(el in RARE_EARTHS for el in content)
        line['B'] = material_value(m, line, mat)
        line['sources'] = [source(m, r, line, D(1), cost)]
        m.lines.append(line)

    # Sourcing: replaces the BOM row's single source
    by = {}
    for r in smp('sourcing.csv'):
        by.setdefault(g(r, 'part_number'), []).append(r)
    for l in m.lines:
        rs = by.get(l['pn'])
        if not rs:
            continue
        tot = sum((num(g(r, 'share_pct')) for r in rs), D(0))
        if abs(tot - 100) > D('0.01'):
            raise CheckError('sourcing for %s adds up to %s' % (l['pn'], tot))
        l['sources'] = []
        for r in rs:
            if g(r, 'unit_cost'):
                cur = (g(r, 'currency') or m.currency).upper()
                c = num(g(r, 'unit_cost')) * need(m.fx.get(cur), cur)
            else:
                c = l['cost']
            l['sources'].append(source(m, r, l, num(g(r, 'share_pct')) / tot, c))

    # tree
    idx = {(l['product'], l['pn']): i for i, l in enumerate(m.lines)}
    m.children = set()
    for l in m.lines:
        p = l['parent']
        if p == '' or p == l['product']:
            l['par'] = None
        else:
            if (l['product'], p) not in idx:
                raise CheckError('bom.csv row %d: parent %s not found' % (l['row'], p))
            l['par'] = idx[(l['product'], p)]
            m.children.add(l['par'])
    for i, l in enumerate(m.lines):
        q, j, seen = D(1), i, set()
        while j is not None:
            if j in seen:
                raise CheckError('cycle at %s' % l['pn'])
            seen.add(j)
            q *= m.lines[j]['qty']
            j = m.lines[j]['par']
        l['Q'] = q
        l['leaf'] = i not in m.children
        l['b'] = 1 if (m.rollup == 'all' or l['leaf']) else 0
    return m


def need(v, what):
    if v is None:
        raise CheckError('no FX rate for ' + what)
    return v


def m_country(m, s):
    s = (s or '').strip()
    if not s:
        return ''
    c = m.country.get(norm(s))
    if c:
        return c
    if re.fullmatch(r'[A-Za-z]{2}', s):
        return s.upper()  # e.g. ZZ (others) in the reference shares
    raise CheckError('unknown country ' + s)


def element(m, s):
    s = s.strip()
    el = m.symbols.get(s.lower()) or m.symbols.get(norm(s))
    if not el:
        raise CheckError('unknown element ' + s)
    return el


def wt_header(m, h):
    """`Nd`, `Nd_pct`, `Nd (%)`, `Nd wt%` -> Nd (SPEC 2)."""
    mt = re.fullmatch(r'\s*([A-Za-z]{1,2})\s*(?:[_\-\s]*(?:pct|\(\s*%\s*\)|wt\s*%|%))?\s*', h)
    if not mt or norm(h) in CANON:
        return None
    return m.symbols.get(mt.group(1).lower())


def gram_header(m, h):
    """`Nd_g`, `Nd (g)`: a separator between symbol and g, so `Hg` stays mercury."""
    mt = re.fullmatch(r'\s*([A-Za-z]{1,2})\s*(?:[_\-\s]+\(?\s*g\s*\)?|\(\s*g\s*\))\s*', h)
    if not mt:
        return None
    return m.symbols.get(mt.group(1).lower())


def composition(mat, own, where):
    """A BOM row's wt%: each filled cell overrides that element of the
    material's composition; when the row pushes the total past 100, the
    material's balance element (its largest non-rare-earth element) gives
    way, unless the row sets it too (SPEC 2)."""
    base = dict(mat['comp']) if mat else {}
    comp = dict(base)
    comp.update(own)
    for el, v in comp.items():
        if v < 0 or v > 100:
            raise CheckError('%s: %s wt%% %s out of 0..100' % (where, el, v))
    tot = sum(comp.values(), D(0))
    if tot > 100:
        if sum((v for el, v in comp.items() if el in RARE_EARTHS), D(0)) > 100:
            raise CheckError('%s: rare earths pass 100 wt%%' % where)
        nonre = [(v, el) for el, v in base.items() if el not in RARE_EARTHS]
        bal = max(nonre)[1] if nonre else None
        if bal is None or bal in own:
            raise CheckError('%s: composition %s wt%% over 100' % (where, tot))
        comp[bal] = comp[bal] - (tot - 100)
        if comp[bal] < 0:
            raise CheckError('%s: balance element %s below 0' % (where, bal))
    return comp


def material_value(m, line, mat):
    """B (SPEC 3): re_mass_kg x the material's price where both are known,
    else the China-origin value of the line's priced elements; 0 without
    rare-earth content."""
    if not line['re']:
        return D(0)
    if line['mass'] is not None and mat and mat['price'] is not None:
        return line['mass'] * mat['price']
    return sum((x * m.prices[el][0] for el, x in line['content'].items() if el in m.prices), D(0))


def source(m, r, line, share, cost):
    """One source from a BOM or Sourcing row, with the defaults of SPEC 2
    applied within the row: an empty origin takes the component country,
    an empty component country the origin, an empty heavy-rare-earth
    separation country the separation country; other empty stages unknown."""
    mine = m_country(m, g(r, 'mine_country'))
    sep = m_country(m, g(r, 'refine_country'))
    metal = m_country(m, g(r, 'metal_country'))
    comp = m_country(m, g(r, 'component_country'))
    origin = m_country(m, g(r, 'origin_country'))
    hre = m_country(m, g(r, 'hre_separation_country')) or sep
    origin = origin or comp
    comp = comp or origin
    return dict(share=share, cost=cost, supplier=g(r, 'supplier'), mine=mine, sep=sep, hre=hre,
                metal=metal, comp=comp, origin=origin,
                hs=digits(g(r, 'hs_code')) or line['hs'])


# ---------------------------------------------------------------- section 3

def share_of(m, stage, family, c):
    """The reference share of country c in world output of a stage: the
    family's rows where it has some, else the general rows. Heavy-rare-earth
    separation falls back to separation when the data has no such row."""
    def pick(st):
        fr = [r for r in m.shares if g(r, 'stage') == st and family and norm(g(r, 'family')) == family]
        return fr or [r for r in m.shares if g(r, 'stage') == st and not g(r, 'family')]
    rows = pick(stage)
    if not rows and stage == 'hre_separation':
        rows = pick('separation')
    return sum((num(g(r, 'share_pct')) / 100 for r in rows if g(r, 'country').upper() == c), D(0))


def class_probs(m, src, el, family, C):
    """(P(direct), P(upstream), P(free)) of element el from source src
    under the controlling country C (SPEC 3), with --unknown-origin."""
    cache = src.setdefault('_probs', {})
    if (el, family, C) not in cache:
        cache[(el, family, C)] = _class_probs(m, src, el, family, C)
    return cache[(el, family, C)]


def _class_probs(m, src, el, family, C):
    heavy = el in HEAVY
    stages = [('mine', src['mine']),
              ('hre_separation' if heavy else 'separation', src['hre'] if heavy else src['sep']),
              ('metal', src['metal'])]
    pol = m.unknown_origin

    def p_in_C(stage, c):
        if c:
            return D(1) if c == C else D(0)
        if pol == 'controlling':
            return D(1)
        if pol == 'free':
            return D(0)
        return share_of(m, stage, family, C)
    pd = p_in_C('component', src['comp'])
    if any(c == C for _, c in stages):
        pany = D(1)
    else:
        notany = D(1)
        for st, c in stages:
            if not c:
                notany *= 1 - p_in_C(st, c)
        pany = 1 - notany
    pu = (1 - pd) * pany
    return (pd, pu, 1 - pd - pu)


def class_name(p):
    """`direct`, `upstream`, `free`, or the split when stages are unknown."""
    for k, x in zip(CLASSES, p):
        if x == 1:
            return k
    return ' / '.join('%s %.4f' % (k, x) for k, x in zip(CLASSES, p) if x)


def origin_weight(m, line, C):
    """Weight of `as if made in C` for a source of unknown origin (SPEC 4)."""
    if m.unknown_origin == 'controlling':
        return D(1)
    if m.unknown_origin == 'free':
        return D(0)
    return share_of(m, 'component', line['family'], C)


# ---------------------------------------------------------------- section 4

def month_index(m, s, open_end):
    s = (s or '').strip()
    if not s:
        return open_end
    mt = re.match(r'(\d{4})-(\d{1,2})', s)
    if mt:
        return (int(mt.group(1)) - m.start[0]) * 12 + int(mt.group(2)) - m.start[1] + 1
    return int(num(s))


def in_window(m, r, t):
    return month_index(m, g(r, 'from_month'), -10**9) <= t <= month_index(m, g(r, 'to_month'), 10**9)


def row_elements(m, cell):
    """(set of elements, star) of a Controls `elements` cell."""
    out, star = set(), False
    for t in cell.split(','):
        t = t.strip()
        if not t:
            continue
        if t == '*':
            star = True
        elif norm(t) in m.groups:
            out.update(m.groups[norm(t)])
        else:
            out.add(element(m, t))
    return out, star


def control(m, sid, el, k, hs, t):
    """(uplift, availability, delay) for (element, class, line's HS code,
    month): the most specific matching row as a whole (SPEC 4): more
    hs_prefix digits, then fewer elements (`*` = 17), then a named class.
    Rows with hs_prefix match only lines whose HS code starts with it."""
    cache = m.__dict__.setdefault('_controls', {})
    key = (sid, el, k, hs, t)
    if key in cache:
        return cache[key]
    best, tie = None, None
    for r in m.controls:
        if g(r, 'scenario') != sid:
            continue
        els, star = row_elements(m, g(r, 'elements'))
        if not ((star and el in m.prices) or el in els):
            continue
        cls = norm(g(r, 'class')) or '*'
        if cls not in ('*', k):
            continue
        pre = digits(g(r, 'hs_prefix'))
        if pre and not (hs and hs.startswith(pre)):
            continue
        if not in_window(m, r, t):
            continue
        rank = (-len(pre), 17 if star else len(els), 1 if cls == '*' else 0)
        if best is None or rank < best[0]:
            best, tie = (rank, r), None
        elif rank == best[0]:
            tie = r
    if tie is not None:
        raise CheckError('Controls tie in %s for %s/%s/HS %s/month %d' % (sid, el, k, hs or '-', t))
    if best is None:
        v = (D(0), D(100), D(0))
    else:
        r = best[1]
        v = (num(g(r, 'price_uplift_pct'), '0'), num(g(r, 'availability_pct'), '100'),
             num(g(r, 'delay_days'), '0'))
    cache[key] = v
    return v


def tariff_pct(m, sid, imp, origin, hs, material, t):
    """The tariff change for a source of the given origin (None: match only
    `*` rows) imported into imp (SPEC 4): a named origin beats `*`, then
    more hs_prefix digits, then a named material."""
    if origin is not None and origin == imp:
        return D(0)
    best, tie = None, None
    for r in m.tariffs:
        if g(r, 'scenario') != sid or m_country(m, g(r, 'import_country')) != imp:
            continue
        o = g(r, 'origin_country')
        o = '*' if o in ('', '*') else m_country(m, o)
        if o != '*' and o != origin:
            continue
        pre = digits(g(r, 'hs_prefix'))
        if pre and not (hs and hs.startswith(pre)):
            continue
        if g(r, 'material') and norm(g(r, 'material')) != norm(material):
            continue
        if not in_window(m, r, t):
            continue
        rank = (1 if o != '*' else 0, len(pre), 1 if g(r, 'material') else 0)
        if best is None or rank > best[0]:
            best, tie = (rank, r), None
        elif rank == best[0]:
            tie = r
    if tie is not None:
        raise CheckError('Tariffs tie in %s for origin %s HS %s month %d' % (sid, origin, hs, t))
    return num(g(best[1], 'tariff_pct')) if best else D(0)


# ---------------------------------------------------------------- section 5

def source_month(m, scen, line, src, t):
    """U, S, D, T of one source in month t, per unit of the part, with the
    per-element detail (SPEC 5)."""
    sid, C = scen['id'], scen['country']
    U, amin, dmax = D(0), D(1), D(0)
    els = {}
    for el, x in sorted(line['content'].items()):
        P = class_probs(m, src, el, line['family'], C)
        cn, ex = m.prices.get(el, (D(0), None))
        a = d = u = D(0)
        for kk, k in enumerate(CLASSES):
            up, av, de = control(m, sid, el, k, src['hs'], t)
            pr = (ex if ex is not None else cn) if k == 'free' else cn
            u += x * P[kk] * pr * up / 100
            a += P[kk] * av / 100
            d += P[kk] * de
        U += u
        amin = min(amin, a)
        dmax = max(dmax, d)
        els[el] = dict(mass=x, probs=P, a=a, d=d, U=u)
    B = line['B']
    S = B * (1 - amin) * scen['spot'] / 100
    Dc = B * m.carrying_rate / 100 * dmax / 365
    imp = m.products[line['product']]['import_country']
    c = src['cost']
    if src['origin']:
        tp = tariff_pct(m, sid, imp, src['origin'], src['hs'], line['material'], t)
    else:
        # unknown origin: as if made in C (weight s_component under world)
        # and as if made elsewhere (only `*` rows)
        w = origin_weight(m, line, C)
        tp = (w * tariff_pct(m, sid, imp, C, src['hs'], line['material'], t)
              + (1 - w) * tariff_pct(m, sid, imp, None, src['hs'], line['material'], t))
    T = c * tp / 100
    return dict(U=U, S=S, D=Dc, T=T, a=amin, d=dmax, tariff_pct=tp, elements=els)


def line_month(m, scen, line, t):
    """Δ_p(s,t) split into its parts (T only on cost-bearing lines) and
    Σ_j x_j a_j, per unit of the part."""
    out = dict(U=D(0), S=D(0), D=D(0), T=D(0), a=D(0), sources=[])
    for src in line['sources']:
        r = source_month(m, scen, line, src, t)
        x = src['share']
        out['U'] += x * r['U']
        out['S'] += x * r['S']
        out['D'] += x * r['D']
        out['T'] += x * line['b'] * r['T']
        out['a'] += x * r['a']
        out['sources'].append(r)
    out['delta'] = out['U'] + out['S'] + out['D'] + out['T']
    return out


def compute(m, months=12):
    """Per scenario: annual delta, its split, and per product the annual
    delta and units_at_risk over months 1..12."""
    res = {}
    for scen in m.scenarios:
        split = dict(price=D(0), shortage=D(0), carrying=D(0), tariff=D(0))
        prods = {p: dict(annual=D(0), units_at_risk=D(0)) for p in m.products}
        for t in range(1, months + 1):
            amin = {p: None for p in m.products}
            for line in m.lines:
                V = m.products[line['product']]['volume']
                lm = line_month(m, scen, line, t)
                f = V / 12 * line['Q']
                split['price'] += f * lm['U']
                split['shortage'] += f * lm['S']
                split['carrying'] += f * lm['D']
                split['tariff'] += f * lm['T']
                prods[line['product']]['annual'] += f * lm['delta']
                if line['re']:
                    a = amin[line['product']]
                    amin[line['product']] = lm['a'] if a is None else min(a, lm['a'])
            for p, a in amin.items():
                if a is not None:
                    prods[p]['units_at_risk'] += m.products[p]['volume'] / 12 * (1 - a)
        res[scen['id']] = dict(annual=sum(split.values(), D(0)), split=split, products=prods)
    return res


# ---------------------------------------------------------------- compare

def main(argv):
    if len(argv) != 2:
        print('usage: python3 .ci/spec5_check.py report.json', file=sys.stderr)
        return 2
    try:
        m = load()
        out = compute(m)
    except CheckError as e:
        print('spec5_check: ' + str(e))
        return 1
    js = json.load(open(argv[1], encoding='utf-8'))
    bad = 0

    def cmp(label, mine, theirs):
        nonlocal bad
        theirs = D(str(theirs))
        diff = mine - theirs
        flag = ''
        if abs(diff) >= HALF_CENT:
            bad += 1
            flag = '  <-- differs'
        print(f"  {label:28s} independent {mine:>18,.2f}  rexpo {theirs:>18,.2f}  diff {diff:.6f}{flag}")

    # the settings this computation assumes must be those rexpo ran with
    st = js.get('settings') or {}
    mine_st = dict(currency=m.currency, start='%d-%02d' % m.start, carrying_rate=m.carrying_rate,
                   unknown_origin=m.unknown_origin, rollup=m.rollup, import_country=m.import_default)
    for k, v in mine_st.items():
        if k in st and str(st[k]).strip() != '' and norm(str(st[k])) != norm(str(v)) and \
                not (k == 'carrying_rate' and num(str(st[k])) == v):
            print(f'setting {k}: rexpo ran with {st[k]}, this check assumes {v}')
            bad += 1

    seen = set()
    for sc in js.get('scenarios', []):
        sid = sc['id']
        print(sid)
        if sid not in out:
            print('  not in the library')
            bad += 1
            continue
        seen.add(sid)
        mine = out[sid]
        cmp('annual_delta', mine['annual'], sc['annual_delta'])
        for part in ('price', 'shortage', 'carrying', 'tariff'):
            if (sc.get('split') or {}).get(part) is not None:
                cmp('split.' + part, mine['split'][part], sc['split'][part])
        for p in sc.get('products') or []:
            if p.get('units_at_risk') is not None:
                if p['product'] not in mine['products']:
                    print('  unknown product ' + p['product'])
                    bad += 1
                    continue
                cmp('units_at_risk ' + p['product'], mine['products'][p['product']]['units_at_risk'],
                    p['units_at_risk'])
    for sid in out:
        if sid not in seen:
            print(f'{sid}: computed here, missing from rexpo\'s JSON')
            bad += 1
    if bad:
        print(f'{bad} figure(s) differ by half a cent or more')
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
