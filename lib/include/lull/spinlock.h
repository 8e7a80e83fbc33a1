/* Ticket spinlock. Waiters sleep in WFE between checks (never a plain
 * spin: under QEMU -icount a spinning CPU starves the lock holder). The
 * releasing store clears the waiters' exclusive monitors, which is the
 * event that wakes them (Arm ARM D1.6.1, "The Event Register"). */
#ifndef LULL_SPINLOCK_H
#define LULL_SPINLOCK_H
#include <stdint.h>

typedef struct {
	volatile uint16_t owner;
	volatile uint16_t next;
} spinlock_t;

#define SPINLOCK_INIT { 0, 0 }

static inline void spin_lock(spinlock_t *l)
{
	uint16_t ticket = __atomic_fetch_add(&l->next, 1, __ATOMIC_RELAXED);
	uint32_t cur;

	__asm__ volatile(
		"	sevl\n"
		"1:	wfe\n"
		"	ldaxrh	%w0, [%1]\n"
		"	cmp	%w0, %w2\n"
		"	b.ne	1b\n"
		: "=&r"(cur) : "r"(&l->owner), "r"((uint32_t)ticket) : "memory", "cc");
}

static inline void spin_unlock(spinlock_t *l)
{
	__atomic_store_n(&l->owner, (uint16_t)(l->owner + 1), __ATOMIC_RELEASE);
}
#endif
