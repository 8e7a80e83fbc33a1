/* Rig firmware internals. */
#ifndef FW_FW_H
#define FW_FW_H
#include <stdbool.h>
#include <stdint.h>
#include <lull/psci.h>
#include <lull/spinlock.h>
#include "platform.h"

#define NORETURN __attribute__((noreturn))

struct fw_frame {
	uint64_t x[31];
	uint64_t elr, spsr, pad;
};

struct fw_ram_range {
	uint64_t base, size;
};

/* What the boot core learnt from the device tree; read-only afterwards. */
struct fw_platform {
	unsigned gic_version;
	uintptr_t gicd, gicr, gicc, gich;
	unsigned spi_lines;            /* number of INTIDs the distributor has */
	unsigned ncpus;
	uint64_t mpidr[FW_MAX_CPUS];   /* indexed by core index */
	bool present[FW_MAX_CPUS];
	struct fw_ram_range ram[4];    /* Non-secure RAM: valid entry points */
	unsigned nram;
};

/* Per-core PSCI bookkeeping. `state`, `entry` and `context` change only
 * under fw_psci_lock. */
struct fw_cpu {
	volatile enum psci_cpu_state state;
	uint64_t entry, context;
	unsigned times_on;             /* completed CPU_ONs, for fault knobs */
	bool lost;                     /* fault injection: never wakes again */
};

/* Fault-injection knobs, read from fw_cfg "opt/lull/faults". A count of 0
 * means the knob is off. */
struct fw_faults {
	unsigned fail_cpu_on;          /* the Nth CPU_ON returns INTERNAL_FAILURE */
	int lose_cpu;                  /* this core never returns after its first CPU_OFF */
	int late_cpu;                  /* this core's next return after a CPU_OFF is 2.5 s late */
	unsigned deny_suspend;         /* the Nth SYSTEM_SUSPEND returns DENIED */
};

/* One bit per INTID. */
struct fw_irq_set {
	uint32_t w[32];
};

/* A wake-up interrupt found pending at a suspend call. */
struct fw_pending_irq {
	unsigned intid;                /* GIC_INTID_SPURIOUS: none */
	uint8_t sgi_sources;           /* GICv2 SGI: pending from these cores */
};

extern struct fw_platform fw_plat;
extern struct fw_cpu fw_cpus[FW_MAX_CPUS];
extern struct fw_faults fw_faults;
extern spinlock_t fw_psci_lock;
extern volatile uint32_t fw_cold_boot_done;

/* The firmware's own work, in counter ticks (LULL_SIP_FW_WORK): a core
 * counts from fw_work_begin to fw_work_end; waits in WFI are not work. */
void fw_work_begin(void);
void fw_work_end(void);
uint64_t fw_work_total(void);
/* Enter the payload (a power-up): the core's work ends here. */
NORETURN void fw_enter_payload(uint64_t entry, uint64_t context_id);

void fw_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
unsigned fw_this_cpu(void);
NORETURN void fw_system_off(void);
NORETURN void fw_system_reset(void);
NORETURN void fw_panic(const char *why);

/* entry.S */
NORETURN void fw_enter_ns_el2(uint64_t entry, uint64_t context_id);
NORETURN void fw_reset_stack_and_call(void (*fn)(void));
void fw_poison_fpsimd(void);

/* dt.c */
void fw_dt_probe_and_fixup(void);

/* knobs.c */
void fw_read_faults(void);

/* gic.c */
void fw_gic_dist_init(void);
void fw_gic_cpu_init(unsigned cpu);
void fw_gic_handover(unsigned cpu);
void fw_gic_send_wake_sgi(unsigned cpu);
void fw_gic_ack_firmware_sgis(void);
void fw_gic_capture_wake(unsigned cpu, bool system, struct fw_irq_set *wake);
void fw_gic_destroy_cpu(unsigned cpu);
void fw_gic_destroy_dist(void);
void fw_gic_wait_for_wake(unsigned cpu, bool system, const struct fw_irq_set *wake,
			  unsigned *woken_by);
unsigned fw_irq_set_count(const struct fw_irq_set *s);
void fw_gic_first_pending(unsigned cpu, const struct fw_irq_set *wake, struct fw_pending_irq *p);
void fw_gic_restore_pending(unsigned cpu, const struct fw_pending_irq *p);

/* power.c */
void fw_cpu_el3_init(void);
void fw_destroy_core_state(unsigned cpu);
/* Hostile values in the EL2 control registers, at every payload entry. */
void fw_poison_el2(void);
NORETURN void fw_cpu_parked(void);

/* psci.c */
void fw_psci_handle(struct fw_frame *f);
#endif
