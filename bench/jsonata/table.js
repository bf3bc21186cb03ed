// table.js - joins the two timing files and prints the comparison table with the median ratio.
const fs = require('fs');
const read = (f) => Object.fromEntries(fs.readFileSync(f, 'utf8').trim().split('\n').map((l) => l.split('\t')).map(([n, v]) => [n, +v]));
const c = read(process.argv[2]);
const js = read(process.argv[3]);
const fmt = (ns) => ns >= 1e6 ? (ns / 1e6).toFixed(2) + ' ms' : ns >= 1e3 ? (ns / 1e3).toFixed(1) + ' us' : ns.toFixed(0) + ' ns';
const rows = Object.keys(c).map((n) => [n, c[n], js[n], js[n] / c[n]]);
console.log('| expression | stepbench (C) | jsonata 2.2.2 (node) | speed-up |');
console.log('|---|---:|---:|---:|');
for (const [n, a, b, r] of rows) console.log(`| ${n} | ${fmt(a)} | ${fmt(b)} | ${r.toFixed(1)}x |`);
const ratios = rows.map((r) => r[3]).sort((x, y) => x - y);
const mid = ratios.length % 2 ? ratios[(ratios.length - 1) / 2] : (ratios[ratios.length / 2 - 1] + ratios[ratios.length / 2]) / 2;
console.log(`\nmedian speed-up: ${mid.toFixed(1)}x; slowest: ${ratios[0].toFixed(1)}x (${rows.find((r) => r[3] === ratios[0])[0]})`);
