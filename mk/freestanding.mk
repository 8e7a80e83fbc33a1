# Flags for every freestanding AArch64 image (firmware, hypervisor, test
# payloads). See PLATFORM-NOTES for why each code-generation flag matters.
CROSS        ?= aarch64-linux-gnu-
XCC          := $(CROSS)gcc
XOBJCOPY     := $(CROSS)objcopy
LIBGCC        = $(shell $(XCC) -print-libgcc-file-name)
LIBFDT       ?= /usr/lib/aarch64-linux-gnu/libfdt.a
BUILD        ?= build

XCFLAGS := -std=c11 -Wall -Wextra -Werror -O2 -g \
	-ffreestanding -nostdlib -nostdinc \
	-isystem $(shell $(XCC) -print-file-name=include) \
	-Ilib/include -I$(BUILD)/fdt-include \
	-mgeneral-regs-only -mstrict-align -mno-outline-atomics \
	-fno-pic -fno-pie -fno-common -fno-stack-protector \
	-fno-tree-loop-distribute-patterns -fno-delete-null-pointer-checks \
	-MMD -MP
XASFLAGS := -g -Ilib/include -MMD -MP -D__ASSEMBLY__
XLDFLAGS := -nostdlib -static -no-pie -Wl,--gc-sections -Wl,--build-id=none -Wl,--no-warn-rwx-segments

# libfdt.h from Debian's libfdt-dev, with our own freestanding string.h /
# stdlib.h in front of it (lib/include), never the host's libc headers.
$(BUILD)/fdt-include/libfdt.h:
	@mkdir -p $(dir $@)
	ln -sf /usr/include/libfdt.h /usr/include/fdt.h /usr/include/libfdt_env.h $(dir $@)

$(BUILD)/%.o: %.c | $(BUILD)/fdt-include/libfdt.h
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(XCC) $(XCFLAGS) $(CFLAGS_$(firstword $(subst /, ,$*))) -c $< -o $@

$(BUILD)/%.o: %.S
	@mkdir -p $(dir $@)
	@echo "  AS      $<"
	@$(XCC) $(XASFLAGS) $(CFLAGS_$(firstword $(subst /, ,$*))) -c $< -o $@

LIB_SRCS := lib/string.c lib/format.c lib/psci_lib.c lib/pl011.c lib/fw_cfg.c
LIB_OBJS := $(LIB_SRCS:%.c=$(BUILD)/%.o)
