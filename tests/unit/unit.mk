# Host unit tests (cmocka) for the pure-logic C files in lib/.
#
# Include from the top-level Makefile (make runs from the repo root):
#     include tests/unit/unit.mk
# then `make unit-test` builds every test into $(UNIT_DIR) and runs them all,
# failing if any test fails. The fragment defines no `all`/`test` target and
# leaves the including Makefile's default goal untouched.
#
# The lib/ sources are written for freestanding images: lib/include/ holds
# replacement string.h/stdlib.h, and lib/ defines memcpy, strlen, snprintf,
# ... itself. On the host we therefore
#   - never put lib/include on the include path; $(UNIT_INC) only holds a
#     symlink `lull -> lib/include/lull`, so <lull/...> resolves while
#     <string.h> etc. stay glibc's;
#   - rename, with -D, every libc symbol a lib/ file defines (to lull_<name>),
#     in both the lib/ file and its test, so nothing clashes with (or
#     interposes on) glibc, whose symbols libcmocka itself uses.

UNIT_CC      ?= gcc
UNIT_CFLAGS  ?= -std=c11 -Wall -Wextra -Werror -O1 -g
UNIT_LDLIBS  ?= -lcmocka
# Under the top-level $(BUILD) when there is one (so `make clean` covers it).
UNIT_DIR     := $(or $(BUILD),build)/unit
UNIT_INC     := $(UNIT_DIR)/inc
UNIT_OBJDIR  := $(UNIT_DIR)/obj
UNIT_SRCDIR  := tests/unit

UNIT_TESTS   := test_psci_lib test_format test_string test_cpu_caps \
		test_partition test_cpu_features test_insn_decode
UNIT_BINS    := $(addprefix $(UNIT_DIR)/,$(UNIT_TESTS))

# lib/ sources linked into each test.
UNIT_LIB_test_psci_lib := lib/psci_lib.c
UNIT_LIB_test_format   := lib/format.c
UNIT_LIB_test_string   := lib/string.c
UNIT_LIB_test_cpu_caps := hypervisor/arch/aarch64/cpu_caps.c
UNIT_LIB_test_partition := hypervisor/core/partition.c
UNIT_LIB_test_cpu_features := hypervisor/core/cpu_features.c
UNIT_LIB_test_insn_decode := hypervisor/arch/aarch64/insn_decode.c

unit_srcs = $(UNIT_SRCDIR)/$(1).c $(UNIT_LIB_$(1))
unit_objs = $(patsubst %.c,$(UNIT_OBJDIR)/%.o,$(call unit_srcs,$(1)))
UNIT_OBJS := $(foreach t,$(UNIT_TESTS),$(call unit_objs,$(t)))

# Symbols defined by lib/format.c and lib/string.c that glibc also defines.
UNIT_FORMAT_SYMS := snprintf vsnprintf
UNIT_STRING_SYMS := memcpy memmove memset memcmp memchr strlen strnlen \
		    strcmp strncmp strchr strrchr strtoul \
		    __stack_chk_guard __stack_chk_fail
unit_renames = $(foreach s,$(1),-D$(s)=lull_$(s))

UNIT_CPPFLAGS := -I$(UNIT_INC) -MMD -MP

# Per-object extra flags (target-specific, so they apply to these objects
# only). -fno-builtin and no loop-to-libcall rewriting keep lib/string.c's
# own loops under test rather than calls into glibc. lib/format.c calls
# strnlen, which -std=c11 glibc only declares with _DEFAULT_SOURCE.
$(UNIT_OBJDIR)/lib/format.o $(UNIT_OBJDIR)/$(UNIT_SRCDIR)/test_format.o: \
	UNIT_EXTRA := $(call unit_renames,$(UNIT_FORMAT_SYMS)) -D_DEFAULT_SOURCE \
		      -fno-builtin
$(UNIT_OBJDIR)/lib/string.o $(UNIT_OBJDIR)/$(UNIT_SRCDIR)/test_string.o: \
	UNIT_EXTRA := $(call unit_renames,$(UNIT_STRING_SYMS)) -D_DEFAULT_SOURCE \
		      -fno-builtin -fno-tree-loop-distribute-patterns

# Hypervisor pure logic: its own headers; snprintf is glibc's here.
$(UNIT_OBJDIR)/hypervisor/arch/aarch64/cpu_caps.o $(UNIT_OBJDIR)/$(UNIT_SRCDIR)/test_cpu_caps.o: \
	UNIT_EXTRA := -Ihypervisor/include
$(UNIT_OBJDIR)/hypervisor/core/partition.o $(UNIT_OBJDIR)/$(UNIT_SRCDIR)/test_partition.o: \
	UNIT_EXTRA := -Ihypervisor/include
$(UNIT_OBJDIR)/hypervisor/core/cpu_features.o $(UNIT_OBJDIR)/$(UNIT_SRCDIR)/test_cpu_features.o: \
	UNIT_EXTRA := -Ihypervisor/include -D_DEFAULT_SOURCE
$(UNIT_OBJDIR)/hypervisor/arch/aarch64/insn_decode.o $(UNIT_OBJDIR)/$(UNIT_SRCDIR)/test_insn_decode.o: \
	UNIT_EXTRA := -Ihypervisor/include

# Remember the including Makefile's default goal; restored at the end.
unit_saved_default_goal := $(.DEFAULT_GOAL)

.PHONY: unit-test unit-build unit-clean

unit-test: $(UNIT_BINS)
	@fail=0; for t in $(UNIT_BINS); do \
		echo "== $$t"; \
		$$t || { echo "** $$t FAILED"; fail=1; }; \
	done; \
	if [ $$fail -ne 0 ]; then echo "unit-test: FAILED"; exit 1; fi; \
	echo "unit-test: all $(words $(UNIT_BINS)) test programs passed"

unit-build: $(UNIT_BINS)

unit-clean:
	rm -rf $(UNIT_DIR)

define unit_link_rule
$(UNIT_DIR)/$(1): $(call unit_objs,$(1))
	$$(UNIT_CC) $$(UNIT_CFLAGS) -o $$@ $$^ $$(UNIT_LDLIBS)
endef
$(foreach t,$(UNIT_TESTS),$(eval $(call unit_link_rule,$(t))))

$(UNIT_OBJDIR)/%.o: %.c | $(UNIT_INC)/lull
	@mkdir -p $(@D)
	$(UNIT_CC) $(UNIT_CFLAGS) $(UNIT_CPPFLAGS) $(UNIT_EXTRA) -c -o $@ $<

# build/unit/inc/lull -> ../../../lib/include/lull (one `../` per component
# of a relative $(UNIT_INC), so the tree stays relocatable; absolute link
# if $(UNIT_INC) is absolute).
unit_empty :=
unit_space := $(unit_empty) $(unit_empty)
unit_updir := $(subst $(unit_space),,$(foreach d,$(subst /, ,$(UNIT_INC)),../))
unit_lull_link := $(if $(filter /%,$(UNIT_INC)),$(CURDIR)/,$(unit_updir))lib/include/lull

$(UNIT_INC)/lull:
	@mkdir -p $(UNIT_INC)
	ln -sfn $(unit_lull_link) $@

-include $(UNIT_OBJS:.o=.d)

.DEFAULT_GOAL := $(unit_saved_default_goal)
