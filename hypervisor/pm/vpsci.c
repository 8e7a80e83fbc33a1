/* Virtual PSCI 1.1 (Arm DEN0022) and the SMCCC architecture calls
 * (DEN0028) for guests: one dispatch function, one small function per
 * call. A guest can only ever name its own domain's vCPUs.
 *
 * vCPU power states (enum vcpu_power), changed under the domain lock:
 *
 *   OFF ---CPU_ON---> ON_PENDING ---its CPU runs it---> ON ---CPU_OFF---> OFF
 *   ON ---CPU_SUSPEND standby---> STANDBY -------\
 *   ON ---CPU_SUSPEND power-down---> POWERED_DOWN --> (interrupt pending) --> ON
 *   ON ---SYSTEM_SUSPEND (others OFF)---> SUSPENDED -/
 *
 * The sleeping states block the vCPU like WFI (vgic_vcpu_block); an
 * interrupt that becomes pending for it wakes it, and core/sched.c makes
 * it ON before it runs. POWERED_DOWN and SUSPENDED have lost their
 * context: they re-enter at the entry point given to the call. */
#include <stdint.h>
#include <lull/psci.h>
#include "domain.h"
#include "host_pm.h"
#include "hyp.h"
#include "percpu.h"
#include "sched.h"
#include "vcpu.h"
#include "vgic.h"
#include "vpsci.h"
#include "vptimer.h"
#include "vtimer.h"
#include "vwdt.h"

/* A call's result when the vCPU's registers already say what it will see
 * (a lost context re-entering at its entry point, or a call that does not
 * return): x0 is left alone. No PSCI or SMCCC call returns it. */
#define NO_RESULT INT64_MIN

static bool entry_valid(const struct domain *d, uint64_t entry)
{
	return !(entry & 3) && entry >= d->cfg.ram_ipa &&
	       entry - d->cfg.ram_ipa < d->cfg.mem_size;
}

static enum psci_cpu_state psci_state_of(const struct vcpu *v)
{
	switch (v->power) {
	case VCPU_OFF: return PSCI_CPU_OFF_STATE;
	case VCPU_ON_PENDING: return PSCI_CPU_ON_PENDING_STATE;
	default: return PSCI_CPU_ON_STATE;   /* sleeping vCPUs are ON to PSCI */
	}
}

/* DEN0022, PSCI_FEATURES */
static int64_t psci_features(uint32_t fid)
{
	switch (fid) {
	case PSCI_CPU_SUSPEND: case PSCI_CPU_SUSPEND64:
		/* Extended StateID power_state format; platform-coordinated
		 * mode only (bit 0 clear: no OS-initiated mode). */
		return PSCI_FEAT_PC_EXTENDED_STATEID;
	case PSCI_VERSION: case PSCI_CPU_OFF: case PSCI_CPU_ON: case PSCI_CPU_ON64:
	case PSCI_AFFINITY_INFO: case PSCI_AFFINITY_INFO64: case PSCI_MIGRATE_INFO_TYPE:
	case PSCI_SYSTEM_OFF: case PSCI_SYSTEM_RESET: case PSCI_SYSTEM_RESET2:
	case PSCI_SYSTEM_RESET2_64: case PSCI_SYSTEM_SUSPEND: case PSCI_SYSTEM_SUSPEND64:
	case PSCI_FEATURES: case SMCCC_VERSION:
		return PSCI_SUCCESS;
	default:
		return PSCI_NOT_SUPPORTED;
	}
}

/* DEN0028 7.2: the implemented Arm Architecture Service calls; no CPU
 * erratum workaround is offered and SMCCC_ARCH_SOC_ID (optional since
 * 1.2) is not implemented. The queried ID may carry the SVE hint too. */
static int64_t smccc_arch_features(uint32_t fid)
{
	fid = smccc_strip_sve_hint(fid);
	return fid == SMCCC_VERSION || fid == SMCCC_ARCH_FEATURES ? 0 : SMCCC_NOT_SUPPORTED;
}

/* DEN0022, CPU_ON */
static int64_t cpu_on(struct vcpu *caller, uint64_t target, uint64_t entry, uint64_t ctx)
{
	struct domain *d = caller->dom;
	struct vcpu *t = psci_mpidr_invalid(target) ? NULL : domain_vcpu_by_mpidr(d, target);
	int64_t rc;

	if (!t)
		return PSCI_INVALID_PARAMETERS;
	if (!entry_valid(d, entry))
		return PSCI_INVALID_ADDRESS;
	spin_lock(&d->lock);
	rc = psci_cpu_on_check(psci_state_of(t));
	if (rc == PSCI_SUCCESS) {
		/* An OFF vCPU is not loaded anywhere: its state is ours. */
		vcpu_reset(t, entry, ctx);
		t->power = VCPU_ON_PENDING;
	}
	spin_unlock(&d->lock);
	if (rc == PSCI_SUCCESS) {
		sched_kick(t);
		sched_directed_yield(caller, t);
	}
	return rc;
}

