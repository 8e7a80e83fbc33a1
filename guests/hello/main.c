/* The smallest domain: it prints, asks for PSCI's version, starts and
 * stops its other vCPUs, and powers itself off. */
#include "guest.h"

static volatile unsigned seen[8];

void guest_secondary_main(uint64_t ctx)
{
	gprintf("hello from vCPU %lu\n", ctx);
	seen[ctx & 7] = 1;
	hvc(PSCI_CPU_OFF, 0, 0, 0);
	for (;;)
		wfi();
}

void guest_main(uint64_t dtb)
{
	unsigned n = 1;
	int64_t v = hvc(PSCI_VERSION, 0, 0, 0);

	gprintf("hello from vCPU 0, device tree at 0x%lx, PSCI %ld.%ld\n", dtb, v >> 16, v & 0xffff);
	for (unsigned i = 1; i < 8; i++) {
		int64_t rc = hvc(PSCI_CPU_ON64, i, (uint64_t)(uintptr_t)guest_secondary_entry, i);
		if (rc == PSCI_INVALID_PARAMETERS)
			break;
		while (!seen[i])
			;
		while (hvc(PSCI_AFFINITY_INFO64, i, 0, 0) != PSCI_AFF_OFF)
			;
		n++;
	}
	gprintf("hello: %u vCPUs ran; powering off\n", n);
	guest_system_off();
}
