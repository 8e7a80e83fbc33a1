build/firmware/psci.o: firmware/psci.c lib/include/lull/arch.h \
 lib/include/lull/gic_regs.h firmware/fw.h lib/include/lull/psci.h \
 lib/include/lull/spinlock.h firmware/platform.h
lib/include/lull/arch.h:
lib/include/lull/gic_regs.h:
firmware/fw.h:
lib/include/lull/psci.h:
lib/include/lull/spinlock.h:
firmware/platform.h:
