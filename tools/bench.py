#!/usr/bin/env python3
"""make bench: run the benchmark guest as a Lull domain under QEMU
-icount shift=0,sleep=off (deterministic: instructions, not time), then
the same image directly on QEMU at EL1 without Lull (QEMU's own PSCI over
HVC, its real GICv3), and print a table; --markdown FILE also writes it
for docs/benchmarks.md. A path the platform does not offer (QEMU's own
PSCI has no CPU_SUSPEND power-down state and no SYSTEM_SUSPEND) is n/a in
the table, with the reason the guest printed."""
import argparse
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lullrig  # noqa: E402

BENCH = lullrig.guest_image("bench")
LINE = re.compile(r"bench: (.*): min (\d+) median (\d+) instructions")
# A path the platform does not offer (e.g. QEMU's own PSCI has no
# power-down state and no SYSTEM_SUSPEND): the guest says why.
NA_LINE = re.compile(r"bench: (.*?): n/a: (.*)")
WARNING = re.compile(r"bench: warning: .*")


def under_lull(gic):
    r = lullrig.Rig(tempfile.mkdtemp(), gic=gic, cpus=2, icount=True,
                    domains=[dict(name="bench", kernel=BENCH, cpus=[0, 1, 1], memory_mib=32)])
    try:
        r.expect(r"bench: done", timeout=300)
    finally:
        r.close()
    return results(r.out)


def results(out):
    """{path: (min, median)} or {path: reason} for a path not offered."""
    r = {m.group(1): (int(m.group(2)), int(m.group(3))) for m in LINE.finditer(out)}
    r.update({m.group(1): m.group(2).strip() for m in NA_LINE.finditer(out)})
    for m in WARNING.finditer(out):
        print(m.group(0), file=sys.stderr)
    return r


def bare_command(gic=3, cpus=2):
    """The same machine without EL2 and EL3: QEMU boots the image (an arm64
    Image: it goes to RAM base + text_offset, as under Lull) at EL1 with a
    device tree in x0, offers PSCI itself over HVC (with neither
    virtualization=on nor secure=on its conduit is HVC) and the guest
    programs QEMU's GICv3 directly."""
    return [
        "qemu-system-aarch64", "-nodefaults",
        "-machine", f"virt,gic-version={gic},acpi=off",
        "-cpu", "max,pauth-impdef=on", "-smp", str(cpus), "-m", "1G",
        "-kernel", BENCH,
        "-display", "none", "-no-reboot", "-monitor", "none",
        "-serial", "stdio", "-rtc", "clock=vm",
        "-icount", "shift=0,sleep=off",
    ]


def without_lull(gic, timeout=300):
    """The guest powers the machine off (PSCI SYSTEM_OFF) when done, which
    ends QEMU. On a timeout subprocess.run kills QEMU with SIGKILL (a guest
    stuck in WFI with no timer armed, under -icount sleep=off, spins and
    does not always heed SIGTERM)."""
    try:
        p = subprocess.run(bare_command(gic), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=timeout)
        out = p.stdout.decode("utf-8", "replace")
    except subprocess.TimeoutExpired as e:
        out = (e.stdout or b"").decode("utf-8", "replace")
        print(f"bench: without Lull: no 'bench: done' after {timeout}s", file=sys.stderr)
    if "bench: done" not in out:
        print("bench: without Lull: incomplete run; last output:\n" +
              "\n".join(out.splitlines()[-10:]), file=sys.stderr)
    return results(out)


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--markdown", help="write the table to this file")
    a = p.parse_args()
    lull = under_lull(3)
    bare = without_lull(3)
    rows = ["| path | min | median | min without Lull | median without Lull |",
            "|---|---:|---:|---:|---:|"]
    notes = []
    for name, res in lull.items():
        if isinstance(res, str):
            print(f"bench: under Lull, {name}: n/a: {res}", file=sys.stderr)
            mn = md = "n/a"
        else:
            mn, md = res
        bare_res = bare.get(name, ("n/a", "n/a"))
        if isinstance(bare_res, str):
            if bare_res not in notes:
                notes.append(bare_res)
            bare_res = (f"n/a [{notes.index(bare_res) + 1}]", "n/a")
        rows.append(f"| {name} | {mn} | {md} | {bare_res[0]} | {bare_res[1]} |")
    table = "\n".join(rows)
    if notes:
        table += "\n\nn/a without Lull (QEMU's own PSCI): " + "; ".join(
            f"[{i}] {n}" for i, n in enumerate(notes, 1))
    print("Whole-machine instructions per operation, QEMU 7.2 -icount shift=0, GICv3, 2 CPUs;")
    print("without Lull: the same guest image at EL1 directly on QEMU (its PSCI, its GICv3)")
    print(table)
    if a.markdown:
        with open(a.markdown, "w") as f:
            f.write(table + "\n")


if __name__ == "__main__":
    main()
