build/firmware/entry.o: firmware/entry.S firmware/platform.h
firmware/platform.h:
