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


def under_lull(gic, extra=()):
    """extra: more lines for the domain's node (e.g. lull,cpu-hide)."""
    r = lullrig.Rig(tempfile.mkdtemp(), gic=gic, cpus=2, icount=True,
                    domains=[dict(name="bench", kernel=BENCH, cpus=[0, 1, 1], memory_mib=32,
                                  bootargs="switch=1", extra=extra)])
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


HS = lullrig.guest_image("hostsuspend")
HS_CYCLES = 5
# The configurations the host suspend benchmark runs: (CPUs, domains).
HS_CONFIGS = [(2, 2), (4, 4), (4, 8)]
PHASE = re.compile(r"\]\s+(suspend|resume)\s+(cpu\d+|firmware|domain \w+)\s+(.+?)\s+at\s+"
                   r"([\d.]+) us,\s+([\d.]+) us")
FW_WORK = re.compile(r"firmware's own work: entry ([\d.]+) us, resume to the hardware domain "
                     r"([\d.]+) us, to every domain ([\d.]+) us")


def ns(us_text):
    """Microseconds as printed (three decimals) to nanoseconds: at -icount
    shift=0 one instruction is one nanosecond."""
    return round(float(us_text) * 1000)


def host_suspend_cycles(cpus, ndomains):
    """Run the hardware domain's host suspend HS_CYCLES times (RTC alarm)
    beside ndomains - 1 ticking domains spread over the other CPUs, under
    -icount; return the parsed cycles of `suspend-log`."""
    doms = [dict(name="hw", kernel=HS, cpus=[0], memory_mib=32, hardware=True,
                 passthrough=["/pl031@9010000"], bootargs=f"role=hw cycles={HS_CYCLES} alarm=1")]
    for i in range(1, ndomains):
        doms.append(dict(name=f"t{i}", kernel=HS, cpus=[1 + (i - 1) % (cpus - 1)],
                         memory_mib=16, bootargs="role=ticker quiet=1"))
    r = lullrig.Rig(tempfile.mkdtemp(), gic=3, cpus=cpus, icount=True, domains=doms)
    try:
        r.expect(rf"hostsuspend: done \({HS_CYCLES} cycles\)", timeout=600)
        out = r.command("suspend-log 4", timeout=120)
    finally:
        r.close()
    cycles = []
    for block in out.split("suspend cycle ")[1:]:
        ph = [(m.group(1), m.group(2), m.group(3), ns(m.group(4)), ns(m.group(5)))
              for m in PHASE.finditer(block)]
        fw = FW_WORK.search(block)
        cycles.append((ph, tuple(ns(x) for x in fw.groups()) if fw else None))
    return cycles


def cycle_figures(ph, fw):
    """Entry, resume to the hardware domain, resume to every domain (whole
    machine) and the firmware's share of each, in instructions."""
    start = {(p[1], p[2], p[0]): p[3] for p in ph}
    call = start[("firmware", "SYSTEM_SUSPEND", "suspend")]
    back = start[("cpu0", "resume entry", "resume")]
    hwdom = start[("domain hw", "re-entered", "resume")]
    last = max([p[3] for p in ph if p[2] == "running"] + [hwdom])
    fw = fw or (0, 0, 0)
    return {"entry": (call, fw[0]), "resume to the hardware domain": (hwdom - back, fw[1]),
            "resume to every domain running": (last - back, fw[2])}


def host_suspend_bench():
    """{config: {figure: (min, median, firmware median)}} and the per-phase
    breakdown (median durations) of the 4-CPU, 4-domain run."""
    results, breakdown = {}, {}
    for cpus, ndom in HS_CONFIGS:
        cycles = host_suspend_cycles(cpus, ndom)
        figs = [cycle_figures(ph, fw) for ph, fw in cycles]
        res = {}
        for key in figs[0]:
            tot = sorted(f[key][0] for f in figs)
            fwv = sorted(f[key][1] for f in figs)
            res[key] = (tot[0], tot[len(tot) // 2], fwv[len(fwv) // 2])
        results[(cpus, ndom)] = res
        if (cpus, ndom) == (4, 4):
            names = [(p[0], p[1], p[2]) for p in cycles[0][0]]
            for n in names:
                d = sorted(p[4] for ph, _ in cycles for p in ph if (p[0], p[1], p[2]) == n)
                breakdown[n] = d[len(d) // 2]
    return results, breakdown


def host_suspend_table(results, breakdown):
    rows = ["| CPUs, domains | path | min | median | of which firmware (median) | Lull's own (median) |",
            "|---|---|---:|---:|---:|---:|"]
    for (cpus, ndom), res in results.items():
        for key, (mn, md, fw) in res.items():
            rows.append(f"| {cpus}, {ndom} | {key} | {mn} | {md} | {fw} | {md - fw} |")
    rows += ["", "Phases of the 4-CPU, 4-domain cycles (median duration, whole machine, firmware"
             " included; the SYSTEM_SUSPEND phase is the time asleep):", "",
             "| side | lane | phase | instructions |", "|---|---|---|---:|"]
    for (side, lane, name), d in breakdown.items():
        rows.append(f"| {side} | {lane} | {name} | {d} |")
    return "\n".join(rows)


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--markdown", help="write the tables to this file")
    p.add_argument("--only", choices=("guest", "host-suspend"), help="run one part")
    a = p.parse_args()
    hs_table = ""
    if a.only != "guest":
        hs_table = host_suspend_table(*host_suspend_bench())
        print("Host suspend to RAM, whole-machine instructions under -icount shift=0, GICv3:")
        print(hs_table)
        if a.only == "host-suspend":
            if a.markdown:
                with open(a.markdown, "w") as f:
                    f.write(hs_table + "\n")
            return
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
            f.write(table + "\n" + ("\n" + hs_table + "\n" if hs_table else ""))


if __name__ == "__main__":
    main()
