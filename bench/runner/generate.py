#!/usr/bin/env python3
"""generate.py DIR N - N scenarios, copies of the examples in scenarios/, as suite files in DIR.

Every copy keeps its own expectations, so each generated scenario really runs
its workflow and is judged; only the names differ (and the paths of the state
machine and policy files, which point back at the examples). Scenarios whose
Lambda functions run real code (`code`: a zip run by python or node) are left
out: each invocation starts an interpreter (~0.2 s), which would measure the
interpreter, not the runner.
"""
import glob
import json
import os
import sys


def runs_code(*docs):
    for d in docs:
        for fn in d.get("given", {}).get("lambda", {}).get("functions", []):
            if "code" in fn:
                return True
    return False


def absolute_role(doc, base):
    """Point a `role`'s policy files back at the example's folder."""
    role = doc.get("role")
    if isinstance(role, str):
        doc["role"] = os.path.join(base, role)
    elif isinstance(role, dict) and isinstance(role.get("policies"), list):
        role = dict(role)
        role["policies"] = [os.path.join(base, p) if isinstance(p, str) else p for p in role["policies"]]
        doc["role"] = role


def main():
    out, n = sys.argv[1], int(sys.argv[2])
    suites = []
    for path in sorted(glob.glob("scenarios/**/*.scenario.json", recursive=True)):
        doc = json.load(open(path))
        base = os.path.dirname(os.path.abspath(path))
        scenarios = doc.get("scenarios", [doc])
        shared = {k: v for k, v in doc.items() if k not in ("scenarios", "$schema")} if "scenarios" in doc else {}
        absolute_role(shared, base)
        for sc in scenarios:
            if runs_code(shared, sc):
                continue
            sc = dict(sc)
            absolute_role(sc, base)
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
