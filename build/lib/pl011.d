build/lib/pl011.o: lib/pl011.c lib/include/lull/pl011.h \
 lib/include/lull/mmio.h
lib/include/lull/pl011.h:
lib/include/lull/mmio.h:
