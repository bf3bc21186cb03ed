#!/usr/bin/env python3
"""gen_picture_edges.py - edge cases of the picture functions, with the reference's answers.

Runs each case below through the reference implementation (npm jsonata 2.2.2
under node, TZ=UTC, with the evaluation's "now" pinned) and writes
picture_edges.inc for test_picture.c. The expected values are whatever the
reference answers; an error without a JSONata code (a plain JavaScript
error) is recorded as D1001, the code jn_picture.h uses for those.

    JSONATA=/path/to/node_modules/jsonata python3 tests/unit/engine/jsonata/gen_picture_edges.py
"""
import json
import os
import subprocess
import sys

OUT = 'tests/unit/engine/jsonata/picture_edges.inc'
NOW = 1521801216617
E = []


def fi(v, p): E.append(['fi', v, p])
def pi(s, p): E.append(['pi', s, p])
def fn(v, p, o=None): E.append(['fn', v, p, o])
def fm(v, p=None, tz=None): E.append(['fm', v, p, tz])
def tm(s, p=None, now=NOW): E.append(['tm', s, p, now])


# $formatInteger: flooring, JavaScript number text, lost digits of irregular
# separators, letters/roman/words limits, digit families, astral characters
fi(-0.5, '0'); fi(1e21, '0'); fi(1e21, '\u0661'); fi(12, '#:###,##0'); fi(12, '#,##0,'); fi(-5, 'a')
fi(0, 'a'); fi(27, 'A;o'); fi(111, '0;o'); fi(112, '0;o'); fi(101, '0;o'); fi(5, '\U0001D7CE')
fi(1234567, '#0\U0001F600000'); fi(12345678, 'i'); fi(1e300, 'w'); fi(999999999999999, 'w'); fi(-21, 'Ww;o')
fi(123456, '##,##,##0'); fi(7, '00000000000000000000000000'); fi(3, '#;o'); fi(1, ''); fi(42, '9.9')
fi(123456789, '\u0966,\u0966\u0966,\u0966\u0966\u0966'); fi(float('nan'), '0'); fi(float('nan'), 'i'); fi(float('inf'), 'w')
# $parseInteger: parseInt rules, code point offsets, words/roman/letters on any text
pi('0x1F', '0'); pi('abc', '\u0661'); pi('', 'w'); pi('\u0131v', 'i'); pi('MCMXCIV', 'i'); pi('mcmxciv', 'I')
pi(' 42', '0'); pi('-17', '0'); pi('1,234', '#'); pi('12th', '0;o'); pi('1e5', '0'); pi('one-two', 'w')
pi('sixteen', 'w'); pi('one hundred and one', 'w'); pi('Ninety-Nine', 'Ww'); pi('zz', 'a'); pi('AAA', 'A')
pi('1:234,567', '#:###,##0'); pi('', 'I'); pi('12', 'x')
# $formatNumber: rounding, exponents, sub-pictures, options, toFixed's range
fn(1e300, '#'); fn(-0.0, '#'); fn(0.5, '0'); fn(1.5, '0'); fn(2.5, '0'); fn(-2.5, '0'); fn(1.005, '0.00')
fn(123.456, '#.' + '#' * 26); fn(1, '#.' + '#' * 101); fn(42, '0e0'); fn(0.000123, '0.0e0')
fn(-1234.5, '#,##0;(#,##0)'); fn(1234.5, '#,##0.00', {'zero-digit': '\u0660'})
fn(-1234.5, '#,##0.00', {'decimal-separator': '::', 'minus-sign': '\u2212'})
fn(1234.5, '#,##0.00', {'decimal-separator': '$&'}); fn(0.5, '0.0pm', {'per-mille': 'pm'})
fn(12, '##', {'pattern-separator': ''}); fn(5e-324, '0.###e0'); fn(1e-7, '#.########')
fn(9007199254740993, '#,###'); fn(-1e21, '#,###.00'); fn(0.1 + 0.2, '0.0000000000000000')
fn(42, '#,##,###,####'); fn(1234567.891, '#,##0.0##,#'); fn(5, ''); fn(5, ';'); fn(5, '#;'); fn(1, 'a#b')
fn(3.14159, '$##0.00 USD'); fn(99.995, '0.00'); fn(-0.001, '0.00'); fn(float('nan'), '#')
# $fromMillis: negative and far times, years below 1000 and above 9999, the
# Date range, timezones, unknown components, widths, names, escapes
fm(-1); fm(-62198755200000); fm(253402300800000); fm(8.64e15); fm(8.64e15 + 1); fm(-1.5); fm(float('nan'))
fm(0, '[Y0001]', '-0530'); fm(0, '[Z]', 'garbage'); fm(0, '[Qx]'); fm(0, '[,2]'); fm(0, '[fN]'); fm(0, '[ZN]')
fm(0, '[]'); fm(0, '[Y'); fm(0, '[YN]'); fm(0, '[Y#,##0]'); fm(0, '[MNn,*-0]')
fm(-60589296000000, '[Y0001]-[M01]-[D01] [d] [W] [X] [w] [x] [F]')
fm(NOW, '[h]:[m01] [PN] [z] [ZN]', '+0530'); fm(NOW, '[Y,2-2] [Y,3] [Y,*-1] [Yi,*-2] [Y9,9,9]')
fm(-2e13, '[Y0001] [YI] [Yw] [Dwo] [MA]'); fm(1e15); fm(NOW, '[D#1,2]/[M1,2]/[Y,2]', '+2359')
fm(NOW, '[H01]:[m01] [z01:01t] [Z0101t] [Z0] [Z01]', '0000'); fm(NOW, None, '-0500')
fm(NOW, '[FNn,*-3] [FNn,5-7] [MN,1]'); fm(NOW, '[[[Y]]]] [D] ]]'); fm(NOW, '[m\u0661\u0662] [s\uff10\uff10] [f01] [f0001]')
fm(NOW, '[Y,300]')
# $toMillis without a picture: the ISO check, then Date.parse's leniency
tm('2018-02-30'); tm('2018-13'); tm('2018.5'); tm('2018-05:30'); tm('foo'); tm('2018-02-01T24:00:00Z')
tm('0049.12'); tm('2018T10:00:00'); tm('2018-01-01T00:00:00.0851612138425Z'); tm('')
# $toMillis with a picture: defaults from "now", gaps, names, words, zones
tm('0050', '[Y0001]'); tm('x', '[Pn]'); tm('constructor 10', '[P] [h]'); tm('2018-01-01 -05:30', '[Y]-[M]-[D] [Z]')
tm('2018-22', '[Y]-[D]'); tm('2018', '[Y]-[M]-[D]'); tm('MARCH 2018', '[MN] [Y]'); tm('sixteen March 2018', '[Dw] [MNn] [Y]')
tm('1 J 2018', '[D] [MNn,1-1] [Y]'); tm('2018-05-22T10:00:00.5+0100', '[Y]-[M]-[D]T[H]:[m]:[s].[f][Z0001]')
tm('10:30', '[H]:[m]', 0); tm('30', '[m]'); tm('pm 12:00', '[P] [h]:[m]'); tm('am 12:00', '[P] [h]:[m]')
tm('2018-03-27 Tuesday', '[Y]-[M]-[D] [FNn]'); tm('Tue', '[FNn,3-3]'); tm('12', '[D\u0661]'); tm('2018-12-31', '[X]-[M]-[D]')
tm('+05.30', '[Z01.01]'); tm('+05x30', '[Z01.01]'); tm('+05:30', '[Z01(01]'); tm('+0530', '[Z01|01]')
tm('GMT+05:30', '[z]'); tm('2018-001', '[Y]-[d001]'); tm('1999 12 31 23 59 59 999', '[Y] [M] [D] [H] [m] [s] [f]')
tm('twentieth', '[Dwo]'); tm('MMXVIII-iii-xxvii', '[YI]-[Mi]-[Di]'); tm('2018-3-27', '[Y]-[M]-[D]', -1000000000000)

