#!/usr/bin/env python3
"""generate.py DIR N - N scenarios, copies of the examples in scenarios/, as suite files in DIR.

Every copy keeps its own expectations, so each generated scenario really runs
its workflow and is judged; only the names differ (and the state machine
path, which points back at the examples).
"""
import glob
import json
import os
import sys


def main():
    out, n = sys.argv[1], int(sys.argv[2])
    suites = []
    for path in sorted(glob.glob("scenarios/**/*.scenario.json", recursive=True)):
        doc = json.load(open(path))
        base = os.path.dirname(os.path.abspath(path))
        scenarios = doc.get("scenarios", [doc])
        shared = {k: v for k, v in doc.items() if k not in ("scenarios", "$schema")} if "scenarios" in doc else {}
        for sc in scenarios:
            sm = sc.get("stateMachine", shared.get("stateMachine"))
            suites.append((shared, sc, os.path.join(base, sm)))
    if not suites:
        sys.exit("no scenarios under scenarios/")
    os.makedirs(out, exist_ok=True)
    made, k = 0, 0
    while made < n:
        shared, sc, sm = suites[k % len(suites)]
        one = dict(sc)
        one["name"] = "%s #%d" % (sc["name"], made)
        one.pop("stateMachine", None)
        if shared:  # a suite of one keeps the suite's merge rules (given by name, mocks by state)
            doc = dict(shared)
            doc["scenarios"] = [one]
        else:
            doc = one
        doc["stateMachine"] = sm
        json.dump(doc, open(os.path.join(out, "g%05d.scenario.json" % made), "w"))
        made += 1
        k += 1
    print("generated %d scenarios from %d examples in %s" % (made, len(suites), out))


if __name__ == "__main__":
    main()
