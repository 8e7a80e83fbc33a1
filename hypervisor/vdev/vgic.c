/* The virtual GIC's interrupt model, shared by both versions: interrupt
 * state, injection, list-register management, SGIs and the trapped GICv3
 * SGI register. The register views are vgic_v3_mmio.c / vgic_v2_mmio.c,
 * the list registers vgic_v3_cpuif.c / vgic_v2_cpuif.c. */
#include "domain.h"
#include "exits.h"
#include "gic.h"
#include "hyp.h"
#include "irq.h"
#include "page_alloc.h"
#include "percpu.h"
#include "sched.h"
#include "sysreg_trap.h"
#include "vgic.h"
#include "vgic_cpuif.h"
#include "vgic_internal.h"
#include "vtimer.h"

#define PPI_MAINTENANCE 25

const struct vgic_cpuif *vgic_cpuif;
static unsigned nr_lrs;

static void maintenance_irq(unsigned intid, void *arg)
{
	(void)intid;
	(void)arg;
	/* Nothing to do here: the exit it caused lets the run loop refill
	 * the list registers. Stop asking until then. */
	vgic_cpuif->enable(false);
}

void vgic_init(void)
{
	if (gic.version == 3)
		vgic_cpuif = &vgic_v3_cpuif;
	else if (gic.gich && gic.gicv)
		vgic_cpuif = &vgic_v2_cpuif;
	else
		return;      /* GICv2 without virtualization extensions */
	nr_lrs = vgic_cpuif->nr_lrs();
	if (nr_lrs > VGIC_MAX_LRS)
		nr_lrs = VGIC_MAX_LRS;
	irq_register_private(PPI_MAINTENANCE, "vgic-maint", maintenance_irq, NULL, false);
}

/* A passed-through SPI, on the physical CPU it is routed to. It reaches
 * the guest linked to the physical interrupt (list register HW bit): the
 * hypervisor drops its priority but leaves it active, and the guest's
 * deactivation of the virtual interrupt deactivates the physical one
 * (IHI 0069 4.9, IHI 0048 5.2.1). Until then the device cannot interrupt
 * again, so a level-sensitive line cannot storm. */
static void passthrough_irq(unsigned intid, void *arg)
{
	vgic_inject(arg, NULL, intid, true);
}

void vgic_passthrough_spi(struct domain *d, unsigned intid)
{
	if (intid < 32 || intid >= d->vgic.nr_intids)
		panic("domain %s: cannot pass interrupt %u through (virtual GIC has %u INTIDs)",
		      d->cfg.name, intid, d->vgic.nr_intids);
	d->vgic.spi[intid - 32].hw = true;
	/* On the boot CPU until the guest routes it. */
	if (irq_register_spi(intid, "passthrough", passthrough_irq, d, 0) ||
	    irq_set_forwarded(intid))
		panic("domain %s: cannot take interrupt %u", d->cfg.name, intid);
}

unsigned vgic_domain_intids(const struct domain_config *c)
{
	unsigned n = c->vgic_intids ? c->vgic_intids : VGIC_MIN_INTIDS;

	for (unsigned i = 0; i < c->ndev; i++)
		for (unsigned k = 0; k < c->dev[i].nirq; k++)
			if (c->dev[i].irq[k] >= n)
				n = c->dev[i].irq[k] + 1;
	n = (n + 31) / 32 * 32;
	return n > VGIC_MAX_INTIDS ? VGIC_MAX_INTIDS : n;
}

/* The SPIs' state is sized to the domain (24 bytes each: 2.3 KiB for the
 * default 128 INTIDs, 23 KiB for 1020), from the page pool, so that the
 * few domains that need many SPIs pay for them and the others do not. */
void vgic_domain_init(struct domain *d)
{
	size_t pages;

	if (!vgic_cpuif)
		panic("domain %s: this GIC cannot be virtualized (GICv2 without GICH/GICV)",
		      d->cfg.name);
	d->vgic.nr_intids = vgic_domain_intids(&d->cfg);
	d->vgic.words = (d->vgic.nr_intids + 31) / 32;
	d->vgic.itlines = d->vgic.words - 1;
	pages = ((d->vgic.nr_intids - 32) * sizeof(struct virq) + PAGE_SIZE - 1) / PAGE_SIZE;
	d->vgic.spi = page_alloc(pages);
	if (!d->vgic.spi)
		panic("domain %s: no memory for %u virtual interrupts", d->cfg.name,
		      d->vgic.nr_intids);
	if (gic.version == 3)
		vgic_v3_domain_init(d);
	else
		vgic_v2_domain_init(d);
}

static struct vcpu *target_of(struct domain *d, struct vcpu *owner, unsigned intid,
			      const struct virq *q)
{
	if (intid < 32)
		return owner;
	return q->target < d->cfg.nvcpus ? &d->vcpu[q->target] : NULL;
}

static void wake(struct vcpu *t, unsigned intid)
{
	t->vgic.dirty = true;
	if (t->wfi_blocked) {
		t->wake_intid = intid;
		t->wfi_blocked = false;
	}
	sched_kick(t);
}

void vgic_irq_changed(struct domain *d, struct vcpu *v, unsigned intid)
{
	struct virq *q = vgic_irq(d, v, intid);
	struct vcpu *t = target_of(d, v, intid, q);
	uint32_t bit = 1U << (intid % 32);
	bool cand = q->active || (q->enabled && virq_pending(q));

	if (intid >= 32)     /* it may have moved: forget it everywhere */
		for (unsigned i = 0; i < d->cfg.nvcpus; i++)
			d->vcpu[i].vgic.cand[intid / 32] &= ~bit;
	if (!t)
		return;
	t->vgic.dirty = true;
	if (!cand) {
		t->vgic.cand[intid / 32] &= ~bit;
		return;
	}
	t->vgic.cand[intid / 32] |= bit;
	/* Tell the vCPU unless it is the one this CPU is running (it will
	 * refill its list registers before it runs again). */
	if (t->wfi_blocked || t != this_cpu()->loaded)
		wake(t, intid);
}

void vgic_vcpu_reset(struct vcpu *v)
{
	struct vgic_cpu *c = &v->vgic;

	for (unsigned i = 0; i < 32; i++)
		c->priv[i] = (struct virq){ .edge = i < 16 };   /* SGIs are edge */
	/* Bits beyond the domain's INTIDs are never set. */
	for (unsigned i = 0; i < vgic_words(&v->dom->vgic); i++)
		c->cand[i] = 0;
	c->used_lrs = 0;
	c->vmcr = c->apr[0] = c->apr[1] = 0;
	c->sleeping = true;
	c->dirty = true;
}

void vgic_domain_reset(struct domain *d)
{
	spin_lock(&d->vgic.lock);
	d->vgic.ctlr = 0;
	d->vgic.enabled = false;
	for (unsigned i = 0; i < d->cfg.nvcpus; i++)
		vgic_vcpu_reset(&d->vcpu[i]);
	for (unsigned i = 0; i < d->vgic.nr_intids - 32; i++) {
		struct virq *q = &d->vgic.spi[i];
		bool hw = q->hw;

		/* A linked physical interrupt the guest never completed would
		 * stay active for ever: complete it for the guest. */
		if (hw && (q->active || q->level))
			gic_ops->clear_active(i + 32);
		*q = (struct virq){ .hw = hw, .targets = 1 };
	}
	spin_unlock(&d->vgic.lock);
}

/* Under the lock: q's input is now `level` (an edge when true). */
static void set_input(struct domain *d, struct vcpu *owner, unsigned intid, struct virq *q,
		      bool level)
{
	if (q->edge)
		q->pending_latch |= level;
	else
		q->level = level;
	vgic_irq_changed(d, owner, intid);
}

void vgic_inject(struct domain *d, struct vcpu *v, unsigned intid, bool level)
{
	struct virq *q;
	/* Also called from interrupt handlers (passed-through SPIs): the
	 * lock is never held with interrupts unmasked. */
	uint64_t flags = irq_save();

	spin_lock(&d->vgic.lock);
	q = vgic_irq(d, v, intid);
	if (q)
		set_input(d, v, intid, q, level);
	spin_unlock(&d->vgic.lock);
	irq_restore(flags);
}

void vgic_send_sgi(struct vcpu *from, struct vcpu *to, unsigned sgi)
{
	struct domain *d = to->dom;
	struct virq *q = &to->vgic.priv[sgi & 15];
	uint64_t flags = irq_save();

	spin_lock(&d->vgic.lock);
	/* GICv2 keeps one pending state per sender (IHI 0048 3.2.3); GICv3
	 * with affinity routing one per target only. */
	q->sgi_sources |= (uint8_t)(1U << (gic.version == 2 ? from->id : 0));
	set_input(d, to, sgi & 15, q, true);
	spin_unlock(&d->vgic.lock);
	irq_restore(flags);
	sched_directed_yield(from, to);
}

