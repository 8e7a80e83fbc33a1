build/lib/format.o: lib/format.c lib/include/lull/format.h \
 lib/include/string.h
lib/include/lull/format.h:
lib/include/string.h:
