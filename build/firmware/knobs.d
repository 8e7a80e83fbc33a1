build/firmware/knobs.o: firmware/knobs.c lib/include/lull/arch.h \
 lib/include/lull/mmio.h lib/include/string.h lib/include/stdlib.h \
 firmware/fw.h lib/include/lull/psci.h lib/include/lull/spinlock.h \
 firmware/platform.h
lib/include/lull/arch.h:
lib/include/lull/mmio.h:
lib/include/string.h:
lib/include/stdlib.h:
firmware/fw.h:
lib/include/lull/psci.h:
lib/include/lull/spinlock.h:
firmware/platform.h:
