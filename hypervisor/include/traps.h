#ifndef HYP_TRAPS_H
#define HYP_TRAPS_H
#include <stdint.h>

/* Saved by every exception vector (arch/aarch64/head.S). */
struct trap_frame {
	uint64_t x[31];
	uint64_t sp;
	uint64_t elr, spsr;
	uint64_t esr, far;
};

_Static_assert(sizeof(struct trap_frame) == 288, "head.S frame layout");

void trap_entry(struct trap_frame *f, unsigned kind);
void dump_frame(const struct trap_frame *f);
void backtrace_from(uint64_t fp);
#endif
