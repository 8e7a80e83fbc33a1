/* Virtual GICv3 distributor and redistributors: the guest's view of a GIC
 * with one Security state (GICD_CTLR.DS = 1), affinity routing, the
 * domain's number of INTIDs (vgic.h), no LPIs. Registers of INTIDs beyond
 * it are RAZ/WI, as for any unimplemented INTID (IHI 0069H 12.9: each
 * INTID-indexed register, and GICD_TYPER.ITLinesNumber, 12.9.38). IROUTER and GICR_TYPER take 64-bit accesses; an access
 * size a register does not take is refused (the guest gets an abort). */
#include "domain.h"
#include "hyp.h"
#include "percpu.h"
#include "irq.h"
#include "mmio.h"
#include "vgic_internal.h"
#include "vtimer.h"

#define GICD_SIZE      0x10000
#define GICR_STRIDE    0x20000
#define PIDR2          0xffe8
#define PIDR2_GICV3    0x3b

/* The shared interrupt registers, then the groups: all Group 1 (one
 * Security state), IGRPMODR RAZ/WI. Private INTIDs [0, 32) exist in the
 * SGI frame only; the distributor's are RAZ/WI with affinity routing. */
static int irq_regs(struct domain *d, struct vcpu *v, uint64_t off, unsigned len, bool write,
		    uint64_t *val, unsigned first, unsigned limit)
{
	int r = vgic_irq_regs(d, v, off, len, write, val, first, limit);

	if (r)
		return r;
	if (off >= 0x80 && off < 0x100) {               /* IGROUPR */
		unsigned base = (unsigned)(off - 0x80) * 8;
		if (len != 4)
			return -1;
		if (!write)
			*val = base < first || base >= limit ? 0 :
			       limit - base >= 32 ? ~0U : (1U << (limit - base)) - 1;
		return 1;
	}
	if (off >= 0xd00 && off < 0xd80) {              /* IGRPMODR */
		if (len != 4)
			return -1;
		*val = write ? *val : 0;
		return 1;
	}
	return 0;
}

static void set_route(struct domain *d, unsigned intid, uint64_t val)
{
	struct virq *q = &d->vgic.spi[intid - 32];

	q->irouter = val & 0xff00ffffffULL;   /* IRM (1 of N) not offered */
	q->target = 0xff;
	for (unsigned i = 0; i < d->cfg.nvcpus; i++)
		if (d->vcpu[i].vmpidr == q->irouter)
			q->target = (uint8_t)i;
	vgic_irq_changed(d, NULL, intid);
	/* A physical interrupt follows its vCPU's physical CPU. */
	if (q->hw && q->target != 0xff)
		irq_route(intid, d->vcpu[q->target].pcpu);
}

