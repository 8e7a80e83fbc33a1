/* The rig firmware's PSCI 1.1 server (Arm DEN0022), one function per call. */
#include <lull/arch.h>
#include <lull/gic_regs.h>
#include "fw.h"

static unsigned cpu_on_calls, system_suspend_calls;

static int core_of_mpidr(uint64_t mpidr)
{
	if (psci_mpidr_invalid(mpidr))
		return -1;
	for (unsigned i = 0; i < FW_MAX_CPUS; i++)
		if (fw_plat.present[i] && mpidr_affinity(fw_plat.mpidr[i]) == mpidr)
			return (int)i;
	return -1;
}

/* An entry point must be an AArch64 instruction address in Non-secure RAM
 * (DEN0022 5.1.4 and 6.4.3: otherwise INVALID_ADDRESS). */
static bool entry_valid(uint64_t entry)
{
	if (entry & 3)
		return false;
	for (unsigned i = 0; i < fw_plat.nram; i++)
		if (entry >= fw_plat.ram[i].base && entry - fw_plat.ram[i].base < fw_plat.ram[i].size)
			return true;
	return false;
}

static int64_t psci_features(uint32_t fid)
{
	switch (fid) {
	case PSCI_CPU_SUSPEND:
	case PSCI_CPU_SUSPEND64:
		/* Extended StateID format; platform-coordinated mode only. */
		return PSCI_FEAT_PC_EXTENDED_STATEID;
	case PSCI_VERSION: case PSCI_CPU_OFF: case PSCI_CPU_ON: case PSCI_CPU_ON64:
	case PSCI_AFFINITY_INFO: case PSCI_AFFINITY_INFO64: case PSCI_MIGRATE_INFO_TYPE:
	case PSCI_SYSTEM_OFF: case PSCI_SYSTEM_RESET: case PSCI_FEATURES:
	case PSCI_SYSTEM_SUSPEND: case PSCI_SYSTEM_SUSPEND64: case SMCCC_VERSION:
		return PSCI_SUCCESS;
	default:
		return PSCI_NOT_SUPPORTED;
	}
}

/* SMCCC_ARCH_FEATURES (DEN0028 v1.3, 7.2): 0 for an implemented Arm
 * Architecture Service function. The CPU workaround functions are not
 * offered, nor SMCCC_ARCH_SOC_ID, which SMCCC v1.2 made optional. */
static int64_t smccc_arch_features(uint32_t fid)
{
	return fid == SMCCC_VERSION || fid == SMCCC_ARCH_FEATURES ? 0 : SMCCC_NOT_SUPPORTED;
}

static int64_t cpu_on(uint64_t target, uint64_t entry, uint64_t context)
{
	int core = core_of_mpidr(target);
	struct fw_cpu *c;
	int64_t rc;

	if (core < 0)
		return PSCI_INVALID_PARAMETERS;
	if (!entry_valid(entry))
		return PSCI_INVALID_ADDRESS;
	c = &fw_cpus[core];
	spin_lock(&fw_psci_lock);
	cpu_on_calls++;   /* valid calls only: the knob counts these */
	rc = psci_cpu_on_check(c->state);
	if (rc == PSCI_SUCCESS && fw_faults.fail_cpu_on == cpu_on_calls) {
		fw_log("fault injection: CPU_ON #%u fails", cpu_on_calls);
		rc = PSCI_INTERNAL_FAILURE;
	}
	if (rc == PSCI_SUCCESS) {
		c->entry = entry;
		c->context = context;
		c->state = PSCI_CPU_ON_PENDING_STATE;
		if (fw_faults.lose_cpu == core && c->times_on > 0) {
			fw_log("fault injection: core %d never comes back", core);
			c->lost = true;
		} else {
			/* Sent under the lock: when the target sees ON_PENDING its
			 * wake SGI is already pending, so it can consume it rather
			 * than leave it behind for the payload. */
			fw_gic_send_wake_sgi((unsigned)core);
		}
	}
	spin_unlock(&fw_psci_lock);
	return rc;
}

static NORETURN void power_down_then_park(void)
{
	fw_destroy_core_state(fw_this_cpu());
	fw_cpu_parked();
}

static NORETURN void cpu_off(void)
{
	unsigned cpu = fw_this_cpu();

	spin_lock(&fw_psci_lock);
	fw_cpus[cpu].state = PSCI_CPU_OFF_STATE;
	spin_unlock(&fw_psci_lock);
	fw_reset_stack_and_call(power_down_then_park);
}