static void set_power(struct vcpu *v, enum vcpu_power p)
{
	spin_lock(&v->dom->lock);
	v->power = p;
	spin_unlock(&v->dom->lock);
}

/* DEN0022, CPU_OFF. The caller never returns; INTERNAL_FAILURE stays in x0
 * in case it is ever run again without a CPU_ON. */
static int64_t cpu_off(struct vcpu *v)
{
	v->regs.x[0] = (uint64_t)(int64_t)PSCI_INTERNAL_FAILURE;
	/* Off this CPU first: once OFF is visible, a CPU_ON from another
	 * CPU may rewrite the vCPU's state (cpu_on: "not loaded anywhere"). */
	vcpu_put(v);
	set_power(v, VCPU_OFF);
	return NO_RESULT;
}

/* Power-down of the calling vCPU (on its own CPU, loaded): its context
 * is gone as on hardware. What survives is what lives outside the core:
 * RAM, the distributor and redistributor state with the pending
 * interrupts, and the EL1 virtual timer (the guest's DT calls it
 * always-on, so it can wake the vCPU). The CPU interface (priority mask,
 * group enables, active priorities) is reset with the core. It re-enters
 * at entry with x0 = context, as after CPU_ON. */
static void lose_context(struct vcpu *v, uint64_t entry, uint64_t ctx)
{
	vtimer_sync_loaded(v);   /* the timers' levels as of now */
	vptimer_update(v);
	vcpu_put(v);
	vcpu_lose_context(v, entry, ctx);
}

/* DEN0022, CPU_SUSPEND, with the extended power_state format. */
static int64_t cpu_suspend(struct vcpu *v, uint32_t power_state, uint64_t entry, uint64_t ctx)
{
	struct psci_power_state ps;

	if (psci_decode_power_state(power_state, &ps) != PSCI_SUCCESS)
		return PSCI_INVALID_PARAMETERS;
	if (power_state == PSCI_STATE_CORE_STANDBY) {
		/* Returns SUCCESS once a wake-up event is pending (at once if
		 * one already is); the context is kept. */
		v->suspends++;
		v->cpu_suspends++;
		set_power(v, VCPU_STANDBY);
		vtimer_sync_loaded(v);   /* the timers' levels as of now */
		vptimer_update(v);
		vgic_vcpu_block(v);
		return PSCI_SUCCESS;
	}
	if (power_state != PSCI_STATE_CORE_POWERDOWN)
		return PSCI_INVALID_PARAMETERS;
	if (!entry_valid(v->dom, entry))
		return PSCI_INVALID_ADDRESS;
	v->suspends++;
	v->cpu_suspends++;
	set_power(v, VCPU_POWERED_DOWN);
	lose_context(v, entry, ctx);
	vgic_vcpu_block(v);     /* a pending interrupt ends it at once */
	return NO_RESULT;
}

/* DEN0022, SYSTEM_SUSPEND: the domain's suspend to RAM. Only when every other vCPU
 * is OFF; the caller sleeps until one of the interrupts the domain left
 * enabled becomes pending for it, then re-enters at entry. Checking the
 * siblings and entering SUSPENDED happen under one hold of the domain
 * lock, so a concurrent CPU_ON either comes first (DENIED here) or finds
 * no OFF target it could start (only this vCPU could have, and it is
 * here). */
static int64_t system_suspend(struct vcpu *v, uint64_t entry, uint64_t ctx)
{
	struct domain *d = v->dom;
	int64_t rc = PSCI_SUCCESS;

	if (!entry_valid(d, entry))
		return PSCI_INVALID_ADDRESS;
	spin_lock(&d->lock);
	for (unsigned i = 0; i < d->cfg.nvcpus; i++)
		if (&d->vcpu[i] != v && d->vcpu[i].power != VCPU_OFF)
			rc = PSCI_DENIED;
	if (rc == PSCI_SUCCESS && !vgic_vcpu_wake_sources(v)) {
		/* Nothing could ever wake it: refuse, as the rig firmware
		 * does, rather than lose the domain for good. */
		printk("domain %s: SYSTEM_SUSPEND denied: no interrupt is enabled to wake it",
		       d->cfg.name);
		rc = PSCI_DENIED;
	}
	if (rc == PSCI_SUCCESS) {
		v->power = VCPU_SUSPENDED;
		/* The hardware domain suspends the machine: parked with its
		 * context until that succeeds or fails (no wake-up may run it
		 * meanwhile). */
		v->host_park = d->cfg.hardware;
	}
	spin_unlock(&d->lock);
	if (rc != PSCI_SUCCESS)
		return rc;
	vwdt_domain_stopped(d);     /* its watchdog stands still while it sleeps */
	v->suspends++;
	if (d->cfg.hardware) {
		printk("domain %s: SYSTEM_SUSPEND: suspending the machine", d->cfg.name);
		vtimer_sync_loaded(v);
		vcpu_put(v);
		host_suspend_request(v, entry, ctx);
		return NO_RESULT;   /* x0 is written when the machine resumed or failed */
	}
	printk("domain %s: suspended (PSCI SYSTEM_SUSPEND), vCPU %u re-enters at 0x%lx",
	       d->cfg.name, v->id, entry);
	lose_context(v, entry, ctx);
	vgic_vcpu_block(v);
	return NO_RESULT;
}

static int64_t affinity_info(struct vcpu *v, uint64_t target, uint64_t level)
{
	struct domain *d = v->dom;
	enum psci_cpu_state states[MAX_VCPUS];
	uint64_t mpidrs[MAX_VCPUS];

	for (unsigned i = 0; i < d->cfg.nvcpus; i++) {
		mpidrs[i] = d->vcpu[i].vmpidr;
		states[i] = psci_state_of(&d->vcpu[i]);
	}
	return psci_affinity_info(mpidrs, states, d->cfg.nvcpus, target, level);
}

/* DEN0022, SYSTEM_OFF and SYSTEM_RESET: the domain stops or reboots from its images;
 * INTERNAL_FAILURE stays in x0 in case the old context ever runs. */
static int64_t system_off(struct vcpu *v)
{
	v->regs.x[0] = (uint64_t)(int64_t)PSCI_INTERNAL_FAILURE;
	domain_power_off(v->dom, "PSCI SYSTEM_OFF");
	return NO_RESULT;
}

static int64_t system_reset(struct vcpu *v)
{
	v->regs.x[0] = (uint64_t)(int64_t)PSCI_INTERNAL_FAILURE;
	domain_reboot(v->dom);
	return NO_RESULT;
}

/* DEN0022, SYSTEM_RESET2: reset_type (32 bits) bit 31 = vendor-specific (none offered),
 * else architectural, of which only 0 (SYSTEM_WARM_RESET) exists: a
 * domain's warm reset is its reboot. */
static int64_t system_reset2(struct vcpu *v, uint64_t reset_type)
{
	return (uint32_t)reset_type == 0 ? system_reset(v) : PSCI_INVALID_PARAMETERS;
}

void vpsci_handle(struct vcpu *v)
{
	/* SMCCC 1.3 (DEN0028 E, 2.10): a caller may set the SVE live state
	 * hint (bit 16) on any fast call; it only says whether the callee
	 * must keep the caller's SVE state beyond FP/SIMD. No call here
	 * touches FP/SIMD or SVE (the hypervisor never uses them, and a vCPU
	 * switch saves the whole state lazily, arch/aarch64/fpsimd.c), so it is
	 * ignored: the call answers as without it. */
	uint32_t fid = (uint32_t)v->regs.x[0];
	uint64_t a1 = psci_arg(fid, v->regs.x[1]), a2 = psci_arg(fid, v->regs.x[2]);
	uint64_t a3 = psci_arg(fid, v->regs.x[3]);
	int64_t rc;

	if (fid & SMCCC_SVE_HINT)    /* rare: the common calls pay one test */
		fid = smccc_strip_sve_hint(fid);
	switch (fid) {
	case PSCI_VERSION:           rc = PSCI_VERSION_1_1; break;
	case SMCCC_VERSION:          rc = SMCCC_VERSION_1_3; break;
	case SMCCC_ARCH_FEATURES:    rc = smccc_arch_features((uint32_t)a1); break;
	case PSCI_FEATURES:          rc = psci_features((uint32_t)a1); break;
	case PSCI_CPU_ON:
	case PSCI_CPU_ON64:          rc = cpu_on(v, a1, a2, a3); break;
	case PSCI_CPU_OFF:           rc = cpu_off(v); break;
	case PSCI_CPU_SUSPEND:
	case PSCI_CPU_SUSPEND64:     rc = cpu_suspend(v, (uint32_t)a1, a2, a3); break;
	case PSCI_AFFINITY_INFO:
	case PSCI_AFFINITY_INFO64:   rc = affinity_info(v, a1, a2); break;
	case PSCI_MIGRATE_INFO_TYPE: rc = PSCI_TOS_NOT_PRESENT_MP; break;
	case PSCI_SYSTEM_OFF:        rc = system_off(v); break;
	case PSCI_SYSTEM_RESET:      rc = system_reset(v); break;
	case PSCI_SYSTEM_RESET2:
	case PSCI_SYSTEM_RESET2_64:  rc = system_reset2(v, a1); break;
	case PSCI_SYSTEM_SUSPEND:
	case PSCI_SYSTEM_SUSPEND64:  rc = system_suspend(v, a1, a2); break;
	default:                     rc = PSCI_NOT_SUPPORTED; break;
	}
	if (rc != NO_RESULT)
		v->regs.x[0] = (uint64_t)rc;
}