static bool gicd_access(struct vcpu *v, struct domain *d, uint64_t off, unsigned len, bool write,
			uint64_t *val)
{
	bool ok = true, enable_changed = false;

	/* Identification: constant, read-only, no lock needed. */
	switch (off) {
	case 0x4:                    /* GICD_TYPER: ITLines, IDbits 10, No1N */
		*val = write ? *val : d->vgic.itlines | (9U << 19) | BIT(25);
		return true;
	case 0x8:                    /* GICD_IIDR */
		*val = write ? *val : 0x4c55;   /* "LU" */
		return true;
	case PIDR2:
		*val = write ? *val : PIDR2_GICV3;
		return true;
	}
	spin_lock(&d->vgic.lock);
	switch (off) {
	case 0x0:                    /* GICD_CTLR: Grp0 (0), Grp1 (1), ARE (4), DS (6) */
		if (len != 4) {
			ok = false;
		} else if (write) {
			d->vgic.ctlr = (uint32_t)*val & 3;
			d->vgic.enabled = d->vgic.ctlr & 2;   /* EnableGrp1 */
			enable_changed = true;
		} else {
			*val = d->vgic.ctlr | BIT(4) | BIT(6);
		}
		break;
	default:
		if (off >= 0x6000 + 8 * 32 && off < 0x6000 + 8 * d->vgic.nr_intids) { /* IROUTER */
			unsigned intid = (unsigned)(off - 0x6000) / 8;
			if (len != 8 || off % 8)
				ok = false;
			else if (write)
				set_route(d, intid, *val);
			else
				*val = d->vgic.spi[intid - 32].irouter;
		} else {
			int r = off < 0x1000 ?
				irq_regs(d, v, off, len, write, val, 32, d->vgic.nr_intids) : 0;
			ok = r >= 0;
			if (r == 0 && !write)
				*val = 0;        /* reserved: RAZ/WI */
		}
		break;
	}
	spin_unlock(&d->vgic.lock);
	/* The distributor's enable changes what every vCPU may take. */
	if (enable_changed)
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

static bool gicr_access(struct vcpu *v, struct domain *d, uint64_t off, unsigned len, bool write,
			uint64_t *val)
{
	unsigned idx = (unsigned)(off / GICR_STRIDE);
	struct vcpu *t = &d->vcpu[idx];
	uint64_t o = off % GICR_STRIDE;
	bool ok = true;

	/* The virtual timer's level as of this access (ISPENDR reads it). */
	if (v == this_cpu()->loaded)
		vtimer_sync_loaded(v);
	spin_lock(&d->vgic.lock);
	if (o >= 0x10000) {          /* SGI_base frame: this vCPU's SGIs and PPIs */
		int r = irq_regs(d, t, o - 0x10000, len, write, val, 0, 32);
		ok = r >= 0;
		if (r == 0 && !write)
			*val = 0;            /* reserved: RAZ/WI */
	} else {
		switch (o) {
		case 0x0:            /* GICR_CTLR: no LPIs */
		case 0x4:            /* GICR_IIDR */
			*val = write ? *val : (o == 4 ? 0x4c55 : 0);
			break;
		case 0x8:            /* GICR_TYPER: affinity, number, Last */
		case 0xc: {
			uint64_t typer = (t->vmpidr << 32) | ((uint64_t)idx << 8) |
					 (idx == d->cfg.nvcpus - 1 ? BIT(4) : 0);
			if (write)
				break;       /* read-only */
			if (len == 8 && o == 0x8)
				*val = typer;
			else if (len == 4)
				*val = o == 0x8 ? (uint32_t)typer : typer >> 32;
			else
				ok = false;
			break;
		}
		case 0x14:           /* GICR_WAKER: ProcessorSleep (1), ChildrenAsleep (2) */
			if (write)
				t->vgic.sleeping = (*val >> 1) & 1;
			else
				*val = t->vgic.sleeping ? 6 : 0;
			break;
		case PIDR2:
			*val = write ? *val : PIDR2_GICV3;
			break;
		default:
			if (!write)
				*val = 0;
			break;
		}
	}
	if (write && ok)
		t->vgic.dirty = true;
	spin_unlock(&d->vgic.lock);
	return ok;
}

static bool gicr_read(struct vcpu *v, void *dev, uint64_t off, unsigned len, uint64_t *val)
{
	return gicr_access(v, dev, off, len, false, val);
}

static bool gicr_write(struct vcpu *v, void *dev, uint64_t off, unsigned len, uint64_t val)
{
	return gicr_access(v, dev, off, len, true, &val);
}

static const struct mmio_ops gicd_ops = { .read = gicd_read, .write = gicd_write };
static const struct mmio_ops gicr_ops = { .read = gicr_read, .write = gicr_write };

void vgic_v3_domain_init(struct domain *d)
{
	if (mmio_register(d, GUEST_GICD, GICD_SIZE, &gicd_ops, d) ||
	    mmio_register(d, GUEST_GICR, (uint64_t)d->cfg.nvcpus * GICR_STRIDE, &gicr_ops, d))
		panic("domain %s: too many emulated devices", d->cfg.name);
}
