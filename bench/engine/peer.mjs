// peer.mjs - the same scenarios through aws-local-stepfunctions (an ASL interpreter in TypeScript, run by node).
//   node bench/engine/peer.mjs DIR SECONDS   (DIR holds NAME.asl.json / NAME.input.json from `bench --dump`)
// Prints one JSON object {scenario: {transitions_per_s, executions_per_s} | {error}}.
import { readFileSync } from 'node:fs';
import { StateMachine } from 'aws-local-stepfunctions';

const [dir, secsArg] = process.argv.slice(2);
const secs = Number(secsArg || 3);
const perExec = { 'chain-jsonpath': 100, 'chain-jsonata': 100, 'map-10000': 10001, 'map-inline-5000': 5001 };
const out = {};
for (const name of Object.keys(perExec)) {
  const def = JSON.parse(readFileSync(`${dir}/${name}.asl.json`, 'utf8'));
  const input = JSON.parse(readFileSync(`${dir}/${name}.input.json`, 'utf8'));
  try {
    const sm = new StateMachine(def, { validationOptions: { noValidate: false } });
    let n = 0;
    const t0 = performance.now();
    let el = 0;
    do {
      await sm.run(input).result;
      n++;
      el = (performance.now() - t0) / 1000;
    } while (el < secs);
    out[name] = { transitions_per_s: Math.round((n * perExec[name]) / el), executions_per_s: n / el };
  } catch (e) {
    out[name] = { error: String(e && e.message ? e.message : e).slice(0, 200) };
  }
}
console.log(JSON.stringify(out));
