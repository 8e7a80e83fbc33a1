/* Virtual GICv3: interrupt state, list-register management and the
 * trapped SGI register. The MMIO side is vgic_mmio.c. */
#include "domain.h"
#include "exits.h"
#include "gic.h"
#include "hyp.h"
#include "irq.h"
#include "percpu.h"
#include "sched.h"
#include "vgic.h"
#include "vtimer.h"

#define ICH_HCR_EL2   S3_4_C12_C11_0
#define ICH_VTR_EL2   S3_4_C12_C11_1
#define ICH_ELRSR_EL2 S3_4_C12_C11_5
#define ICH_VMCR_EL2  S3_4_C12_C11_7
#define ICH_AP0R0_EL2 S3_4_C12_C8_0
#define ICH_AP1R0_EL2 S3_4_C12_C9_0
#define ICH_HCR_EN    BIT(0)
#define ICH_HCR_UIE   BIT(1)    /* maintenance when at most one LR is valid */

#define LR_STATE_SHIFT 62
#define LR_PENDING     (1ULL << 62)
#define LR_ACTIVE      (2ULL << 62)
#define LR_GROUP1      BIT(60)
#define LR_EOI         BIT(41)   /* maintenance interrupt when deactivated */
#define LR_PRIO_SHIFT  48

#define PPI_MAINTENANCE 25

static unsigned nr_lrs;

static uint64_t read_lr(unsigned i)
{
	switch (i) {
	case 0: return read_sysreg(S3_4_C12_C12_0);
	case 1: return read_sysreg(S3_4_C12_C12_1);
	case 2: return read_sysreg(S3_4_C12_C12_2);
	case 3: return read_sysreg(S3_4_C12_C12_3);
	case 4: return read_sysreg(S3_4_C12_C12_4);
	case 5: return read_sysreg(S3_4_C12_C12_5);
	case 6: return read_sysreg(S3_4_C12_C12_6);
	case 7: return read_sysreg(S3_4_C12_C12_7);
	default: return 0;
	}
}

static void write_lr(unsigned i, uint64_t v)
{
	switch (i) {
	case 0: write_sysreg(v, S3_4_C12_C12_0); break;
	case 1: write_sysreg(v, S3_4_C12_C12_1); break;
	case 2: write_sysreg(v, S3_4_C12_C12_2); break;
	case 3: write_sysreg(v, S3_4_C12_C12_3); break;
	case 4: write_sysreg(v, S3_4_C12_C12_4); break;
	case 5: write_sysreg(v, S3_4_C12_C12_5); break;
	case 6: write_sysreg(v, S3_4_C12_C12_6); break;
	case 7: write_sysreg(v, S3_4_C12_C12_7); break;
	default: break;
	}
}

static void maintenance_irq(unsigned intid, void *arg)
{
	(void)intid;
	(void)arg;
	/* Nothing to do here: the exit it caused lets the run loop refill
	 * the list registers. Stop asking until then. */
	write_sysreg(read_sysreg(ICH_HCR_EL2) & ~ICH_HCR_UIE, ICH_HCR_EL2);
}

void vgic_init(void)
{
	if (gic.version != 3)
		return;
	nr_lrs = (unsigned)(read_sysreg(ICH_VTR_EL2) & 0xf) + 1;
	if (nr_lrs > 8)
		nr_lrs = 8;
	irq_register_private(PPI_MAINTENANCE, "vgic-maint", maintenance_irq, NULL, false);
}

static struct virq *virq_of(struct domain *d, struct vcpu *v, unsigned intid)
{
	if (intid < 32)
		return v ? &v->vgic.priv[intid] : NULL;
	if (intid < VGIC_NR_INTIDS)
		return &d->vgic.spi[intid - 32];
	return NULL;
}

static bool virq_pending(const struct virq *q)
{
	return q->pending_latch || (!q->edge && q->level);
}

/* A passed-through SPI, on the physical CPU it is routed to. The line is
 * level-sensitive: the physical interrupt stays disabled from now until
 * the guest has completed the virtual one (vgic_sync), then the device
 * may assert it again. */
static void passthrough_irq(unsigned intid, void *arg)
{
	struct domain *d = arg;

	gic_ops->enable(intid, false);
	vgic_inject(d, NULL, intid, true);
}

void vgic_passthrough_spi(struct domain *d, unsigned intid)
{
	if (intid < 32 || intid >= VGIC_NR_INTIDS)
		panic("domain %s: cannot pass interrupt %u through (virtual GIC has %u INTIDs)",
		      d->cfg.name, intid, VGIC_NR_INTIDS);
	d->vgic.spi[intid - 32].hw = true;
	/* On the boot CPU until the guest routes it (GICD_IROUTER). */
	if (irq_register_spi(intid, "passthrough", passthrough_irq, d, 0))
		panic("domain %s: cannot take interrupt %u", d->cfg.name, intid);
}

