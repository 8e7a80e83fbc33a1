/* What both GIC drivers share: the distributor register layout, used by
 * the GICv2 and GICv3 distributors and the GICv3 redistributors' SGI
 * frames alike. */
#include <lull/gic_regs.h>
#include <lull/mmio.h>
#include "gic.h"

void gic_quiesce_intids(uintptr_t base, unsigned first, unsigned end)
{
	/* The firmware's wake SGI (15) and its priority word stay its own. */
	uint32_t keep = first == 0 ? (1U << GIC_SGI_FIRMWARE) : 0;

	for (unsigned i = first; i < end; i += 32) {
		mmio_write32(base + GICD_ICENABLER + i / 8, ~keep);
		mmio_write32(base + GICD_ICPENDR + i / 8, ~keep);
		mmio_write32(base + GICD_ICACTIVER + i / 8, ~keep);
		keep = 0;
	}
	for (unsigned i = first; i < end; i += 4)
		if (first != 0 || i != (GIC_SGI_FIRMWARE & ~3U))
			mmio_write32(base + GICD_IPRIORITYR + i, GIC_DEFAULT_PRIORITY * 0x01010101U);
}
