/* AArch64 system-register and barrier helpers. */
#ifndef LULL_ARCH_H
#define LULL_ARCH_H
#include <stdint.h>

#define STR_(x) #x
#define STR(x) STR_(x)

#define read_sysreg(reg) ({ uint64_t v_; \
	__asm__ volatile("mrs %0, " STR(reg) : "=r"(v_)); v_; })
#define write_sysreg(v, reg) __asm__ volatile("msr " STR(reg) ", %0" :: "r"((uint64_t)(v)) : "memory")

#define isb() __asm__ volatile("isb" ::: "memory")
#define dsb(opt) __asm__ volatile("dsb " #opt ::: "memory")
#define dmb(opt) __asm__ volatile("dmb " #opt ::: "memory")
#define wfi() __asm__ volatile("wfi" ::: "memory")
#define wfe() __asm__ volatile("wfe" ::: "memory")
#define sev() __asm__ volatile("sev" ::: "memory")
#define irq_enable() __asm__ volatile("msr daifclr, #2" ::: "memory")
#define irq_disable() __asm__ volatile("msr daifset, #2" ::: "memory")

static inline uint64_t irq_save(void)
{
	uint64_t flags = read_sysreg(daif);
	irq_disable();
	return flags;
}

static inline void irq_restore(uint64_t flags)
{
	write_sysreg(flags, daif);
}

/* MPIDR affinity fields (Arm ARM D17.2 MPIDR_EL1). */
#define MPIDR_AFF_MASK 0xff00ffffffULL
static inline uint64_t mpidr_affinity(uint64_t mpidr)
{
	return mpidr & MPIDR_AFF_MASK;
}

static inline unsigned mpidr_aff(uint64_t mpidr, unsigned level)
{
	unsigned shift = level == 3 ? 32 : level * 8;
	return (unsigned)(mpidr >> shift) & 0xff;
}

#define BIT(n) (1ULL << (n))
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define ALIGN_UP(x, a) (((x) + (a) - 1) & ~((__typeof__(x))(a) - 1))
#endif
