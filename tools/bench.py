#!/usr/bin/env python3
"""make bench: run the benchmark guest as a Lull domain under QEMU
-icount shift=0,sleep=off (deterministic: instructions, not time) and
print a table; --markdown FILE also writes it for docs/benchmarks.md.
(The same guest directly on QEMU, without a hypervisor, does not run to
completion yet: see docs/benchmarks.md.)"""
import argparse
import os
import re
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lullrig  # noqa: E402

BENCH = lullrig.guest_image("bench")
LINE = re.compile(r"bench: (.*): min (\d+) median (\d+) instructions")


def under_lull(gic):
    r = lullrig.Rig(tempfile.mkdtemp(), gic=gic, cpus=2, icount=True,
                    domains=[dict(name="bench", kernel=BENCH, cpus=[0, 1], memory_mib=32)])
    try:
        r.expect(r"bench: done", timeout=300)
    finally:
        r.close()
    return {m.group(1): (int(m.group(2)), int(m.group(3))) for m in LINE.finditer(r.out)}


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--markdown", help="write the table to this file")
    a = p.parse_args()
    lull = under_lull(3)
    rows = ["| path | min | median |", "|---|---:|---:|"]
    for name, (mn, md) in lull.items():
        rows.append(f"| {name} | {mn} | {md} |")
    table = "\n".join(rows)
    print("Whole-machine instructions per operation, QEMU 7.2 -icount shift=0, GICv3, 2 CPUs")
    print(table)
    if a.markdown:
        with open(a.markdown, "w") as f:
            f.write(table + "\n")


if __name__ == "__main__":
    main()
