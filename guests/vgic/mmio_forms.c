/* Loads and stores that reach the emulated distributor without an
 * instruction syndrome (writeback addressing, pairs, SP as the base): the
 * hypervisor decodes them from guest memory and emulates them; the forms
 * it does not emulate (SIMD&FP, exclusive, a pair running off the end of
 * the distributor) get a data abort, registers and base unchanged. */
#include <lull/arch.h>
#include <lull/gic_regs.h>
#include <lull/mmio.h>
#include "gic.h"
#include "gtest.h"
#include "guest.h"

#define IIDR_LULL 0x4c55
#define PRIO(n)   (GUEST_GICD + GICD_IPRIORITYR + (n))

static volatile unsigned aborts;
static volatile uint64_t abort_far;

static bool on_abort(struct exception_frame *f, uint64_t esr, uint64_t far)
{
	if ((esr >> 26) != 0x25)             /* data abort, same EL */
		return false;
	aborts++;
	abort_far = far;
	f->elr += 4;
	return true;
}

GTEST(mmio_writeback_single)
{
	uint64_t p = GUEST_GICD + GICD_TYPER, x;
	uint32_t w, typer = mmio_read32(GUEST_GICD + GICD_TYPER);

	/* Not emulated: each access aborts (and the test fails) rather
	 * than stopping the guest. */
	guest_sync_handler = on_abort;
	aborts = 0;

	__asm__ volatile("ldr %w0, [%1], #4" : "=&r"(w), "+r"(p) :: "memory");
	GTEST_EXPECT(w == typer && p == GUEST_GICD + 8,
		     "ldr w, [x], #4: 0x%x (TYPER 0x%x), base +%lu", w, typer, p - GUEST_GICD);
	p = GUEST_GICD + 4;
	__asm__ volatile("ldr %w0, [%1, #4]!" : "=&r"(w), "+r"(p) :: "memory");
	GTEST_EXPECT(w == IIDR_LULL && p == GUEST_GICD + 8,
		     "ldr w, [x, #4]!: 0x%x (want IIDR), base +%lu", w, p - GUEST_GICD);
	/* Stores: a word pre-indexed, a byte post-indexed, the zero register. */
	p = PRIO(36);
	w = 0x10203040;
	__asm__ volatile("str %w1, [%0, #4]!" : "+r"(p) : "r"(w) : "memory");
	GTEST_EXPECT(mmio_read32(PRIO(40)) == 0x10203040 && p == PRIO(40),
		     "str w, [x, #4]!: IPRIORITYR reads 0x%x, base 0x%lx", mmio_read32(PRIO(40)), p);
	__asm__ volatile("strb %w1, [%0], #2" : "+r"(p) : "r"(0xffU) : "memory");
	GTEST_EXPECT(mmio_read32(PRIO(40)) == 0x102030f8 && p == PRIO(42),
		     "strb w, [x], #2: IPRIORITYR reads 0x%x, base 0x%lx", mmio_read32(PRIO(40)), p);
	/* Sign-extending loads of that byte (0xf8). */
	p = PRIO(39);
	__asm__ volatile("ldrsb %0, [%1, #1]!" : "=&r"(x), "+r"(p) :: "memory");
	GTEST_EXPECT(x == 0xfffffffffffffff8ULL && p == PRIO(40), "ldrsb x: 0x%lx", x);
	__asm__ volatile("ldrsb %w0, [%1], #1" : "=&r"(w), "+r"(p) :: "memory");
	GTEST_EXPECT(w == 0xfffffff8U && p == PRIO(41), "ldrsb w: 0x%x", w);
	__asm__ volatile("ldrb %w0, [%1, #-1]!" : "=&r"(w), "+r"(p) :: "memory");
	GTEST_EXPECT(w == 0xf8 && p == PRIO(40), "ldrb w: 0x%x", w);
	__asm__ volatile("str wzr, [%0], #4" : "+r"(p) :: "memory");
	GTEST_EXPECT(mmio_read32(PRIO(40)) == 0 && p == PRIO(44),
		     "str wzr, [x], #4: IPRIORITYR reads 0x%x", mmio_read32(PRIO(40)));
	GTEST_EXPECT(aborts == 0, "%u accesses aborted", aborts);
	guest_sync_handler = 0;
}

GTEST(mmio_pairs)
{
	uint64_t p = GUEST_GICD + GICD_TYPER, a, b;
	uint32_t w1, w2, typer = mmio_read32(GUEST_GICD + GICD_TYPER);

	guest_sync_handler = on_abort;
	aborts = 0;
	__asm__ volatile("ldp %w0, %w1, [%2]" : "=&r"(w1), "=&r"(w2) : "r"(p) : "memory");
	GTEST_EXPECT(w1 == typer && w2 == IIDR_LULL, "ldp TYPER/IIDR: 0x%x 0x%x", w1, w2);
	__asm__ volatile("ldp %w0, %w1, [%2], #8" : "=&r"(w1), "=&r"(w2), "+r"(p) :: "memory");
	GTEST_EXPECT(w1 == typer && w2 == IIDR_LULL && p == GUEST_GICD + 0xc,
		     "ldp post-index: 0x%x 0x%x base +0x%lx", w1, w2, p - GUEST_GICD);
	p = PRIO(32);
	__asm__ volatile("stp %w1, %w2, [%0, #8]!" : "+r"(p) : "r"(0x11223344U), "r"(0x55667788U)
			 : "memory");
	GTEST_EXPECT(mmio_read32(PRIO(40)) == 0x10203040 && mmio_read32(PRIO(44)) == 0x50607088 &&
		     p == PRIO(40), "stp pre-index: 0x%x 0x%x base 0x%lx", mmio_read32(PRIO(40)),
		     mmio_read32(PRIO(44)), p);
	mmio_write32(PRIO(44), 0xf8f8f8f8);
	__asm__ volatile("ldpsw %0, %1, [%2], #-8" : "=&r"(a), "=&r"(b), "+r"(p) :: "memory");
	GTEST_EXPECT(a == 0x10203040 && b == 0xfffffffff8f8f8f8ULL && p == PRIO(32),
		     "ldpsw: 0x%lx 0x%lx base 0x%lx", a, b, p);
	__asm__ volatile("stp wzr, wzr, [%0, #8]" :: "r"(p) : "memory");
	GTEST_EXPECT(mmio_read32(PRIO(40)) == 0 && mmio_read32(PRIO(44)) == 0,
		     "stp wzr, wzr: 0x%x 0x%x", mmio_read32(PRIO(40)), mmio_read32(PRIO(44)));
	if (gic_version() == 3) {     /* 64-bit pairs: GICD_IROUTER<40>, <41> */
		p = GUEST_GICD + GICD_IROUTER + 8 * 40;
		__asm__ volatile("stp %1, %2, [%0], #16" : "+r"(p) : "r"(1UL), "r"(0UL) : "memory");
		__asm__ volatile("ldp %0, %1, [%2, #-16]" : "=&r"(a), "=&r"(b) : "r"(p) : "memory");
		GTEST_EXPECT(a == 1 && b == 0 && p == GUEST_GICD + GICD_IROUTER + 8 * 42,
			     "ldp/stp x of IROUTER: 0x%lx 0x%lx", a, b);
		mmio_write64(GUEST_GICD + GICD_IROUTER + 8 * 40, 0);
		/* A pair across a 4 KiB page boundary inside the distributor
		 * (reserved words, RAZ): the second page is translated too. */
		w1 = w2 = 0x5555;
		__asm__ volatile("ldp %w0, %w1, [%2]" : "=&r"(w1), "=&r"(w2)
				 : "r"(GUEST_GICD + 0xffc) : "memory");
		GTEST_EXPECT(w1 == 0 && w2 == 0, "ldp across a page: 0x%x 0x%x", w1, w2);
	}
	GTEST_EXPECT(aborts == 0, "%u accesses aborted", aborts);
	guest_sync_handler = 0;
}

/* The stack pointer as the base (SP_EL1: EL1h), interrupts masked while
 * it points at the distributor. */
GTEST(mmio_sp_base)
{
	uint64_t p = GUEST_GICD + GICD_TYPER, saved;
	uint32_t w1, w2, typer = mmio_read32(GUEST_GICD + GICD_TYPER);
	uint64_t daif = read_sysreg(daif);

	irq_disable();
	__asm__ volatile("mov %0, sp\n\tmov sp, %3\n\tldr %w1, [sp], #4\n\tldr %w2, [sp, #-4]!\n\t"
			 "mov %3, sp\n\tmov sp, %0"
			 : "=&r"(saved), "=&r"(w1), "=&r"(w2), "+r"(p) :: "memory");
	GTEST_EXPECT(w1 == typer && w2 == typer && p == GUEST_GICD + GICD_TYPER,
		     "ldr [sp]: 0x%x 0x%x base +0x%lx", w1, w2, p - GUEST_GICD);
	__asm__ volatile("mov %0, sp\n\tmov sp, %3\n\tldp %w1, %w2, [sp], #8\n\t"
			 "mov %3, sp\n\tmov sp, %0"
			 : "=&r"(saved), "=&r"(w1), "=&r"(w2), "+r"(p) :: "memory");
	GTEST_EXPECT(w1 == typer && w2 == IIDR_LULL && p == GUEST_GICD + 0xc,
		     "ldp [sp], #8: 0x%x 0x%x base +0x%lx", w1, w2, p - GUEST_GICD);
	write_sysreg(daif, daif);
}

