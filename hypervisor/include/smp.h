#ifndef HYP_SMP_H
#define HYP_SMP_H
#include "percpu.h"

void smp_init(void);
/* Run fn(arg) on `cpu` in interrupt context and wait for it to finish.
 * Returns 0, or -1 if the CPU is not online or did not answer in time. */
int smp_call(unsigned cpu, cross_call_fn fn, void *arg);
void smp_kick(unsigned cpu);
#endif
