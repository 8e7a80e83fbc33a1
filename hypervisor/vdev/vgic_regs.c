/* The interrupt-configuration registers both virtual distributors (and the
 * GICv3 redistributor's SGI frame) share: enable, pending and active set
 * and clear, priorities, configuration and groups, in distributor layout
 * (IHI 0069 12.9, IHI 0048 4.3). Bit-per-interrupt registers take 32-bit
 * accesses, priorities bytes or words. */
#include "gic.h"
#include "vgic_internal.h"

static uint32_t read_bits(struct domain *d, struct vcpu *v, unsigned first, enum vgic_bitreg r)
{
	uint32_t val = 0;

	for (unsigned b = 0; b < 32; b++) {
		struct virq *q = vgic_irq(d, v, first + b);
		bool bit;

		if (!q)
			break;
		switch (r) {
		case VGIC_ISENABLER: case VGIC_ICENABLER: bit = q->enabled; break;
		case VGIC_ISPENDR: case VGIC_ICPENDR: bit = virq_pending(q); break;
		default: bit = q->active; break;
		}
		val |= (uint32_t)bit << b;
	}
	return val;
}

/* SGIs' pending state: in GICv3 set and cleared here (one state per
 * target); in GICv2 it belongs to GICD_SPENDSGIR/CPENDSGIR, per sender,
 * and these bits are read-only (IHI 0048 4.3.7). */
static void write_sgi_pending(struct virq *q, bool set)
{
	if (gic.version == 2)
		return;
	q->sgi_sources = set ? 1 : 0;
	q->pending_latch = set;
}

void vgic_write_state(struct virq *q, unsigned intid, enum vgic_bitreg r)
{
	switch (r) {
	case VGIC_ISENABLER: q->enabled = true; break;
	case VGIC_ICENABLER: q->enabled = false; break;
	case VGIC_ISPENDR:
		if (intid < 16)
			write_sgi_pending(q, true);
		else
			q->pending_latch = true;
		break;
	case VGIC_ICPENDR:
		if (intid < 16)
			write_sgi_pending(q, false);
		else
			q->pending_latch = false;
		break;
	case VGIC_ISACTIVER: q->active = true; break;
	case VGIC_ICACTIVER: q->active = false; break;
	}
}

static void write_bits(struct domain *d, struct vcpu *v, unsigned first, enum vgic_bitreg r,
		       uint32_t val)
{
	for (unsigned b = 0; b < 32; b++) {
		unsigned intid = first + b;
		struct virq *q = vgic_irq(d, v, intid);

		if (!q)
			break;
		if (!((val >> b) & 1))
			continue;
		/* Pending and active state held in the list register of a vCPU
		 * running elsewhere changes at its sync; the enable is ours
		 * alone (that vCPU is kicked to drop a disabled one). */
		if (q->in_lr && r != VGIC_ISENABLER && r != VGIC_ICENABLER) {
			vgic_defer_write(d, q, r);
			continue;
		}
		vgic_write_state(q, intid, r);
		vgic_irq_changed(d, intid < 32 ? v : NULL, intid);
	}
}

int vgic_irq_regs(struct domain *d, struct vcpu *v, uint64_t off, unsigned len, bool write,
		  uint64_t *val, unsigned first, unsigned limit)
{
	if (off >= 0x100 && off < 0x400) {             /* (S|C)(ENABLE|PEND|ACTIVE)R */
		unsigned base = (unsigned)((off & 0x7f) * 8);
		enum vgic_bitreg r = (enum vgic_bitreg)((off - 0x100) / 0x80);

		if (len != 4)
			return -1;
		if (base < first || base >= limit)
			*val = write ? *val : 0;
		else if (write)
			write_bits(d, v, base, r, (uint32_t)*val);
		else
			*val = read_bits(d, v, base, r);
		return 1;
	}
	if (off >= 0x400 && off < 0x800) {             /* IPRIORITYR */
		unsigned base = (unsigned)(off - 0x400);

		if ((len != 1 && len != 4) || base % len)
			return -1;
		if (!write)
			*val = 0;
		for (unsigned i = 0; i < len; i++) {
			struct virq *q = base + i >= first && base + i < limit ?
					 vgic_irq(d, v, base + i) : NULL;
			if (!q)
				continue;
			if (write) {
				q->priority = (uint8_t)(*val >> (8 * i)) & VGIC_PRIO_MASK;
				vgic_irq_changed(d, base + i < 32 ? v : NULL, base + i);
			} else
				*val |= (uint64_t)q->priority << (8 * i);
		}
		return 1;
	}
	if (off >= 0xc00 && off < 0xd00) {             /* ICFGR: Int_config [2i+1] */
		unsigned base = (unsigned)(off - 0xc00) * 4;

		if (len != 4)
			return -1;
		if (!write)
			*val = 0;
		for (unsigned i = 0; i < 16; i++) {
			unsigned intid = base + i;
			struct virq *q = intid >= first && intid < limit ? vgic_irq(d, v, intid) : NULL;

			if (!q)
				continue;
			if (write && intid >= 16) {            /* SGIs are always edge */
				q->edge = (*val >> (2 * i + 1)) & 1;
				vgic_irq_changed(d, intid < 32 ? v : NULL, intid);
			} else if (!write)
				*val |= (uint64_t)q->edge << (2 * i + 1);
		}
		return 1;
	}
	return 0;
}
