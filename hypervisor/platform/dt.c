/* Boot-time device-tree parsing (libfdt from Debian's libfdt-dev). Runs
 * once on the boot CPU, before any guest exists: libfdt uses FP/SIMD
 * registers, which hold nothing of anyone's here. */
#include <libfdt.h>
#include "gic.h"
#include "hyp.h"
#include "percpu.h"
#include "platform.h"

struct platform plat;

static uint64_t cells(const fdt32_t *p, int n)
{
	uint64_t v = 0;
	while (n--)
		v = (v << 32) | fdt32_to_cpu(*p++);
	return v;
}

static const fdt32_t *reg_of(const void *fdt, int node, const char *what, int *len)
{
	const fdt32_t *reg = fdt_getprop(fdt, node, "reg", len);
	if (!reg)
		panic("dt: %s node '%s' has no 'reg'", what, fdt_get_name(fdt, node, NULL));
	return reg;
}

static bool okay(const void *fdt, int node)
{
	const char *s = fdt_getprop(fdt, node, "status", NULL);
	return !s || !strcmp(s, "okay") || !strcmp(s, "ok");
}

static void __boot probe_cpus(const void *fdt)
{
	int cpus = fdt_path_offset(fdt, "/cpus"), node, ac;
	const fdt32_t *p;

	if (cpus < 0)
		panic("dt: no /cpus node");
	p = fdt_getprop(fdt, cpus, "#address-cells", NULL);
	ac = p ? (int)fdt32_to_cpu(*p) : 1;
	fdt_for_each_subnode(node, fdt, cpus) {
		const char *type = fdt_getprop(fdt, node, "device_type", NULL);
		const char *method;
		int len;

		if (!type || strcmp(type, "cpu") || !okay(fdt, node))
			continue;
		method = fdt_getprop(fdt, node, "enable-method", NULL);
		if (!method || strcmp(method, "psci"))
			panic("dt: /cpus/%s: 'enable-method' must be \"psci\"", fdt_get_name(fdt, node, NULL));
		if (nr_cpus == MAX_CPUS) {
			printk("dt: more than %u CPUs; ignoring /cpus/%s", MAX_CPUS,
			       fdt_get_name(fdt, node, NULL));
			continue;
		}
		percpus[nr_cpus].id = nr_cpus;
		percpus[nr_cpus].mpidr = cells(reg_of(fdt, node, "cpu", &len), ac);
		percpus[nr_cpus].state = CPU_OFF;
		nr_cpus++;
	}
	if (!nr_cpus)
		panic("dt: no usable CPU under /cpus");
}

static void __boot probe_psci(const void *fdt)
{
	int node = fdt_node_offset_by_compatible(fdt, -1, "arm,psci-0.2");
	const char *method = node >= 0 ? fdt_getprop(fdt, node, "method", NULL) : NULL;

	if (node < 0)
		panic("dt: no PSCI node (compatible \"arm,psci-0.2\")");
	if (!method || strcmp(method, "smc"))
		panic("dt: /psci: 'method' must be \"smc\" for a hypervisor at EL2");
}

static void __boot probe_gic(const void *fdt)
{
	int node = fdt_node_offset_by_compatible(fdt, -1, "arm,gic-v3"), len;
	const fdt32_t *reg;

	gic.version = 3;
	if (node < 0) {
		node = fdt_node_offset_by_compatible(fdt, -1, "arm,cortex-a15-gic");
		if (node < 0)
			node = fdt_node_offset_by_compatible(fdt, -1, "arm,gic-400");
		gic.version = 2;
	}
	if (node < 0)
		panic("dt: no GIC (compatible \"arm,gic-v3\", \"arm,cortex-a15-gic\" or \"arm,gic-400\")");
	reg = reg_of(fdt, node, "GIC", &len);
	if (len < 32)
		panic("dt: GIC 'reg' too short");
	gic.gicd = cells(reg, 2);
	if (gic.version == 3) {
		gic.gicr = cells(reg + 4, 2);
		gic_ops = &gicv3_ops;
	} else {
		gic.gicc = cells(reg + 4, 2);
		if (len >= 64) {
			gic.gich = cells(reg + 8, 2);
			gic.gicv = cells(reg + 12, 2);
		}
		gic_ops = &gicv2_ops;
	}
}

static void __boot probe_uart(const void *fdt)
{
	int node = -1, len;
	const char *path = NULL;
	const fdt32_t *irq;
	int chosen = fdt_path_offset(fdt, "/chosen");

	if (chosen >= 0)
		path = fdt_getprop(fdt, chosen, "stdout-path", NULL);
	if (path) {
		char buf[64];
		const char *colon = strchr(path, ':');
		size_t n = colon ? (size_t)(colon - path) : strlen(path);
		if (n < sizeof(buf)) {
			memcpy(buf, path, n);
			buf[n] = '\0';
			node = fdt_path_offset(fdt, buf);
		}
	}
	for (int n = fdt_node_offset_by_compatible(fdt, -1, "arm,pl011"); node < 0 && n >= 0;
	     n = fdt_node_offset_by_compatible(fdt, n, "arm,pl011"))
		if (okay(fdt, n))
			node = n;
	if (node < 0)
		return;   /* no console: panic() would have nowhere to print */
	plat.uart = cells(reg_of(fdt, node, "uart", &len), 2);
	irq = fdt_getprop(fdt, node, "interrupts", &len);
	if (irq && len >= 12)
		plat.uart_irq = fdt32_to_cpu(irq[1]) + (fdt32_to_cpu(irq[0]) == 0 ? 32 : 16);
}

static void __boot probe_memory(const void *fdt)
{
	int node;

	fdt_for_each_subnode(node, fdt, 0) {
		const char *type = fdt_getprop(fdt, node, "device_type", NULL);
		const fdt32_t *reg;
		int len;

		if (!type || strcmp(type, "memory") || !okay(fdt, node))
			continue;
		reg = reg_of(fdt, node, "memory", &len);
		for (int i = 0; i + 16 <= len && plat.nram < 4; i += 16, plat.nram++) {
			plat.ram[plat.nram].base = cells(reg + i / 4, 2);
			plat.ram[plat.nram].size = cells(reg + i / 4 + 2, 2);
		}
	}
	if (!plat.nram)
		panic("dt: no memory node");
}

void __boot platform_probe(const void *fdt)
{
	if (fdt_check_header(fdt))
		panic("dt: no valid device tree at %p", fdt);
	plat.fdt = fdt;
	probe_uart(fdt);
	probe_cpus(fdt);
	probe_psci(fdt);
	probe_gic(fdt);
	probe_memory(fdt);
}
