/* Virtual GICv2 distributor (IHI 0048 4.3): a GIC without Security
 * Extensions, one group (Group 0, signalled as IRQ), the domain's number
 * of INTIDs (vgic.h; registers of INTIDs beyond it RAZ/WI, IHI 0048B
 * 4.3.2 ITLinesNumber and 3.1.2), up to
 * 8 CPU interfaces = the domain's vCPUs by index. Registers of INTIDs 0-31
 * are banked per accessing vCPU. The CPU interface is the hardware's: the
 * GICV frame is mapped at the guest's GICC address. */
#include <lull/gic_regs.h>
#include "gic.h"
#include "hyp.h"
#include "percpu.h"
#include "irq.h"
#include "mmio.h"
#include "vgic_internal.h"
#include "vtimer.h"
#include "vm.h"

#define GICD_SIZE      0x1000
#define GICC_SIZE      0x2000        /* GICC_DIR at 0x1000 */
#define GICD_CPENDSGIR 0xf10
#define GICD_SPENDSGIR 0xf20
#define PIDR2          0xfe8
#define PIDR2_GICV2    0x2b          /* ArchRev [7:4] = 2 */

static uint8_t own_mask(const struct vcpu *v)
{
	return (uint8_t)(1U << v->id);
}

/* GICD_ITARGETSR<n> byte `intid`: 0-31 read as the accessing vCPU's own
 * interface; SPIs route to the lowest vCPU named (one target is enough for
 * a 1-of-N model) and read back what the guest wrote. */
static void write_target(struct domain *d, unsigned intid, uint8_t val)
{
	struct virq *q = &d->vgic.spi[intid - 32];

	q->targets = val & (uint8_t)((1U << d->cfg.nvcpus) - 1);
	q->target = q->targets ? (uint8_t)__builtin_ctz(q->targets) : 0xff;
	if (q->hw && q->target != 0xff)
		irq_route(intid, d->vcpu[q->target].pcpu);
	vgic_irq_changed(d, NULL, intid);
}

static bool targets_access(struct domain *d, struct vcpu *v, unsigned first, unsigned len,
			   bool write, uint64_t *val)
{
	if ((len != 1 && len != 4) || first % len)
		return false;
	if (!write)
		*val = 0;
	for (unsigned i = 0; i < len && first + i < d->vgic.nr_intids; i++) {
		unsigned intid = first + i;
		uint8_t byte = (uint8_t)(*val >> (8 * i));

		if (intid < 32)
			byte = own_mask(v);               /* read-only */
		else if (write)
			write_target(d, intid, byte);
		else
			byte = d->vgic.spi[intid - 32].targets;
		if (!write)
			*val |= (uint64_t)byte << (8 * i);
	}
	return true;
}

/* GICD_SGIR (IHI 0048 4.3.15): TargetListFilter [25:24], CPUTargetList
 * [23:16], SGIINTID [3:0]. */
static void write_sgir(struct domain *d, struct vcpu *v, uint32_t val)
{
	unsigned filter = (val >> 24) & 3;
	uint8_t list = (uint8_t)(val >> 16);

	if (filter == 1)
		list = (uint8_t)~own_mask(v);
	else if (filter == 2)
		list = own_mask(v);
	else if (filter == 3)
		return;                                   /* reserved */
	for (unsigned i = 0; i < d->cfg.nvcpus; i++)
		if ((list >> i) & 1)
			vgic_send_sgi(v, &d->vcpu[i], val & 0xf);
}

/* GICD_SPENDSGIR/CPENDSGIR: a byte per SGI, a bit per sender, for the
 * accessing vCPU's SGIs (IHI 0048 4.3.16). */
