/* The hypervisor as a PSCI client of the platform firmware (SMC conduit). */
#ifndef HYP_PSCI_CLIENT_H
#define HYP_PSCI_CLIENT_H
#include <stdint.h>

int64_t psci_call(uint32_t fid, uint64_t a1, uint64_t a2, uint64_t a3);
int64_t fw_cpu_on(uint64_t mpidr, uint64_t entry, uint64_t context_id);
void fw_cpu_off(void) __attribute__((noreturn));
int64_t fw_affinity_info(uint64_t mpidr);
void fw_system_off(void) __attribute__((noreturn));
void fw_system_reset(void) __attribute__((noreturn));
#endif
