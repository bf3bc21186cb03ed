// ref.js - times the reference jsonata@2.2.2 on the benchmark expressions (compile once, evaluate many).
// usage: node ref.js EXPRS.json SUITE_DATASETS_DIR REPS  -> one "name<TAB>ns_per_eval" line per expression
const fs = require('fs');
const path = require('path');
const jsonata = require('jsonata');

async function timeOne(expr, input, reps) {
  const e = jsonata(expr);
  // warm up (and let V8 optimise)
  let t0 = process.hrtime.bigint();
  let warm = 0;
  while (Number(process.hrtime.bigint() - t0) < 300e6) { await e.evaluate(input); warm++; }
  const per = Math.max(1, Math.round(warm * 200e6 / 300e6)); // ~200 ms per repetition
  const samples = [];
  for (let r = 0; r < reps; r++) {
    t0 = process.hrtime.bigint();
    for (let i = 0; i < per; i++) await e.evaluate(input);
    samples.push(Number(process.hrtime.bigint() - t0) / per);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
}

(async () => {
  const [exprsFile, dsDir, repsArg] = process.argv.slice(2);
  const cases = JSON.parse(fs.readFileSync(exprsFile, 'utf8'));
  const reps = parseInt(repsArg || '5', 10);
  for (const c of cases) {
    const input = JSON.parse(fs.readFileSync(path.join(dsDir, c.dataset + '.json'), 'utf8'));
    const ns = await timeOne(c.expr, input, reps);
    console.log(c.name + '\t' + ns.toFixed(0));
  }
})();
