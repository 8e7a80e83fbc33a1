build/firmware/power.o: firmware/power.c lib/include/lull/arch.h \
 firmware/fw.h lib/include/lull/psci.h lib/include/lull/spinlock.h \
 firmware/platform.h
lib/include/lull/arch.h:
firmware/fw.h:
lib/include/lull/psci.h:
lib/include/lull/spinlock.h:
firmware/platform.h:
