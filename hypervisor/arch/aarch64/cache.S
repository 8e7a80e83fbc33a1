/* Data cache maintenance by address to the point of coherency (Arm ARM
 * D7.5.9), for memory that something reads or wrote without the caches:
 * the resume entry (MMU off), a guest's non-cacheable view of a window
 * the hypervisor shares with it (vdev/vctl.c). */

/* x0 = start, x1 = length; x2, x3 clobbered. Sets x2 = line size and
 * aligns x0 down, x1 = end. */
.macro line_range
	mrs	x3, ctr_el0
	ubfx	x3, x3, #16, #4			/* DminLine: log2(words) */
	mov	x2, #4
	lsl	x2, x2, x3			/* line size in bytes */
	add	x1, x0, x1
	sub	x3, x2, #1
	bic	x0, x0, x3
.endm

/* Clean [x0, x0 + x1): what the caches hold reaches memory. */
	.global dcache_clean_range
dcache_clean_range:
	line_range
1:	dc	cvac, x0
	add	x0, x0, x2
	cmp	x0, x1
	b.lo	1b
	dsb	sy
	ret

/* Clean and invalidate [x0, x0 + x1): later reads see what is in memory
 * (written around the caches). */
	.global dcache_clean_inval_range
dcache_clean_inval_range:
	line_range
1:	dc	civac, x0
	add	x0, x0, x2
	cmp	x0, x1
	b.lo	1b
	dsb	sy
	ret
