/* The EL1 virtual timer of each vCPU (Arm ARM D11.2). The guest programs
 * CNTV_* itself; its interrupt is the virtual PPI 27, level-sensitive: it
 * is pending exactly while the timer condition holds (ENABLE, not IMASK,
 * ISTATUS). The physical PPI 27 only tells the hypervisor when the
 * condition became true; it stays disabled while the level is high, so it
 * cannot storm, and is enabled again once the guest has dealt with it. */
#include "domain.h"
#include "gic.h"
#include "hyp.h"
#include "irq.h"
#include "percpu.h"
#include "timer.h"
#include "vgic.h"
#include "vgic_internal.h"
#include "vtimer.h"

#define CNTV_ENABLE  BIT(0)
#define CNTV_IMASK   BIT(1)
#define CNTV_ISTATUS BIT(2)

static void set_level(struct vcpu *v, bool level)
{
	struct virq *q = &v->vgic.priv[PPI_VTIMER];

	if (q->level != level) {
		spin_lock(&v->dom->vgic.lock);
		q->level = level;
		vgic_irq_changed(v->dom, v, PPI_VTIMER);
		spin_unlock(&v->dom->vgic.lock);
	}
}

static void vtimer_irq(unsigned intid, void *arg)
{
	struct vcpu *v = this_cpu()->loaded;
	(void)arg;

	gic_ops->enable(intid, false);
	this_cpu()->vtimer_ppi_off = true;
	/* The level is high: a vCPU waiting for it wakes if the guest has
	 * the virtual PPI enabled (vgic_irq_changed decides). */
	if (v)
		set_level(v, true);
}

void vtimer_init(void)
{
	irq_register_private(PPI_VTIMER, "vtimer", vtimer_irq, NULL, false);
}

void vtimer_sync_loaded(struct vcpu *v)
{
	uint64_t ctl = read_sysreg(cntv_ctl_el0);
	bool level = (ctl & (CNTV_ENABLE | CNTV_IMASK | CNTV_ISTATUS)) == (CNTV_ENABLE | CNTV_ISTATUS);

	set_level(v, level);
	if (level && !this_cpu()->vtimer_ppi_off) {
		/* Already high (e.g. it expired while the vCPU was not
		 * loaded): the virtual PPI carries it; the physical one would
		 * only make the guest exit again at once. */
		this_cpu()->vtimer_ppi_off = true;
		gic_ops->enable(PPI_VTIMER, false);
	} else if (!level && this_cpu()->vtimer_ppi_off) {
		this_cpu()->vtimer_ppi_off = false;
		gic_ops->enable(PPI_VTIMER, true);
	}
}

void vtimer_check_parked(struct vcpu *v)
{
	uint64_t ctl = v->el1.cntv_ctl;

	if ((ctl & (CNTV_ENABLE | CNTV_IMASK)) != CNTV_ENABLE)
		return;
	/* CNTVOFF_EL2 is 0: the virtual count is the physical count. */
	if (counter_now() >= v->el1.cntv_cval) {
		set_level(v, true);
	} else {
		timer_request(v->el1.cntv_cval);
	}
}
