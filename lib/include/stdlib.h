/* Minimal freestanding stdlib: only what our code and libfdt use. */
#ifndef LULL_STDLIB_H
#define LULL_STDLIB_H
#include <stddef.h>

unsigned long strtoul(const char *s, char **end, int base);
#endif
