build/firmware/dt.o: firmware/dt.c build/fdt-include/libfdt.h \
 build/fdt-include/libfdt_env.h lib/include/stdlib.h lib/include/string.h \
 lib/include/limits.h build/fdt-include/fdt.h lib/include/lull/arch.h \
 lib/include/lull/gic_regs.h lib/include/lull/mmio.h firmware/fw.h \
 lib/include/lull/psci.h lib/include/lull/spinlock.h firmware/platform.h
build/fdt-include/libfdt.h:
build/fdt-include/libfdt_env.h:
lib/include/stdlib.h:
lib/include/string.h:
lib/include/limits.h:
build/fdt-include/fdt.h:
lib/include/lull/arch.h:
lib/include/lull/gic_regs.h:
lib/include/lull/mmio.h:
firmware/fw.h:
lib/include/lull/psci.h:
lib/include/lull/spinlock.h:
firmware/platform.h:
