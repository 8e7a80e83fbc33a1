/* What a domain sees of the CPU: its ID registers (the whole ID space
 * op0=3, op1=0, CRn=0, CRm=1-7, which HCR_EL2.TID3 traps), its SVE vector
 * length and whether it has pointer authentication. Pure logic (unit
 * tested): sanitise one CPU's registers to the features Lull virtualises,
 * intersect the CPUs a domain may run on, hide what its configuration
 * hides. The hardware side is core/cpu_view.c; docs/guest-cpu.md says
 * what is kept and why. */
#ifndef HYP_CPU_FEATURES_H
#define HYP_CPU_FEATURES_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define IDREG_NR 56                            /* CRm 1-7 x op2 0-7 */
#define IDREG_INDEX(crm, op2) (((crm) - 1) * 8 + (op2))

#define ID_AA64PFR0  IDREG_INDEX(4, 0)
#define ID_AA64PFR1  IDREG_INDEX(4, 1)
#define ID_AA64ZFR0  IDREG_INDEX(4, 4)
#define ID_AA64SMFR0 IDREG_INDEX(4, 5)
#define ID_AA64DFR0  IDREG_INDEX(5, 0)
#define ID_AA64DFR1  IDREG_INDEX(5, 1)
#define ID_AA64ISAR0 IDREG_INDEX(6, 0)
#define ID_AA64ISAR1 IDREG_INDEX(6, 1)
#define ID_AA64ISAR2 IDREG_INDEX(6, 2)
#define ID_AA64MMFR0 IDREG_INDEX(7, 0)
#define ID_AA64MMFR1 IDREG_INDEX(7, 1)
#define ID_AA64MMFR2 IDREG_INDEX(7, 2)

#define SVE_VQ_MAX 16                          /* 2048 bits */

struct cpu_view {
	uint64_t id[IDREG_NR];
	unsigned sve_vq;       /* longest vector length in quadwords (128 bits); 0: no SVE */
	bool pauth;            /* pointer authentication keys and instructions */
};

/* A 4-bit ID field. */
static inline unsigned idfield(uint64_t reg, unsigned shift)
{
	return (unsigned)(reg >> shift) & 0xf;
}

/* One CPU's view: its raw ID registers reduced to what Lull virtualises
 * (every field not listed in cpu_features.c reads as 0), and its longest
 * SVE vector length (quadwords, 0 without SVE). */
void cpu_view_from_cpu(struct cpu_view *out, const uint64_t raw[IDREG_NR], unsigned sve_vq);
/* Narrow `a` to what `b` also has (the CPUs a domain may run on). */
void cpu_view_intersect(struct cpu_view *a, const struct cpu_view *b);
/* Hide the features of `hide` (bits of cpu_feature_names) and cap the
 * vector length at max_vq quadwords (0: SVE hidden). */
void cpu_view_hide(struct cpu_view *v, uint64_t hide, unsigned max_vq);
/* Can a CPU whose own view is `cpu` run a domain whose view is `need`?
 * If not, say why. */
bool cpu_view_supported_by(const struct cpu_view *need, const struct cpu_view *cpu, char *why,
			   size_t why_len);
/* The hideable features (`lull,cpu-hide`): bit number of a name, or -1. */
int cpu_feature_bit(const char *name);
const char *cpu_feature_name(unsigned bit);   /* NULL past the last */
#endif
