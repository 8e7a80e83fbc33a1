/* Per-CPU resources guests do not get (arch/aarch64/sysreg_hidden.c):
 * PMU, statistical profiling, trace, activity monitors, RAS error
 * records, LORegions, IMPLEMENTATION DEFINED registers; and ACTLR_EL1,
 * emulated without effect. */
#ifndef HYP_SYSREG_HIDDEN_H
#define HYP_SYSREG_HIDDEN_H
#include "sysreg_trap.h"

struct vcpu;

enum sysreg_result hidden_sysreg_access(struct vcpu *v, const struct sysreg_access *a);
#endif
