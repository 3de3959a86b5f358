"""Per-module figures of the last `make mutate` run, read from mutmut's mutants/*.meta.

Several mutants/ folders may be given (runs over the same code that shared the work
or reran survivors by name, see docs/testing.md); a kill in any of them counts.

Survivors named in scripts/mutation_equivalent.txt (one mutant name a line, then
`#` and why no behaviour can tell it apart) are counted as equivalent; every other
survivor is listed below the table, as it still needs a test or a reason. The
numbers in mutant names follow the function's code: after changing a function,
check its entries again.
"""

import json
import sys
from collections import Counter
from pathlib import Path

from mutmut.stats import status_by_exit_code

EQUIVALENT = Path(__file__).with_name("mutation_equivalent.txt")


def equivalent_names(path=EQUIVALENT):
    lines = path.read_text().splitlines() if path.exists() else []
    return {line.split("#")[0].strip() for line in lines} - {""}


# Which verdict stands when runs over the same code disagree: tests are only ever added,
# so a mutant one run killed is killed, whatever an earlier run without that test said.
RANK = {"killed": 3, "timeout": 2, "survived": 1}


def verdicts(roots):
    """{module path: {mutant: exit code}} over the runs under `roots` (each a mutants/
    folder: runs that shared the work by name patterns, or reran survivors by name)."""
    merged = {}
    for root in roots:
        for meta in Path(root).rglob("*.py.meta"):
            module = merged.setdefault(str(meta.relative_to(root)).removesuffix(".meta"), {})
            for name, code in json.loads(meta.read_text())["exit_code_by_key"].items():
                if name not in module or _rank(code) > _rank(module[name]):
                    module[name] = code
    return merged


def _rank(code):
    return -1 if code is None else RANK.get(status_by_exit_code[code], 0)


def main(*roots):
    equivalent = equivalent_names()
    total = Counter()
    rows = []
    open_survivors = []
    for module, codes in sorted(verdicts(roots or ["mutants"]).items()):
        counts = Counter()
        for name, code in codes.items():
            status = status_by_exit_code[code]
            if status == "survived" and name in equivalent:
                status = "equivalent"
            elif status == "survived":
                open_survivors.append(name)
            counts[status] += 1
        total += counts
        rows.append((module, counts))
    rows.append(("total", total))
    print("| Module | Mutants | Killed | Survived | of which equivalent | Timeouts | Not checked |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for name, c in rows:
        survived = c["survived"] + c["equivalent"]
        print(
            f"| {name} | {sum(c.values())} | {c['killed']} | {survived} | {c['equivalent']} | "
            f"{c['timeout']} | {c['not checked']} |"
        )
    other = set(total) - {"killed", "survived", "equivalent", "timeout", "not checked"}
    if other:
        print("\nOther verdicts: " + ", ".join(f"{status} {total[status]}" for status in other))
    if open_survivors:
        print("\nSurvivors neither killed nor listed as equivalent:")
        for name in open_survivors:
            print(f"- {name}")


if __name__ == "__main__":
    main(*sys.argv[1:])