/* Can this interrupt be signalled now? (Enabled at the distributor; the
 * CPU interface's masks are the hardware's business.) */
static bool signalled(struct domain *d, const struct virq *q)
{
	return q->enabled && virq_pending(q) && d->vgic.enabled;
}

/* What goes into list registers: signalled, or active. */
static bool deliverable(struct domain *d, const struct virq *q)
{
	return q->active || signalled(d, q);
}

/* Under the lock: the first interrupt that would end a WFI of v (pending,
 * not merely active), or -1. */
static int first_signalled(struct domain *d, struct vcpu *v)
{
	unsigned words = vgic_words(&d->vgic);

	for (unsigned w = 0; w < words; w++)
		for (uint32_t m = v->vgic.cand[w]; m; m &= m - 1) {
			unsigned intid = w * 32 + (unsigned)__builtin_ctz(m);

			if (signalled(d, vgic_irq(d, v, intid)))
				return (int)intid;
		}
	return -1;
}

bool vgic_vcpu_block(struct vcpu *v)
{
	struct domain *d = v->dom;
	int intid;

	spin_lock(&d->vgic.lock);
	intid = first_signalled(d, v);
	if (intid >= 0)
		v->wake_intid = (unsigned)intid;
	/* Decided under the lock: an injection after it finds the vCPU
	 * blocked and wakes it. */
	v->wfi_blocked = intid < 0;
	spin_unlock(&d->vgic.lock);
	return intid < 0;
}

int vgic_vcpu_pending(struct vcpu *v)
{
	int intid;

	spin_lock(&v->dom->vgic.lock);
	intid = first_signalled(v->dom, v);
	spin_unlock(&v->dom->vgic.lock);
	return intid;
}

unsigned vgic_enabled_passthrough(struct domain *d, uint32_t *bitmap)
{
	unsigned n = 0;

	spin_lock(&d->vgic.lock);
	for (unsigned i = 32; d->vgic.enabled && i < d->vgic.nr_intids; i++) {
		const struct virq *q = &d->vgic.spi[i - 32];
		if (q->hw && q->enabled) {
			bitmap[i / 32] |= 1U << (i % 32);
			n++;
		}
	}
	spin_unlock(&d->vgic.lock);
	return n;
}

unsigned vgic_vcpu_wake_sources(struct vcpu *v)
{
	struct domain *d = v->dom;
	unsigned n = 0;

	spin_lock(&d->vgic.lock);
	for (unsigned i = 0; i < d->vgic.nr_intids; i++) {
		const struct virq *q = vgic_irq(d, v, i);
		n += q->enabled && target_of(d, v, i, q) == v;
	}
	spin_unlock(&d->vgic.lock);
	return d->vgic.enabled ? n : 0;
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
		struct vgic_lr lr;
		struct virq *q;

		vgic_cpuif->read_lr(i, &lr);
		vgic_cpuif->clear_lr(i);
		q = vgic_irq(d, v, lr.intid);
		if (!q)
			continue;
		q->in_lr = false;
		q->active = lr.active;
		if (lr.intid < 16) {
			/* SGI: a source not yet acknowledged stays pending. */
			if (lr.pending)
				q->sgi_sources |= (uint8_t)(1U << lr.source);
			q->pending_latch = q->sgi_sources != 0;
		} else if (q->hw && !q->edge) {
			/* Linked: the physical side holds the line's state. */
			q->level = lr.pending;
		} else if (q->edge) {
			/* (Linked or not: an edge the guest has not taken yet
			 * stays latched; the physical interrupt stays active
			 * until the guest deactivates it.) */
			/* Still pending in the LR, or a new edge since the flush. */
			q->pending_latch |= lr.pending;
		} else if (q->lr_pending && !lr.pending) {
			/* Level: pending follows the line; a software pend
			 * (ISPENDR) the guest acknowledged is consumed (one that
			 * stayed out of an active-only LR is not). */
			q->pending_latch = false;
		}
		/* Writes made while it was in the list register, in register
		 * order (set before clear of the same state). */
		for (unsigned r = VGIC_ISPENDR; q->deferred && r <= VGIC_ICACTIVER; r++)
			if (q->deferred & (1U << r))
				vgic_write_state(q, lr.intid, (enum vgic_bitreg)r);
		q->deferred = 0;
		vgic_irq_changed(d, v, lr.intid);
	}
	c->used_lrs = 0;
	c->dirty = true;
	spin_unlock(&d->vgic.lock);
}

