/* Benchmarks of the paths a guest pays for, in instructions under QEMU
 * -icount shift=0 (one instruction = 1 ns; the 62.5 MHz counter ticks
 * every 16 instructions). Each sample times BATCH operations; the
 * per-operation minimum and median over SAMPLES samples are printed as
 *   bench: <name>: min <n> median <n> instructions
 * Runs the same under Lull (PSCI over HVC to the hypervisor, trapped
 * distributor) and directly on QEMU at EL1 (QEMU's own PSCI, real GIC). */
#include <lull/arch.h>
#include <lull/mmio.h>
#include <lull/gic_regs.h>
#include "gic.h"
#include "guest.h"

#define SAMPLES 64
#define BATCH   8
#define INSNS_PER_TICK 16
#define SGI_PING 2
#define SGI_PONG 3
#define PPI_VTIMER 27

static volatile unsigned pongs, pings;
static volatile uint64_t timer_seen;
static volatile bool vcpu1_ready;

static uint64_t now(void)
{
	isb();
	return read_sysreg(cntvct_el0);
}

static void sort(uint64_t *a, unsigned n)
{
	for (unsigned i = 1; i < n; i++)
		for (unsigned j = i; j > 0 && a[j - 1] > a[j]; j--) {
			uint64_t t = a[j];
			a[j] = a[j - 1];
			a[j - 1] = t;
		}
}

/* Samples are in counter ticks for `per` operations. */
static void report(const char *name, uint64_t *s, unsigned per)
{
	sort(s, SAMPLES);
	gprintf("bench: %s: min %lu median %lu instructions\n", name,
		s[0] * INSNS_PER_TICK / per, s[SAMPLES / 2] * INSNS_PER_TICK / per);
}

static void on_irq(void)
{
	uint32_t iar = gic_ack();
	unsigned intid = gic_intid(iar);

	if (intid == SGI_PING) {
		pings++;
		gic_send_sgi(0, SGI_PONG);
	} else if (intid == SGI_PONG) {
		pongs++;
	} else if (intid == PPI_VTIMER) {
		timer_seen = now();
		write_sysreg(0, cntv_ctl_el0);
		isb();
	}
	if (intid < 1020)
		gic_eoi(iar);
}

void guest_secondary_main(uint64_t ctx)
{
	(void)ctx;
	gic_init_cpu(1);
	gic_enable(1, SGI_PING, 0x80);
	irq_enable();
	vcpu1_ready = true;
	for (;;)
		wfi();
}

void guest_main(uint64_t dtb)
{
	static uint64_t s[SAMPLES];

	(void)dtb;
	guest_irq_handler = on_irq;
	gic_init_distributor();
	gic_init_cpu(0);
	gic_enable(0, SGI_PONG, 0x80);
	gic_enable(0, PPI_VTIMER, 0x80);

	for (unsigned i = 0; i < SAMPLES; i++) {
		uint64_t t0 = now();
		for (unsigned k = 0; k < BATCH; k++)
			hvc(PSCI_VERSION, 0, 0, 0);
		s[i] = now() - t0;
	}
	report("PSCI_VERSION round trip (HVC)", s, BATCH);

	for (unsigned i = 0; i < SAMPLES; i++) {
		uint64_t t0 = now();
		for (unsigned k = 0; k < BATCH; k++)
			(void)mmio_read32(GUEST_GICD + GICD_TYPER);
		s[i] = now() - t0;
	}
	report("GICD_TYPER read", s, BATCH);

	irq_enable();
	for (unsigned i = 0; i < SAMPLES; i++) {
		uint64_t t0;
		write_sysreg(0, cntv_ctl_el0);
		timer_seen = 0;
		t0 = now() + 200;
		write_sysreg(t0, cntv_cval_el0);
		write_sysreg(1, cntv_ctl_el0);
		isb();
		while (!timer_seen)
			wfi();
		s[i] = timer_seen - t0;
	}
	report("virtual timer: expiry to guest handler", s, 1);

	if (hvc(PSCI_CPU_ON64, 1, (uint64_t)(uintptr_t)guest_secondary_entry, 1) == PSCI_SUCCESS) {
		while (!vcpu1_ready)
			wfe();
		for (unsigned i = 0; i < SAMPLES; i++) {
			uint64_t t0 = now();
			unsigned before = pongs;
			gic_send_sgi(1, SGI_PING);
			while (pongs == before)
				wfi();
			s[i] = now() - t0;
		}
		report("SGI round trip between vCPUs on two CPUs (WFI)", s, 1);
	}
	gprintf("bench: done\n");
	guest_system_off();
}
