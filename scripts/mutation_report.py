"""Per-module figures of the last `make mutate` run, read from mutmut's mutants/*.meta."""

import json
import sys
from collections import Counter
from pathlib import Path

from mutmut.stats import status_by_exit_code


def main(root="mutants"):
    total = Counter()
    rows = []
    for meta in sorted(Path(root).rglob("*.py.meta")):
        codes = json.loads(meta.read_text())["exit_code_by_key"].values()
        counts = Counter(status_by_exit_code[code] for code in codes)
        total += counts
        rows.append((str(meta.relative_to(root)).removesuffix(".meta"), len(codes), counts))
    rows.append(("total", sum(total.values()), total))
    print("| Module | Mutants | Killed | Survived | Timeouts | Not checked |")
    print("| --- | --- | --- | --- | --- | --- |")
    for name, generated, c in rows:
        print(
            f"| {name} | {generated} | {c['killed']} | {c['survived']} | "
            f"{c['timeout']} | {c['not checked']} |"
        )


if __name__ == "__main__":
    main(*sys.argv[1:])
