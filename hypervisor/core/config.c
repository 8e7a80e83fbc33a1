#include <stdarg.h>
#include <libfdt.h>
#include <lull/ctl_abi.h>
#include <lull/format.h>
#include "config.h"
#include "cpu_features.h"
#include "hyp.h"
#include "percpu.h"
#include "platform.h"
#include <stdlib.h>

#define CONFIG_PATH "/chosen/lull-domains"

static const char *cur_node;

static NORETURN void bad(const char *prop, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void bad(const char *prop, const char *fmt, ...)
{
	char msg[192];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	panic("config: %s: '%s': %s", cur_node, prop, msg);
}

static uint64_t be64(const fdt32_t *p)
{
	return ((uint64_t)fdt32_to_cpu(p[0]) << 32) | fdt32_to_cpu(p[1]);
}

/* A property of exactly `n` 64-bit cells; false if absent. */
static bool get_u64s(const void *fdt, int node, const char *prop, uint64_t *out, int n)
{
	int len;
	const fdt32_t *p = fdt_getprop(fdt, node, prop, &len);

	if (!p)
		return false;
	if (len != n * 8)
		bad(prop, "expected %d 64-bit value%s (<hi lo> cell pairs)", n, n > 1 ? "s" : "");
	for (int i = 0; i < n; i++)
		out[i] = be64(p + 2 * i);
	return true;
}

static void get_string(const void *fdt, int node, const char *prop, char *out, size_t size,
		       bool required)
{
	int len;
	const char *s = fdt_getprop(fdt, node, prop, &len);

	if (!s) {
		if (required)
			bad(prop, "missing");
		out[0] = '\0';
		return;
	}
	if (len < 1 || s[len - 1] || (size_t)len > size)
		bad(prop, "must be a string of at most %zu characters", size - 1);
	memcpy(out, s, (size_t)len);
}

static void parse_image(const void *fdt, int node, const char *prop, struct image *img,
			bool required)
{
	uint64_t v[2];
	struct range r;

	if (!get_u64s(fdt, node, prop, v, 2)) {
		if (required)
			bad(prop, "missing (<address size> of the image in memory)");
		return;
	}
	r = (struct range){ v[0], v[1] };
	img->pa = v[0];
	img->size = v[1];
	if (!img->size)
		bad(prop, "image size is 0: the image is missing");
	for (unsigned i = 0; i < plat.nram; i++)
		if (range_inside(r, plat.ram[i]))
			return;
	bad(prop, "image at 0x%lx+0x%lx is not in RAM", img->pa, img->size);
}

static void parse_cpus(const void *fdt, int node, struct domain_config *c)
{
	int len;
	const fdt32_t *p = fdt_getprop(fdt, node, "lull,cpus", &len);

	if (!p || len < 4 || len % 4)
		bad("lull,cpus", "missing: one physical CPU number per vCPU");
	if (len / 4 > MAX_VCPUS)
		bad("lull,cpus", "at most %u vCPUs", MAX_VCPUS);
	c->nvcpus = (unsigned)len / 4;
	for (unsigned i = 0; i < c->nvcpus; i++) {
		c->vcpu_pcpu[i] = fdt32_to_cpu(p[i]);
		if (c->vcpu_pcpu[i] >= nr_cpus)
			bad("lull,cpus", "vCPU %u: there is no physical CPU %u (have %u)", i,
			    c->vcpu_pcpu[i], nr_cpus);
	}
}

struct reserved_range {
	uint64_t base, size;
	const char *what;
	uint64_t at;                /* the address messages name */
};

/* Guest addresses Lull's own devices take: every domain has the virtual
 * watchdog's two frames (vdev/vwdt.c), the hardware domain the control
 * channel (vdev/vctl.c; reserved in every domain, so that any domain's
 * configuration can become the hardware domain's). A device mapped there
 * would hide them. Returns the range it overlaps, or NULL. */
static const struct reserved_range *overlaps_reserved(uint64_t base, uint64_t size)
{
	static const struct reserved_range reserved[] = {
		{ GUEST_WDT_CTRL, PAGE_SIZE, "the virtual watchdog", GUEST_WDT_CTRL },
		{ GUEST_WDT_REFRESH, PAGE_SIZE, "the virtual watchdog", GUEST_WDT_CTRL },
		{ LULL_CTL_REGS, LULL_CTL_REGS_SIZE, "the control channel", LULL_CTL_REGS },
		{ LULL_CTL_WINDOW, LULL_CTL_WINDOW_SIZE, "the control channel", LULL_CTL_REGS },
	};

	for (unsigned i = 0; i < sizeof(reserved) / sizeof(reserved[0]); i++)
		if (base < reserved[i].base + reserved[i].size && reserved[i].base < base + size)
			return &reserved[i];
	return NULL;
}

static void parse_device(const void *fdt, const char *path, struct passthrough *d)
{
	int dev = fdt_path_offset(fdt, path), len;
	const fdt32_t *reg, *irq;
	const struct reserved_range *what;

	if (dev < 0)
		bad("lull,passthrough", "no device '%s' in the device tree", path);
	snprintf(d->path, sizeof(d->path), "%s", path);
	reg = fdt_getprop(fdt, dev, "reg", &len);
	if (!reg || len % 16 || len / 16 > MAX_DEV_REGIONS)
		bad("lull,passthrough", "'%s' has no usable 'reg' (2 address + 2 size cells)", path);
	d->nreg = (unsigned)len / 16;
	for (unsigned i = 0; i < d->nreg; i++) {
		d->reg[i][0] = be64(reg + 4 * i);
		d->reg[i][1] = be64(reg + 4 * i + 2);
		/* Stage 2 maps whole pages: a smaller device (a virtio-mmio
		 * transport is 0x200 bytes) goes with its whole page, and no
		 * other domain may have a device in that page (check_across). */
		if (!d->reg[i][1] || d->reg[i][0] + d->reg[i][1] < d->reg[i][0])
			bad("lull,passthrough", "'%s' has an empty or wrapping region", path);
		d->reg[i][1] = ALIGN_UP(d->reg[i][0] + d->reg[i][1], PAGE_SIZE) -
			       (d->reg[i][0] & ~(PAGE_SIZE - 1));
		d->reg[i][0] &= ~(PAGE_SIZE - 1);
		if (d->reg[i][0] <= plat.uart && plat.uart < d->reg[i][0] + d->reg[i][1])
			bad("lull,passthrough", "'%s' is the hypervisor's console", path);
		what = overlaps_reserved(d->reg[i][0], d->reg[i][1]);
		if (what)
			bad("lull,passthrough", "'%s' overlaps %s at 0x%lx", path, what->what,
			    what->at);
	}
	/* A bus master reaches memory by physical address: there is no
	 * IOMMU to translate its guest's addresses. */
	d->dma = fdt_getprop(fdt, dev, "dma-coherent", NULL) ||
		 !fdt_node_check_compatible(fdt, dev, "virtio,mmio");
	irq = fdt_getprop(fdt, dev, "interrupts", &len);
	if (irq && (len % 12 || len / 12 > MAX_DEV_IRQS))
		bad("lull,passthrough", "'%s': unsupported 'interrupts' format", path);
	d->nirq = irq ? (unsigned)len / 12 : 0;
	for (unsigned i = 0; i < d->nirq; i++) {
		if (fdt32_to_cpu(irq[3 * i]) != 0)
			bad("lull,passthrough", "'%s': only SPIs can be passed through", path);
		d->irq[i] = fdt32_to_cpu(irq[3 * i + 1]) + 32;
		if (d->irq[i] >= 1020 || d->irq[i] == plat.uart_irq || d->irq[i] == GUEST_WDT_INTID)
			bad("lull,passthrough", "'%s': interrupt %u cannot be given away", path, d->irq[i]);
	}
}

static void parse_passthrough(const void *fdt, int node, struct domain_config *c)
{
	int len;
	const char *p = fdt_getprop(fdt, node, "lull,passthrough", &len);

	c->ndev = 0;
	for (int off = 0; p && off < len; off += (int)strlen(p + off) + 1) {
		if (c->ndev == MAX_PASSTHROUGH)
			bad("lull,passthrough", "at most %u devices", MAX_PASSTHROUGH);
		parse_device(fdt, p + off, &c->dev[c->ndev++]);
	}
}

/* lull,cpu-hide: the features the domain must not see (names of
 * cpu_feature_name(), docs/configuration.md); lull,sve-max-vl: its longest
 * SVE vector length in bits, a power of two from 128 to 2048. */
static void parse_cpu(const void *fdt, int node, struct domain_config *c)
{
	int len;
	const char *p = fdt_getprop(fdt, node, "lull,cpu-hide", &len);
	const fdt32_t *vl;

	for (int off = 0; p && off < len; off += (int)strlen(p + off) + 1) {
		int bit = cpu_feature_bit(p + off);
		if (bit < 0)
			bad("lull,cpu-hide", "unknown feature '%s'", p + off);
		c->cpu_hide |= 1ULL << bit;
	}
	c->sve_max_vq = SVE_VQ_MAX;
	vl = fdt_getprop(fdt, node, "lull,sve-max-vl", &len);
	if (vl) {
		uint32_t bits = len == 4 ? fdt32_to_cpu(vl[0]) : 0;
		if (bits < 128 || bits > 2048 || (bits & (bits - 1)))
			bad("lull,sve-max-vl", "%u is not a power of two from 128 to 2048 (bits)", bits);
		c->sve_max_vq = bits / 128;
	}
}

/* lull,vgic-intids = <n>: the virtual distributor's INTIDs (vgic.h),
 * from 64 (the emulated devices' SPIs: UART 33, watchdog 46) to 1020,
 * covering every passed-through SPI. */
static void parse_vgic_intids(const void *fdt, int node, struct domain_config *c)
{
	int len;
	const fdt32_t *p = fdt_getprop(fdt, node, "lull,vgic-intids", &len);

	if (!p)
		return;
	if (len != 4)
		bad("lull,vgic-intids", "expected one 32-bit value");
	c->vgic_intids = fdt32_to_cpu(p[0]);
	if (c->vgic_intids < 64 || c->vgic_intids > 1020)
		bad("lull,vgic-intids", "%u is not between 64 and 1020", c->vgic_intids);
	for (unsigned i = 0; i < c->ndev; i++)
		for (unsigned k = 0; k < c->dev[i].nirq; k++)
			if (c->dev[i].irq[k] >= c->vgic_intids)
				bad("lull,vgic-intids", "%u does not cover interrupt %u of '%s'",
				    c->vgic_intids, c->dev[i].irq[k], c->dev[i].path);
}

static void parse_domain(const void *fdt, int node, struct domain_config *c)
{
	uint64_t v[1];

	memset(c, 0, sizeof(*c));
	get_string(fdt, node, "lull,name", c->name, sizeof(c->name), true);
	if (!c->name[0])
		bad("lull,name", "must not be empty");
	c->hardware = fdt_getprop(fdt, node, "lull,hardware-domain", NULL) != NULL;
	if (!get_u64s(fdt, node, "lull,memory-size", &c->mem_size, 1))
		bad("lull,memory-size", "missing");
	if (!c->mem_size || c->mem_size % (2UL << 20))
		bad("lull,memory-size", "0x%lx is not a non-zero multiple of 2 MiB", c->mem_size);
	if (c->mem_size > (1UL << 38))
		bad("lull,memory-size", "0x%lx is larger than a guest can address", c->mem_size);
	get_u64s(fdt, node, "lull,memory-base", &c->mem_base, 1);
	c->mem_identity = fdt_getprop(fdt, node, "lull,memory-identity", NULL) != NULL;
	parse_cpus(fdt, node, c);
	parse_image(fdt, node, "lull,kernel", &c->kernel, true);
	parse_image(fdt, node, "lull,initrd", &c->initrd, false);
	if (get_u64s(fdt, node, "lull,kernel-load-address", v, 1)) {
		c->kernel_raw = true;
		c->load_ipa = v[0];
		if (v[0] < GUEST_RAM_BASE || v[0] - GUEST_RAM_BASE + c->kernel.size > c->mem_size ||
		    v[0] & 3)
			bad("lull,kernel-load-address", "0x%lx does not fit the domain's RAM at 0x%lx",
			    v[0], GUEST_RAM_BASE);
	}
	if (c->mem_identity && c->kernel_raw)
		bad("lull,memory-identity", "needs an arm64 Image kernel (a raw binary's "
		    "lull,kernel-load-address is fixed before its RAM is placed)");
	get_string(fdt, node, "lull,bootargs", c->bootargs, sizeof(c->bootargs), false);
	parse_passthrough(fdt, node, c);
	parse_cpu(fdt, node, c);
	parse_vgic_intids(fdt, node, c);
	for (unsigned i = 0; i < c->ndev; i++)
		if (c->dev[i].dma && !c->mem_identity)
			bad("lull,passthrough", "'%s' does DMA: without an IOMMU its domain needs "
			    "lull,memory-identity (guest addresses = physical addresses)",
			    c->dev[i].path);
}

static bool devices_share_a_page(const struct passthrough *a, const struct passthrough *b)
{
	for (unsigned i = 0; i < a->nreg; i++)
		for (unsigned k = 0; k < b->nreg; k++)
			if (a->reg[i][0] < b->reg[k][0] + b->reg[k][1] &&
			    b->reg[k][0] < a->reg[i][0] + a->reg[i][1])
				return true;
	return false;
}

static void check_across(struct domain_config *c, unsigned n)
{
	unsigned hw = 0;

	for (unsigned i = 0; i < n; i++) {
		cur_node = c[i].node;
		hw += c[i].hardware;
		if (hw > 1 && c[i].hardware)
			bad("lull,hardware-domain", "a second hardware domain (one at most)");
		for (unsigned j = 0; j < i; j++) {
			if (!strcmp(c[i].name, c[j].name))
				bad("lull,name", "'%s' is already the name of %s", c[i].name, c[j].node);
			for (unsigned a = 0; a < c[i].ndev; a++)
				for (unsigned b = 0; b < c[j].ndev; b++)
					if (!strcmp(c[i].dev[a].path, c[j].dev[b].path))
						bad("lull,passthrough", "'%s' is already given to %s",
						    c[i].dev[a].path, c[j].node);
					else if (devices_share_a_page(&c[i].dev[a], &c[j].dev[b]))
						bad("lull,passthrough", "'%s' shares a page with '%s' "
						    "of %s (stage 2 maps whole pages)",
						    c[i].dev[a].path, c[j].dev[b].path, c[j].node);
		}
	}
}

static unsigned long unit_address(const void *fdt, int node)
{
	const char *at = strchr(fdt_get_name(fdt, node, NULL), '@');
	return at ? strtoul(at + 1, NULL, 16) : 0;
}

unsigned config_parse(const void *fdt, struct domain_config *out, unsigned max)
{
	static char paths[MAX_DOMAINS][64];
	int root = fdt_path_offset(fdt, CONFIG_PATH), node, nodes[MAX_DOMAINS];
	unsigned n = 0;

	if (root < 0)
		return 0;
	fdt_for_each_subnode(node, fdt, root) {
		if (fdt_node_check_compatible(fdt, node, "lull,domain"))
			continue;
		if (n == max)
			panic("config: " CONFIG_PATH ": more than %u domains", max);
		nodes[n++] = node;
	}
	/* Domain ids follow the unit addresses (domain@0, domain@1, ...),
	 * whatever order the nodes are stored in. */
	for (unsigned i = 1; i < n; i++)
		for (unsigned j = i; j > 0 && unit_address(fdt, nodes[j - 1]) > unit_address(fdt, nodes[j]); j--) {
			int t = nodes[j];
			nodes[j] = nodes[j - 1];
			nodes[j - 1] = t;
		}
	for (unsigned i = 0; i < n; i++) {
		snprintf(paths[i], sizeof(paths[i]), CONFIG_PATH "/%s", fdt_get_name(fdt, nodes[i], NULL));
		cur_node = paths[i];
		parse_domain(fdt, nodes[i], &out[i]);
		snprintf(out[i].node, sizeof(out[i].node), "%s", paths[i]);
	}
	check_across(out, n);
	return n;
}
