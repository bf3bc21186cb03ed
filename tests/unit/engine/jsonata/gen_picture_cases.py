#!/usr/bin/env python3
"""gen_picture_cases.py - turn the picture-function conformance cases into a C table.

Reads the groups function-fromMillis, function-tomillis, function-formatNumber,
function-formatInteger and function-parseInteger of the vendored JSONata suite
and writes picture_cases.inc for test_picture.c: one row per case whose
expression is a call of $fromMillis/$toMillis/$formatNumber/$formatInteger/
$parseInteger on literal arguments, optionally fed into $fromMillis, compared
with another $toMillis, or cut with $substringBefore/$substringAfter('T').
Cases outside that shape (an undefined argument, which the evaluator handles
before the picture code is reached) are listed in the file as comments with
the reason, and counted.

Run from the repository root:
    python3 tests/unit/engine/jsonata/gen_picture_cases.py
"""
import json
import os
import re
import sys

SUITE = 'tests/conformance/suites/jsonata/groups'
GROUPS = ['function-fromMillis', 'function-tomillis', 'function-formatNumber',
          'function-formatInteger', 'function-parseInteger']
OUT = 'tests/unit/engine/jsonata/picture_cases.inc'
FUNCS = {'fromMillis': 'PC_FROM', 'toMillis': 'PC_TO', 'formatNumber': 'PC_FNUM',
         'formatInteger': 'PC_FINT', 'parseInteger': 'PC_PINT'}
OPT_FIELDS = {'decimal-separator', 'grouping-separator', 'exponent-separator', 'infinity',
              'minus-sign', 'NaN', 'percent', 'per-mille', 'zero-digit', 'digit',
              'pattern-separator'}


class Skip(Exception):
    pass


# ---- a parser for the small part of JSONata these cases use ----------------

TOKEN = re.compile(r'''\s*(?:
    (?P<num>\d+(?:\.\d+)?(?:[eE][+-]?\d+)?) |
    (?P<str>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*') |
    (?P<op>~>|:=|[()\[\]{},;.=*:-]) |
    (?P<var>\$[A-Za-z_]*) |
    (?P<name>[A-Za-z_][A-Za-z0-9_]*)
)''', re.X | re.S)


def unescape(body):
    out, i = [], 0
    while i < len(body):
        c = body[i]
        if c != '\\':
            out.append(c)
            i += 1
            continue
        e = body[i + 1]
        if e == 'u':
            out.append(chr(int(body[i + 2:i + 6], 16)))
            i += 6
            continue
        out.append({'n': '\n', 't': '\t', 'r': '\r', 'b': '\b', 'f': '\f'}.get(e, e))
        i += 2
    return ''.join(out)


def tokenize(s):
    toks, pos = [], 0
    s = s.rstrip()
    while pos < len(s):
        m = TOKEN.match(s, pos)
        if not m or m.end() == pos:
            raise Skip('cannot tokenize at %r' % s[pos:pos + 10])
        pos = m.end()
        kind = m.lastgroup
        text = m.group(kind)
        if kind == 'str':
            toks.append(('str', unescape(text[1:-1])))
        elif kind == 'num':
            toks.append(('num', float(text)))
        else:
            toks.append((kind, text))
    toks.append(('end', None))
    return toks


