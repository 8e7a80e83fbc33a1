/* The bare-metal guest library: console, PSCI over HVC, and the entry
 * points. Guests run at EL1 with the MMU off. */
#ifndef GUEST_GUEST_H
#define GUEST_GUEST_H
#include <stdbool.h>
#include <stdint.h>
#include <lull/arch.h>
#include <lull/psci.h>

#define GUEST_UART 0x09000000UL

struct exception_frame {
	uint64_t x[19];   /* x0-x18 */
	uint64_t lr;
	uint64_t elr;     /* where to return: a handler may move it */
};

/* A guest's synchronous-exception handler: return true if handled (it
 * may advance frame->elr), false to report and power off. */
extern bool (*guest_sync_handler)(struct exception_frame *f, uint64_t esr, uint64_t far);

/* IRQ handler of the guest (vectors 1, 5: IRQ from EL1t/EL1h). */
extern void (*guest_irq_handler)(void);

void gprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int64_t hvc(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3);
int64_t smc(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3);
void guest_secondary_entry(void);
__attribute__((noreturn)) void guest_system_off(void);

/* This vCPU's index (MPIDR_EL1.Aff0; the stacks allow 8). */
#define GUEST_MAX_VCPUS 8
unsigned guest_vcpu(void);

/* How an SMCCC call reaches the hypervisor: HVC or (trapped) SMC with the
 * immediate 0 that SMCCC asks for, or with a non-zero one. */
enum guest_conduit {
	GUEST_HVC, GUEST_SMC, GUEST_HVC_IMM1, GUEST_SMC_IMM1, GUEST_HVC_IMMFFFF,
	GUEST_SMC_IMMFFFF, GUEST_CONDUITS
};
/* A call with every argument register: regs[i] is xi (x0-x18), before the
 * call and after it. */
void guest_call_regs(uint64_t regs[19], unsigned conduit);
int64_t guest_call(unsigned conduit, uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3);

/* setjmp/longjmp: guest_context_save returns 0, then again (non-zero) when
 * guest_context_restore resumes it; the saving function must not have
 * returned in between. */
struct guest_context {
	uint64_t x19_x30[12];
	uint64_t sp;
};
__attribute__((returns_twice)) int guest_context_save(struct guest_context *c);
__attribute__((noreturn)) void guest_context_restore(const struct guest_context *c, int val);

/* Re-entry with a lost context (PSCI power-down, SYSTEM_SUSPEND) or a
 * CPU_ON at guest_resume_entry: what the vCPU found there, recorded
 * before anything was changed (start.S). */
struct guest_entry_state {
	uint64_t x0;
	uint64_t gpr_or;             /* x1 | x2 | ... | x30 */
	uint64_t sctlr, vbar, tpidr_el1, tpidr_el0, ttbr0, ttbr1, mair, contextidr;
	uint64_t daif, current_el, spsel;
	uint64_t entries;            /* times this vCPU came in this way */
	uint64_t gic_pmr, gic_enabled;   /* GIC CPU interface, by guest_resume_c */
};
_Static_assert(sizeof(struct guest_entry_state) == 128, "start.S");
extern volatile struct guest_entry_state guest_entry_state[GUEST_MAX_VCPUS];
void guest_resume_entry(void);

/* Called (on the vCPU's boot stack, as guest_secondary_main) for an entry
 * at guest_resume_entry that no guest_psci_may_resume call waits for. */
extern void (*guest_resume_handler)(uint64_t ctx);

/* A PSCI call after which this vCPU may re-enter at guest_resume_entry
 * (CPU_SUSPEND power-down, SYSTEM_SUSPEND with entry = guest_resume_entry):
 * returns the call's result, or GUEST_REENTERED once the vCPU re-entered
 * (guest_entry_state[] tells how; the GIC CPU interface is initialised
 * again, DAIF stays masked as the entry left it). */
#define GUEST_REENTERED ((int64_t)0x7265656e74657221)   /* "reenter!" */
int64_t guest_psci_may_resume(unsigned conduit, uint64_t fid, uint64_t a1, uint64_t a2,
			      uint64_t a3);
/* Did vCPU `vcpu` re-enter with x0 = ctx and the reset state of a power-down
 * (other registers zero, EL1h, DAIF masked, MMU and caches off, EL1 system
 * registers 0, GIC CPU interface reset)? NULL if so, else what was wrong. */
const char *guest_entry_state_problem(unsigned vcpu, uint64_t ctx);

/* The device tree given at boot (a minimal reader). A node is named by
 * its full name or the part before '@', at the top level ("" = root). */
const void *guest_dt_prop(const void *dtb, const char *node, const char *prop, unsigned *len);
bool guest_dt_has_node(const void *dtb, const char *node);
/* The first memory node's range. */
bool guest_dt_memory(const void *dtb, uint64_t *base, uint64_t *size);
/* A "key=value" word of /chosen/bootargs as a number (0x.. hex or
 * decimal), or `def`; guest_dt_bootarg_str copies the value text. */
uint64_t guest_dt_bootarg(const void *dtb, const char *key, uint64_t def);
bool guest_dt_bootarg_str(const void *dtb, const char *key, char *out, unsigned size);
#endif
