"""Build the QEMU command line for the Lull stack and drive a running rig.

One module for `make run` (tools/lull-qemu) and the system tests
(tests/system), so that both boot exactly the same machine.
"""
import os
import queue
import re
import socket
import subprocess
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.path.join(ROOT, "build")
FIRMWARE = os.path.join(BUILD, "firmware", "lull-fw.bin")
HYPERVISOR = os.path.join(BUILD, "hypervisor", "lull.bin")
PAYLOAD_ADDR = 0x40200000
# Where QEMU's loader puts domain images before the hypervisor copies them
# into their domains (the configuration says where each one is).
STAGING_BASE = 0x70000000


def guest_image(name):
    return os.path.join(BUILD, "guests", name, f"{name}.bin")


def _cells64(*values):
    return "/bits/ 64 <" + " ".join(f"{v:#x}" for v in values) + ">"


def config_overlay(domains, outdir, extra_nodes="", chosen=None, domains_props=()):
    """Write the partitioning configuration as a device-tree overlay on
    /chosen (compiled with dtc) and return (dtbo path, QEMU loader args).

    domains: list of dicts with name, kernel (path), cpus (physical CPU of
    each vCPU), memory_mib, and optionally initrd, bootargs, hardware,
    passthrough (list of DT paths), memory_base, memory_identity (RAM at
    guest address = physical address), extra (raw dts lines).
    chosen: {property: string} added to /chosen (e.g. the hypervisor's
    "lull,fault-points"); domains_props: raw dts lines for the
    lull-domains node itself (e.g. "lull,wake-on-console;")."""
    addr, loaders, nodes = STAGING_BASE, [], []
    for i, d in enumerate(domains):
        lines = [f'compatible = "lull,domain";', f'lull,name = "{d["name"]}";',
                 f'lull,memory-size = {_cells64(d.get("memory_mib", 64) << 20)};',
                 "lull,cpus = <" + " ".join(str(c) for c in d.get("cpus", [0])) + ">;"]
        for key in ("kernel", "initrd"):
            if d.get(key):   # None: leave it out (tests of the checks)
                size = os.path.getsize(d[key])
                loaders += ["-device", f"loader,file={d[key]},addr={addr:#x},force-raw=on"]
                lines.append(f"lull,{key} = {_cells64(addr, size)};")
                addr = (addr + size + (2 << 20) - 1) & ~((2 << 20) - 1)
        if d.get("hardware"):
            lines.append("lull,hardware-domain;")
        if d.get("memory_identity"):
            lines.append("lull,memory-identity;")
        if d.get("memory_base"):
            lines.append(f"lull,memory-base = {_cells64(d['memory_base'])};")
        if d.get("bootargs"):
            lines.append(f'lull,bootargs = "{d["bootargs"]}";')
        if d.get("passthrough"):
            lines.append("lull,passthrough = " +
                         ", ".join(f'"{p}"' for p in d["passthrough"]) + ";")
        lines += d.get("extra", [])
        nodes.append(f"\t\tdomain@{i} {{\n" + "".join(f"\t\t\t{l}\n" for l in lines) +
                     "\t\t};\n")
    props = "".join(f'\t{k} = "{v}";\n' for k, v in (chosen or {}).items())
    dprops = "".join(f"\t\t{l}\n" for l in domains_props)
    dts = ("/dts-v1/;\n/plugin/;\n\n&{/chosen} {\n" + props + "\tlull-domains {\n" + dprops +
           "".join(nodes) + "\t};\n};\n")
    if extra_nodes:   # test devices added to the platform's tree
        dts += "\n&{/} {\n" + extra_nodes + "\n};\n"
    src = os.path.join(str(outdir), "config.dts")
    out = os.path.join(str(outdir), "config.dtbo")
    with open(src, "w") as f:
        f.write(dts)
    subprocess.run(["dtc", "-q", "-@", "-I", "dts", "-O", "dtb", "-o", out, src], check=True)
    return out, loaders