class Parser:
    def __init__(self, text):
        self.t = tokenize(text)
        self.i = 0

    def peek(self, v=None):
        k, x = self.t[self.i]
        return x == v if v is not None else (k, x)

    def take(self, v=None):
        k, x = self.t[self.i]
        if v is not None and x != v:
            raise Skip('expected %r, got %r' % (v, x))
        self.i += 1
        return k, x

    def parse(self):
        e = self.expr()
        if self.peek()[0] != 'end':
            raise Skip('trailing %r' % (self.peek(),))
        return e

    def expr(self):
        left = self.chain()
        if self.peek('='):
            self.take()
            return ('eq', left, self.chain())
        return left

    def chain(self):
        left = self.arith()
        while self.peek('~>'):
            self.take()
            right = self.arith()
            if right[0] != 'call':
                raise Skip('~> into a non-call')
            left = ('call', right[1], [left] + right[2])
        return left

    def arith(self):
        left = self.unary()
        while self.peek('*'):
            self.take()
            r = self.unary()
            if left[0] != 'num' or r[0] != 'num':
                raise Skip('non-literal product')
            left = ('num', left[1] * r[1])   # IEEE double product, as in JavaScript
        return left

    def unary(self):
        if self.peek('-'):
            self.take()
            v = self.unary()
            if v[0] != 'num':
                raise Skip('negated non-number')
            return ('num', -v[1])
        return self.postfix()

    def postfix(self):
        e = self.primary()
        while self.peek('.'):
            self.take()
            self.take('[')
            items = [self.expr()]
            while self.peek(','):
                self.take()
                items.append(self.expr())
            self.take(']')
            e = ('map', e, items)
        return e

    def primary(self):
        k, x = self.take()
        if k in ('num', 'str'):
            return (k, x)
        if x == '(':
            if self.peek(')'):
                self.take()
                return ('undef',)
            items = [self.stmt()]
            while self.peek(';'):
                self.take()
                items.append(self.stmt())
            self.take(')')
            return items[0] if len(items) == 1 else ('block', items)
        if x == '{':
            obj = {}
            while not self.peek('}'):
                kk, key = self.take()
                self.take(':')
                v = self.expr()
                if v[0] != 'str':
                    raise Skip('non-string option')
                obj[key] = v[1]
                if self.peek(','):
                    self.take()
            self.take('}')
            return ('obj', obj)
        if k == 'var':
            if self.peek('('):
                self.take()
                args = []
                while not self.peek(')'):
                    args.append(self.expr())
                    if self.peek(','):
                        self.take()
                self.take(')')
                return ('call', x[1:], args)
            return ('var', x)
        if k == 'name':
            return ('undef',) if x == 'undefined' else ('path', x)
        raise Skip('unexpected %r' % x)

    def stmt(self):
        if self.peek()[0] == 'var' and self.t[self.i + 1][1] == ':=':
            _, name = self.take()
            self.take(':=')
            return ('assign', name, self.expr())
        return self.expr()


# ---- from syntax tree to table rows ------------------------------------------

def lit_str(e, what):
    if e[0] == 'undef':
        return None
    if e[0] != 'str':
        raise Skip('%s is not a string literal' % what)
    return e[1]


def base_row(e):
    """A direct call of one of the five functions on literal arguments."""
    if e[0] != 'call' or e[1] not in FUNCS:
        raise Skip('not a picture-function call')
    name, args = e[1], e[2]
    if not args or args[0][0] in ('undef', 'path', 'var'):
        raise Skip('undefined first argument (the evaluator returns undefined before calling)')
    row = {'fn': FUNCS[name]}
    if name in ('fromMillis', 'formatNumber', 'formatInteger'):
        if args[0][0] != 'num':
            raise Skip('non-numeric first argument')
        row['num'] = args[0][1]
    else:
        row['str'] = lit_str(args[0], 'first argument')
    if len(args) > 1:
        row['pic'] = lit_str(args[1], 'picture')
    if name == 'fromMillis' and len(args) > 2:
        row['tz'] = lit_str(args[2], 'timezone')
    if name == 'formatNumber' and len(args) > 2:
        if args[2][0] != 'obj' or not set(args[2][1]) <= OPT_FIELDS:
            raise Skip('unsupported options')
        row['opts'] = args[2][1]
    return row


def then_from_millis(row, call, input_ok):
    """Feed row's result into call = $fromMillis(<input>, pic?, tz?)."""
    if call[0] != 'call' or call[1] != 'fromMillis' or row['fn'] != 'PC_TO':
        raise Skip('unsupported second call')
    args = call[2] or [('var', '$')]   # no arguments: the context is the input
    if not input_ok(args[0]):
        raise Skip('second call does not take the first result')
    row['then'] = 'PC_FROM'
    if len(args) > 1:
        row['pic2'] = lit_str(args[1], 'picture')
    if len(args) > 2:
        row['tz2'] = lit_str(args[2], 'timezone')
    return row


def rows_of(e):
    """A list of (suffix, row) for an expression, or raise Skip."""
    if e[0] == 'block' and len(e[1]) == 2 and e[1][0][0] == 'assign':
        var = e[1][0][1]
        row = base_row(e[1][0][2])
        return [('', then_from_millis(row, e[1][1], lambda a: a == ('var', var)))]
    if e[0] == 'map':
        out = []
        for i, item in enumerate(e[2]):
            row = base_row(e[1])
            out.append(('[%d]' % i, then_from_millis(row, item, lambda a: a == ('var', '$'))))
        return out
    if e[0] == 'eq':
        left, right = e[1], e[2]
        if (left[0] == 'call' and left[1] == 'substringBefore' and right[0] == 'call'
                and right[1] == 'substringBefore' and right[2][0] == ('call', 'now', [])):
            row = rows_of(left[2][0])[0][1]
            row['post'] = 'PC_TODAY'
            return [('', row)]
        row = base_row(left)
        other = base_row(right)
        if row['fn'] != 'PC_TO' or other['fn'] != 'PC_TO':
            raise Skip('unsupported comparison')
        row['post'] = 'PC_EQ'
        row['eq_str'] = other.get('str')
        row['eq_pic'] = other.get('pic')
        return [('', row)]
    if e[0] == 'call' and e[1] == 'substringAfter':
        if len(e[2]) != 2 or e[2][1] != ('str', 'T'):
            raise Skip('unsupported $substringAfter')
        row = rows_of(e[2][0])[0][1]
        row['post'] = 'PC_AFTER_T'
        return [('', row)]
    if e[0] == 'call' and e[1] == 'fromMillis' and e[2] and e[2][0][0] == 'call' \
            and e[2][0][1] == 'toMillis':
        row = base_row(e[2][0])
        return [('', then_from_millis(row, ('call', 'fromMillis', [('var', '$')] + e[2][1:]),
                                      lambda a: True))]
    return [('', base_row(e))]


