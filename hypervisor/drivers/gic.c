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

void gic_set_pending_spi(unsigned intid)
{
	mmio_write32(gic.gicd + GICD_ISPENDR + (intid / 32) * 4, 1U << (intid % 32));
}

/* The firmware's wake SGI (15) is the firmware's: never saved or written. */
static uint32_t ours(unsigned word)
{
	return word == 0 ? ~(1U << GIC_SGI_FIRMWARE) : ~0U;
}

void gic_block_save(uintptr_t base, unsigned first, unsigned end, struct gic_block_state *s)
{
	for (unsigned i = first; i < end; i += 32) {
		s->enable[i / 32] = mmio_read32(base + GICD_ISENABLER + i / 8) & ours(i / 32);
		s->pending[i / 32] = mmio_read32(base + GICD_ISPENDR + i / 8) & ours(i / 32);
		s->active[i / 32] = mmio_read32(base + GICD_ISACTIVER + i / 8) & ours(i / 32);
	}
	for (unsigned i = first; i < end; i += 16)
		s->cfg[i / 16] = mmio_read32(base + GICD_ICFGR + i / 4);
	for (unsigned i = first; i < end; i += 4) {
		uint32_t p = mmio_read32(base + GICD_IPRIORITYR + i);
		for (unsigned k = 0; k < 4; k++)
			s->priority[i + k] = (uint8_t)(p >> (8 * k));
	}
}

void gic_block_restore(uintptr_t base, unsigned first, unsigned end,
		       const struct gic_block_state *s)
{
	for (unsigned i = first; i < end; i += 4) {
		if (first == 0 && i == (GIC_SGI_FIRMWARE & ~3U)) {
			for (unsigned k = 0; k < 4; k++)
				if (i + k != GIC_SGI_FIRMWARE)
					mmio_write8(base + GICD_IPRIORITYR + i + k, s->priority[i + k]);
			continue;
		}
		mmio_write32(base + GICD_IPRIORITYR + i, (uint32_t)s->priority[i] |
			     (uint32_t)s->priority[i + 1] << 8 | (uint32_t)s->priority[i + 2] << 16 |
			     (uint32_t)s->priority[i + 3] << 24);
	}
	/* ICFGR0 (SGIs) is read-only; the rest as saved. */
	for (unsigned i = first < 16 ? 16 : first; i < end; i += 16)
		mmio_write32(base + GICD_ICFGR + i / 4, s->cfg[i / 16]);
	for (unsigned i = first; i < end; i += 32) {
		mmio_write32(base + GICD_ISACTIVER + i / 8, s->active[i / 32]);
		mmio_write32(base + GICD_ISPENDR + i / 8, s->pending[i / 32]);
	}
}

void gic_block_enable(uintptr_t base, unsigned first, unsigned end,
		      const struct gic_block_state *s)
{
	for (unsigned i = first; i < end; i += 32)
		mmio_write32(base + GICD_ISENABLER + i / 8, s->enable[i / 32]);
}
