/* printf-style formatting shared by every freestanding image. */
#ifndef LULL_FORMAT_H
#define LULL_FORMAT_H
#include <stdarg.h>
#include <stddef.h>

typedef void (*format_sink)(char c, void *ctx);

/* Supports %d %i %u %x %X %p %s %c %% with flags '-' '0', a width, a
 * precision for %s (.N or .*) and the length modifiers l, ll, z. Returns the number of characters produced. */
int format_v(format_sink sink, void *ctx, const char *fmt, va_list ap);
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
#endif
