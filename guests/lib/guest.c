#include <stdarg.h>
#include <lull/format.h>
#include <lull/pl011.h>
#include "gic.h"
#include "guest.h"

static void put(char c, void *ctx)
{
	(void)ctx;
	pl011_putc(GUEST_UART, c);
}

void gprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	format_v(put, NULL, fmt, ap);
	va_end(ap);
}

/* An SMCCC call through `insn` (HVC #0 or SMC #0): x0-x3 in, x0 out,
 * x4-x17 may be clobbered (SMCCC 1.1 lets the callee use them). */
#define SMCCC_CALL(name, insn)                                                        \
	int64_t name(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3)             \
	{                                                                             \
		register uint64_t x0 __asm__("x0") = fid;                             \
		register uint64_t x1 __asm__("x1") = a1;                              \
		register uint64_t x2 __asm__("x2") = a2;                              \
		register uint64_t x3 __asm__("x3") = a3;                              \
		__asm__ volatile(insn : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) :      \
				 : "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11",  \
				   "x12", "x13", "x14", "x15", "x16", "x17", "memory"); \
		return (int64_t)x0;                                                   \
	}

SMCCC_CALL(hvc, "hvc #0")
SMCCC_CALL(smc, "smc #0")

int64_t guest_call(unsigned conduit, uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3)
{
	uint64_t regs[19] = { fid, a1, a2, a3 };

	if (conduit == GUEST_HVC)
		return hvc(fid, a1, a2, a3);
	if (conduit == GUEST_SMC)
		return smc(fid, a1, a2, a3);
	guest_call_regs(regs, conduit);
	return (int64_t)regs[0];
}

unsigned guest_vcpu(void)
{
	return (unsigned)(read_sysreg(mpidr_el1) & (GUEST_MAX_VCPUS - 1));
}

volatile struct guest_entry_state guest_entry_state[GUEST_MAX_VCPUS];
void (*guest_resume_handler)(uint64_t ctx);
static struct guest_context resume_ctx[GUEST_MAX_VCPUS];
static volatile bool resume_armed[GUEST_MAX_VCPUS];

int64_t guest_psci_may_resume(unsigned conduit, uint64_t fid, uint64_t a1, uint64_t a2,
			      uint64_t a3)
{
	unsigned me = guest_vcpu();
	int64_t rc;

	if (guest_context_save(&resume_ctx[me]))
		return GUEST_REENTERED;
	resume_armed[me] = true;
	rc = guest_call(conduit, fid, a1, a2, a3);
	resume_armed[me] = false;
	return rc;
}

/* From guest_resume_entry (start.S), on the resume stack: back into the
 * guest_psci_may_resume that waits for this vCPU, if one does. */
void guest_resume_c(uint64_t ctx);
void guest_resume_c(uint64_t ctx)
{
	unsigned me = guest_vcpu();
	uint32_t pmr;
	bool enabled;

	(void)ctx;
	gic_cpu_state(&pmr, &enabled);
	guest_entry_state[me].gic_pmr = pmr;
	guest_entry_state[me].gic_enabled = enabled;
	if (resume_armed[me]) {
		resume_armed[me] = false;
		gic_init_cpu(me);
		guest_context_restore(&resume_ctx[me], 1);
	}
}

/* Then, on the boot stack, when none does. */
void guest_resume_unawaited(uint64_t ctx);
void guest_resume_unawaited(uint64_t ctx)
{
	if (guest_resume_handler)
		guest_resume_handler(ctx);
	gprintf("guest: vCPU %u re-entered (x0 0x%lx) and nothing waits for it\n", guest_vcpu(),
		ctx);
	guest_system_off();
}

const char *guest_entry_state_problem(unsigned vcpu, uint64_t ctx)
{
	static char why[GUEST_MAX_VCPUS][112];
	const volatile struct guest_entry_state *s = &guest_entry_state[vcpu];
	char *w = why[vcpu];

	if (s->x0 != ctx)
		snprintf(w, sizeof(why[0]), "x0 0x%lx, want the context 0x%lx", s->x0, ctx);
	else if (s->gpr_or)
		snprintf(w, sizeof(why[0]), "x1-x30 not all zero (OR 0x%lx)", s->gpr_or);
	else if (s->current_el != 4 || s->spsel != 1)
		snprintf(w, sizeof(why[0]), "CurrentEL 0x%lx SPSel %lu, want EL1h", s->current_el,
			 s->spsel);
	else if (s->daif != 0x3c0)
		snprintf(w, sizeof(why[0]), "DAIF 0x%lx, want all masked", s->daif);
	else if (s->sctlr & (BIT(0) | BIT(2) | BIT(12)))
		snprintf(w, sizeof(why[0]), "SCTLR_EL1 0x%lx: MMU or caches on", s->sctlr);
	else if (s->vbar || s->tpidr_el1 || s->tpidr_el0 || s->ttbr0 || s->ttbr1 || s->mair ||
		 s->contextidr)
		snprintf(w, sizeof(why[0]), "EL1 registers kept: VBAR 0x%lx TPIDR 0x%lx/0x%lx "
			 "TTBR 0x%lx/0x%lx MAIR 0x%lx CTXID 0x%lx", s->vbar, s->tpidr_el1,
			 s->tpidr_el0, s->ttbr0, s->ttbr1, s->mair, s->contextidr);
	else if (s->gic_pmr || s->gic_enabled)
		snprintf(w, sizeof(why[0]), "GIC CPU interface not reset: PMR 0x%lx, groups %s",
			 s->gic_pmr, s->gic_enabled ? "enabled" : "disabled");
	else
		return NULL;
	return w;
}

void guest_system_off(void)
{
	hvc(PSCI_SYSTEM_OFF, 0, 0, 0);
	for (;;)
		wfi();
}

bool (*guest_sync_handler)(struct exception_frame *f, uint64_t esr, uint64_t far);
void (*guest_irq_handler)(void);

void guest_exception(struct exception_frame *f, unsigned vector)
{
	uint64_t esr = read_sysreg(esr_el1), far = read_sysreg(far_el1);

	if ((vector % 4) == 0 && guest_sync_handler && guest_sync_handler(f, esr, far))
		return;
	if ((vector % 4) == 1 && guest_irq_handler) {
		guest_irq_handler();
		return;
	}
	gprintf("guest: unexpected exception (vector %u) ESR 0x%lx FAR 0x%lx ELR 0x%lx\n", vector,
		esr, far, f->elr);
	guest_system_off();
}

void lull_stack_chk_failed(void)
{
}
