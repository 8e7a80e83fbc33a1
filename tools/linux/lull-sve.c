/* lull-sve: a Linux user program (static, no libc: the cross toolchain
 * has no static arm64 libc) that checks its SVE registers survive
 * preemption: each round fills Z0-Z31 and P0-P15 with a pattern of (pid,
 * round), spins without a system call (a system call may discard SVE
 * state beyond FP/SIMD, Linux's SVE ABI) for about SPIN_US, then stores
 * them and compares. Preemption by Linux (another lull-sve) and by Lull
 * (another domain's vCPU on the same physical CPU) happens in the spins.
 * Usage: lull-sve [seconds] (default 5). Prints
 *   lull-sve: pid P, VL N bits, R rounds, E errors
 * Built by tools/linux/build-guest-linux.sh with
 * aarch64-linux-gnu-gcc -static -nostdlib -ffreestanding -march=armv8-a+sve. */
#include <stdint.h>

#define VLMAX   256        /* bytes */
#define SPIN_US 2000

static uint8_t zin[32 * VLMAX], zout[32 * VLMAX], pin[16 * VLMAX / 8], pout[16 * VLMAX / 8];

static long sys(long n, long a, long b, long c)
{
	register long x8 __asm__("x8") = n, x0 __asm__("x0") = a, x1 __asm__("x1") = b,
		      x2 __asm__("x2") = c;
	__asm__ volatile("svc #0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2) : "memory");
	return x0;
}

static void out(const char *s)
{
	long n = 0;
	while (s[n])
		n++;
	sys(64, 1, (long)s, n);          /* write */
}

static char *num(char *p, unsigned long v)
{
	char t[24];
	int n = 0;
	do
		t[n++] = (char)('0' + v % 10);
	while (v /= 10);
	while (n)
		*p++ = t[--n];
	return p;
}

static uint64_t counter(void)
{
	uint64_t v;
	__asm__ volatile("isb; mrs %0, cntvct_el0" : "=r"(v));
	return v;
}

static uint64_t freq(void)
{
	uint64_t v;
	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(v));
	return v;
}

static unsigned vl_bytes(void)
{
	uint64_t v;
	__asm__ volatile("rdvl %0, #1" : "=r"(v));
	return (unsigned)v;
}

/* sve_round(zin, pin, ticks, zout, pout): load Z0-Z31 and P0-P15, spin
 * `ticks` counter ticks without a system call, store them. */
void sve_round(const void *zin, const void *pin, uint64_t ticks, void *zout, void *pout);
__asm__(
"\t.text\n"
"\t.global sve_round\n"
"sve_round:\n"
"\tldr z0, [x0, #0, MUL VL]\n"
"\tldr z1, [x0, #1, MUL VL]\n"
"\tldr z2, [x0, #2, MUL VL]\n"
"\tldr z3, [x0, #3, MUL VL]\n"
"\tldr z4, [x0, #4, MUL VL]\n"
"\tldr z5, [x0, #5, MUL VL]\n"
"\tldr z6, [x0, #6, MUL VL]\n"
"\tldr z7, [x0, #7, MUL VL]\n"
"\tldr z8, [x0, #8, MUL VL]\n"
"\tldr z9, [x0, #9, MUL VL]\n"
"\tldr z10, [x0, #10, MUL VL]\n"
"\tldr z11, [x0, #11, MUL VL]\n"
"\tldr z12, [x0, #12, MUL VL]\n"
"\tldr z13, [x0, #13, MUL VL]\n"
"\tldr z14, [x0, #14, MUL VL]\n"
"\tldr z15, [x0, #15, MUL VL]\n"
"\tldr z16, [x0, #16, MUL VL]\n"
"\tldr z17, [x0, #17, MUL VL]\n"
"\tldr z18, [x0, #18, MUL VL]\n"
"\tldr z19, [x0, #19, MUL VL]\n"
"\tldr z20, [x0, #20, MUL VL]\n"
"\tldr z21, [x0, #21, MUL VL]\n"
"\tldr z22, [x0, #22, MUL VL]\n"
"\tldr z23, [x0, #23, MUL VL]\n"
"\tldr z24, [x0, #24, MUL VL]\n"
"\tldr z25, [x0, #25, MUL VL]\n"
"\tldr z26, [x0, #26, MUL VL]\n"
"\tldr z27, [x0, #27, MUL VL]\n"
"\tldr z28, [x0, #28, MUL VL]\n"
"\tldr z29, [x0, #29, MUL VL]\n"
"\tldr z30, [x0, #30, MUL VL]\n"
"\tldr z31, [x0, #31, MUL VL]\n"
"\tldr p0, [x1, #0, MUL VL]\n"
"\tldr p1, [x1, #1, MUL VL]\n"
"\tldr p2, [x1, #2, MUL VL]\n"
"\tldr p3, [x1, #3, MUL VL]\n"
"\tldr p4, [x1, #4, MUL VL]\n"
"\tldr p5, [x1, #5, MUL VL]\n"
"\tldr p6, [x1, #6, MUL VL]\n"
"\tldr p7, [x1, #7, MUL VL]\n"
"\tldr p8, [x1, #8, MUL VL]\n"
"\tldr p9, [x1, #9, MUL VL]\n"
"\tldr p10, [x1, #10, MUL VL]\n"
"\tldr p11, [x1, #11, MUL VL]\n"
"\tldr p12, [x1, #12, MUL VL]\n"
"\tldr p13, [x1, #13, MUL VL]\n"
"\tldr p14, [x1, #14, MUL VL]\n"
"\tldr p15, [x1, #15, MUL VL]\n"
"\tisb\n"
"\tmrs x9, cntvct_el0\n"
"1:\tisb\n"
"\tmrs x10, cntvct_el0\n"
"\tsub x10, x10, x9\n"
"\tcmp x10, x2\n"
"\tb.lo 1b\n"
"\tstr z0, [x3, #0, MUL VL]\n"
"\tstr z1, [x3, #1, MUL VL]\n"
"\tstr z2, [x3, #2, MUL VL]\n"
"\tstr z3, [x3, #3, MUL VL]\n"
"\tstr z4, [x3, #4, MUL VL]\n"
"\tstr z5, [x3, #5, MUL VL]\n"
"\tstr z6, [x3, #6, MUL VL]\n"
"\tstr z7, [x3, #7, MUL VL]\n"
"\tstr z8, [x3, #8, MUL VL]\n"
"\tstr z9, [x3, #9, MUL VL]\n"
"\tstr z10, [x3, #10, MUL VL]\n"
"\tstr z11, [x3, #11, MUL VL]\n"
"\tstr z12, [x3, #12, MUL VL]\n"
"\tstr z13, [x3, #13, MUL VL]\n"
"\tstr z14, [x3, #14, MUL VL]\n"
"\tstr z15, [x3, #15, MUL VL]\n"
"\tstr z16, [x3, #16, MUL VL]\n"
"\tstr z17, [x3, #17, MUL VL]\n"
"\tstr z18, [x3, #18, MUL VL]\n"
"\tstr z19, [x3, #19, MUL VL]\n"
"\tstr z20, [x3, #20, MUL VL]\n"
"\tstr z21, [x3, #21, MUL VL]\n"
"\tstr z22, [x3, #22, MUL VL]\n"
"\tstr z23, [x3, #23, MUL VL]\n"
"\tstr z24, [x3, #24, MUL VL]\n"
"\tstr z25, [x3, #25, MUL VL]\n"
"\tstr z26, [x3, #26, MUL VL]\n"
"\tstr z27, [x3, #27, MUL VL]\n"
"\tstr z28, [x3, #28, MUL VL]\n"
"\tstr z29, [x3, #29, MUL VL]\n"
"\tstr z30, [x3, #30, MUL VL]\n"
"\tstr z31, [x3, #31, MUL VL]\n"
"\tstr p0, [x4, #0, MUL VL]\n"
"\tstr p1, [x4, #1, MUL VL]\n"
"\tstr p2, [x4, #2, MUL VL]\n"
"\tstr p3, [x4, #3, MUL VL]\n"
"\tstr p4, [x4, #4, MUL VL]\n"
"\tstr p5, [x4, #5, MUL VL]\n"
"\tstr p6, [x4, #6, MUL VL]\n"
"\tstr p7, [x4, #7, MUL VL]\n"
"\tstr p8, [x4, #8, MUL VL]\n"
"\tstr p9, [x4, #9, MUL VL]\n"
"\tstr p10, [x4, #10, MUL VL]\n"
"\tstr p11, [x4, #11, MUL VL]\n"
"\tstr p12, [x4, #12, MUL VL]\n"
"\tstr p13, [x4, #13, MUL VL]\n"
"\tstr p14, [x4, #14, MUL VL]\n"
"\tstr p15, [x4, #15, MUL VL]\n"
"\tret\n");

