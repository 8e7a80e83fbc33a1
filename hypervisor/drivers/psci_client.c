#include <lull/psci.h>
#include <lull/smccc.h>
#include "hyp.h"
#include "psci_client.h"

int64_t psci_call(uint32_t fid, uint64_t a1, uint64_t a2, uint64_t a3)
{
	return smccc_smc(fid, a1, a2, a3);
}

int64_t fw_cpu_on(uint64_t mpidr, uint64_t entry, uint64_t context_id)
{
	return psci_call(PSCI_CPU_ON64, mpidr, entry, context_id);
}

void fw_cpu_off(void)
{
	int64_t rc = psci_call(PSCI_CPU_OFF, 0, 0, 0);
	panic("PSCI CPU_OFF returned %ld (%s)", (long)rc, psci_error_name(rc));
}

int64_t fw_affinity_info(uint64_t mpidr)
{
	return psci_call(PSCI_AFFINITY_INFO64, mpidr, 0, 0);
}

void fw_system_off(void)
{
	psci_call(PSCI_SYSTEM_OFF, 0, 0, 0);
	panic("PSCI SYSTEM_OFF returned");
}

void fw_system_reset(void)
{
	psci_call(PSCI_SYSTEM_RESET, 0, 0, 0);
	panic("PSCI SYSTEM_RESET returned");
}