void vgic_vcpu_reset(struct vcpu *v)
{
	struct vgic_cpu *c = &v->vgic;

	for (unsigned i = 0; i < 32; i++)
		c->priv[i] = (struct virq){ .edge = i < 16 };   /* SGIs are edge */
	c->used_lrs = 0;
	c->vmcr = c->ap0r0 = c->ap1r0 = 0;
	c->hcr = ICH_HCR_EN;
	c->sleeping = true;
	c->dirty = true;
}

void vgic_domain_reset(struct domain *d)
{
	spin_lock(&d->vgic.lock);
	d->vgic.ctlr = 0;
	for (unsigned i = 0; i < VGIC_NR_INTIDS - 32; i++) {
		d->vgic.spi[i] = (struct virq){ .hw = d->vgic.spi[i].hw };
		if (d->vgic.spi[i].hw)
			gic_ops->enable(i + 32, true);   /* may have been held off */
	}
	for (unsigned i = 0; i < d->cfg.nvcpus; i++)
		vgic_vcpu_reset(&d->vcpu[i]);
	spin_unlock(&d->vgic.lock);
}

static struct vcpu *target_of(struct domain *d, struct vcpu *v, unsigned intid,
			      const struct virq *q)
{
	if (intid < 32)
		return v;
	return q->target < d->cfg.nvcpus ? &d->vcpu[q->target] : NULL;
}

static void wake(struct vcpu *t)
{
	t->vgic.dirty = true;
	if (t->wfi_blocked) {
		t->wfi_blocked = false;
	}
	sched_kick(t);
}

void vgic_inject(struct domain *d, struct vcpu *v, unsigned intid, bool level)
{
	struct virq *q;
	struct vcpu *t = NULL;
	/* Also called from interrupt handlers (passed-through SPIs): the
	 * lock is never held with interrupts unmasked. */
	uint64_t flags = irq_save();

	spin_lock(&d->vgic.lock);
	q = virq_of(d, v, intid);
	if (q) {
		if (q->edge)
			q->pending_latch |= level;
		else
			q->level = level;
		t = target_of(d, v, intid, q);
	}
	spin_unlock(&d->vgic.lock);
	irq_restore(flags);
	if (t && level)
		wake(t);
}

/* Can this interrupt be signalled to v now? (Enabled at the distributor;
 * the CPU interface's masks are the hardware's business.) */
static bool deliverable(struct domain *d, const struct virq *q)
{
	return q->enabled && virq_pending(q) && (d->vgic.ctlr & 2);
}

bool vgic_vcpu_has_pending(struct vcpu *v)
{
	struct domain *d = v->dom;
	bool any = false;

	spin_lock(&d->vgic.lock);
	for (unsigned i = 0; i < VGIC_NR_INTIDS && !any; i++) {
		struct virq *q = virq_of(d, v, i);
		any = (q->active || deliverable(d, q)) && target_of(d, v, i, q) == v;
	}
	spin_unlock(&d->vgic.lock);
	return any;
}

/* After the guest ran: fold the list registers back into the model. */
void vgic_sync(struct vcpu *v)
{
	struct domain *d = v->dom;
	struct vgic_cpu *c = &v->vgic;

	if (!c->used_lrs)
		return;
	spin_lock(&d->vgic.lock);
	for (unsigned i = 0; i < c->used_lrs; i++) {
		uint64_t lr = read_lr(i);
		unsigned intid = (unsigned)(lr & 0xffffffff);
		struct virq *q = virq_of(d, v, intid);

		if (!q)
			continue;
		q->in_lr = false;
		q->active = (lr & LR_ACTIVE) != 0;
		/* Edge: still pending in the LR, or a new edge since the flush.
		 * Level: pending follows the line; an acknowledged software
		 * pend (ISPENDR) is consumed. */
		if (q->edge)
			q->pending_latch |= (lr & LR_PENDING) != 0;
		else if (!(lr & LR_PENDING))
			q->pending_latch = false;
		if (q->hw && !(lr & (LR_PENDING | LR_ACTIVE))) {
			/* The guest completed it: let the device speak again. */
			q->level = false;
			gic_ops->enable(intid, true);
		}
		write_lr(i, 0);
	}
	c->used_lrs = 0;
	c->dirty = true;
	spin_unlock(&d->vgic.lock);
}

/* Before the guest runs: the highest-priority deliverable (or active)
 * interrupts of this vCPU into the list registers. */
void vgic_flush(struct vcpu *v)
{
	struct domain *d = v->dom;
	struct vgic_cpu *c = &v->vgic;
	unsigned n = 0;
	bool overflow = false;

	vtimer_sync_loaded(v);
	if (!c->dirty)
		return;
	spin_lock(&d->vgic.lock);
	c->dirty = false;
	/* One pass keeps the nr_lrs best candidates (lowest priority value
	 * first; lower INTID on a tie, as the scan is in INTID order). */
	{
		unsigned ids[VGIC_MAX_LRS + 1];
		struct virq *best[VGIC_MAX_LRS + 1];

		for (unsigned i = 0; i < VGIC_NR_INTIDS; i++) {
			struct virq *q = virq_of(d, v, i);
			unsigned k;

			if (q->in_lr || !(q->active || deliverable(d, q)) || target_of(d, v, i, q) != v)
				continue;
			if (n == nr_lrs)
				overflow = true;
			for (k = n; k > 0 && best[k - 1]->priority > q->priority; k--) {
				best[k] = best[k - 1];
				ids[k] = ids[k - 1];
			}
			if (k < nr_lrs) {
				best[k] = q;
				ids[k] = i;
				if (n < nr_lrs)
					n++;
			}
		}
		for (unsigned k = 0; k < n; k++) {
			struct virq *q = best[k];
			/* An active level interrupt goes in as active only, with
			 * an EOI maintenance request: its line is sampled again
			 * after the guest completes it, so a source the handler
			 * cleared does not come back as pending (IHI 0069 4.1). */
			bool level_active = !q->edge && q->active;
			c->lr[k] = (uint64_t)ids[k] | ((uint64_t)q->priority << LR_PRIO_SHIFT) |
				   LR_GROUP1 | (q->active ? LR_ACTIVE : 0) |
				   (virq_pending(q) && !level_active ? LR_PENDING : 0) |
				   (level_active ? LR_EOI : 0);
			write_lr(k, c->lr[k]);
			q->in_lr = true;
			/* Edge: the pending state now lives in the list register. */
			if (q->edge)
				q->pending_latch = false;
		}
	}
	c->used_lrs = n;
	spin_unlock(&d->vgic.lock);
	write_sysreg(ICH_HCR_EN | (overflow ? ICH_HCR_UIE : 0), ICH_HCR_EL2);
	isb();
}

void vgic_load(struct vcpu *v)
{
	struct vgic_cpu *c = &v->vgic;

	write_sysreg(c->vmcr, ICH_VMCR_EL2);
	write_sysreg(c->ap0r0, ICH_AP0R0_EL2);
	write_sysreg(c->ap1r0, ICH_AP1R0_EL2);
	write_sysreg(ICH_HCR_EN, ICH_HCR_EL2);
	c->dirty = true;
	isb();
}

void vgic_put(struct vcpu *v)
{
	struct vgic_cpu *c = &v->vgic;

	vgic_sync(v);
	c->vmcr = read_sysreg(ICH_VMCR_EL2);
	c->ap0r0 = read_sysreg(ICH_AP0R0_EL2);
	c->ap1r0 = read_sysreg(ICH_AP1R0_EL2);
	write_sysreg(0, ICH_HCR_EL2);
	isb();
}

/* ICC_SGI1R_EL1 (IHI 0069 12.11.31): INTID [27:24], TargetList [15:0],
 * Aff1 [23:16], Aff2 [39:32], IRM [40], RS [47:44], Aff3 [55:48]. */
static void send_sgi(struct vcpu *v, uint64_t val)
{
	struct domain *d = v->dom;
	unsigned intid = (val >> 24) & 0xf;

	for (unsigned i = 0; i < d->cfg.nvcpus; i++) {
		struct vcpu *t = &d->vcpu[i];
		uint64_t m = t->vmpidr;
		bool hit;

		if ((val >> 40) & 1) {
			hit = t != v;
		} else {
			unsigned aff0 = mpidr_aff(m, 0);
			hit = mpidr_aff(m, 1) == ((val >> 16) & 0xff) &&
			      mpidr_aff(m, 2) == ((val >> 32) & 0xff) &&
			      mpidr_aff(m, 3) == ((val >> 48) & 0xff) &&
			      aff0 / 16 == ((val >> 44) & 0xf) && ((val >> (aff0 % 16)) & 1);
		}
		if (hit)
			vgic_inject(d, t, intid, true);
	}
}

bool vgic_sysreg_trap(struct vcpu *v, uint64_t esr)
{
	/* ISS: Op0 [21:20], Op2 [19:17], Op1 [16:14], CRn [13:10], Rt [9:5],
	 * CRm [4:1], Direction [0] (1 = read). */
	uint32_t iss = (uint32_t)(esr & 0x1ffffff);
	unsigned rt = (iss >> 5) & 31;
	uint32_t key = iss & ~(0x1fU << 5);
	uint64_t val = rt == 31 ? 0 : v->regs.x[rt];

	/* ICC_SGI1R_EL1 write: Op0 3, Op1 0, CRn 12, CRm 11, Op2 5. */
	if (key == ((3U << 20) | (5U << 17) | (0U << 14) | (12U << 10) | (11U << 1))) {
		send_sgi(v, val);
		return true;
	}
	return false;
}
