"""tools/suspend-timeline: the host suspend/resume phase log as a picture.

No QEMU: the traces are built here (two cycles on 4 CPUs, the firmware and
two domains, a failed phase in cycle 2, a wake-up event per cycle, 5 s
asleep), the tool runs as a subprocess, and its SVG, HTML and --summary are
checked against the trace."""
import json
import os
import re
import subprocess
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest

import lullrig

TOOL = os.path.join(lullrig.ROOT, "tools", "suspend-timeline")
SVG = "{http://www.w3.org/2000/svg}"
LANES = ["cpu0", "cpu1", "cpu2", "cpu3", "firmware", "domain linux", "domain ticker"]
ASLEEP_US = 5_000_000.0
FAILED_FILL = "#e8434b"


def phase(cycle, lane, name, cat, ts, dur, result="ok", step="cpus"):
    return {"name": name, "cat": cat, "ph": "X", "ts": ts, "dur": dur, "pid": 0,
            "tid": lane, "args": {"cycle": cycle, "result": result, "step": step}}


def cycle_events(cycle, base, fail=False):
    """One suspend/resume cycle starting at `base` µs: the domains are
    suspended, then suspend entry runs from base + 400 to base + 2300 µs
    (phases on several CPUs overlap, so its span is not the sum of their
    durations), 5 s asleep, resume from the wake-up to 1700 µs later, and
    the domains resume."""
    wake = base + 2300 + ASLEEP_US
    ev = [
        phase(cycle, "domain linux", "suspend domain linux", "domain", base, 400, step="domains"),
        phase(cycle, "domain ticker", "suspend domain ticker", "domain", base + 50, 300,
              step="domains"),
        phase(cycle, "cpu0", "freeze scheduler", "suspend", base + 400, 300),
        phase(cycle, "cpu1", "offline cpu1", "suspend", base + 700, 500),
        phase(cycle, "cpu2", "offline cpu2", "suspend", base + 800, 450),
        phase(cycle, "cpu3", "offline cpu3", "suspend", base + 900, 600,
              result="timeout: cpu3 did not stop" if fail else "ok"),
        phase(cycle, "cpu0", "save GIC distributor", "suspend", base + 1500, 500, step="gic"),
        phase(cycle, "firmware", "SYSTEM_SUSPEND call", "suspend", base + 2000, 300,
              step="firmware"),
        {"name": "wake-up: interrupt 34", "ph": "i", "s": "g", "ts": wake, "pid": 0,
         "tid": "cpu0", "args": {"cycle": cycle, "intid": 34}},
        phase(cycle, "firmware", "firmware resume", "resume", wake, 200, step="firmware"),
        phase(cycle, "cpu0", "restore GIC distributor", "resume", wake + 200, 400, step="gic"),
        phase(cycle, "cpu1", "online cpu1", "resume", wake + 600, 700),
        phase(cycle, "cpu2", "online cpu2", "resume", wake + 650, 650),
        phase(cycle, "cpu3", "online cpu3", "resume", wake + 700, 1000),
        phase(cycle, "domain linux", "resume domain linux", "domain", wake + 1700, 250,
              step="domains"),
        phase(cycle, "domain ticker", "resume domain ticker", "domain", wake + 1700, 100,
              step="domains"),
    ]
    return ev


def sample_trace():
    events = cycle_events(1, 1000.0) + cycle_events(2, 20_000_000.0, fail=True)
    # Lanes must be ordered by the tool, not by the order of the events.
    events.sort(key=lambda e: (e["tid"] != "domain ticker", e["tid"] != "cpu3", e["ts"]))
    events.insert(0, {"name": "process_name", "ph": "M", "pid": 0,
                      "args": {"name": "Lull hypervisor"}})
    return {"traceEvents": events, "displayTimeUnit": "ns",
            "otherData": {"version": "lull test", "machine": "virt gicv3 4 cpus"}}


def phases_of(trace, cycle=None):
    return [e for e in trace["traceEvents"]
            if e["ph"] == "X" and (cycle is None or e["args"]["cycle"] == cycle)]


def run(*args, stdin=None):
    return subprocess.run([TOOL, *map(str, args)], capture_output=True, text=True,
                          input=stdin, timeout=60)