# ---- C output -------------------------------------------------------------------

def c_str(s):
    if s is None:
        return 'NULL'
    out = ['"']
    for b in s.encode('utf-8', 'surrogatepass'):
        c = chr(b)
        if c == '"' or c == '\\':
            out.append('\\' + c)
        elif 32 <= b < 127 and c != '?':
            out.append(c)
        else:
            out.append('\\%03o' % b)
    out.append('"')
    return ''.join(out)


def c_num(v):
    r = repr(float(v))
    return r if r not in ('inf', '-inf', 'nan') else {'inf': 'INFINITY', '-inf': '-INFINITY', 'nan': 'NAN'}[r]


def c_opts(opts):
    if opts is None:
        return '0, {NULL}, {NULL}'
    keys = sorted(opts)
    return '%d, {%s}, {%s}' % (len(keys), ', '.join(c_str(k) for k in keys),
                               ', '.join(c_str(opts[k]) for k in keys))


def expectation(case, suffix):
    if 'code' in case:
        return 'PE_ERR', 'NULL', '0', c_str(case['code'])
    if 'error' in case:
        return 'PE_ERR', 'NULL', '0', c_str(case['error']['code'])
    if case.get('undefinedResult'):
        return 'PE_UNDEF', 'NULL', '0', 'NULL'
    res = case['result']
    if suffix:
        res = res[int(suffix[1:-1])]
    if isinstance(res, bool):
        return 'PE_BOOL', 'NULL', '1' if res else '0', 'NULL'
    if isinstance(res, str):
        return 'PE_STR', c_str(res), '0', 'NULL'
    if isinstance(res, (int, float)):
        return 'PE_NUM', 'NULL', c_num(res), 'NULL'
    raise Skip('unsupported result %r' % (res,))


def main():
    rows, skipped, total = [], [], {}
    for g in GROUPS:
        total[g] = 0
        for f in sorted(os.listdir(os.path.join(SUITE, g))):
            if not f.endswith('.json'):
                continue
            data = json.load(open(os.path.join(SUITE, g, f), encoding='utf-8'))
            cases = data if isinstance(data, list) else [data]
            for i, case in enumerate(cases):
                total[g] += 1
                cid = '%s/%s' % (g, f) + ('#%d' % i if isinstance(data, list) else '')
                expr = case.get('expr')
                try:
                    if expr is None:
                        raise Skip('expression in a file')
                    for suffix, row in rows_of(Parser(expr).parse()):
                        kind, s, n, code = expectation(case, suffix)
                        rows.append('\t{%s, %s, %s, %s, %s, %s, %s, %s,\n\t %s, %s, %s, %s, %s, %s,\n\t %s, %s, %s, %s},' % (
                            c_str(cid + suffix), c_str(expr), row['fn'], c_num(row.get('num', 0)),
                            c_str(row.get('str')), c_str(row.get('pic')), c_str(row.get('tz')),
                            c_opts(row.get('opts')), row.get('then', '0'), c_str(row.get('pic2')),
                            c_str(row.get('tz2')), row.get('post', 'PC_NONE'),
                            c_str(row.get('eq_str')), c_str(row.get('eq_pic')), kind, s, n, code))
                except Skip as why:
                    skipped.append('/* %s: %s -- %s */' % (cid, expr.replace('*/', '* /') if expr else '', why))
    with open(OUT, 'w', encoding='utf-8') as out:
        out.write('/* picture_cases.inc - generated by gen_picture_cases.py from the JSONata suite; do not edit.\n')
        for g in GROUPS:
            out.write(' *   %s: %d cases\n' % (g, total[g]))
        out.write(' * %d rows; %d cases left out, each listed below with the reason. */\n' % (len(rows), len(skipped)))
        for s in skipped:
            out.write(s.encode('ascii', 'backslashreplace').decode('ascii') + '\n')
        out.write('\n'.join(rows) + '\n')
    print('%d rows, %d skipped' % (len(rows), len(skipped)), file=sys.stderr)


if __name__ == '__main__':
    main()
