build/firmware/gic.o: firmware/gic.c lib/include/lull/arch.h \
 lib/include/lull/gic_regs.h lib/include/lull/mmio.h lib/include/string.h \
 firmware/fw.h lib/include/lull/psci.h lib/include/lull/spinlock.h \
 firmware/platform.h
lib/include/lull/arch.h:
lib/include/lull/gic_regs.h:
lib/include/lull/mmio.h:
lib/include/string.h:
firmware/fw.h:
lib/include/lull/psci.h:
lib/include/lull/spinlock.h:
firmware/platform.h:
