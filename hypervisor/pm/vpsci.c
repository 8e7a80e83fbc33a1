/* Virtual PSCI for guests: one dispatch function, one small function per
 * call. A guest can only ever name its own domain's vCPUs.
 *
 * vCPU power state (struct vcpu.power) changes under the domain lock:
 *   OFF --CPU_ON--> ON_PENDING --picked by its physical CPU--> ON
 *   ON --CPU_OFF--> OFF. */
#include <lull/psci.h>
#include "domain.h"
#include "hyp.h"
#include "percpu.h"
#include "sched.h"
#include "vcpu.h"
#include "vpsci.h"

static bool entry_valid(const struct domain *d, uint64_t entry)
{
	return !(entry & 3) && entry >= GUEST_RAM_BASE &&
	       entry - GUEST_RAM_BASE < d->cfg.mem_size;
}

static int64_t psci_features(uint32_t fid)
{
	switch (fid) {
	case PSCI_VERSION: case PSCI_CPU_OFF: case PSCI_CPU_ON: case PSCI_CPU_ON64:
	case PSCI_AFFINITY_INFO: case PSCI_AFFINITY_INFO64: case PSCI_MIGRATE_INFO_TYPE:
	case PSCI_SYSTEM_OFF: case PSCI_SYSTEM_RESET: case PSCI_FEATURES: case SMCCC_VERSION:
		return PSCI_SUCCESS;
	default:
		return PSCI_NOT_SUPPORTED;
	}
}

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
	rc = psci_cpu_on_check(t->power == VCPU_OFF ? PSCI_CPU_OFF_STATE :
			       t->power == VCPU_ON_PENDING ? PSCI_CPU_ON_PENDING_STATE :
			       PSCI_CPU_ON_STATE);
	if (rc == PSCI_SUCCESS) {
		/* An OFF vCPU is not loaded anywhere: its state is ours. */
		vcpu_reset(t, entry, ctx);
		t->power = VCPU_ON_PENDING;
	}
	spin_unlock(&d->lock);
	if (rc == PSCI_SUCCESS)
		sched_kick(t);
	return rc;
}

static void cpu_off(struct vcpu *v)
{
	spin_lock(&v->dom->lock);
	v->power = VCPU_OFF;
	spin_unlock(&v->dom->lock);
}

static int64_t affinity_info(struct vcpu *v, uint64_t target, uint64_t level)
{
	struct domain *d = v->dom;
	enum psci_cpu_state states[MAX_VCPUS];
	uint64_t mpidrs[MAX_VCPUS];

	for (unsigned i = 0; i < d->cfg.nvcpus; i++) {
		mpidrs[i] = d->vcpu[i].vmpidr;
		states[i] = d->vcpu[i].power == VCPU_OFF ? PSCI_CPU_OFF_STATE :
			    d->vcpu[i].power == VCPU_ON_PENDING ? PSCI_CPU_ON_PENDING_STATE :
			    PSCI_CPU_ON_STATE;
	}
	return psci_affinity_info(mpidrs, states, d->cfg.nvcpus, target, level);
}

void vpsci_handle(struct vcpu *v)
{
	uint32_t fid = (uint32_t)v->regs.x[0];
	uint64_t a1 = psci_arg(fid, v->regs.x[1]), a2 = psci_arg(fid, v->regs.x[2]);
	uint64_t a3 = psci_arg(fid, v->regs.x[3]);
	int64_t rc;

	switch (fid) {
	case PSCI_VERSION:
		rc = PSCI_VERSION_1_1;
		break;
	case SMCCC_VERSION:
		rc = SMCCC_VERSION_1_1;
		break;
	case PSCI_FEATURES:
		rc = psci_features((uint32_t)a1);
		break;
	case PSCI_CPU_ON:
	case PSCI_CPU_ON64:
		rc = cpu_on(v, a1, a2, a3);
		break;
	case PSCI_CPU_OFF:
		cpu_off(v);
		rc = PSCI_INTERNAL_FAILURE;   /* seen only if it ever runs again */
		break;
	case PSCI_AFFINITY_INFO:
	case PSCI_AFFINITY_INFO64:
		rc = affinity_info(v, a1, a2);
		break;
	case PSCI_MIGRATE_INFO_TYPE:
		rc = PSCI_TOS_NOT_PRESENT_MP;
		break;
	case PSCI_SYSTEM_OFF:
		v->regs.x[0] = (uint64_t)(int64_t)PSCI_INTERNAL_FAILURE;
		domain_power_off(v->dom, "PSCI SYSTEM_OFF");
		return;
	case PSCI_SYSTEM_RESET:
		v->regs.x[0] = (uint64_t)(int64_t)PSCI_INTERNAL_FAILURE;
		domain_reboot(v->dom);
		return;
	default:
		rc = PSCI_NOT_SUPPORTED;
		break;
	}
	v->regs.x[0] = (uint64_t)rc;
}