void vgic_defer_write(struct domain *d, struct virq *q, enum vgic_bitreg r)
{
	struct vcpu *holder = &d->vcpu[q->lr_vcpu];

	q->deferred |= (uint8_t)(1U << r);
	holder->vgic.dirty = true;
	sched_kick(holder);
}

/* The list register for q, consuming the pending state it now carries. */
static void fill_lr(struct vcpu *v, unsigned k, unsigned intid, struct virq *q)
{
	struct vgic_lr lr = {
		.intid = intid,
		.priority = q->priority,
		.active = q->active,
		.pending = virq_pending(q),
		.hw = q->hw,
	};

	if (q->hw) {
		/* Never pending and active with HW set: the physical
		 * interrupt holds the pending state (IHI 0069 4.9). */
		lr.pending &= !q->active;
	} else if (!q->edge && q->active) {
		/* An active level interrupt goes in as active only, with an
		 * EOI maintenance request: its line is sampled again after the
		 * guest completes it, so a source the handler cleared does not
		 * come back as pending (IHI 0069 4.1). */
		lr.pending = false;
		lr.eoi = true;
	}
	if (intid < 16 && lr.pending) {
		/* One sender at a time; the others stay pending here. */
		lr.source = (uint8_t)__builtin_ctz(q->sgi_sources | 0x100);
		q->sgi_sources &= (uint8_t)~(1U << lr.source);
		q->pending_latch = q->sgi_sources != 0;
	} else if (q->edge && lr.pending) {
		q->pending_latch = false;
	}
	vgic_cpuif->write_lr(k, &lr);
	q->in_lr = true;
	q->lr_vcpu = (uint8_t)v->id;
	q->lr_pending = lr.pending;
}

/* Before the guest runs: the highest-priority deliverable (or active)
 * interrupts of this vCPU into the list registers. */
void vgic_flush(struct vcpu *v)
{
	struct domain *d = v->dom;
	struct vgic_cpu *c = &v->vgic;
	unsigned ids[VGIC_MAX_LRS + 1];
	struct virq *best[VGIC_MAX_LRS + 1];
	unsigned n = 0, words = vgic_words(&d->vgic);
	bool overflow = false;

	vtimer_sync_loaded(v);
	if (!c->dirty)
		return;
	spin_lock(&d->vgic.lock);
	c->dirty = false;
	/* One pass over the candidates keeps the nr_lrs best (lowest priority
	 * value first; lower INTID on a tie, as the scan is in INTID order). */
	for (unsigned w = 0; w < words; w++) {
		for (uint32_t m = c->cand[w]; m; m &= m - 1) {
			unsigned i = w * 32 + (unsigned)__builtin_ctz(m), k;
			struct virq *q = vgic_irq(d, v, i);

			if (q->in_lr || !deliverable(d, q))
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
	}
	for (unsigned k = 0; k < n; k++) {
		fill_lr(v, k, ids[k], best[k]);
		vgic_irq_changed(d, v, ids[k]);
	}
	c->dirty = false;
	c->used_lrs = n;
	spin_unlock(&d->vgic.lock);
	vgic_cpuif->enable(overflow);
}

void vgic_load(struct vcpu *v)
{
	vgic_cpuif->load(&v->vgic);
	v->vgic.dirty = true;
}

void vgic_put(struct vcpu *v)
{
	vgic_sync(v);
	vgic_cpuif->save_and_disable(&v->vgic);
}

/* ICC_SGI1R_EL1 (IHI 0069 12.11.31): INTID [27:24], TargetList [15:0],
 * Aff1 [23:16], Aff2 [39:32], IRM [40], RS [47:44], Aff3 [55:48]. */
static void send_sgi1r(struct vcpu *v, uint64_t val)
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
			vgic_send_sgi(v, t, intid);
	}
}

enum sysreg_result vgic_sysreg_access(struct vcpu *v, const struct sysreg_access *a)
{
	if (gic.version == 3 && !a->read && a->key == SYSREG_KEY(3, 0, 12, 11, 5)) {
		send_sgi1r(v, sysreg_write_value(v, a));     /* ICC_SGI1R_EL1 */
		return SYSREG_DONE;
	}
	return SYSREG_NOT_MINE;
}
