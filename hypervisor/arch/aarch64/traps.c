/* Exception dispatch at EL2. */
#include "hyp.h"
#include "irq.h"
#include "traps.h"

static const char *const vector_names[16] = {
	"EL2t sync", "EL2t IRQ", "EL2t FIQ", "EL2t SError",
	"EL2h sync", "EL2h IRQ", "EL2h FIQ", "EL2h SError",
	"lower EL64 sync", "lower EL64 IRQ", "lower EL64 FIQ", "lower EL64 SError",
	"lower EL32 sync", "lower EL32 IRQ", "lower EL32 FIQ", "lower EL32 SError",
};

void dump_frame(const struct trap_frame *f)
{
	for (unsigned i = 0; i < 30; i += 2)
		printk("  x%-2u %016lx  x%-2u %016lx", i, f->x[i], i + 1, f->x[i + 1]);
	printk("  x30 %016lx  sp  %016lx", f->x[30], f->sp);
	printk("  elr %016lx  spsr %08lx  esr %08lx  far %016lx", f->elr, f->spsr, f->esr, f->far);
}

void backtrace_from(uint64_t fp)
{
	printk("backtrace:");
	for (unsigned depth = 0; fp && depth < 16; depth++) {
		const uint64_t *frame = (const uint64_t *)fp;
		if (fp & 7 || fp < HYP_BASE || fp >= HYP_BASE + HYP_SIZE)
			break;
		printk("  #%u %016lx", depth, frame[1]);
		fp = frame[0];
	}
}

void trap_entry(struct trap_frame *f, unsigned kind)
{
	if (kind == 5 || kind == 9) {   /* IRQ at EL2, or from a guest */
		irq_handle();
		return;
	}
	printk("unexpected exception: %s", vector_names[kind & 15]);
	dump_frame(f);
	backtrace_from(f->x[29]);
	panic("unhandled %s, ESR_EL2 0x%lx (EC 0x%lx) at 0x%lx", vector_names[kind & 15],
	      f->esr, f->esr >> 26, f->elr);
}