def qemu_command(gic=3, cpus=4, payload=HYPERVISOR, faults=None, icount=False,
                 fw_log=None, memory="1G", cpu_model="max,pauth-impdef=on",
                 console="stdio", test_mode=None, monitor=None, domains=None,
                 extra_nodes="", workdir=None, extra=(), chosen=None, domains_props=(),
                 disk=None):
    """The machine: QEMU virt with EL3 and EL2, our firmware in secure flash,
    the payload in Non-secure RAM, serial0 = hypervisor console, serial1 =
    the firmware's secure UART. acpi=off: with firmware loaded QEMU would
    otherwise replace the Non-secure PL061 GPIO (power key) by an ACPI GED.
    -nodefaults: only the devices asked for here (QEMU's default NIC would
    need a ROM from a package we do not install). disk: a raw disk image
    file, a virtio-blk device on the last virtio-mmio transport
    (DISK_NODE, INTID 79), for a domain to take by passthrough."""
    cmd = [
        "qemu-system-aarch64", "-nodefaults",
        "-machine", f"virt,secure=on,virtualization=on,gic-version={gic},acpi=off",
        "-cpu", cpu_model, "-smp", str(cpus), "-m", memory,
        "-bios", FIRMWARE,
        "-device", f"loader,file={payload},addr={PAYLOAD_ADDR:#x},force-raw=on",
        "-display", "none", "-no-reboot",
        "-serial", console,
        "-serial", f"file:{fw_log}" if fw_log else "null",
        "-rtc", "clock=vm",
    ]
    if monitor:
        cmd += ["-monitor", f"unix:{monitor},server,nowait"]
    elif console != "mon:stdio":
        cmd += ["-monitor", "none"]
    if faults:
        # QEMU option syntax: a literal comma is written twice.
        cmd += ["-fw_cfg", "name=opt/lull/faults,string=" + faults.replace(",", ",,")]
    if domains:
        dtbo, loaders = config_overlay(domains, workdir or BUILD, extra_nodes, chosen,
                                       domains_props)
        cmd += loaders + ["-fw_cfg", f"name=opt/lull/config,file={dtbo}"]
    if test_mode:
        cmd += ["-fw_cfg", "name=opt/lull/test,string=" + test_mode.replace(",", ",,")]
    if icount:
        cmd += ["-icount", "shift=0,sleep=off"]
    if disk:
        cmd += ["-drive", f"file={disk},if=none,format=raw,id=disk0",
                "-device", "virtio-blk-device,drive=disk0"]
    cmd += list(extra)
    return cmd


# QEMU virt plugs the first virtio device into its last transport.
DISK_NODE = "/virtio_mmio@a003e00"


def make_disk(path, mib=64):
    """A raw disk file holding an empty ext4 file system (e2fsprogs'
    mke2fs, tools/packages.list), made once: Linux mounts it at /data."""
    if not os.path.exists(path):
        os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
        tmp = path + ".new"
        with open(tmp, "wb") as f:
            f.truncate(mib << 20)
        subprocess.run(["/sbin/mke2fs", "-q", "-F", "-t", "ext4", "-L", "lull-data", tmp],
                       check=True)
        os.rename(tmp, path)
    return path


def load_config(path):
    """A configuration file (configs/*.json): machine settings and domains,
    with image paths made absolute (relative ones are from the repository)."""
    import json
    with open(path) as f:
        conf = json.load(f)
    for d in conf.get("domains", []):
        for key in ("kernel", "initrd"):
            if d.get(key):
                d[key] = os.path.join(ROOT, d[key])
    return conf


def config_command(conf, **kw):
    """The QEMU command for a loaded configuration; keyword arguments of
    qemu_command override the file's machine settings."""
    args = dict(gic=conf.get("gic", 3), cpus=conf.get("cpus", 4), domains=conf.get("domains"))
    if conf.get("disk"):
        args["disk"] = make_disk(os.path.join(ROOT, conf["disk"]), conf.get("disk_mib", 64))
    if conf.get("cpu_model"):
        args["cpu_model"] = conf["cpu_model"]
    args.update({k: v for k, v in kw.items() if v is not None})
    return qemu_command(**args)


class RigError(AssertionError):
    pass


