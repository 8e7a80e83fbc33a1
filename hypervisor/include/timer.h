/* EL2 physical timer (CNTHP, PPI 26), one per CPU. */
#ifndef HYP_TIMER_H
#define HYP_TIMER_H
#include <stdint.h>

void timer_init(void);               /* boot: frequency, IRQ handler */
void timer_cpu_up(void);             /* per CPU: timer off, counter access for EL1 */
void timer_cpu_down(void);
void timer_arm_oneshot(uint64_t us); /* on this CPU, relative */
/* Fire this CPU's timer no later than `deadline` (counter ticks). */
void timer_request(uint64_t deadline);
#endif
