build/lib/string.o: lib/string.c lib/include/string.h \
 lib/include/stdlib.h
lib/include/string.h:
lib/include/stdlib.h:
