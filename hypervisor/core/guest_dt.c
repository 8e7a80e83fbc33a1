/* The device tree a domain boots with, written from scratch with libfdt's
 * sequential writer. Runs at boot only (libfdt uses FP/SIMD registers).
 * The interrupt controller node is the host's GIC version (vdev/vgic*.c). */
#include <lull/ctl_abi.h>
#include <libfdt.h>
#include <lull/format.h>
#include "domain.h"
#include "gic.h"
#include "vgic.h"
#include "guest_dt.h"
#include "vctl.h"
#include "hyp.h"
#include <lull/psci.h>

#define CHECK(x) do { if ((x) < 0) return -1; } while (0)

static int prop_u64_pair(void *fdt, const char *name, uint64_t a, uint64_t b)
{
	fdt64_t v[2] = { cpu_to_fdt64(a), cpu_to_fdt64(b) };
	return fdt_property(fdt, name, v, sizeof(v));
}

/* The CPU_SUSPEND states Lull implements (pm/vpsci.c), as PSCI idle
 * states (Linux bindings cpu/idle-states.yaml and arm/psci.yaml), so that
 * a guest's cpuidle (Linux's cpuidle-psci) uses them. Latencies from the
 * measured costs (docs/benchmarks.md, 1 instruction ~ 1 ns): entering is
 * an HVC (~240); waking from standby ~1700 to the call's return, from
 * power-down ~1900 to the entry point. The power-down's residency also
 * pays for the context the guest saves and restores itself. Neither
 * state stops the virtual timer (no local-timer-stop: it keeps running
 * and wakes the vCPU, the timer node says always-on). */
#define IDLE_STANDBY_PHANDLE   3
#define IDLE_POWERDOWN_PHANDLE 4

static const struct idle_state {
	const char *name;
	uint32_t phandle, param, entry_us, exit_us, residency_us;
} idle_states[] = {
	{ "cpu-standby", IDLE_STANDBY_PHANDLE, PSCI_STATE_CORE_STANDBY, 1, 2, 10 },
	{ "cpu-power-down", IDLE_POWERDOWN_PHANDLE, PSCI_STATE_CORE_POWERDOWN, 1, 3, 100 },
};

static int write_idle_states(void *fdt)
{
	CHECK(fdt_begin_node(fdt, "idle-states"));
	CHECK(fdt_property_string(fdt, "entry-method", "psci"));
	for (unsigned i = 0; i < sizeof(idle_states) / sizeof(idle_states[0]); i++) {
		const struct idle_state *s = &idle_states[i];

		CHECK(fdt_begin_node(fdt, s->name));
		CHECK(fdt_property_string(fdt, "compatible", "arm,idle-state"));
		CHECK(fdt_property_u32(fdt, "arm,psci-suspend-param", s->param));
		CHECK(fdt_property_u32(fdt, "entry-latency-us", s->entry_us));
		CHECK(fdt_property_u32(fdt, "exit-latency-us", s->exit_us));
		CHECK(fdt_property_u32(fdt, "min-residency-us", s->residency_us));
		CHECK(fdt_property_u32(fdt, "phandle", s->phandle));
		CHECK(fdt_end_node(fdt));
	}
	return fdt_end_node(fdt);
}

static int write_cpus(void *fdt, const struct domain *d)
{
	fdt32_t idle[sizeof(idle_states) / sizeof(idle_states[0])];

	for (unsigned i = 0; i < sizeof(idle) / sizeof(idle[0]); i++)
		idle[i] = cpu_to_fdt32(idle_states[i].phandle);
	CHECK(fdt_begin_node(fdt, "cpus"));
	CHECK(fdt_property_u32(fdt, "#address-cells", 1));
	CHECK(fdt_property_u32(fdt, "#size-cells", 0));
	for (unsigned i = 0; i < d->cfg.nvcpus; i++) {
		char name[16];
		snprintf(name, sizeof(name), "cpu@%x", (unsigned)d->vcpu[i].vmpidr);
		CHECK(fdt_begin_node(fdt, name));
		CHECK(fdt_property_string(fdt, "device_type", "cpu"));
		CHECK(fdt_property_string(fdt, "compatible", "arm,armv8"));
		CHECK(fdt_property_u32(fdt, "reg", (uint32_t)d->vcpu[i].vmpidr));
		CHECK(fdt_property_string(fdt, "enable-method", "psci"));
		CHECK(fdt_property(fdt, "cpu-idle-states", idle, sizeof(idle)));
		CHECK(fdt_end_node(fdt));
	}
	CHECK(write_idle_states(fdt));
	return fdt_end_node(fdt);
}

static int write_psci(void *fdt)
{
	static const char compat[] = "arm,psci-1.0\0arm,psci-0.2";

	CHECK(fdt_begin_node(fdt, "psci"));
	CHECK(fdt_property(fdt, "compatible", compat, sizeof(compat)));
	CHECK(fdt_property_string(fdt, "method", "hvc"));
	return fdt_end_node(fdt);
}

#define GIC_PHANDLE 2

/* The guest's GIC is the host's version: GICv3 with its redistributors,
 * or GICv2 (bindings arm,gic-v3 and arm,gic: distributor, then the CPU
 * interface, where the GICV frame is mapped). */
static int write_gic(void *fdt, const struct domain *d)
{
	fdt64_t reg[4] = { cpu_to_fdt64(GUEST_GICD), cpu_to_fdt64(0x10000),
			   cpu_to_fdt64(GUEST_GICR), cpu_to_fdt64((uint64_t)d->cfg.nvcpus * 0x20000) };
	char name[32];

	if (gic.version == 2) {
		reg[1] = cpu_to_fdt64(0x1000);
		reg[2] = cpu_to_fdt64(GUEST_GICC);
		reg[3] = cpu_to_fdt64(0x2000);
	}
	snprintf(name, sizeof(name), "interrupt-controller@%lx", GUEST_GICD);
	CHECK(fdt_begin_node(fdt, name));
	CHECK(fdt_property_string(fdt, "compatible",
				  gic.version == 3 ? "arm,gic-v3" : "arm,cortex-a15-gic"));
	CHECK(fdt_property_u32(fdt, "#interrupt-cells", 3));
	CHECK(fdt_property(fdt, "interrupt-controller", NULL, 0));
	CHECK(fdt_property(fdt, "reg", reg, sizeof(reg)));
	if (gic.version == 3)
		CHECK(fdt_property_u32(fdt, "#redistributor-regions", 1));
	CHECK(fdt_property_u32(fdt, "phandle", GIC_PHANDLE));
	return fdt_end_node(fdt);
}

/* PPIs (type 1): secure physical 13, physical 14, virtual 11, hypervisor
 * 10; level-high. A guest uses the virtual one. With GICv2 the flags cell
 * also names the CPU interfaces that have the PPI, [15:8]. */
static int write_timer(void *fdt, const struct domain *d)
{
	static const uint32_t ppis[4] = { 13, 14, 11, 10 };
	uint32_t flags = 4 | (gic.version == 2 ? ((1U << d->cfg.nvcpus) - 1) << 8 : 0);
	fdt32_t irqs[12];

	for (unsigned i = 0; i < 4; i++) {
		irqs[3 * i] = cpu_to_fdt32(1);
		irqs[3 * i + 1] = cpu_to_fdt32(ppis[i]);
		irqs[3 * i + 2] = cpu_to_fdt32(flags);
	}
	CHECK(fdt_begin_node(fdt, "timer"));
	CHECK(fdt_property_string(fdt, "compatible", "arm,armv8-timer"));
	CHECK(fdt_property(fdt, "interrupts", irqs, sizeof(irqs)));
	CHECK(fdt_property(fdt, "always-on", NULL, 0));
	return fdt_end_node(fdt);
}

static int write_uart(void *fdt)
{
	static const char compat[] = "arm,pl011\0arm,primecell";
	static const char clocks[] = "uartclk\0apb_pclk";
	char name[32];

	snprintf(name, sizeof(name), "pl011@%lx", GUEST_UART);
	CHECK(fdt_begin_node(fdt, name));
	CHECK(fdt_property(fdt, "compatible", compat, sizeof(compat)));
	CHECK(prop_u64_pair(fdt, "reg", GUEST_UART, PAGE_SIZE));
	CHECK(fdt_property(fdt, "clock-names", clocks, sizeof(clocks)));
	{
		fdt32_t irq[3] = { cpu_to_fdt32(0), cpu_to_fdt32(1), cpu_to_fdt32(4) };
		CHECK(fdt_property(fdt, "interrupts", irq, sizeof(irq)));   /* SPI 1 = INTID 33 */
	}
	{
		fdt32_t c[2] = { cpu_to_fdt32(1), cpu_to_fdt32(1) };
		CHECK(fdt_property(fdt, "clocks", c, sizeof(c)));
	}
	CHECK(fdt_end_node(fdt));
	CHECK(fdt_begin_node(fdt, "apb-pclk"));
	CHECK(fdt_property_string(fdt, "compatible", "fixed-clock"));
	CHECK(fdt_property_u32(fdt, "#clock-cells", 0));
	CHECK(fdt_property_u32(fdt, "clock-frequency", 24000000));
	CHECK(fdt_property_u32(fdt, "phandle", 1));
	return fdt_end_node(fdt);
}

/* The virtual SBSA Generic Watchdog (vdev/vwdt.c), binding
 * arm,sbsa-gwdt: reg = the control frame, then the refresh frame;
 * interrupts = WS0, level-high. */
