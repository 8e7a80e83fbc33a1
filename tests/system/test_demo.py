"""`make run`'s demo (configs/demo.json) boots as a user gets it: Debian
Linux as the hardware domain with its disk at /data and lullctl, beside
the bare-metal hello domain."""
import os
import re

import pytest

import lullrig
from conftest import focus

INITRD = os.path.join(lullrig.BUILD, "linux", "initramfs.cpio.gz")

pytestmark = pytest.mark.skipif(not os.path.exists(INITRD),
                                reason="no Linux guest: run `make linux-guest`")


def test_demo_boots(rig, tmp_path):
    conf = lullrig.load_config(os.path.join(lullrig.ROOT, "configs", "demo.json"))
    disk = lullrig.make_disk(str(tmp_path / "disk.img"), conf.get("disk_mib", 64))
    r = rig(gic=conf["gic"], cpus=conf["cpus"], cpu_model=conf["cpu_model"],
            domains=conf["domains"], disk=disk)
    r.expect(r"Lull ready: 4/4 CPUs online", timeout=60)
    r.rewind()
    r.expect(r"\[hello\] hello: 2 vCPUs ran; powering off", timeout=60)
    r.rewind()
    r.expect(r"\[linux\] lull-linux: rtc rtc-pl031", timeout=120)
    r.expect(r"\[linux\] lull-linux: disk /dev/vda at /data, \d+ KiB")
    r.expect(r"\[linux\] /bin/sh: can't access tty", timeout=60)
    focus(r, "linux")
    r.pos = len(r.out)
    r.send("lullctl list; echo \"done rc=$?\"\r")
    r.expect(r"\[linux\] done rc=0", timeout=30)
    assert re.search(r"\[linux\] linux running hardware 0:(on|powered-down|standby) 1:(on|powered-down|standby)", r.out), r.tail()
    assert re.search(r"\[linux\] hello off 0:off 1:off", r.out), r.tail()