def ok(*args, stdin=None):
    p = run(*args, stdin=stdin)
    assert p.returncode == 0, p.stderr
    return p


@pytest.fixture
def trace_file(tmp_path):
    path = tmp_path / "trace.json"
    path.write_text(json.dumps(sample_trace(), indent=1))
    return path


def svg_of(tmp_path, src, *opts):
    out = tmp_path / f"out{len(list(tmp_path.glob('out*.svg')))}.svg"
    ok(src, "-o", out, *opts)
    return ET.parse(out).getroot()


def classes(el):
    return el.get("class", "").split()


def with_class(root, tag, cls):
    return [e for e in root.iter(SVG + tag) if cls in classes(e)]


def test_svg_lanes_in_order(tmp_path, trace_file):
    root = svg_of(tmp_path, trace_file, "--cycle", "1")
    assert root.tag == SVG + "svg"
    labels = with_class(root, "text", "lane-label")
    assert [e.get("data-tid") for e in labels] == LANES
    assert [e.text for e in labels] == LANES


def test_one_rect_per_phase_of_selected_cycle(tmp_path, trace_file):
    trace = sample_trace()
    for cycle in (1, 2):
        root = svg_of(tmp_path, trace_file, "--cycle", cycle)
        rects = with_class(root, "rect", "phase")
        want = phases_of(trace, cycle)
        assert len(rects) == len(want) == 15
        assert {r.get("data-cycle") for r in rects} == {str(cycle)}
        # The tooltip carries the full name, and every rect is on its lane.
        got = sorted((r.find(SVG + "title").text.split("\n")[0], r.get("data-lane"))
                     for r in rects)
        assert got == sorted((e["name"], e["tid"]) for e in want)
        assert len(with_class(root, "text", "cycle-title")) == 1
    root = svg_of(tmp_path, trace_file)
    assert len(with_class(root, "rect", "phase")) == len(phases_of(trace)) == 30
    assert len(with_class(root, "text", "lane-label")) == 2 * len(LANES)


def test_failed_phase_has_failure_class_colour_and_marker(tmp_path, trace_file):
    root = svg_of(tmp_path, trace_file, "--cycle", "2")
    rects = with_class(root, "rect", "phase")
    failed = [r for r in rects if "failed" in classes(r)]
    assert len(failed) == 1
    title = failed[0].find(SVG + "title").text
    assert title.startswith("offline cpu3\n") and "timeout: cpu3 did not stop" in title
    assert failed[0].get("fill") == FAILED_FILL
    assert all(r.get("fill") != FAILED_FILL for r in rects if r is not failed[0])
    assert len(with_class(root, "polygon", "fail-marker")) == 1
    # Cycle 1 has no failure.
    root = svg_of(tmp_path, trace_file, "--cycle", "1")
    assert not [r for r in with_class(root, "rect", "phase") if "failed" in classes(r)]
    assert not with_class(root, "polygon", "fail-marker")


def test_categories_have_their_colours(tmp_path, trace_file):
    root = svg_of(tmp_path, trace_file, "--cycle", "1")
    fills = {}
    for r in with_class(root, "rect", "phase"):
        kind = next(c for c in classes(r) if c in ("suspend", "resume", "domain"))
        fills.setdefault(kind, set()).add(r.get("fill"))
    assert all(len(f) == 1 for f in fills.values()), fills
    assert len({f.pop() for f in fills.values()} | {FAILED_FILL}) == 4


def test_labels_when_wide_enough_and_tooltips_always(tmp_path):
    trace = {"traceEvents": [
        phase(1, "cpu0", "a long phase with a long name", "suspend", 0, 10_000),
        phase(1, "cpu1", "a tiny phase with a long name", "suspend", 5000, 1),
    ]}
    src = tmp_path / "t.json"
    src.write_text(json.dumps(trace))
    root = svg_of(tmp_path, src)
    labels = [e.text for e in with_class(root, "text", "phase-label")]
    assert labels == ["a long phase with a long name"]
    titles = [r.find(SVG + "title").text.split("\n")[0]
              for r in with_class(root, "rect", "phase")]
    assert sorted(titles) == ["a long phase with a long name", "a tiny phase with a long name"]


