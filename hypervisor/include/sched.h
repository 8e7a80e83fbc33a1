/* Per-physical-CPU scheduling of pinned vCPUs: round robin among the
 * runnable ones, with a time slice on the EL2 timer when several compete. */
#ifndef HYP_SCHED_H
#define HYP_SCHED_H
#include "hyp.h"

struct vcpu;

#define SCHED_SLICE_US 10000

void sched_add(struct vcpu *v);
/* Make v's physical CPU look at its run queue again. */
void sched_kick(struct vcpu *v);
/* Each physical CPU's loop: run vCPUs, handle their exits, idle. */
NORETURN void sched_run_loop(void);
#endif
