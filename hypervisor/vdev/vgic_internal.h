/* Shared between the virtual GIC's model (vgic.c) and its register views
 * (vgic_v3_mmio.c, vgic_v2_mmio.c). Everything here runs under the
 * domain's vgic lock. */
#ifndef HYP_VGIC_INTERNAL_H
#define HYP_VGIC_INTERNAL_H
#include "domain.h"
#include "vgic.h"

#define VGIC_PRIO_MASK 0xf8   /* 5 priority bits, as both list-register formats hold */

/* The interrupt `intid` as seen by vCPU `v` (private ones are v's own);
 * NULL if out of range. */
static inline struct virq *vgic_irq(struct domain *d, struct vcpu *v, unsigned intid)
{
	if (intid < 32)
		return v ? &v->vgic.priv[intid] : NULL;
	return intid < d->vgic.nr_intids ? &d->vgic.spi[intid - 32] : NULL;
}

static inline bool virq_pending(const struct virq *q)
{
	return q->pending_latch || (!q->edge && q->level);
}

/* The set/clear registers, in distributor order (offset 0x100 + 0x80 * r). */
enum vgic_bitreg { VGIC_ISENABLER, VGIC_ICENABLER, VGIC_ISPENDR, VGIC_ICPENDR, VGIC_ISACTIVER,
		   VGIC_ICACTIVER };

/* Apply one set/clear register write to q. */
void vgic_write_state(struct virq *q, unsigned intid, enum vgic_bitreg r);
/* A pending/active write for q while a vCPU running elsewhere holds it in
 * a list register: remembered, applied when that vCPU syncs, and the
 * vCPU made to exit now. */
void vgic_defer_write(struct domain *d, struct virq *q, enum vgic_bitreg r);

/* After any change to an interrupt's state, enable or target: keeps the
 * per-vCPU sets of interrupts to look at, and marks the vCPU for a list
 * register refill. `v` owns private interrupts; NULL for SPIs. */
void vgic_irq_changed(struct domain *d, struct vcpu *v, unsigned intid);

/* The bit-per-interrupt, priority, configuration and group registers,
 * laid out as in a distributor from offset 0 (IHI 0069 12.9, IHI 0048
 * 4.3): INTIDs [first, limit) are implemented, private ones as `v` sees
 * them. Returns 1 handled, 0 not one of these registers, -1 an access
 * size the register does not take. */
int vgic_irq_regs(struct domain *d, struct vcpu *v, uint64_t off, unsigned len, bool write,
		  uint64_t *val, unsigned first, unsigned limit);
/* Register the version's MMIO frames for a domain. */
void vgic_v3_domain_init(struct domain *d);
void vgic_v2_domain_init(struct domain *d);
#endif