static bool sgi_pending_access(struct domain *d, struct vcpu *v, uint64_t off, unsigned len,
			       bool write, uint64_t *val)
{
	unsigned first = (unsigned)(off & 0xf);
	bool set = off >= GICD_SPENDSGIR;

	if ((len != 1 && len != 4) || first % len)
		return false;
	if (!write)
		*val = 0;
	for (unsigned i = 0; i < len; i++) {
		struct virq *q = &v->vgic.priv[first + i];
		uint8_t bits = (uint8_t)(*val >> (8 * i));

		if (!write) {
			*val |= (uint64_t)q->sgi_sources << (8 * i);
			continue;
		}
		if (q->in_lr)
			continue;          /* state held in a list register */
		q->sgi_sources = set ? q->sgi_sources | bits : q->sgi_sources & (uint8_t)~bits;
		q->pending_latch = q->sgi_sources != 0;
		vgic_irq_changed(d, v, first + i);
	}
	return true;
}

static bool gicd_access(struct vcpu *v, struct domain *d, uint64_t off, unsigned len, bool write,
			uint64_t *val)
{
	bool ok = true;
	bool wake_all = false;

	if (off == GICD_SGIR) {                  /* sending takes the lock itself */
		if (len != 4)
			return false;
		if (write)
			write_sgir(d, v, (uint32_t)*val);
		else
			*val = 0;                  /* write-only */
		return true;
	}
	/* The virtual timer's level as of this access (ISPENDR reads it). */
	if (v == this_cpu()->loaded)
		vtimer_sync_loaded(v);
	spin_lock(&d->vgic.lock);
	if (off == GICD_CTLR) {                  /* Enable [0] */
		if (len != 4)
			ok = false;
		else if (write) {
			d->vgic.ctlr = (uint32_t)*val & 1;
			d->vgic.enabled = d->vgic.ctlr & 1;
			wake_all = true;
		} else
			*val = d->vgic.ctlr;
	} else if (off == GICD_TYPER) {          /* ITLinesNumber [4:0], CPUNumber [7:5] */
		*val = write ? *val : d->vgic.itlines | ((d->cfg.nvcpus - 1) << 5);
	} else if (off == 0x8) {                 /* GICD_IIDR */
		*val = write ? *val : 0x4c55;
	} else if (off >= GICD_IGROUPR && off < GICD_ISENABLER) {
		*val = write ? *val : 0;           /* Group 0 only: RAZ/WI */
		ok = len == 4;
	} else if (off >= GICD_ITARGETSR && off < GICD_ITARGETSR + VGIC_MAX_INTIDS) {
		ok = targets_access(d, v, (unsigned)(off - GICD_ITARGETSR), len, write, val);
	} else if (off >= GICD_CPENDSGIR && off < GICD_SPENDSGIR + 0x10) {
		ok = sgi_pending_access(d, v, off, len, write, val);
	} else if (off == PIDR2) {
		*val = write ? *val : PIDR2_GICV2;
	} else {
		int r = vgic_irq_regs(d, v, off, len, write, val, 0, d->vgic.nr_intids);
		ok = r >= 0;
		if (r == 0 && !write)
			*val = 0;                  /* reserved: RAZ/WI */
	}
	spin_unlock(&d->vgic.lock);
	/* The distributor's enable changes what every vCPU may take. */
	if (wake_all)
		for (unsigned i = 0; i < d->cfg.nvcpus; i++)
			d->vcpu[i].vgic.dirty = true;
	return ok;
}

static bool gicd_read(struct vcpu *v, void *dev, uint64_t off, unsigned len, uint64_t *val)
{
	return gicd_access(v, dev, off, len, false, val);
}

static bool gicd_write(struct vcpu *v, void *dev, uint64_t off, unsigned len, uint64_t val)
{
	return gicd_access(v, dev, off, len, true, &val);
}

static const struct mmio_ops gicd_ops = { .read = gicd_read, .write = gicd_write };

void vgic_v2_domain_init(struct domain *d)
{
	if (mmio_register(d, GUEST_GICD, GICD_SIZE, &gicd_ops, d))
		panic("domain %s: too many emulated devices", d->cfg.name);
	if (stage2_map(d, GUEST_GICC, gic.gicv, GICC_SIZE, true))
		panic("domain %s: cannot map the virtual CPU interface", d->cfg.name);
}
