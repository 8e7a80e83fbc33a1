/* The EL1 physical timer (Arm ARM D11.2, registers D17.8), emulated per
 * vCPU as KVM does: a physical CPU has one, and two vCPUs sharing the CPU
 * must each have their own. CNTHCTL_EL2.EL1PCEN is clear, so every guest
 * access to CNTP_CTL_EL0, CNTP_CVAL_EL0 and CNTP_TVAL_EL0 traps here (an
 * EL0 access too, when the guest's CNTKCTL_EL1.EL0PTEN lets EL0 reach it;
 * otherwise it traps to the guest's EL1 first). The counter itself stays
 * readable (EL1PCTEN): the comparison is against CNTPCT_EL0.
 *
 * The state is ENABLE, IMASK and the compare value; ISTATUS is computed
 * at each read (CVAL <= count while ENABLE). The output, ENABLE and
 * ISTATUS and not IMASK, is the level of the vCPU's PPI 30 in the virtual
 * GIC, level-sensitive: its pending state follows the timer condition
 * whether the guest has the interrupt enabled or not. The level rises
 * when the deadline passes (this CPU's CNTHP timer is asked for it:
 * vptimer_update from the run loop, for the loaded vCPU and the others)
 * and falls as soon as a write ends the condition. Nothing is in the
 * hardware, so the timer runs on while its vCPU is not loaded, paused or
 * asleep, and across a host suspend (the compare value is absolute and
 * the system counter keeps counting). */
#include "domain.h"
#include "hyp.h"
#include "timer.h"
#include "vcpu.h"
#include "vgic.h"
#include "vgic_internal.h"
#include "vptimer.h"

#define CTL_ENABLE  BIT(0)
#define CTL_IMASK   BIT(1)
#define CTL_ISTATUS BIT(2)

#define K_CNTP_TVAL SYSREG_KEY(3, 3, 14, 2, 0)
#define K_CNTP_CTL  SYSREG_KEY(3, 3, 14, 2, 1)
#define K_CNTP_CVAL SYSREG_KEY(3, 3, 14, 2, 2)

static bool istatus(const struct vptimer *t, uint64_t now)
{
	return (t->ctl & CTL_ENABLE) && now >= t->cval;
}

static void set_level(struct vcpu *v, bool level)
{
	struct virq *q = &v->vgic.priv[PPI_PTIMER];

	if (!vgic_present() || q->level == level)
		return;
	spin_lock(&v->dom->vgic.lock);
	q->level = level;
	vgic_irq_changed(v->dom, v, PPI_PTIMER);
	spin_unlock(&v->dom->vgic.lock);
}

void vptimer_update(struct vcpu *v)
{
	struct vptimer *t = &v->ptimer;
	bool armed = (t->ctl & (CTL_ENABLE | CTL_IMASK)) == CTL_ENABLE;
	uint64_t now;

	if (!armed) {
		set_level(v, false);
		return;
	}
	now = counter_now();
	set_level(v, now >= t->cval);
	if (now < t->cval)
		timer_request(t->cval);
}

void vptimer_reset(struct vcpu *v)
{
	v->ptimer = (struct vptimer){ 0 };
}

enum sysreg_result vptimer_sysreg_access(struct vcpu *v, const struct sysreg_access *a)
{
	struct vptimer *t = &v->ptimer;
	uint64_t now = counter_now(), val;

	switch (a->key) {
	case K_CNTP_CTL:
		if (a->read) {
			sysreg_set_result(v, a, t->ctl | (istatus(t, now) ? CTL_ISTATUS : 0));
			return SYSREG_DONE;
		}
		t->ctl = sysreg_write_value(v, a) & (CTL_ENABLE | CTL_IMASK);   /* ISTATUS is RO */
		break;
	case K_CNTP_CVAL:
		if (a->read) {
			sysreg_set_result(v, a, t->cval);
			return SYSREG_DONE;
		}
		t->cval = sysreg_write_value(v, a);
		break;
	case K_CNTP_TVAL:
		/* TimerValue: the signed 32-bit distance to CVAL (D11.2.4). */
		if (a->read) {
			val = (uint64_t)(int64_t)(int32_t)(uint32_t)(t->cval - now);
			sysreg_set_result(v, a, val & 0xffffffffULL);
			return SYSREG_DONE;
		}
		t->cval = now + (uint64_t)(int64_t)(int32_t)(uint32_t)sysreg_write_value(v, a);
		break;
	default:
		return SYSREG_NOT_MINE;
	}
	vptimer_update(v);
	return SYSREG_DONE;
}
