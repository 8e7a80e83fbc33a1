/* Virtual GICv3 distributor and redistributors: the guest's view of a GIC
 * with one Security state (GICD_CTLR.DS = 1), affinity routing, 128
 * INTIDs, no LPIs. Bit-per-interrupt registers take 32-bit accesses,
 * priorities bytes or words, IROUTER and GICR_TYPER 64 bits; anything
 * else is refused (the guest gets an abort). */
#include "domain.h"
#include "hyp.h"
#include "irq.h"
#include "mmio.h"
#include "vgic.h"

#define PRIO_MASK      0xf8     /* 5 priority bits, as ICH_VTR_EL2.PRIbits */
#define GICD_SIZE      0x10000
#define GICR_STRIDE    0x20000
#define PIDR2          0xffe8
#define PIDR2_GICV3    0x3b

enum bitreg { ISENABLER, ICENABLER, ISPENDR, ICPENDR, ISACTIVER, ICACTIVER };

/* Registers shared by the distributor (SPIs) and the redistributor's SGI
 * frame (private interrupts): `base` is the first INTID of the range. */
static struct virq *irq(struct domain *d, struct vcpu *v, unsigned intid)
{
	if (intid < 32)
		return &v->vgic.priv[intid];
	return intid < VGIC_NR_INTIDS ? &d->vgic.spi[intid - 32] : NULL;
}

static uint32_t read_bits(struct domain *d, struct vcpu *v, unsigned first, enum bitreg r)
{
	uint32_t val = 0;

	for (unsigned b = 0; b < 32; b++) {
		struct virq *q = irq(d, v, first + b);
		bool bit = false;
		if (!q)
			break;
		switch (r) {
		case ISENABLER: case ICENABLER: bit = q->enabled; break;
		case ISPENDR: case ICPENDR: bit = q->pending_latch || (!q->edge && q->level); break;
		default: bit = q->active; break;
		}
		val |= (uint32_t)bit << b;
	}
	return val;
}

static void write_bits(struct domain *d, struct vcpu *v, unsigned first, enum bitreg r,
		       uint32_t val)
{
	for (unsigned b = 0; b < 32; b++) {
		struct virq *q = irq(d, v, first + b);
		if (!q)
			break;
		if (!((val >> b) & 1) || q->in_lr)
			continue;   /* state held in a list register changes at sync */
		switch (r) {
		case ISENABLER: q->enabled = true; break;
		case ICENABLER: q->enabled = false; break;
		case ISPENDR: q->pending_latch = true; break;
		case ICPENDR: q->pending_latch = false; break;
		case ISACTIVER: q->active = true; break;
		case ICACTIVER: q->active = false; break;
		}
	}
}

/* The interrupt-configuration registers shared by the distributor
 * (limit = all INTIDs; its private part is RAZ/WI with affinity routing)
 * and an SGI frame (limit = 32). 1: handled, 0: not one of these
 * registers, -1: an access size the register does not take. */
