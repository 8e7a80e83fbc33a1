# Bare-metal guests: each folder under guests/ (but lib) is one guest image,
# linked with guests/lib and the shared freestanding lib.
GUESTS := hello cpu isolation irq timer passthrough bench reboot vgic psci fuzz suspend spin hostsuspend watchdog cpuregs
GUEST_LIB_OBJS := $(patsubst %,$(BUILD)/%.o,$(basename $(wildcard guests/lib/*.[cS])))
GUEST_BINS := $(foreach g,$(GUESTS),$(BUILD)/guests/$(g)/$(g).bin)
CFLAGS_guests := -Iguests/lib

.PHONY: guests
guests: $(GUEST_BINS)

define guest_rule
$(BUILD)/guests/$(1)/$(1).elf: $$(patsubst %,$(BUILD)/%.o,$$(basename $$(wildcard guests/$(1)/*.[cS]))) $$(GUEST_LIB_OBJS) $$(LIB_OBJS) guests/lib/guest.ld
	$$(XCC) $$(XLDFLAGS) -T guests/lib/guest.ld -o $$@ $$(filter %.o,$$^) $$(LIBGCC)
endef
$(foreach g,$(GUESTS),$(eval $(call guest_rule,$(g))))