REF_JS = r'''
const jsonata = require(process.env.JSONATA);
const RealDate = Date; let NOW = 0;
class FakeDate extends RealDate { constructor(...a) { if (a.length === 0) super(NOW); else super(...a); } static now() { return NOW; } }
global.Date = FakeDate;
const ex = { fi: jsonata('$formatInteger($a, $b)'), pi: jsonata('$parseInteger($a, $b)'),
  fn: jsonata('$formatNumber($a, $b, $c)'), fm: jsonata('$fromMillis($a, $b, $c)'), tm: jsonata('$toMillis($a, $b)') };
const num = x => x === 'NaN' ? NaN : x === 'Infinity' ? Infinity : x;
(async () => {
  const out = [];
  for (const c of JSON.parse(require('fs').readFileSync(0, 'utf8'))) {
    const b = {}; if (c[1] !== null) b.a = num(c[1]); if (c[2] !== null) b.b = c[2];
    if (c[0] === 'tm') NOW = c[3]; else if (c.length > 3 && c[3] !== null) b.c = c[3];
    try {
      const v = await ex[c[0]].evaluate({}, b);
      out.push(v === undefined ? ['undef'] : typeof v === 'number' ? ['num', String(v)] : ['str', v]);
    } catch (e) { out.push(['err', e.code || 'D1001']); }
  }
  process.stdout.write(JSON.stringify(out));
})();
'''


