/* CPU capabilities that the hypervisor's configuration depends on. The
 * boot CPUs fix a configuration (physical address size for the EL2 page
 * tables and the future stage-2 IPA size, 4 KiB granule, VMID width); a
 * CPU that comes online later must support all of it. Pure logic, unit
 * tested on the host. */
#ifndef HYP_CPU_CAPS_H
#define HYP_CPU_CAPS_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct cpu_caps {
	unsigned pa_bits;       /* ID_AA64MMFR0_EL1.PARange, decoded */
	bool gran4;             /* 4 KiB stage-1 granule */
	bool gran4_s2;          /* 4 KiB stage-2 granule */
	unsigned vmid_bits;     /* 8 or 16 */
	bool gicv3_sysregs;     /* ID_AA64PFR0_EL1.GIC */
};

/* Decode the ID registers. */
void cpu_caps_decode(uint64_t mmfr0, uint64_t mmfr1, uint64_t pfr0, struct cpu_caps *out);
/* Narrow `chosen` so that both it and `cpu` support it (boot CPUs). */
void cpu_caps_intersect(struct cpu_caps *chosen, const struct cpu_caps *cpu);
/* Does `cpu` support the configuration `chosen`? If not, say why. */
bool cpu_caps_support(const struct cpu_caps *chosen, const struct cpu_caps *cpu,
		      char *why, size_t why_len);
/* PARange field value (TCR.PS / VTCR.PS encoding) for a PA size. */
unsigned cpu_caps_pa_range_field(unsigned pa_bits);
#endif
