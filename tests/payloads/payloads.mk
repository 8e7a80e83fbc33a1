# Bare-metal EL2 payloads that run in place of the hypervisor (test the
# rig firmware directly).
PAYLOADS := psci_conformance
PAYLOAD_BINS := $(foreach p,$(PAYLOADS),$(BUILD)/tests/payloads/$(p)/$(p).bin)
CFLAGS_tests := -Itests/payloads

.PHONY: payloads
payloads: $(PAYLOAD_BINS)

define payload_rule
$(BUILD)/tests/payloads/$(1)/$(1).elf: $$(patsubst %,$(BUILD)/%.o,$$(basename $$(wildcard tests/payloads/$(1)/*.[cS]))) $$(LIB_OBJS) tests/payloads/payload.ld
	$$(XCC) $$(XLDFLAGS) -T tests/payloads/payload.ld -o $$@ $$(filter %.o,$$^) $$(LIBGCC)
endef
$(foreach p,$(PAYLOADS),$(eval $(call payload_rule,$(p))))
