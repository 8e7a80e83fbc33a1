/* The EL1 physical timer of each vCPU, emulated (vdev/vptimer.c). */
#ifndef HYP_VPTIMER_H
#define HYP_VPTIMER_H
#include <stdint.h>
#include "sysreg_trap.h"

#define PPI_PTIMER 30

struct vptimer {
	uint64_t ctl;    /* CNTP_CTL_EL0: ENABLE, IMASK as written */
	uint64_t cval;   /* CNTP_CVAL_EL0 */
};

struct vcpu;

/* CNTP_CTL_EL0, CNTP_CVAL_EL0, CNTP_TVAL_EL0 (trapped: CNTHCTL_EL2.EL1PCEN
 * is clear). */
enum sysreg_result vptimer_sysreg_access(struct vcpu *v, const struct sysreg_access *a);
/* The timer's output into the virtual GIC as of now, and this CPU's timer
 * asked to fire at its deadline (loaded or not: its state lives in
 * memory). Called by the run loop for each vCPU of the CPU, and before a
 * WFI blocks. */
void vptimer_update(struct vcpu *v);
void vptimer_reset(struct vcpu *v);
#endif