static int write_watchdog(void *fdt)
{
	fdt64_t reg[4] = { cpu_to_fdt64(GUEST_WDT_CTRL), cpu_to_fdt64(PAGE_SIZE),
			   cpu_to_fdt64(GUEST_WDT_REFRESH), cpu_to_fdt64(PAGE_SIZE) };
	fdt32_t irq[3] = { cpu_to_fdt32(0), cpu_to_fdt32(GUEST_WDT_INTID - 32), cpu_to_fdt32(4) };
	char name[32];

	snprintf(name, sizeof(name), "watchdog@%lx", GUEST_WDT_CTRL);
	CHECK(fdt_begin_node(fdt, name));
	CHECK(fdt_property_string(fdt, "compatible", "arm,sbsa-gwdt"));
	CHECK(fdt_property(fdt, "reg", reg, sizeof(reg)));
	CHECK(fdt_property(fdt, "interrupts", irq, sizeof(irq)));
	return fdt_end_node(fdt);
}

/* The hardware domain's control channel (vdev/vctl.c): a node no Linux
 * driver claims, so a root process can map both regions through
 * /dev/mem (lullctl). */
static int write_control(void *fdt)
{
	fdt64_t reg[4] = { cpu_to_fdt64(LULL_CTL_REGS), cpu_to_fdt64(LULL_CTL_REGS_SIZE),
			   cpu_to_fdt64(LULL_CTL_WINDOW), cpu_to_fdt64(LULL_CTL_WINDOW_SIZE) };
	char name[32];

	snprintf(name, sizeof(name), "lull-control@%lx", LULL_CTL_REGS);
	CHECK(fdt_begin_node(fdt, name));
	CHECK(fdt_property_string(fdt, "compatible", "lull,control-1"));
	CHECK(fdt_property(fdt, "reg", reg, sizeof(reg)));
	return fdt_end_node(fdt);
}

/* A passed-through device: its node as in the host tree, minus what
 * refers to host phandles. */
static int write_device(void *fdt, const void *host, const struct passthrough *p)
{
	int node = fdt_path_offset(host, p->path), prop;
	const char *name = strrchr(p->path, '/');

	if (node < 0)
		return -1;
	CHECK(fdt_begin_node(fdt, name ? name + 1 : p->path));
	fdt_for_each_property_offset(prop, host, node) {
		const char *pname;
		int len;
		const void *val = fdt_getprop_by_offset(host, prop, &pname, &len);
		if (!val || !strcmp(pname, "phandle") || !strcmp(pname, "interrupt-parent"))
			continue;
		if (!strcmp(pname, "clocks")) {
			/* Host clock phandles mean nothing here: every clock is
			 * the domain's fixed APB clock (phandle 1). */
			fdt32_t clk[8];
			int n = len / 4 < 8 ? len / 4 : 8;
			for (int i = 0; i < n; i++)
				clk[i] = cpu_to_fdt32(1);
			CHECK(fdt_property(fdt, pname, clk, n * 4));
			continue;
		}
		CHECK(fdt_property(fdt, pname, val, len));
	}
	return fdt_end_node(fdt);
}

int guest_dt_build(const struct domain *d, const void *host_fdt, void *buf, size_t size,
		   uint64_t initrd_ipa)
{
	const struct domain_config *c = &d->cfg;
	char name[32];

	CHECK(fdt_create(buf, (int)size));
	CHECK(fdt_finish_reservemap(buf));
	CHECK(fdt_begin_node(buf, ""));
	CHECK(fdt_property_u32(buf, "#address-cells", 2));
	CHECK(fdt_property_u32(buf, "#size-cells", 2));
	CHECK(fdt_property_string(buf, "compatible", "linux,dummy-virt"));
	CHECK(fdt_property_string(buf, "model", "Lull domain"));
	if (vgic_present())
		CHECK(fdt_property_u32(buf, "interrupt-parent", GIC_PHANDLE));

	CHECK(fdt_begin_node(buf, "chosen"));
	if (c->bootargs[0])
		CHECK(fdt_property_string(buf, "bootargs", c->bootargs));
	snprintf(name, sizeof(name), "/pl011@%lx", GUEST_UART);
	CHECK(fdt_property_string(buf, "stdout-path", name));
	if (c->initrd.size) {
		CHECK(fdt_property_u64(buf, "linux,initrd-start", initrd_ipa));
		CHECK(fdt_property_u64(buf, "linux,initrd-end", initrd_ipa + c->initrd.size));
	}
	CHECK(fdt_end_node(buf));

	snprintf(name, sizeof(name), "memory@%lx", c->ram_ipa);
	CHECK(fdt_begin_node(buf, name));
	CHECK(fdt_property_string(buf, "device_type", "memory"));
	CHECK(prop_u64_pair(buf, "reg", c->ram_ipa, c->mem_size));
	CHECK(fdt_end_node(buf));

	CHECK(write_cpus(buf, d));
	CHECK(write_psci(buf));
	if (vgic_present()) {
		CHECK(write_gic(buf, d));
		CHECK(write_timer(buf, d));
	}
	CHECK(write_uart(buf));
	CHECK(write_watchdog(buf));
	if (vctl_present(d))
		CHECK(write_control(buf));
	for (unsigned i = 0; i < c->ndev; i++)
		CHECK(write_device(buf, host_fdt, &c->dev[i]));
	CHECK(fdt_end_node(buf));
	CHECK(fdt_finish(buf));
	return (int)fdt_totalsize(buf);
}