def test_instant_event_is_a_marker_with_its_label(tmp_path, trace_file):
    root = svg_of(tmp_path, trace_file, "--cycle", "2")
    lines = with_class(root, "line", "instant")
    assert len(lines) == 1
    assert lines[0].get("x1") == lines[0].get("x2")
    assert lines[0].find(SVG + "title").text.startswith("wake-up: interrupt 34")
    assert [e.text for e in with_class(root, "text", "instant-label")] == \
        ["wake-up: interrupt 34"]
    # It stands where the resume begins (the firmware's first resume phase).
    resume = next(r for r in with_class(root, "rect", "phase")
                  if r.find(SVG + "title").text.startswith("firmware resume"))
    assert abs(float(resume.get("x")) - float(lines[0].get("x1"))) < 0.5


def test_gap_compression_break_mark(tmp_path, trace_file):
    def resume_width(root):
        rects = with_class(root, "rect", "phase")
        return sum(float(r.get("width")) for r in rects if "resume" in classes(r))

    squeezed = svg_of(tmp_path, trace_file, "--cycle", "1")
    assert with_class(squeezed, "path", "break-mark")
    assert [g.text for g in with_class(squeezed, "text", "gap-label")] == ["5.00 s"]
    breaks = with_class(squeezed, "g", "break")
    assert len(breaks) == 1
    assert "compressed: 5000.000 ms" in breaks[0].find(SVG + "title").text

    real = svg_of(tmp_path, trace_file, "--cycle", "1", "--no-compress-gaps")
    assert not with_class(real, "path", "break-mark")
    assert not with_class(real, "text", "gap-label")
    assert not with_class(real, "g", "break")
    # Without compression 5 s of sleep leave the resume phases (1.7 ms in
    # all) at the minimum width of a pixel each; with it they get room.
    assert resume_width(real) <= 5 * 1.0
    assert resume_width(squeezed) > 200
    # Same rectangles either way.
    assert len(with_class(real, "rect", "phase")) == len(with_class(squeezed, "rect", "phase"))


def test_min_gap_compresses_shorter_stretches(tmp_path, trace_file):
    auto = svg_of(tmp_path, trace_file, "--cycle", "1")
    more = svg_of(tmp_path, trace_file, "--cycle", "1", "--min-gap", "0.2")
    assert len(with_class(auto, "g", "break")) == 1
    assert len(with_class(more, "g", "break")) > 1


def test_axis_has_ticks_in_time_units(tmp_path, trace_file):
    root = svg_of(tmp_path, trace_file, "--cycle", "1")
    ticks = [e.text for e in with_class(root, "text", "tick-label")]
    assert ticks[0] == "0 µs" or ticks[0].startswith("0 ") or ticks[0].startswith("0.0")
    assert len(ticks) >= 4
    assert all(re.fullmatch(r"[\d.]+ (µs|ms|s)", t) for t in ticks), ticks
    # Times after the break continue from the real time (about 5 s).
    assert any(float(t.split()[0]) * {"µs": 1e-6, "ms": 1e-3, "s": 1}[t.split()[1]] > 4.9
               for t in ticks), ticks


class Rows(HTMLParser):
    """The rows (class, [cells]) of the table with a given id."""

    def __init__(self, table_id):
        super().__init__()
        self.table_id, self.inside, self.rows, self.cell = table_id, False, [], None
        self.scripts = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script":
            self.scripts += 1
        if tag == "table":
            self.inside = a.get("id") == self.table_id
        elif self.inside and tag == "tr" and "class" in a:
            self.rows.append((a["class"].split(), []))
        elif self.inside and tag == "td" and self.rows:
            self.cell = ""

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data

    def handle_endtag(self, tag):
        if tag == "td" and self.cell is not None:
            self.rows[-1][1].append(self.cell)
            self.cell = None
        elif tag == "table":
            self.inside = False