static void set_state(unsigned cpu, enum psci_cpu_state st)
{
	spin_lock(&fw_psci_lock);
	fw_cpus[cpu].state = st;
	spin_unlock(&fw_psci_lock);
}

/* Shared tail of CPU_SUSPEND power-down and SYSTEM_SUSPEND: lose the state
 * real silicon loses, sleep until a wake-up interrupt, re-enter the
 * payload at `entry` with x0 = context_id. Returns only to refuse. */
static int64_t suspend_powerdown(bool system, uint64_t entry, uint64_t context)
{
	unsigned cpu = fw_this_cpu(), woken_by;
	struct fw_irq_set wake;
	struct fw_pending_irq at_once;

	fw_gic_capture_wake(cpu, system, &wake);
	if (!fw_irq_set_count(&wake)) {
		/* Nothing could ever wake the core or system: refuse rather
		 * than hang forever (tests then fail clearly). */
		fw_log("%s refused: no wake-up interrupt is enabled",
		       system ? "system suspend" : "core power-down");
		return PSCI_DENIED;
	}
	fw_gic_first_pending(cpu, &wake, &at_once);
	set_state(cpu, PSCI_CPU_SUSPENDED_STATE);
	fw_log("%s: %u wake-up interrupt(s) armed", system ? "system suspend" : "core power-down",
	       fw_irq_set_count(&wake));
	/* The power goes even when a wake-up is already pending: the payload
	 * may never rely on a short suspend keeping anything. */
	fw_destroy_core_state(cpu);
	if (system)
		fw_gic_destroy_dist();
	if (at_once.intid != GIC_INTID_SPURIOUS) {
		/* A power controller that sees a wake-up pending as the power
		 * goes powers straight back up; the interrupt stays pending. */
		fw_gic_restore_pending(cpu, &at_once);
		woken_by = at_once.intid;
		fw_log("%s: woken at once by interrupt %u (pending at the call), resuming at 0x%lx",
		       system ? "system resume" : "core power-up", woken_by, entry);
	} else {
		fw_gic_wait_for_wake(cpu, system, &wake, &woken_by);
		fw_log("%s: woken by interrupt %u, resuming at 0x%lx",
		       system ? "system resume" : "core power-up", woken_by, entry);
	}
	set_state(cpu, PSCI_CPU_ON_STATE);
	fw_gic_handover(cpu);
	fw_enter_payload(entry, context);
}

static int64_t cpu_suspend(uint32_t power_state, uint64_t entry, uint64_t context)
{
	struct psci_power_state ps;

	if (psci_decode_power_state(power_state, &ps) != PSCI_SUCCESS)
		return PSCI_INVALID_PARAMETERS;
	if (power_state == PSCI_STATE_CORE_STANDBY) {
		/* Standby: the core keeps its state; any interrupt ends it. */
		fw_work_end();
		wfi();
		fw_work_begin();
		return PSCI_SUCCESS;
	}
	if (power_state != PSCI_STATE_CORE_POWERDOWN)
		return PSCI_INVALID_PARAMETERS;
	if (!entry_valid(entry))
		return PSCI_INVALID_ADDRESS;
	return suspend_powerdown(false, entry, context);
}

static int64_t system_suspend(uint64_t entry, uint64_t context)
{
	unsigned cpu = fw_this_cpu();
	int64_t rc = PSCI_SUCCESS;

	if (!entry_valid(entry))
		return PSCI_INVALID_ADDRESS;
	spin_lock(&fw_psci_lock);
	system_suspend_calls++;
	/* DEN0022, SYSTEM_SUSPEND: every other core must be OFF; ON_PENDING is not. */
	for (unsigned i = 0; i < FW_MAX_CPUS; i++)
		if (i != cpu && fw_plat.present[i] && fw_cpus[i].state != PSCI_CPU_OFF_STATE)
			rc = PSCI_DENIED;
	if (rc == PSCI_SUCCESS && fw_faults.deny_suspend == system_suspend_calls) {
		fw_log("fault injection: SYSTEM_SUSPEND #%u denied", system_suspend_calls);
		rc = PSCI_DENIED;
	}
	spin_unlock(&fw_psci_lock);
	if (rc != PSCI_SUCCESS)
		return rc;
	/* Another core can only be turned on by this one, which is here:
	 * the check above stays true. */
	return suspend_powerdown(true, entry, context);
}

static int64_t affinity_info(uint64_t target, uint64_t level)
{
	enum psci_cpu_state states[FW_MAX_CPUS];
	uint64_t mpidrs[FW_MAX_CPUS];
	unsigned n = 0;

	for (unsigned i = 0; i < FW_MAX_CPUS; i++) {
		if (!fw_plat.present[i])
			continue;
		mpidrs[n] = fw_plat.mpidr[i];
		states[n++] = fw_cpus[i].state;
	}
	return psci_affinity_info(mpidrs, states, n, target, level);
}

static int64_t dispatch(uint32_t fid, uint64_t a1, uint64_t a2, uint64_t a3)
{
	switch (fid) {
	case PSCI_VERSION:
		return PSCI_VERSION_1_1;
	case PSCI_FEATURES:
		return psci_features((uint32_t)a1);
	case SMCCC_VERSION:
		return SMCCC_VERSION_1_3;
	case SMCCC_ARCH_FEATURES:
		return smccc_arch_features((uint32_t)a1);
	case LULL_SIP_FW_WORK:
		return (int64_t)fw_work_total();
	case PSCI_CPU_ON:
	case PSCI_CPU_ON64:
		return cpu_on(a1, a2, a3);
	case PSCI_CPU_OFF:
		fw_log("psci: CPU_OFF");
		cpu_off();
	case PSCI_CPU_SUSPEND:
	case PSCI_CPU_SUSPEND64:
		return cpu_suspend((uint32_t)a1, a2, a3);
	case PSCI_AFFINITY_INFO:
	case PSCI_AFFINITY_INFO64:
		return affinity_info(a1, a2);
	case PSCI_MIGRATE_INFO_TYPE:
		return PSCI_TOS_NOT_PRESENT_MP;
	case PSCI_SYSTEM_OFF:
		fw_log("psci: SYSTEM_OFF");
		fw_system_off();
	case PSCI_SYSTEM_RESET:
		fw_log("psci: SYSTEM_RESET");
		fw_system_reset();
	case PSCI_SYSTEM_SUSPEND:
	case PSCI_SYSTEM_SUSPEND64:
		return system_suspend(a1, a2);
	default:
		return PSCI_NOT_SUPPORTED;
	}
}

/* SMCCC v1.3: a caller may set the SVE live state hint on any fast call.
 * It is ignored: no call that returns touches FP/SIMD or SVE state, so
 * live state is preserved whether or not the caller needs it. */
void fw_psci_handle(struct fw_frame *f)
{
	uint32_t fid = smccc_strip_sve_hint((uint32_t)f->x[0]);
	uint64_t a1 = psci_arg(fid, f->x[1]), a2 = psci_arg(fid, f->x[2]);
	uint64_t a3 = psci_arg(fid, f->x[3]);
	int64_t rc;

	if (fid == PSCI_CPU_SUSPEND || fid == PSCI_CPU_SUSPEND64 ||
	    fid == PSCI_SYSTEM_SUSPEND || fid == PSCI_SYSTEM_SUSPEND64)
		fw_log("psci: %s(0x%lx, 0x%lx, 0x%lx)", psci_fn_name(fid), a1, a2, a3);
	rc = dispatch(fid, a1, a2, a3);
	f->x[0] = (uint64_t)rc;
	if (fid == LULL_SIP_FW_WORK)
		return;             /* a measurement: not logged */
	fw_log("psci: %s(0x%lx, 0x%lx, 0x%lx) -> %ld%s%s", psci_fn_name(fid), a1, a2, a3, (long)rc,
	       rc < 0 ? " " : "", rc < 0 ? psci_error_name(rc) : "");
}

void fw_trap(struct fw_frame *f, unsigned kind)
{
	uint64_t esr = read_sysreg(esr_el3);

	fw_work_begin();
	if (kind == 8 && (esr >> 26) == 0x17) {   /* SMC from AArch64 lower EL */
		fw_psci_handle(f);
		fw_work_end();
		return;
	}
	fw_log("unexpected exception: vector %u ESR 0x%lx ELR 0x%lx FAR 0x%lx",
	       kind, esr, f->elr, read_sysreg(far_el3));
	fw_panic("unexpected exception at EL3");
}