static int irq_regs(struct domain *d, struct vcpu *v, uint64_t off, unsigned len, bool write,
		     uint64_t *val, unsigned limit)
{
	if (off >= 0x100 && off < 0x400) {             /* (S|C)(ENABLE|PEND|ACTIVE)R */
		unsigned first = (unsigned)((off & 0x7f) * 8);
		enum bitreg r = (enum bitreg)((off - 0x100) / 0x80);
		if (len != 4)
			return -1;
		if (first >= limit || (limit > 32 && first < 32)) {
			*val = write ? *val : 0;
			return 1;
		}
		if (write)
			write_bits(d, v, first, r, (uint32_t)*val);
		else
			*val = read_bits(d, v, first, r);
		return 1;
	}
	if (off >= 0x400 && off < 0x400 + VGIC_NR_INTIDS) { /* IPRIORITYR */
		unsigned first = (unsigned)(off - 0x400);
		if ((len != 1 && len != 4) || first % len)
			return -1;
		if (first + len > limit || (limit > 32 && first < 32)) {
			*val = write ? *val : 0;
			return 1;
		}
		if (!write)
			*val = 0;
		for (unsigned i = 0; i < len; i++) {
			struct virq *q = irq(d, v, first + i);
			if (write)
				q->priority = (uint8_t)(*val >> (8 * i)) & PRIO_MASK;
			else
				*val |= (uint64_t)q->priority << (8 * i);
		}
		return 1;
	}
	if (off >= 0xc00 && off < 0xc00 + VGIC_NR_INTIDS / 4) { /* ICFGR */
		unsigned first = (unsigned)(off - 0xc00) * 4;
		if (len != 4)
			return -1;
		if (!write)
			*val = 0;
		for (unsigned i = 0; i < 16 && first + i < limit; i++) {
			struct virq *q = irq(d, v, first + i);
			if (limit > 32 && first + i < 32)
				break;
			if (write && first + i >= 16)          /* SGIs are always edge */
				q->edge = (*val >> (2 * i + 1)) & 1;
			else if (!write)
				*val |= (uint64_t)q->edge << (2 * i + 1);
		}
		return 1;
	}
	if (off >= 0x80 && off < 0x100) {               /* IGROUPR: all Group 1 */
		bool implemented = (off - 0x80) * 8 < limit && !(limit > 32 && off == 0x80);
		if (len != 4)
			return -1;
		*val = write ? *val : implemented ? ~0U : 0;
		return 1;
	}
	if (off >= 0xd00 && off < 0xd80) {              /* IGRPMODR: RAZ/WI */
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
	/* A physical interrupt follows its vCPU's physical CPU. */
	if (q->hw && q->target != 0xff)
		irq_route(intid, d->vcpu[q->target].pcpu);
}

static bool gicd_access(struct vcpu *v, struct domain *d, uint64_t off, unsigned len, bool write,
			uint64_t *val)
{
	bool ok = true;

	spin_lock(&d->vgic.lock);
	switch (off) {
	case 0x0:                    /* GICD_CTLR: Grp0 (0), Grp1 (1), ARE (4), DS (6) */
		if (len != 4)
			ok = false;
		else if (write)
			d->vgic.ctlr = (uint32_t)*val & 3;
		else
			*val = d->vgic.ctlr | BIT(4) | BIT(6);
		break;
	case 0x4:                    /* GICD_TYPER: ITLines, IDbits 10, No1N */
		*val = write ? *val : ((VGIC_NR_INTIDS / 32) - 1) | (9U << 19) | BIT(25);
		break;
	case 0x8:                    /* GICD_IIDR */
		*val = write ? *val : 0x4c55;   /* "LU" */
		break;
	case PIDR2:
		*val = write ? *val : PIDR2_GICV3;
		break;
	default:
		if (off >= 0x6000 + 8 * 32 && off < 0x6000 + 8 * VGIC_NR_INTIDS) {   /* IROUTER */
			unsigned intid = (unsigned)(off - 0x6000) / 8;
			if (len != 8 || off % 8)
				ok = false;
			else if (write)
				set_route(d, intid, *val);
			else
				*val = d->vgic.spi[intid - 32].irouter;
		} else {
			int r = off < 0x1000 ? irq_regs(d, v, off, len, write, val, VGIC_NR_INTIDS) : 0;
			ok = r >= 0;
			if (r == 0 && !write)
				*val = 0;        /* reserved: RAZ/WI */
		}
		break;
	}
	spin_unlock(&d->vgic.lock);
	if (write && ok)
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

	(void)v;
	spin_lock(&d->vgic.lock);
	if (o >= 0x10000) {          /* SGI_base frame: this vCPU's SGIs and PPIs */
		int r = irq_regs(d, t, o - 0x10000, len, write, val, 32);
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

void vgic_domain_init(struct domain *d)
{
	for (unsigned i = 0; i < VGIC_NR_INTIDS - 32; i++)
		d->vgic.spi[i].target = 0;
	if (mmio_register(d, GUEST_GICD, GICD_SIZE, &gicd_ops, d) ||
	    mmio_register(d, GUEST_GICR, (uint64_t)d->cfg.nvcpus * GICR_STRIDE, &gicr_ops, d))
		panic("domain %s: too many emulated devices", d->cfg.name);
}