def test_html_has_svg_and_phase_table(tmp_path, trace_file):
    out = tmp_path / "out.html"
    ok(trace_file, "-o", out)
    page = out.read_text()
    assert page.startswith("<!DOCTYPE html>")
    svg = page[page.index("<svg"):page.index("</svg>") + len("</svg>")]
    assert len(with_class(ET.fromstring(svg), "rect", "phase")) == 30
    # Self-contained: no scripts, no fetched resources.
    assert not re.search(r"<script|\bsrc=|\bhref=|@import|url\(", page)
    rows = Rows("phases")
    rows.feed(page)
    assert rows.scripts == 0
    got = [(cells[0], cells[1], cells[2], cells[5], cells[6]) for _, cells in rows.rows]
    want = [(str(e["args"]["cycle"]), e["tid"], e["name"], f"{e['dur'] / 1000:.3f}",
             e["args"]["result"]) for e in phases_of(sample_trace())]
    assert sorted(got) == sorted(want)
    failed = [cells for cls, cells in rows.rows if "failed" in cls]
    assert [(c[0], c[2], c[6]) for c in failed] == [("2", "offline cpu3",
                                                     "timeout: cpu3 did not stop")]
    # Start times are from the start of the cycle.
    first = next(cells for _, cells in rows.rows if cells[2] == "freeze scheduler")
    assert first[4] == "0.400"
    assert "tr.failed td" in page            # failed rows are highlighted
    events = Rows("events")
    events.feed(page)
    assert [c[2] for _, c in events.rows] == ["wake-up: interrupt 34"] * 2


def summary_totals(text):
    """{cycle: {label: ms}} from --summary output."""
    out, cycle = {}, None
    for line in text.splitlines():
        m = re.match(r"cycle (\d+):", line)
        if m:
            cycle = int(m.group(1))
            out[cycle] = {}
        m = re.match(r"\s+(suspend entry|suspended|resume):\s+([\d.]+) ms$", line)
        if m:
            out[cycle][m.group(1)] = float(m.group(2))
    return out


def test_summary_totals(trace_file):
    text = ok(trace_file, "--summary").stdout
    # Wall-clock spans of the "suspend" and "resume" phases (the domain
    # phases around them do not count): not the sums of their durations
    # (2.65 and 2.95 ms).
    want = {"suspend entry": 1.9, "suspended": 5000.0, "resume": 1.7}
    assert summary_totals(text) == {1: want, 2: want}
    # Phase rows: every phase once, the failed one flagged.
    assert text.count("offline cpu3") == 2
    flagged = [l for l in text.splitlines() if l.lstrip().startswith("!")]
    assert len(flagged) == 1 and "timeout: cpu3 did not stop" in flagged[0]
    assert "cycle 2: 15 phases, 1 failed, 1 event" in text
    assert "all 2 cycles:" in text and "1 failed phase" in text
    # One cycle only.
    text = ok(trace_file, "--summary", "--cycle", "2").stdout
    assert list(summary_totals(text)) == [2]
    assert "all 2 cycles" not in text


def console_log(trace, width=37):
    """The trace as the hypervisor's console shows it: noise around, the
    JSON cut every `width` characters (inside strings and numbers too),
    each line prefixed by the CPU that printed it."""
    text = json.dumps(trace)
    chunks = [text[i:i + width] for i in range(0, len(text), width)]
    lines = ["Lull ready: 4/4 CPUs online", "[cpu0] lull> suspend 2",
             "[cpu0] --- suspend-log json begin ---"]
    lines += [f"[cpu{i % 4}] {c}" for i, c in enumerate(chunks)]
    lines += ["[cpu1] --- suspend-log json end ---", "[cpu0] lull> "]
    return "\r\n".join(lines) + "\r\n"


def test_console_log_embedded(tmp_path, trace_file):
    log = tmp_path / "console.log"
    log.write_text(console_log(sample_trace()))
    assert ok(log, "--summary").stdout == ok(trace_file, "--summary").stdout
    root = svg_of(tmp_path, log, "--cycle", "2")
    assert len(with_class(root, "rect", "phase")) == 15
    assert [e.get("data-tid") for e in with_class(root, "text", "lane-label")] == LANES
    # A bare list of events, read from stdin, works the same.
    bare = console_log(sample_trace()["traceEvents"], width=50)
    assert ok("-", "--summary", stdin=bare).stdout == ok(trace_file, "--summary").stdout


