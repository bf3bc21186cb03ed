// dtdiff.js - differential test of $fromMillis/$toMillis/$now against the reference jsonata@2.2.2.
// Generates a few hundred date/time expressions, evaluates each with the reference (in this
// process) and with `stepbench jsonata EXPR`, and reports every difference in result or error
// code. Needs node_modules (npm install here), so `make test` does not run it.
// usage (from the repository root): TZ=UTC node bench/jsonata/dtdiff.js [build/stepbench]
// exit status: 0 when all agree, 1 otherwise.
'use strict';
const { spawnSync } = require('child_process');
const path = require('path');
const jsonata = require(path.join(__dirname, 'node_modules', 'jsonata'));

const BIN = process.argv[2] || 'build/stepbench';

const millis = [0, 1, -1, 1.5, -1.5, 0.4, -0.4, 999.9, -999.9, 1521801216617, 1521801216617.7,
	-1521801216617.7, 951782400000, 951868799999, -62135596800000, -62135596800001,
	253402300799999, 253402300800000, 8.64e15, 8.64e15 + 1, -8.64e15, -8.64e15 - 1, 1e20, -1e20,
	1e15, -1e15, -2208988800000, 4102444800000, 1230768000000, 1293753600000, 1609459199999];

const pictures = [null, '[Y0001]-[M01]-[D01]', '[D1o] [MNn] [Y]', '[FNn], [D] [MNn,*-3] [Y]',
	'[H01]:[m01]:[s01].[f001] [Z]', '[h]:[m01] [P]', '[h]:[m01][PN]', '[Y,2]', '[Y0001,2]', '[Y01]',
	'[W]', '[w]', '[X]', '[x]', '[d]', '[F1]', '[F]', '[Z0]', '[Z0:00t]', '[z]', '[ZN]', '[E]', '[C]',
	'[YI]', '[Mi]', '[Dw]', '[Yw]', '[YWw]', '[D#1]', '[f]', '[f1]', '[f01]', '[f9]', '[s]', '[m]',
	'[H#]', '[M,3-3]', '[MNn,3-3]', '[FN,2-2]', '[Da]', '[MA]', '[Y9,999,*]', '[Y1,*-4]',
	'[D01] [MN] [Y0001] [H01]:[m01]', '[Y]-[M]-[D]T[H]:[m]:[s].[f]', '[D1o] [M1o]',
	'[Y][[literal]]', ']]', '[', '[Q]', '[Y,]', 'no markers', '[Y]-[d001]', '[X0001]-W[W01]-[F1]',
	'[xNn] [w]', '[Dwo]', '[DW]', '[Fw]', '[H]:[m]', '[P]'];

const zones = [null, '+0100', '-0500', '+0530', '-0000', '+1400', '-1200', '0100', '+01:00', 'junk'];

const isoStrings = ['2018', '2018-02', '2018-13', '2018-00', '2018-02-30', '2018-02-29', '2018-02-28T12:00:00Z',
	'2018-02-28T12:00:00.123+01:00', '2018-02-28T12:00:00', '2018-02-28 12:00', '1969-12-31T23:59:59.999Z',
	'+002018-01-01T00:00:00Z', '-000001-01-01T00:00:00Z', '2018-02-28T24:00:00Z', '2018-02-28T23:60:00Z',
	'99999-01-01', '20180228', '2018-02-28T12:00Z', '2018-02-28T12Z', '2018-02-28T12:00:00.1Z',
	'2018-02-28T12:00:00.123456Z', '2018-02-28T12:00:00-0530', '2018-02-28T12:00:00+0530', '0000-01-01',
	'2018-1-1', ' 2018-01-01', '2018-01-01T', '2018-04-31', '2018-12-32', 'hello', '', '2018-02-28t12:00:00z',
	'2018-02-28T12:00:00.Z', '1970-01-01T00:00:00.000Z', '275760-09-13T00:00:00.000Z',
	'275760-09-13T00:00:00.001Z', '2018-02-28T25:00:00Z'];

const parses = [['10:30', '[H]:[m]'], ['2018-02-28', '[Y]-[M]-[D]'], ['28th February 2018', '[D1o] [MNn] [Y]'],
	['Wednesday, 28 Feb 2018', '[FNn], [D] [MNn,*-3] [Y]'], ['12:30 pm', '[h]:[m] [P]'], ['12:30 am', '[h]:[m] [P]'],
	['2018-059', '[Y]-[d]'], ['MMXVIII', '[YI]'], ['2018', '[Y]-[M]'], ['5', '[M]'], ['2018', '[Y]'],
	['2018-05', '[Y]-[M]'], ['05-03', '[M]-[D]'], ['3', '[D]'], ['12', '[H]'], ['12:30:15', '[H]:[m]:[s]'],
	['30', '[m]'], ['2018-02-28 +0100', '[Y]-[M]-[D] [Z]'], ['2018-02-28 10:00 -05:00', '[Y]-[M]-[D] [H]:[m] [Z01:01]'],
	['twenty eighteen', '[Yw]'], ['two thousand and eighteen', '[Yw]'], ['twenty-eighth of March', '[Dwo] of [MNn]'],
	['2018-W09-3', '[X]-W[W]-[F1]'], ['13:00', '[h]:[m]'], ['2018-02-28T12:00:00.5', '[Y]-[M]-[D]T[H]:[m]:[s].[f]'],
	['abc', '[Y]'], ['2018-02-28', '[Y]-[M]-[D]-[H]'], ['1', '[D]-[Y]'], ['2018 3', '[Y] [d]'],
	['Mar 2018', '[MNn,3-3] [Y]'], ['MARCH 2018', '[MN] [Y]'], ['iv/2018', '[Mi]/[Y]'], ['b/2018', '[Ma]/[Y]'],
	['12.30', '[H].[m]'], ['10:30', '[H01]:[m01]'], ['2018-02-28', '[Y0001]-[M01]-[D01]'],
	['12:00', '[H]:[m] [Z]'], ['1:2:3', '[H]:[m]:[s]'], ['60', '[s]']];

