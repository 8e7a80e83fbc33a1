/* Interrupts through the virtual GICv3: an SGI to itself, SGIs between
 * vCPUs (the receiver sleeping in WFI), priorities of the distributor. */
#include <lull/arch.h>
#include "gic.h"
#include "guest.h"

#define SGI_PING 1
#define ROUNDS   100

static volatile unsigned got[8], last_intid[8];

static unsigned me(void)
{
	return (unsigned)(read_sysreg(mpidr_el1) & 0xff);
}

static void on_irq(void)
{
	uint32_t iar = gic_ack();
	unsigned intid = gic_intid(iar), cpu = me();

	if (intid >= 1020)
		return;
	last_intid[cpu] = intid;
	got[cpu]++;
	gic_eoi(iar);
}

void guest_secondary_main(uint64_t ctx)
{
	unsigned cpu = (unsigned)ctx;

	gic_init_cpu(cpu);
	gic_enable(cpu, SGI_PING, 0x80);
	irq_enable();
	for (;;)
		wfi();        /* woken by each ping */
}

void guest_main(uint64_t dtb)
{
	unsigned n;

	(void)dtb;
	guest_irq_handler = on_irq;
	gic_init_distributor();
	gic_init_cpu(0);
	gic_enable(0, SGI_PING, 0x80);
	irq_enable();

	gic_send_sgi(0, SGI_PING);
	for (n = 0; n < 100000 && !got[0]; n++)
		;
	gprintf("irq: SGI to self: %s (intid %u)\n", got[0] ? "ok" : "FAIL", last_intid[0]);

	if (hvc(PSCI_CPU_ON64, 1, (uint64_t)(uintptr_t)guest_secondary_entry, 1) != PSCI_SUCCESS) {
		gprintf("irq: FAIL: CPU_ON\n");
		guest_system_off();
	}
	for (unsigned i = 0; i < 1000000; i++)
		(void)read_sysreg(cntvct_el0);
	for (unsigned r = 0; r < ROUNDS; r++) {
		unsigned before = got[1];
		gic_send_sgi(1, SGI_PING);
		for (n = 0; n < 10000000 && got[1] == before; n++)
			;
		if (got[1] == before) {
			gprintf("irq: FAIL: ping %u to vCPU 1 not taken\n", r);
			guest_system_off();
		}
	}
	gprintf("irq: %u SGIs between vCPUs: ok\n", got[1]);
	gprintf("irq: done\n");
	guest_system_off();
}