def test_stdin_json(trace_file):
    p = ok("-", "--summary", stdin=trace_file.read_text())
    assert p.stdout == ok(trace_file, "--summary").stdout


def error_of(tmp_path, text, *opts):
    src = tmp_path / "bad.json"
    src.write_text(text)
    p = run(src, "--summary", *opts)
    assert p.returncode != 0, p.stdout
    assert p.stdout == ""
    return p.stderr


def test_malformed_input_fails_with_a_message(tmp_path):
    err = error_of(tmp_path, '{"traceEvents": [')
    assert "invalid JSON at line 1" in err
    err = error_of(tmp_path, "hello\nworld\n")
    assert "neither trace-event JSON nor a console log" in err
    err = error_of(tmp_path, json.dumps({"events": []}))
    assert 'no "traceEvents"' in err
    # A phase without its duration, one without a cycle, a bad timestamp.
    bad = [phase(1, "cpu0", "ok phase", "suspend", 0, 10)]
    bad.append({k: v for k, v in phase(1, "cpu1", "no dur", "suspend", 5, 1).items()
                if k != "dur"})
    bad.append(dict(phase(1, "cpu2", "no cycle", "suspend", 5, 1), args={}))
    bad.append(dict(phase(1, "cpu3", "bad ts", "suspend", 5, 1), ts="soon"))
    err = error_of(tmp_path, json.dumps(bad))
    assert "3 malformed event(s)" in err
    assert 'event 1 ("no dur"): missing "dur"' in err
    assert 'event 2 ("no cycle"): missing "args.cycle"' in err
    assert 'event 3 ("bad ts"): "ts" is "soon", not a number' in err
    # Nothing to draw; a cycle that is not there.
    assert "no phase" in error_of(tmp_path, json.dumps({"traceEvents": []}))
    err = error_of(tmp_path, json.dumps(bad[:1]), "--cycle", "7")
    assert "cycle 7 is not in the input (it has cycle(s) 1)" in err


def test_malformed_console_log_fails_with_its_line(tmp_path):
    log = console_log(sample_trace()).split("\r\n")
    cut = tmp_path / "cut.log"
    cut.write_text("\n".join(log[:10]))             # no end marker
    p = run(cut, "--summary")
    assert p.returncode == 1 and "without its end marker" in p.stderr
    # Another CPU's line in the middle of the block (its quotes make it
    # invalid JSON wherever it lands): the error names its line, 7.
    broken = log[:6] + ['[cpu3] lull: domain "ticker" tick'] + log[6:]
    bad = tmp_path / "bad.log"
    bad.write_text("\n".join(broken))
    p = run(bad, "--summary")
    assert p.returncode == 1
    assert "line 7: invalid JSON in the suspend-log block begun at line 3" in p.stderr, \
        p.stderr


def test_unknown_ph_is_skipped_with_a_warning(tmp_path):
    events = [phase(1, "cpu0", "kept", "suspend", 0, 10),
              {"name": "b", "ph": "B", "ts": 1, "pid": 0, "tid": "cpu0"},
              {"name": "thread_name", "ph": "M", "pid": 0, "tid": "cpu0",
               "args": {"name": "cpu0"}}]
    src = tmp_path / "t.json"
    src.write_text(json.dumps(events))
    p = ok(src, "--summary")
    assert 'warning' in p.stderr and 'unknown ph "B"' in p.stderr
    assert "kept" in p.stdout and "cycle 1: 1 phase, 0 events" in p.stdout


def test_command_line_errors(tmp_path, trace_file):
    p = run(trace_file)
    assert p.returncode == 2 and "nothing to do" in p.stderr
    p = run(trace_file, "-o", tmp_path / "x.png")
    assert p.returncode == 2 and ".svg, .html or .htm" in p.stderr
    p = run(tmp_path / "missing.json", "--summary")
    assert p.returncode == 1 and "cannot read" in p.stderr
    p = run("--help")
    assert p.returncode == 0 and "--no-compress-gaps" in p.stdout and "--cycle" in p.stdout
