# Lull: build, run and test. `make run` and `make test` work as the first
# command on a fresh Debian bookworm clone (they run `make setup`).
BUILD := build
.DEFAULT_GOAL := all
include mk/freestanding.mk

FW_SRCS  := $(wildcard firmware/*.S firmware/*.c)
FW_OBJS  := $(patsubst %,$(BUILD)/%.o,$(basename $(FW_SRCS)))
HYP_SRCS := $(wildcard hypervisor/*/*.S hypervisor/*/*.c hypervisor/arch/*/*.S hypervisor/arch/*/*.c)
HYP_OBJS := $(patsubst %,$(BUILD)/%.o,$(basename $(HYP_SRCS)))
CFLAGS_firmware   := -Ifirmware
CFLAGS_hypervisor := -Ihypervisor/include -fno-omit-frame-pointer

# Debian's interpreter, where python3-pytest is installed.
PYTHON  ?= /usr/bin/python3

FW_BIN  := $(BUILD)/firmware/lull-fw.bin
HYP_BIN := $(BUILD)/hypervisor/lull.bin

.PHONY: all setup check-install run test unit-test system-test linux-guest bench soak clean
all: $(FW_BIN) $(HYP_BIN) payloads guests

$(BUILD)/firmware/lull-fw.elf: $(FW_OBJS) $(LIB_OBJS) firmware/firmware.ld
	$(XCC) $(XLDFLAGS) -T firmware/firmware.ld -o $@ $(FW_OBJS) $(LIB_OBJS) $(LIBFDT) $(LIBGCC)

$(BUILD)/hypervisor/lull.elf: $(HYP_OBJS) $(LIB_OBJS) hypervisor/hypervisor.ld
	$(XCC) $(XLDFLAGS) -T hypervisor/hypervisor.ld -o $@ $(HYP_OBJS) $(LIB_OBJS) $(LIBFDT) $(LIBGCC)
	@tools/check-no-fp $@ || { rm -f $@; exit 1; }

%.bin: %.elf
	$(XOBJCOPY) -O binary $< $@

include tests/payloads/payloads.mk
include guests/guests.mk
include tests/unit/unit.mk

setup:
	@tools/setup.sh

# Would a fresh Debian machine have everything? (packages, and no QEMU
# machine of ours needing a file from a package we do not install)
check-install:
	@tools/check-install

run: setup
	$(MAKE) --no-print-directory all linux-guest
	tools/lull-qemu --config configs/demo.json

test: setup
	$(MAKE) check-install
	$(MAKE) all
	$(MAKE) unit-test
	$(MAKE) system-test

system-test: all linux-guest
	$(PYTHON) -m pytest -q tests/system $(PYTEST_ARGS)

# Host suspend soak: 1000 cycles with bare-metal domains, 100 with Linux
# (LULL_SOAK_CYCLES / LULL_SOAK_LINUX_CYCLES change the counts).
soak: setup
	$(MAKE) --no-print-directory all linux-guest
	$(PYTHON) -m pytest -q -s tests/soak

# Benchmarks under -icount (deterministic: instructions), with and without Lull.
bench: setup
	$(MAKE) --no-print-directory all
	$(PYTHON) tools/bench.py

# Debian's arm64 kernel and a busybox initramfs (downloaded from Debian).
linux-guest: $(BUILD)/linux/initramfs.cpio.gz
$(BUILD)/linux/initramfs.cpio.gz: tools/linux/build-guest-linux.sh tools/lullctl/lullctl.c \
				  lib/include/lull/ctl_abi.h tools/linux/lull-sve.c
	tools/linux/build-guest-linux.sh $(BUILD)/linux

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD) -name '*.d' -type f -not -path '$(BUILD)/linux/*' 2>/dev/null)
