/* Hypervisor interrupt handling: one handler per INTID, SPI routing to a
 * chosen CPU, and migration of SPIs off a CPU that goes offline.
 * Locking: irq_lock protects the descriptor table (handler, target);
 * counters are per CPU and written only by the CPU taking the interrupt. */
#ifndef HYP_IRQ_H
#define HYP_IRQ_H
#include <stdbool.h>
#include <stdint.h>

typedef void (*irq_handler)(unsigned intid, void *arg);

void irq_init(void);
/* Private interrupts (SGI/PPI): the handler serves every CPU; each CPU
 * enables it in irq_cpu_up(). SPIs: enabled at once, routed to `cpu`. */
void irq_register_private(unsigned intid, const char *name, irq_handler fn, void *arg,
			  bool edge);
int irq_register_spi(unsigned intid, const char *name, irq_handler fn, void *arg,
		     unsigned cpu);
int irq_route(unsigned intid, unsigned cpu);
/* The SPI's handler forwards it to a guest linked to the physical
 * interrupt: it stays active until the guest deactivates it. */
int irq_set_forwarded(unsigned intid);
/* Move every SPI routed to `cpu` to `to`; returns how many moved. */
unsigned irq_migrate(unsigned cpu, unsigned to);
/* Host suspend: every SPI masked but those of `wake` (a bitmap of
 * INTIDs), which are routed to CPU 0 and enabled; irq_resume_unmask
 * restores each SPI's enable and routing as it was. */
void irq_suspend_mask(const uint32_t *wake);
void irq_resume_unmask(void);
void irq_cpu_up(void);      /* enable private interrupts on this CPU */
void irq_cpu_down(void);    /* disable them and the CPU interface */
void irq_handle(void);      /* from the exception vector */
void irq_show(void);
bool irq_valid_spi(unsigned intid);
/* Make a hypervisor SPI (one with a handler) pending at the distributor,
 * as its device would (the console's `irq pend`, for tests); -1 if it is
 * not one. */
int irq_set_pending(unsigned intid);
#endif