class Rig:
    """A running QEMU with the hypervisor console on stdin/stdout."""

    PROMPT = "lull> "

    def __init__(self, tmpdir, **kw):
        self.fw_log_path = os.path.join(str(tmpdir), "firmware.log")
        self.stderr_path = os.path.join(str(tmpdir), "qemu-stderr.log")
        self.monitor_path = os.path.join(str(tmpdir), "monitor.sock")
        self.cmd = qemu_command(fw_log=self.fw_log_path, console="stdio",
                                monitor=self.monitor_path, workdir=tmpdir, **kw)
        # QEMU's own messages go apart, so they never split console output.
        with open(self.stderr_path, "wb") as err:
            self.proc = subprocess.Popen(self.cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                         stderr=err, bufsize=0)
        self.out = ""
        self.pos = 0          # how far expect() has consumed
        self._q = queue.Queue()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self):
        while True:
            data = self.proc.stdout.read(4096)
            if not data:
                self._q.put(None)
                return
            self._q.put(data.decode("utf-8", "replace").replace("\r", ""))

    def _pump(self, timeout):
        try:
            chunk = self._q.get(timeout=timeout)
        except queue.Empty:
            return True
        if chunk is None:
            return False
        self.out += chunk
        return True

    @staticmethod
    def _read_file(path):
        try:
            with open(path, errors="replace") as f:
                return f.read()
        except FileNotFoundError:
            return ""

    def fw_log(self):
        return self._read_file(self.fw_log_path)

    def tail(self, n=25):
        lines = self.out.splitlines()[-n:]
        fw = self.fw_log().splitlines()[-10:]
        err = self._read_file(self.stderr_path).splitlines()[-5:]
        return ("--- last console lines ---\n" + "\n".join(lines) +
                "\n--- last firmware lines ---\n" + "\n".join(fw) +
                ("\n--- QEMU stderr ---\n" + "\n".join(err) if err else ""))

    def expect(self, pattern, timeout=30):
        """Wait for a regex in the console output after the last match;
        return the match. Fails with the last console lines."""
        rx = re.compile(pattern)
        deadline = time.monotonic() + timeout
        alive = True
        while True:
            m = rx.search(self.out, self.pos)
            if m:
                self.pos = m.end()
                return m
            if not alive or time.monotonic() > deadline:
                why = "QEMU exited" if not alive else f"timeout after {timeout}s"
                raise RigError(f"{why} waiting for /{pattern}/\n{self.tail()}")
            alive = self._pump(min(0.2, max(0.0, deadline - time.monotonic())))

    def rewind(self):
        """Search from the start of the output again (guests print while
        the hypervisor boots)."""
        self.pos = 0

    def send(self, text):
        self.proc.stdin.write(text.encode())
        self.proc.stdin.flush()

    def command(self, line, timeout=60):
        """Type a console command; return its output up to the next prompt."""
        while self._pump(0.05):     # take in what is already there
            if self._q.empty():
                break
        start = self.pos = len(self.out)
        self.send(line + "\r")
        self.expect(re.escape(self.PROMPT), timeout)
        return self.out[start:self.pos]

    def expect_prompt_ready(self):
        if not self.out.endswith(self.PROMPT):
            self.expect(re.escape(self.PROMPT) + r"$", 30)

    def wait_exit(self, timeout=30):
        deadline = time.monotonic() + timeout
        while self.proc.poll() is None and time.monotonic() < deadline:
            self._pump(0.2)
        while self._pump(0.05) and self.proc.poll() is None:
            pass
        if self.proc.poll() is None:
            raise RigError(f"QEMU still running after {timeout}s\n{self.tail()}")
        while True:
            try:
                chunk = self._q.get_nowait()
            except queue.Empty:
                break
            if chunk is None:
                break
            self.out += chunk
        return self.proc.returncode

    def monitor(self, line, timeout=5):
        """Run a QEMU monitor command (e.g. system_powerdown); return what
        it printed."""
        def read_to_prompt(s):
            data = b""
            deadline = time.monotonic() + timeout
            while b"(qemu)" not in data.rsplit(b"\n", 1)[-1]:
                if time.monotonic() > deadline:
                    raise RigError(f"monitor: no prompt after {line!r}")
                data += s.recv(65536)
            return data

        with socket.socket(socket.AF_UNIX) as s:
            s.settimeout(timeout)
            s.connect(self.monitor_path)
            read_to_prompt(s)
            s.sendall(line.encode() + b"\n")
            out = read_to_prompt(s).decode(errors="replace")
            # The monitor echoes the line with terminal escapes: skip it.
            return out.split("\n", 1)[-1].rsplit("\n", 1)[0]

    def close(self):
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
