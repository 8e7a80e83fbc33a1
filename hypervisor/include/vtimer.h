#ifndef HYP_VTIMER_H
#define HYP_VTIMER_H
struct vcpu;

#define PPI_VTIMER 27

void vtimer_init(void);
/* The loaded vCPU: its timer's level into the virtual GIC. */
void vtimer_sync_loaded(struct vcpu *v);
/* A vCPU not loaded on its CPU: wake it when its timer is due, or ask the
 * CPU's timer to fire then. */
void vtimer_check_parked(struct vcpu *v);
#endif