GTEST(mmio_refused_forms)
{
	uint64_t end = GUEST_GICD + (gic_version() == 3 ? 0x10000 : 0x1000) - 4;
	uint64_t p = end;
	uint32_t w1 = 0x1111, w2 = 0x2222;
	unsigned before;

	guest_sync_handler = on_abort;
	write_sysreg(read_sysreg(cpacr_el1) | (3UL << 20), cpacr_el1);   /* FP on */
	isb();
	before = aborts;
	__asm__ volatile("ldr s0, [%0]" :: "r"(GUEST_GICD + GICD_TYPER) : "v0", "memory");
	GTEST_EXPECT(aborts == before + 1 && abort_far == GUEST_GICD + GICD_TYPER,
		     "SIMD&FP load: %u aborts", aborts - before);
	before = aborts;
	__asm__ volatile("ldxr %w0, [%1]" : "+r"(w1) : "r"(GUEST_GICD + GICD_TYPER) : "memory");
	GTEST_EXPECT(aborts == before + 1 && w1 == 0x1111, "exclusive load: %u aborts, w 0x%x",
		     aborts - before, w1);
	before = aborts;
	__asm__ volatile("ldp %w0, %w1, [%2], #8" : "+r"(w1), "+r"(w2), "+r"(p) :: "memory");
	GTEST_EXPECT(aborts == before + 1 && w1 == 0x1111 && w2 == 0x2222 && p == end,
		     "pair beyond the distributor: %u aborts, 0x%x 0x%x, base moved by %ld",
		     aborts - before, w1, w2, (long)(p - end));
	guest_sync_handler = 0;
}

/* The same from EL0 (stage 1 of the EL1&0 regime walked with AT S1E0R;
 * Rn = SP is SP_EL0 there): two snippets entered by ERET, ending in SVC,
 * whose handler records x0-x4 and returns to EL1 (guest_context_restore). */
void el0_ldr_post(void);
void el0_ldp_sp(void);
__asm__(".pushsection .text\n\t.balign 4\n"
	"el0_ldr_post:\n\tldr w1, [x0], #4\n\tsvc #0\n\tb .\n"
	"el0_ldp_sp:\n\tmov sp, x0\n\tldp w3, w4, [sp], #8\n\tmov x0, sp\n\tsvc #0\n\tb .\n"
	".popsection");

static struct guest_context el0_ctx;
static volatile uint64_t el0_x[5];

static bool on_el0_svc(struct exception_frame *f, uint64_t esr, uint64_t far)
{
	(void)far;
	if ((esr >> 26) != 0x15)                 /* SVC from AArch64 */
		return false;
	for (unsigned i = 0; i < 5; i++)
		el0_x[i] = f->x[i];
	guest_context_restore(&el0_ctx, 1);
}

static __attribute__((noinline, noreturn)) void enter_el0(void (*code)(void), uint64_t x0)
{
	register uint64_t r0 __asm__("x0") = x0;

	/* EL0t, interrupts masked. */
	__asm__ volatile("msr elr_el1, %0\n\tmsr spsr_el1, %1\n\tisb\n\teret"
			 :: "r"(code), "r"(0x3c0UL), "r"(r0) : "memory");
	__builtin_unreachable();
}

static void run_at_el0(void (*code)(void), uint64_t x0)
{
	if (!guest_context_save(&el0_ctx))
		enter_el0(code, x0);
}

GTEST(mmio_from_el0)
{
	uint32_t typer = mmio_read32(GUEST_GICD + GICD_TYPER);
	uint64_t daif = read_sysreg(daif);

	irq_disable();
	guest_sync_handler = on_el0_svc;
	run_at_el0(el0_ldr_post, GUEST_GICD + GICD_TYPER);
	GTEST_EXPECT(el0_x[1] == typer && el0_x[0] == GUEST_GICD + 8,
		     "EL0 ldr w, [x], #4: 0x%lx base +%lu", el0_x[1], el0_x[0] - GUEST_GICD);
	run_at_el0(el0_ldp_sp, GUEST_GICD + GICD_TYPER);
	GTEST_EXPECT(el0_x[3] == typer && el0_x[4] == IIDR_LULL && el0_x[0] == GUEST_GICD + 0xc,
		     "EL0 ldp w, w, [sp], #8: 0x%lx 0x%lx sp +0x%lx", el0_x[3], el0_x[4],
		     el0_x[0] - GUEST_GICD);
	guest_sync_handler = 0;
	write_sysreg(daif, daif);
}

