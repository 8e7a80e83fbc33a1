build/lib/psci_lib.o: lib/psci_lib.c lib/include/lull/psci.h
lib/include/lull/psci.h:
