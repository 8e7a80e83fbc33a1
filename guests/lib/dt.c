/* A minimal flattened device tree reader (the format of the Devicetree
 * Specification, chapter 5): properties of the root and of the top-level
 * nodes, enough for a bare-metal guest to learn its RAM, its devices and
 * its bootargs. Byte reads only: the MMU is off, memory is Device. */
#include <string.h>
#include "guest.h"

#define FDT_MAGIC      0xd00dfeedU
#define FDT_BEGIN_NODE 1
#define FDT_END_NODE   2
#define FDT_PROP       3
#define FDT_NOP        4
#define FDT_END        9

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static bool name_is(const char *name, const char *want)
{
	size_t n = strlen(want);

	return !strncmp(name, want, n) && (name[n] == '\0' || name[n] == '@');
}

const void *guest_dt_prop(const void *dtb, const char *node, const char *prop, unsigned *len)
{
	const uint8_t *fdt = dtb, *p, *end;
	const char *strings;
	int depth = 0, in_node = 0;     /* depth of the node we are in, 0: none */

	if (!fdt || be32(fdt) != FDT_MAGIC)
		return NULL;
	p = fdt + be32(fdt + 8);
	end = p + be32(fdt + 36);
	strings = (const char *)fdt + be32(fdt + 12);
	while (p < end) {
		uint32_t tok = be32(p);
		p += 4;
		switch (tok) {
		case FDT_BEGIN_NODE: {
			const char *name = (const char *)p;
			p += (strlen(name) + 4) & ~3UL;
			depth++;
			if (!in_node && ((depth == 1 && !*node) || (depth == 2 && *node &&
								     name_is(name, node)))) {
				if (!prop)
					return name;
				in_node = depth;
			}
			break;
		}
		case FDT_END_NODE:
			if (depth == in_node)
				return NULL;
			depth--;
			break;
		case FDT_PROP: {
			uint32_t plen = be32(p), nameoff = be32(p + 4);
			p += 8;
			if (in_node && depth == in_node && !strcmp(strings + nameoff, prop)) {
				if (len)
					*len = plen;
				return p;
			}
			p += (plen + 3) & ~3U;
			break;
		}
		case FDT_NOP:
			break;
		default:
			return NULL;
		}
	}
	return NULL;
}

bool guest_dt_has_node(const void *dtb, const char *node)
{
	return guest_dt_prop(dtb, node, NULL, NULL) != NULL;
}

static uint64_t cells(const uint8_t *p, unsigned n)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < n; i++)
		v = v << 32 | be32(p + 4 * i);
	return v;
}

bool guest_dt_memory(const void *dtb, uint64_t *base, uint64_t *size)
{
	const uint8_t *ac = guest_dt_prop(dtb, "", "#address-cells", NULL);
	const uint8_t *sc = guest_dt_prop(dtb, "", "#size-cells", NULL);
	unsigned na = ac ? be32(ac) : 2, ns = sc ? be32(sc) : 1, len;
	const uint8_t *reg = guest_dt_prop(dtb, "memory", "reg", &len);

	if (!reg || na > 2 || ns > 2 || len < 4 * (na + ns))
		return false;
	*base = cells(reg, na);
	*size = cells(reg + 4 * na, ns);
	return true;
}

/* Find "key=" at the start of a word of /chosen/bootargs. */
static const char *bootarg(const void *dtb, const char *key)
{
	unsigned len;
	const char *args = guest_dt_prop(dtb, "chosen", "bootargs", &len);
	size_t n = strlen(key);

	for (const char *w = args; w && w < args + len && *w; ) {
		while (*w == ' ')
			w++;
		if (!strncmp(w, key, n) && w[n] == '=')
			return w + n + 1;
		while (*w && *w != ' ')
			w++;
	}
	return NULL;
}

bool guest_dt_bootarg_str(const void *dtb, const char *key, char *out, unsigned size)
{
	const char *v = bootarg(dtb, key);
	unsigned i = 0;

	if (!v || !size)
		return false;
	while (v[i] && v[i] != ' ' && i + 1 < size) {
		out[i] = v[i];
		i++;
	}
	out[i] = '\0';
	return true;
}

uint64_t guest_dt_bootarg(const void *dtb, const char *key, uint64_t def)
{
	const char *v = bootarg(dtb, key);
	uint64_t x = 0;
	unsigned base = 10;

	if (!v)
		return def;
	if (v[0] == '0' && (v[1] == 'x' || v[1] == 'X')) {
		base = 16;
		v += 2;
	}
	for (; *v && *v != ' '; v++) {
		unsigned d;
		if (*v >= '0' && *v <= '9')
			d = (unsigned)(*v - '0');
		else if (base == 16 && (*v | 0x20) >= 'a' && (*v | 0x20) <= 'f')
			d = (unsigned)((*v | 0x20) - 'a' + 10);
		else
			return def;
		x = x * base + d;
	}
	return x;
}