/* With the guest's MMU on, where virtual addresses are not IPAs: a 1 GiB
 * alias of the devices at VA 0x80000000 and of the RAM at 0xc0000000
 * (stage-1 blocks, 39-bit VA, 4 KiB granule: level 1). A post-indexed
 * load and a pair, run from the RAM alias (so the PC too goes through
 * stage 1), through the device alias. Normal memory non-cacheable, so
 * that turning the MMU off again needs no cache maintenance. */
#define VA_DEV_ALIAS 0x80000000UL
#define VA_RAM_ALIAS 0xc0000000UL
#define GUEST_RAM    0x40000000UL

void s1_ldr_post(void);
__asm__(".pushsection .text\n\t.balign 4\n"
	"s1_ldr_post:\n\tldr w1, [x0], #4\n\tldp w2, w3, [x4], #8\n\tret\n"
	".popsection");

static uint64_t l1[512] __attribute__((aligned(4096)));

static uint64_t block(uint64_t pa, unsigned attr, bool xn)
{
	/* Block (01), AttrIndx, AP EL1 RW, SH inner (normal), AF, UXN|PXN. */
	return pa | 1 | (uint64_t)attr << 2 | (attr ? 3UL << 8 : 0) | 1UL << 10 |
	       (xn ? 3UL << 53 : 0);
}

GTEST(mmio_through_stage1)
{
	uint32_t typer = mmio_read32(GUEST_GICD + GICD_TYPER);
	uint64_t sctlr = read_sysreg(sctlr_el1), daif = read_sysreg(daif);
	register uint64_t x0 __asm__("x0") = VA_DEV_ALIAS + GUEST_GICD + GICD_TYPER;
	register uint64_t x4 __asm__("x4") = VA_DEV_ALIAS + GUEST_GICD + GICD_TYPER;
	register uint64_t x1 __asm__("x1"), x2 __asm__("x2"), x3 __asm__("x3");
	void (*alias)(void) = (void (*)(void))((uintptr_t)s1_ldr_post - GUEST_RAM + VA_RAM_ALIAS);

	irq_disable();
	guest_sync_handler = on_abort;
	aborts = 0;
	l1[0] = block(0, 0, true);                     /* devices, identity */
	l1[1] = block(GUEST_RAM, 1, false);            /* RAM, identity */
	l1[2] = block(0, 0, true);                     /* devices at 0x80000000 */
	l1[3] = block(GUEST_RAM, 1, false);            /* RAM at 0xc0000000 */
	dsb(sy);
	write_sysreg(0x4400UL, mair_el1);              /* 0: Device-nGnRnE, 1: Normal NC */
	/* T0SZ 25, IRGN0/ORGN0 non-cacheable, SH0 inner, TG0 4K, EPD1, IPS 40 bits. */
	write_sysreg(25UL | 3UL << 12 | 1UL << 23 | 2UL << 32, tcr_el1);
	write_sysreg((uint64_t)(uintptr_t)l1, ttbr0_el1);
	__asm__ volatile("tlbi vmalle1\n\tdsb nsh\n\tisb" ::: "memory");
	write_sysreg(sctlr | 1, sctlr_el1);            /* M */
	isb();
	__asm__ volatile("blr %5"
			 : "+r"(x0), "=r"(x1), "=r"(x2), "=r"(x3), "+r"(x4)
			 : "r"(alias)
			 : "x30", "memory");
	write_sysreg(sctlr, sctlr_el1);
	isb();
	__asm__ volatile("tlbi vmalle1\n\tdsb nsh\n\tisb" ::: "memory");
	write_sysreg(daif, daif);
	guest_sync_handler = 0;
	GTEST_EXPECT(aborts == 0, "%u accesses aborted", aborts);
	GTEST_EXPECT((uint32_t)x1 == typer && x0 == VA_DEV_ALIAS + GUEST_GICD + 8,
		     "ldr w, [x], #4 through stage 1: 0x%lx, base 0x%lx", x1, x0);
	GTEST_EXPECT((uint32_t)x2 == typer && (uint32_t)x3 == IIDR_LULL &&
		     x4 == VA_DEV_ALIAS + GUEST_GICD + 0xc,
		     "ldp through stage 1: 0x%lx 0x%lx, base 0x%lx", x2, x3, x4);
}