const exprs = [];
const lit = (v) => JSON.stringify(v);
const num = (v) => (Object.is(v, -0) ? '-0' : String(v).replace('e+', 'e'));
for (const ms of millis) {
	for (const p of pictures) {
		exprs.push(p === null ? `$fromMillis(${num(ms)})` : `$fromMillis(${num(ms)}, ${lit(p)})`);
	}
	for (const z of zones) {
		if (z !== null) exprs.push(`$fromMillis(${num(ms)}, "[Y]-[M]-[D] [H]:[m]:[s] [Z]", ${lit(z)})`);
	}
}
for (const p of pictures.slice(0, 20)) {
	for (const z of zones) {
		exprs.push(`$fromMillis(1521801216617, ${p === null ? 'undefined' : lit(p)}${z === null ? '' : ', ' + lit(z)})`);
	}
}
for (const s of isoStrings) exprs.push(`[$toMillis(${lit(s)})]`);
for (const s of isoStrings) exprs.push(`$type($toMillis(${lit(s)}))`);
for (const [s, p] of parses) exprs.push(`[$toMillis(${lit(s)}, ${lit(p)})]`);
// round trips through a picture, where the reference can read back what it wrote
for (const ms of [0, 1521801216617, 951782400000, -2208988800000, 4102444800000]) {
	for (const p of ['[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01].[f001]', '[D1o] [MNn] [Y] [h]:[m01]:[s01] [P]',
		'[FNn], [D] [MNn] [Y] [H]:[m]:[s] [Z]', '[Y]-[d] [H]:[m]', '[YI]-[Mi]-[Dw] [H]:[m]', '[Yw] [M] [D]']) {
		exprs.push(`[$toMillis($fromMillis(${ms}, ${lit(p)}), ${lit(p)})]`);
	}
}
// the clock: compare what does not change between the two processes
exprs.push('$now() = $fromMillis($millis()) or $substring($now(), 0, 16) = $substring($fromMillis($millis()), 0, 16)');
exprs.push('$substring($now(), 0, 10) = $substring($fromMillis($millis()), 0, 10)');
exprs.push('$now("[Y0001]") = $fromMillis($millis(), "[Y0001]")');
exprs.push('$fromMillis($toMillis("10:30", "[H]:[m]"), "[H]:[m]")');
exprs.push('$fromMillis($toMillis("10:30", "[H]:[m]"), "[Y0001]-[M01]-[D01]") = $now("[Y0001]-[M01]-[D01]")');
exprs.push('$type($millis())');
exprs.push('$abs($toMillis("Sunday", "[FNn]") - $millis()) < 5000');
exprs.push('$millis() = $millis()');
exprs.push('$now() = $now()');
exprs.push('$now(undefined, "+0100") ~> $length()');
exprs.push('$now("[H]:[m]:[s]", "+0530") ~> $length()');

function stepbench(expr) {
	const r = spawnSync(BIN, ['jsonata', expr], { encoding: 'utf8' });
	if (r.status === 0) return r.stdout.trim() === '' ? { undef: true } : { value: JSON.parse(r.stdout) };
	try {
		return { code: JSON.parse(r.stderr).code };
	} catch (e) {
		return { code: 'exit ' + r.status + ': ' + r.stderr.trim() };
	}
}

(async () => {
	let bad = 0;
	for (const expr of exprs) {
		let ref;
		try {
			const v = await jsonata(expr).evaluate({});
			ref = v === undefined ? { undef: true } : { value: JSON.parse(JSON.stringify(v)) };
		} catch (e) {
			// a plain JavaScript error (no JSONata code) is D1001 in stepbench (see jn_picture.h)
			ref = { code: e.code || 'D1001' };
		}
		const got = stepbench(expr);
		if (JSON.stringify(ref) !== JSON.stringify(got)) {
			bad++;
			console.log(`DIFF ${expr}\n  reference: ${JSON.stringify(ref)}\n  stepbench: ${JSON.stringify(got)}`);
		}
	}
	console.log(`${exprs.length - bad}/${exprs.length} expressions agree`);
	process.exit(bad ? 1 : 0);
})();
