build/firmware/main.o: firmware/main.c lib/include/lull/arch.h \
 lib/include/lull/format.h lib/include/lull/mmio.h \
 lib/include/lull/pl011.h firmware/fw.h lib/include/lull/psci.h \
 lib/include/lull/spinlock.h firmware/platform.h
lib/include/lull/arch.h:
lib/include/lull/format.h:
lib/include/lull/mmio.h:
lib/include/lull/pl011.h:
firmware/fw.h:
lib/include/lull/psci.h:
lib/include/lull/spinlock.h:
firmware/platform.h:
