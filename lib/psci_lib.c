/* Pure PSCI argument logic: no hardware access, unit-tested on the host. */
#include <lull/psci.h>

bool psci_is_smc64(uint32_t fid)
{
	return (fid & 0x40000000U) != 0; /* SMCCC 2.5: bit 30 = SMC64 */
}

uint32_t smccc_strip_sve_hint(uint32_t fid)
{
	return fid & SMCCC_FAST_CALL ? fid & ~SMCCC_SVE_HINT : fid;
}

uint64_t psci_arg(uint32_t fid, uint64_t raw)
{
	return psci_is_smc64(fid) ? raw : (raw & 0xffffffffULL);
}

int psci_decode_power_state(uint32_t ps, struct psci_power_state *out)
{
	if (ps & PSCI_PS_RESERVED_MASK)
		return PSCI_INVALID_PARAMETERS;
	out->type = (ps & PSCI_PS_TYPE_POWERDOWN) ? PSCI_POWERDOWN : PSCI_STANDBY;
	out->state_id = ps & PSCI_PS_STATEID_MASK;
	return PSCI_SUCCESS;
}

bool psci_mpidr_invalid(uint64_t mpidr)
{
	return (mpidr & ~0xff00ffffffULL) != 0;
}

static uint64_t affinity_mask_from(unsigned level)
{
	switch (level) {
	case 0: return 0xff00ffffffULL;
	case 1: return 0xff00ffff00ULL;
	case 2: return 0xff00ff0000ULL;
	default: return 0xff00000000ULL;
	}
}

bool psci_affinity_match(uint64_t mpidr, uint64_t target, unsigned level)
{
	uint64_t m = affinity_mask_from(level);
	return (mpidr & m) == (target & m);
}

int psci_affinity_info(const uint64_t *mpidrs, const enum psci_cpu_state *states,
		       unsigned n, uint64_t target, uint64_t level)
{
	bool any = false, pending = false;

	if (level > 3 || psci_mpidr_invalid(target))
		return PSCI_INVALID_PARAMETERS;
	for (unsigned i = 0; i < n; i++) {
		if (!psci_affinity_match(mpidrs[i], target, (unsigned)level))
			continue;
		any = true;
		if (states[i] == PSCI_CPU_ON_STATE || states[i] == PSCI_CPU_SUSPENDED_STATE)
			return PSCI_AFF_ON;
		if (states[i] == PSCI_CPU_ON_PENDING_STATE)
			pending = true;
	}
	if (!any)
		return PSCI_INVALID_PARAMETERS;
	return pending ? PSCI_AFF_ON_PENDING : PSCI_AFF_OFF;
}

int psci_cpu_on_check(enum psci_cpu_state state)
{
	switch (state) {
	case PSCI_CPU_OFF_STATE:
		return PSCI_SUCCESS;
	case PSCI_CPU_ON_PENDING_STATE:
		return PSCI_ON_PENDING;
	default:
		return PSCI_ALREADY_ON;
	}
}

const char *psci_error_name(int64_t rc)
{
	switch (rc) {
	case PSCI_SUCCESS: return "SUCCESS";
	case PSCI_NOT_SUPPORTED: return "NOT_SUPPORTED";
	case PSCI_INVALID_PARAMETERS: return "INVALID_PARAMETERS";
	case PSCI_DENIED: return "DENIED";
	case PSCI_ALREADY_ON: return "ALREADY_ON";
	case PSCI_ON_PENDING: return "ON_PENDING";
	case PSCI_INTERNAL_FAILURE: return "INTERNAL_FAILURE";
	case PSCI_NOT_PRESENT: return "NOT_PRESENT";
	case PSCI_DISABLED: return "DISABLED";
	case PSCI_INVALID_ADDRESS: return "INVALID_ADDRESS";
	default: return "?";
	}
}

const char *psci_fn_name(uint32_t fid)
{
	switch (fid & ~0x40000000U) {
	case PSCI_VERSION: return "PSCI_VERSION";
	case PSCI_CPU_SUSPEND: return "CPU_SUSPEND";
	case PSCI_CPU_OFF: return "CPU_OFF";
	case PSCI_CPU_ON: return "CPU_ON";
	case PSCI_AFFINITY_INFO: return "AFFINITY_INFO";
	case PSCI_MIGRATE: return "MIGRATE";
	case PSCI_MIGRATE_INFO_TYPE: return "MIGRATE_INFO_TYPE";
	case PSCI_MIGRATE_INFO_UP_CPU: return "MIGRATE_INFO_UP_CPU";
	case PSCI_SYSTEM_OFF: return "SYSTEM_OFF";
	case PSCI_SYSTEM_RESET: return "SYSTEM_RESET";
	case PSCI_FEATURES: return "PSCI_FEATURES";
	case PSCI_SYSTEM_SUSPEND: return "SYSTEM_SUSPEND";
	case PSCI_SYSTEM_RESET2: return "SYSTEM_RESET2";
	case SMCCC_VERSION: return "SMCCC_VERSION";
	case SMCCC_ARCH_FEATURES: return "SMCCC_ARCH_FEATURES";
	default: return "unknown";
	}
}