def c_str(s):
    if s is None:
        return 'NULL'
    out = ['"']
    for b in s.encode('utf-8', 'surrogatepass'):
        c = chr(b)
        if c in '"\\':
            out.append('\\' + c)
        elif 32 <= b < 127 and c != '?':
            out.append(c)
        else:
            out.append('\\%03o' % b)
    return ''.join(out) + '"'


def c_num(v):
    if isinstance(v, str):
        v = float(v)
    if v != v:
        return 'NAN'
    if v in (float('inf'), float('-inf')):
        return 'INFINITY' if v > 0 else '-INFINITY'
    return repr(float(v))


def main():
    if 'JSONATA' not in os.environ:
        sys.exit('set JSONATA to the jsonata 2.2.2 package folder')
    cases = [[x if not (isinstance(x, float) and (x != x or x in (float('inf'), float('-inf'))))
              else ('NaN' if x != x else 'Infinity') for x in c] for c in E]
    env = dict(os.environ, TZ='UTC')
    res = subprocess.run(['node', '-e', REF_JS], input=json.dumps(cases).encode(), env=env,
                         capture_output=True, check=True)
    answers = json.loads(res.stdout.decode('utf-8', 'surrogatepass'))
    fns = {'fi': 'PC_FINT', 'pi': 'PC_PINT', 'fn': 'PC_FNUM', 'fm': 'PC_FROM', 'tm': 'PC_TO'}
    rows = []
    for c, a in zip(E, answers):
        f = c[0]
        num = c[1] if f in ('fi', 'fn', 'fm') else 0
        s = c[1] if f in ('pi', 'tm') else None
        tz = c[3] if f == 'fm' else None
        opts = c[3] if f == 'fn' and c[3] else {}
        now = c[3] if f == 'tm' else 0
        keys = sorted(opts)
        kind = {'undef': 'PE_UNDEF', 'num': 'PE_NUM', 'str': 'PE_STR', 'err': 'PE_ERR'}[a[0]]
        label = json.dumps(c, ensure_ascii=True)
        rows.append('\t{%s, %s, %s, %s, %s, %s, %d, {%s}, {%s}, %s,\n\t %s, %s, %s, %s},' % (
            c_str(label), fns[f], c_num(num), c_str(s), c_str(c[2]), c_str(tz), len(keys),
            ', '.join([c_str(k) for k in keys] + ['NULL'] * (2 - len(keys))),
            ', '.join([c_str(opts[k]) for k in keys] + ['NULL'] * (2 - len(keys))), c_num(now),
            kind, c_str(a[1]) if a[0] == 'str' else 'NULL', c_num(a[1]) if a[0] == 'num' else '0',
            c_str(a[1]) if a[0] == 'err' else 'NULL'))
    with open(OUT, 'w', encoding='ascii') as out:
        out.write('/* picture_edges.inc - generated by gen_picture_edges.py: edge cases answered by\n'
                  ' * jsonata 2.2.2 (node, TZ=UTC); do not edit. {label, fn, num, str, picture,\n'
                  ' * timezone, #options, keys, values, now, expectation, string, number, code} */\n')
        out.write('\n'.join(rows) + '\n')
    print('%d edge cases' % len(rows), file=sys.stderr)


if __name__ == '__main__':
    main()