static uint8_t pat(unsigned seed, unsigned r, unsigned i)
{
	uint32_t x = seed * 0x9e3779b1U ^ r * 0x85ebca6bU ^ i * 0xc2b2ae35U;
	x ^= x >> 15;
	x *= 0x2c1b3c6dU;
	return (uint8_t)(x >> 24);
}

void lull_main(long argc, char **argv)
{
	unsigned vl = vl_bytes(), pid = (unsigned)sys(172, 0, 0, 0), secs = 5;
	unsigned long rounds = 0, errors = 0;
	uint64_t hz = freq(), t0 = counter();
	char line[128], *p = line;

	if (argc > 1)
		for (secs = 0; *argv[1] >= '0' && *argv[1] <= '9'; argv[1]++)
			secs = secs * 10 + (unsigned)(*argv[1] - '0');
	if (vl > VLMAX) {
		out("lull-sve: vector length above 2048 bits\n");
		sys(93, 1, 0, 0);
	}
	while (counter() - t0 < secs * hz) {
		for (unsigned i = 0; i < 32 * vl; i++)
			zin[i] = pat(pid, (unsigned)rounds, i);
		for (unsigned i = 0; i < 2 * vl; i++)
			pin[i] = pat(pid, (unsigned)rounds, 0x10000 + i);
		sve_round(zin, pin, hz * SPIN_US / 1000000, zout, pout);
		for (unsigned i = 0; i < 32 * vl; i++)
			if (zout[i] != zin[i]) {
				errors++;
				break;
			}
		for (unsigned i = 0; i < 2 * vl; i++)
			if (pout[i] != pin[i]) {
				errors++;
				break;
			}
		rounds++;
	}
	for (const char *s = "lull-sve: pid "; *s; )
		*p++ = *s++;
	p = num(p, pid);
	for (const char *s = ", VL "; *s; )
		*p++ = *s++;
	p = num(p, vl * 8);
	for (const char *s = " bits, "; *s; )
		*p++ = *s++;
	p = num(p, rounds);
	for (const char *s = " rounds, "; *s; )
		*p++ = *s++;
	p = num(p, errors);
	for (const char *s = " errors\n"; *s; )
		*p++ = *s++;
	*p = 0;
	out(line);
	sys(93, errors != 0, 0, 0);
}

/* Entry: sp points at argc, then argv. */
__asm__(".text\n.global _start\n_start:\n\tldr x0, [sp]\n\tadd x1, sp, #8\n\tbl lull_main\n\tb .\n");
