/* Per-physical-CPU scheduling of pinned vCPUs (policy and latency bounds:
 * core/sched.c, docs/architecture.md 9.4). */
#ifndef HYP_SCHED_H
#define HYP_SCHED_H
#include "hyp.h"

struct vcpu;

/* A vCPU that others wait for keeps its CPU this long per turn. */
#define SCHED_SLICE_US       10000
/* ... and at least this long when a woken vCPU waits (unless it yields). */
#define SCHED_MIN_SLICE_US   1000
/* A woken vCPU queues as if it had waited this much longer. */
#define SCHED_WAKE_CREDIT_US 10000

void sched_add(struct vcpu *v);
/* v became runnable (or needs its CPU's attention): make its physical CPU
 * look at its run queue again, at once. */
void sched_kick(struct vcpu *v);
/* `from`, running here, just woke `to` (its SGI, its CPU_ON): if `to`
 * shares this CPU, `from` gives way, as it usually waits for `to`. */
void sched_directed_yield(struct vcpu *from, struct vcpu *to);
/* Each physical CPU's loop: run vCPUs, handle their exits, idle. */
NORETURN void sched_run_loop(void);
#endif
