#include <lull/format.h>
#include <stdint.h>
#include <string.h>

struct spec {
	int left, zero, width, longs, precision;   /* precision < 0: none */
};

static int emit(format_sink sink, void *ctx, char c)
{
	sink(c, ctx);
	return 1;
}

static int emit_padded(format_sink sink, void *ctx, const char *s, int len,
		       const struct spec *sp, int allow_zero)
{
	int n = 0, pad = sp->width > len ? sp->width - len : 0;
	char padc = (sp->zero && allow_zero && !sp->left) ? '0' : ' ';

	if (padc == '0' && len && *s == '-') {
		n += emit(sink, ctx, *s++);
		len--;
	}
	if (!sp->left)
		while (pad--)
			n += emit(sink, ctx, padc);
	while (len--)
		n += emit(sink, ctx, *s++);
	if (sp->left)
		while (pad-- > 0)
			n += emit(sink, ctx, ' ');
	return n;
}

static int number(char *buf, uint64_t v, unsigned base, int upper, int negative)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int n = 0, len = 0;

	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v);
	if (negative)
		buf[len++] = '-';
	while (n)
		buf[len++] = tmp[--n];
	return len;
}

int format_v(format_sink sink, void *ctx, const char *fmt, va_list ap)
{
	int total = 0;

	for (; *fmt; fmt++) {
		struct spec sp = { 0, 0, 0, 0, -1 };
		char buf[32];
		uint64_t u;
		int64_t s;
		int len;

		if (*fmt != '%') {
			total += emit(sink, ctx, *fmt);
			continue;
		}
		fmt++;
		for (;; fmt++) {
			if (*fmt == '-')
				sp.left = 1;
			else if (*fmt == '0')
				sp.zero = 1;
			else
				break;
		}
		while (*fmt >= '0' && *fmt <= '9')
			sp.width = sp.width * 10 + (*fmt++ - '0');
		if (*fmt == '.') {
			fmt++;
			sp.precision = 0;
			if (*fmt == '*') {
				sp.precision = va_arg(ap, int);
				fmt++;
			}
			while (*fmt >= '0' && *fmt <= '9')
				sp.precision = sp.precision * 10 + (*fmt++ - '0');
		}
		while (*fmt == 'l' || *fmt == 'z') {
			sp.longs++;
			fmt++;
		}
		switch (*fmt) {
		case 'd':
		case 'i':
			s = sp.longs ? va_arg(ap, int64_t) : va_arg(ap, int);
			len = number(buf, s < 0 ? -(uint64_t)s : (uint64_t)s, 10, 0, s < 0);
			total += emit_padded(sink, ctx, buf, len, &sp, 1);
			break;
		case 'u':
		case 'x':
		case 'X':
			u = sp.longs ? va_arg(ap, uint64_t) : va_arg(ap, unsigned int);
			len = number(buf, u, *fmt == 'u' ? 10 : 16, *fmt == 'X', 0);
			total += emit_padded(sink, ctx, buf, len, &sp, 1);
			break;
		case 'p':
			u = (uintptr_t)va_arg(ap, void *);
			buf[0] = '0';
			buf[1] = 'x';
			len = 2 + number(buf + 2, u, 16, 0, 0);
			total += emit_padded(sink, ctx, buf, len, &sp, 0);
			break;
		case 's': {
			const char *str = va_arg(ap, const char *);
			int len_s;
			if (!str)
				str = "(null)";
			len_s = sp.precision >= 0 ? (int)strnlen(str, (size_t)sp.precision)
						  : (int)strlen(str);
			total += emit_padded(sink, ctx, str, len_s, &sp, 0);
			break;
		}
		case 'c':
			buf[0] = (char)va_arg(ap, int);
			total += emit_padded(sink, ctx, buf, 1, &sp, 0);
			break;
		case '%':
			total += emit(sink, ctx, '%');
			break;
		case '\0':
			return total;
		default:
			total += emit(sink, ctx, '%');
			total += emit(sink, ctx, *fmt);
			break;
		}
	}
	return total;
}

struct buf_sink {
	char *buf;
	size_t size, used;
};

static void buf_put(char c, void *ctx)
{
	struct buf_sink *b = ctx;
	if (b->used + 1 < b->size)
		b->buf[b->used] = c;
	b->used++;
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct buf_sink b = { buf, size, 0 };
	int n = format_v(buf_put, &b, fmt, ap);
	if (size)
		buf[b.used < size ? b.used : size - 1] = '\0';
	return n;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;
	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
