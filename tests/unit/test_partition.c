/* Host unit tests for hypervisor/core/partition.c: placing domain memory in
 * physical RAM around reserved ranges, 2 MiB aligned. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "partition.h"

#define MiB(x)  ((uint64_t)(x) << 20)
#define ALIGN   MiB(2)
#define N(a)    ((unsigned)(sizeof(a) / sizeof((a)[0])))
/* A *bad value partition_place never produces for these small arrays. */
#define NO_BAD  0xdeadu

static struct range R(uint64_t base, uint64_t size)
{
	struct range r = { base, size };
	return r;
}

/* Invariants of every successful placement: each request is aligned, inside
 * one RAM range, clear of every reserved range and of every other request. */
static void assert_valid_layout(const struct range *ram, unsigned nram,
				const struct range *res, unsigned nres,
				const struct range *req, unsigned nreq)
{
	for (unsigned i = 0; i < nreq; i++) {
		bool inside = false;

		assert_int_not_equal(req[i].base, 0);
		assert_int_equal(req[i].base % ALIGN, 0);
		assert_int_equal(req[i].size % ALIGN, 0);
		for (unsigned r = 0; r < nram; r++)
			inside = inside || range_inside(req[i], ram[r]);
		assert_true(inside);
		for (unsigned r = 0; r < nres; r++)
			assert_false(ranges_overlap(req[i], res[r]));
		for (unsigned j = 0; j < nreq; j++)
			if (j != i)
				assert_false(ranges_overlap(req[i], req[j]));
	}
}

static enum place_error place(const struct range *ram, unsigned nram,
			      const struct range *res, unsigned nres,
			      struct range *req, unsigned nreq, unsigned *bad)
{
	*bad = NO_BAD;
	return partition_place(ram, nram, res, nres, req, nreq, ALIGN, bad);
}

/* ------------------------------------------------------------------ */
/* Inline helpers                                                       */

static void overlap_helper(void **state)
{
	(void)state;
	/* Partial overlap, either order. */
	assert_true(ranges_overlap(R(0x1000, 0x1000), R(0x1800, 0x1000)));
	assert_true(ranges_overlap(R(0x1800, 0x1000), R(0x1000, 0x1000)));
	/* Containment and equality. */
	assert_true(ranges_overlap(R(0x1000, 0x4000), R(0x2000, 0x1000)));
	assert_true(ranges_overlap(R(0x2000, 0x1000), R(0x1000, 0x4000)));
	assert_true(ranges_overlap(R(0x1000, 0x1000), R(0x1000, 0x1000)));
	/* One byte in common at either end. */
	assert_true(ranges_overlap(R(0x1000, 0x1000), R(0x1fff, 1)));
	assert_true(ranges_overlap(R(0x1000, 0x1000), R(0x0, 0x1001)));
	/* Touching is not overlapping. */
	assert_false(ranges_overlap(R(0x1000, 0x1000), R(0x2000, 0x1000)));
	assert_false(ranges_overlap(R(0x2000, 0x1000), R(0x1000, 0x1000)));
	/* Disjoint. */
	assert_false(ranges_overlap(R(0x1000, 0x1000), R(0x8000, 0x1000)));
	/* Empty ranges overlap nothing, even when inside the other. */
	assert_false(ranges_overlap(R(0x1800, 0), R(0x1000, 0x1000)));
	assert_false(ranges_overlap(R(0x1000, 0x1000), R(0x1800, 0)));
	assert_false(ranges_overlap(R(0x1000, 0), R(0x1000, 0)));
}

static void inside_helper(void **state)
{
	struct range ram = R(0x40000000, MiB(256));
	(void)state;
	assert_true(range_inside(R(0x40000000, MiB(256)), ram));      /* equal */
	assert_true(range_inside(R(0x40000000, MiB(2)), ram));        /* at start */
	assert_true(range_inside(R(0x4fe00000, MiB(2)), ram));        /* at end */
	assert_true(range_inside(R(0x48000000, MiB(16)), ram));
	assert_true(range_inside(R(0x48000000, 0), ram));             /* empty */
	assert_false(range_inside(R(0x3fe00000, MiB(4)), ram));       /* starts before */
	assert_false(range_inside(R(0x3fe00000, MiB(2)), ram));       /* ends at start */
	assert_false(range_inside(R(0x4fe00000, MiB(4)), ram));       /* ends after */
	assert_false(range_inside(R(0x50000000, MiB(2)), ram));       /* just after */
	assert_false(range_inside(R(0x20000000, MiB(2)), ram));       /* below */
	assert_false(range_inside(R(0x3fe00000, MiB(512)), ram));     /* contains it */
}

static void inside_helper_wrap(void **state)
{
	struct range ram = R(0x40000000, MiB(256));
	struct range all = R(0, UINT64_MAX);
	(void)state;
	/* base + size wraps past 2^64 to a small value that would otherwise
	 * compare as "ending inside" the outer range. */
	assert_false(range_inside(R(0x48000000, UINT64_MAX - 0x48000000 + 1 + 0x1000), ram));
	assert_false(range_inside(R(0x48000000, UINT64_MAX), ram));
	assert_false(range_inside(R(UINT64_MAX - 0xfff, 0x2000), all));
	assert_false(range_inside(R(UINT64_MAX, 2), all));
	/* No wrap: ends exactly at the (non-wrapping) outer end. */
	assert_true(range_inside(R(UINT64_MAX - 0x1000, 0x1000), all));
}

/* ------------------------------------------------------------------ */
/* Fixed bases                                                          */

static void fixed_bases_honoured(void **state)
{
	const struct range ram[] = { R(0x40000000, MiB(256)) };
	const struct range res[] = { R(0x40000000, MiB(4)) };
	struct range req[] = { R(0x48000000, MiB(16)), R(0x44000000, MiB(8)),
			       R(0x4fe00000, MiB(2)), R(0x40400000, MiB(2)) };
	unsigned bad;
	(void)state;
	assert_int_equal(place(ram, N(ram), res, N(res), req, N(req), &bad), PLACE_OK);
	assert_int_equal(req[0].base, 0x48000000);
	assert_int_equal(req[1].base, 0x44000000);
	assert_int_equal(req[2].base, 0x4fe00000);   /* last 2 MiB of RAM */
	assert_int_equal(req[3].base, 0x40400000);   /* right after reserved */
	assert_int_equal(req[0].size, MiB(16));
	assert_int_equal(req[1].size, MiB(8));
	assert_valid_layout(ram, N(ram), res, N(res), req, N(req));
}

/* ------------------------------------------------------------------ */
/* Automatic placement                                                  */

static void automatic_lowest_first(void **state)
{
	/* An unaligned reserved range at the start (3 MiB) and a small one at
	 * +10 MiB: requests go to the lowest aligned free slot, in order. */
	const struct range ram[] = { R(0x40000000, MiB(64)) };
	const struct range res[] = { R(0x40000000, MiB(3)), R(0x40a00000, 0x1000) };
	struct range req[] = { R(0, MiB(4)), R(0, MiB(4)), R(0, MiB(2)), R(0, MiB(2)) };
	unsigned bad;
	(void)state;
	assert_int_equal(place(ram, N(ram), res, N(res), req, N(req), &bad), PLACE_OK);
	assert_int_equal(req[0].base, 0x40400000);   /* 3 MiB rounded up to 4 */
	assert_int_equal(req[1].base, 0x40c00000);   /* 8..12 MiB hits the page at 10 */
	assert_int_equal(req[2].base, 0x40800000);   /* fills the gap below it */
	assert_int_equal(req[3].base, 0x41000000);   /* next free after req[1] */
	assert_valid_layout(ram, N(ram), res, N(res), req, N(req));
}

static void automatic_avoids_fixed(void **state)
{
	const struct range ram[] = { R(0x40000000, MiB(64)) };
	const struct range res[] = { R(0x40000000, MiB(2)) };
	struct range req[] = { R(0x40200000, MiB(2)), R(0, MiB(4)),
			       R(0x40800000, MiB(2)), R(0, MiB(2)) };
	unsigned bad;
	(void)state;
	assert_int_equal(place(ram, N(ram), res, N(res), req, N(req), &bad), PLACE_OK);
	assert_int_equal(req[0].base, 0x40200000);
	assert_int_equal(req[1].base, 0x40400000);
	assert_int_equal(req[2].base, 0x40800000);
	assert_int_equal(req[3].base, 0x40a00000);
	assert_valid_layout(ram, N(ram), res, N(res), req, N(req));
}

static void fixed_placed_before_automatic(void **state)
{
	/* The automatic request comes first in the list but must not take the
	 * slot a later fixed request asks for. */
	const struct range ram[] = { R(0x40000000, MiB(64)) };
	const struct range res[] = { R(0x40000000, MiB(4)) };
	struct range req[] = { R(0, MiB(4)), R(0x40400000, MiB(4)), R(0, MiB(2)) };
	unsigned bad;
	(void)state;
	assert_int_equal(place(ram, N(ram), res, N(res), req, N(req), &bad), PLACE_OK);
	assert_int_equal(req[1].base, 0x40400000);
	assert_int_equal(req[0].base, 0x40800000);
	assert_int_equal(req[2].base, 0x40c00000);
	assert_valid_layout(ram, N(ram), res, N(res), req, N(req));
}

static void automatic_fills_ram_exactly(void **state)
{
	const struct range ram[] = { R(0x40000000, MiB(8)) };
	const struct range res[] = { R(0x40000000, MiB(2)) };
	struct range req[] = { R(0, MiB(4)), R(0, MiB(2)) };
	unsigned bad;
	(void)state;
	assert_int_equal(place(ram, N(ram), res, N(res), req, N(req), &bad), PLACE_OK);
	assert_int_equal(req[0].base, 0x40200000);
	assert_int_equal(req[1].base, 0x40600000);   /* last 2 MiB */
	assert_valid_layout(ram, N(ram), res, N(res), req, N(req));
}

static void multiple_ram_ranges(void **state)
{
	/* Small low bank, mostly reserved; a large high bank. */
	const struct range ram[] = { R(0x40000000, MiB(8)), R(0x80000000, MiB(64)) };
	const struct range res[] = { R(0x40000000, MiB(4)) };
	struct range req[] = { R(0, MiB(4)),             /* fits the low bank */
			       R(0, MiB(8)),             /* only the high one */
			       R(0x80000000, MiB(2)),    /* fixed, high bank */
			       R(0, MiB(2)) };           /* low bank is full */
	unsigned bad;
	(void)state;
	assert_int_equal(place(ram, N(ram), res, N(res), req, N(req), &bad), PLACE_OK);
	assert_int_equal(req[0].base, 0x40400000);
	assert_int_equal(req[1].base, 0x80200000);
	assert_int_equal(req[2].base, 0x80000000);
	assert_int_equal(req[3].base, 0x80a00000);
	assert_valid_layout(ram, N(ram), res, N(res), req, N(req));
}

static void fixed_in_second_ram_range(void **state)
{
	const struct range ram[] = { R(0x40000000, MiB(64)), R(0x880000000, MiB(64)) };
	struct range req[] = { R(0x881000000, MiB(32)), R(0x40000000, MiB(64)) };
	unsigned bad;
	(void)state;
	assert_int_equal(place(ram, N(ram), NULL, 0, req, N(req), &bad), PLACE_OK);
	assert_int_equal(req[0].base, 0x881000000);
	assert_int_equal(req[1].base, 0x40000000);
	assert_valid_layout(ram, N(ram), NULL, 0, req, N(req));
}

static void no_requests(void **state)
{
	const struct range ram[] = { R(0x40000000, MiB(64)) };
	const struct range res[] = { R(0x40000000, MiB(2)) };
	unsigned bad;
	(void)state;
	assert_int_equal(place(ram, N(ram), res, N(res), NULL, 0, &bad), PLACE_OK);
}

/* ------------------------------------------------------------------ */
/* Errors                                                               */

static void misaligned(void **state)
{
	const struct range ram[] = { R(0x40000000, MiB(256)) };
	const struct range res[] = { R(0x40000000, MiB(2)) };
	/* Request 0 is always good; request 1 is the one under test. */
	const struct range cases[] = {
		R(0x40100000, MiB(2)),      /* base 1 MiB aligned */
		R(0x40201000, MiB(2)),      /* base 4 KiB aligned */
		R(0x40400000, MiB(3)),      /* size not a multiple */
		R(0x40400000, 0x1000),
		R(0x40400000, 0),           /* fixed, size 0 */
		R(0, 0),                    /* automatic, size 0 */
		R(0, MiB(1)),               /* automatic, size not a multiple */
		R(0, MiB(2) + 0x1000),
	};
	(void)state;
	for (unsigned c = 0; c < N(cases); c++) {
		struct range req[] = { R(0x48000000, MiB(2)), cases[c] };
		unsigned bad;
		assert_int_equal(place(ram, N(ram), res, N(res), req, N(req), &bad),
				 PLACE_MISALIGNED);
		assert_int_equal(bad, 1);
	}
}

static void misaligned_checked_before_placing(void **state)
{
	/* A bad automatic request after a good one is reported, and by index. */
	const struct range ram[] = { R(0x40000000, MiB(256)) };
	struct range req[] = { R(0, MiB(2)), R(0, MiB(2)), R(0, MiB(5)) };
	unsigned bad;
	(void)state;
	assert_int_equal(place(ram, N(ram), NULL, 0, req, N(req), &bad), PLACE_MISALIGNED);
	assert_int_equal(bad, 2);
}

static void not_in_ram(void **state)
{
	const struct range ram[] = { R(0x40000000, MiB(256)), R(0x80000000, MiB(64)) };
	const struct range cases[] = {
		R(0x20000000, MiB(2)),      /* below RAM */
		R(0x3fe00000, MiB(4)),      /* straddles RAM's start */
		R(0x4fe00000, MiB(4)),      /* straddles the first bank's end */
		R(0x50000000, MiB(2)),      /* in the hole between banks */
		R(0x4f000000, MiB(1024)),   /* spans the hole */
		R(0x84000000, MiB(2)),      /* just past the last bank */
		R(0x100000000, MiB(2)),     /* far above */
		/* base + size wraps past 2^64 to "inside" the first bank */
		R(0x40000000, UINT64_MAX - 0x40000000 + 1 + MiB(2)),
	};
	(void)state;
	for (unsigned c = 0; c < N(cases); c++) {
		struct range req[] = { R(0x40000000, MiB(2)), cases[c] };
		unsigned bad;
		assert_int_equal(place(ram, N(ram), NULL, 0, req, N(req), &bad),
				 PLACE_NOT_IN_RAM);
		assert_int_equal(bad, 1);
	}
}

static void reserved(void **state)
{
	const struct range ram[] = { R(0x40000000, MiB(256)) };
	const struct range res[] = { R(0x40000000, MiB(4)),        /* hypervisor */
				     R(0x41fff000, 0x1000),         /* one page */
				     R(0x48000000, MiB(16)) };      /* an image */
	const struct range bad_cases[] = {
		R(0x40000000, MiB(2)),
		R(0x40200000, MiB(4)),      /* starts inside, ends past */
		R(0x41e00000, MiB(2)),      /* its last page is reserved */
		R(0x47e00000, MiB(4)),      /* overlaps the image's start */
		R(0x48e00000, MiB(2)),      /* inside the image */
		R(0x46000000, MiB(64)),     /* covers the image */
	};
	const struct range good_cases[] = {
		R(0x40400000, MiB(2)),      /* touches the hypervisor's end */
		R(0x42000000, MiB(2)),      /* touches the page's end */
		R(0x47e00000, MiB(2)),      /* touches the image's start */
		R(0x49000000, MiB(2)),      /* touches the image's end */
	};
	(void)state;
	for (unsigned c = 0; c < N(bad_cases); c++) {
		struct range req[] = { R(0x4c000000, MiB(2)), bad_cases[c] };
		unsigned bad;
		assert_int_equal(place(ram, N(ram), res, N(res), req, N(req), &bad),
				 PLACE_RESERVED);
		assert_int_equal(bad, 1);
	}
	for (unsigned c = 0; c < N(good_cases); c++) {
		struct range req[] = { R(0x4c000000, MiB(2)), good_cases[c] };
		unsigned bad;
		assert_int_equal(place(ram, N(ram), res, N(res), req, N(req), &bad),
				 PLACE_OK);
		assert_int_equal(req[1].base, good_cases[c].base);
	}
}

static void overlap_between_fixed(void **state)
{
	const struct range ram[] = { R(0x40000000, MiB(256)) };
	const struct range res[] = { R(0x40000000, MiB(2)) };
	unsigned bad;
	(void)state;
	{	/* Later one higher up. */
		struct range req[] = { R(0x44000000, MiB(8)), R(0x44600000, MiB(4)) };
		assert_int_equal(place(ram, N(ram), res, N(res), req, N(req), &bad),
				 PLACE_OVERLAP);
		assert_int_equal(bad, 1);
	}
	{	/* Later one lower down; an automatic one in between. */
		struct range req[] = { R(0x44000000, MiB(8)), R(0, MiB(2)),
				       R(0x43000000, MiB(18)) };
		assert_int_equal(place(ram, N(ram), res, N(res), req, N(req), &bad),
				 PLACE_OVERLAP);
		assert_int_equal(bad, 2);
	}
	{	/* Identical. */
		struct range req[] = { R(0x44000000, MiB(2)), R(0x46000000, MiB(2)),
				       R(0x44000000, MiB(2)) };
		assert_int_equal(place(ram, N(ram), res, N(res), req, N(req), &bad),
				 PLACE_OVERLAP);
		assert_int_equal(bad, 2);
	}
	{	/* Touching is fine. */
		struct range req[] = { R(0x44000000, MiB(8)), R(0x44800000, MiB(2)),
				       R(0x43e00000, MiB(2)) };
		assert_int_equal(place(ram, N(ram), res, N(res), req, N(req), &bad),
				 PLACE_OK);
		assert_valid_layout(ram, N(ram), res, N(res), req, N(req));
	}
}

static void no_room(void **state)
{
	const struct range ram[] = { R(0x40000000, MiB(8)) };
	const struct range res[] = { R(0x40000000, MiB(2)) };
	unsigned bad;
	(void)state;
	{	/* The second automatic request finds RAM used up. */
		struct range req[] = { R(0, MiB(4)), R(0, MiB(4)) };
		assert_int_equal(place(ram, N(ram), res, N(res), req, N(req), &bad),
				 PLACE_NO_ROOM);
		assert_int_equal(bad, 1);
	}
	{	/* Larger than all of RAM. */
		struct range req[] = { R(0, MiB(16)) };
		assert_int_equal(place(ram, N(ram), NULL, 0, req, N(req), &bad),
				 PLACE_NO_ROOM);
		assert_int_equal(bad, 0);
	}
	{	/* Enough free RAM in total, but fragmented by a fixed request. */
		struct range req[] = { R(0, MiB(4)), R(0x40400000, MiB(2)) };
		assert_int_equal(place(ram, N(ram), res, N(res), req, N(req), &bad),
				 PLACE_NO_ROOM);
		assert_int_equal(bad, 0);
	}
	{	/* All RAM reserved. */
		const struct range all[] = { R(0x40000000, MiB(8)) };
		struct range req[] = { R(0, MiB(2)) };
		assert_int_equal(place(ram, N(ram), all, N(all), req, N(req), &bad),
				 PLACE_NO_ROOM);
		assert_int_equal(bad, 0);
	}
	{	/* Both banks exhausted: the third automatic request fails. */
		const struct range ram2[] = { R(0x40000000, MiB(4)), R(0x80000000, MiB(4)) };
		struct range req[] = { R(0, MiB(4)), R(0, MiB(4)), R(0, MiB(2)) };
		assert_int_equal(place(ram2, N(ram2), NULL, 0, req, N(req), &bad),
				 PLACE_NO_ROOM);
		assert_int_equal(bad, 2);
	}
}

/* ------------------------------------------------------------------ */
/* Error texts                                                          */

static void error_texts(void **state)
{
	static const enum place_error all[] = {
		PLACE_OK, PLACE_MISALIGNED, PLACE_NOT_IN_RAM,
		PLACE_RESERVED, PLACE_OVERLAP, PLACE_NO_ROOM,
	};
	(void)state;
	for (unsigned i = 0; i < N(all); i++) {
		const char *t = place_error_text(all[i]);
		assert_non_null(t);
		assert_true(t[0] != '\0');
		for (unsigned j = 0; j < i; j++)
			assert_string_not_equal(t, place_error_text(all[j]));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(overlap_helper),
		cmocka_unit_test(inside_helper),
		cmocka_unit_test(inside_helper_wrap),
		cmocka_unit_test(fixed_bases_honoured),
		cmocka_unit_test(automatic_lowest_first),
		cmocka_unit_test(automatic_avoids_fixed),
		cmocka_unit_test(fixed_placed_before_automatic),
		cmocka_unit_test(automatic_fills_ram_exactly),
		cmocka_unit_test(multiple_ram_ranges),
		cmocka_unit_test(fixed_in_second_ram_range),
		cmocka_unit_test(no_requests),
		cmocka_unit_test(misaligned),
		cmocka_unit_test(misaligned_checked_before_placing),
		cmocka_unit_test(not_in_ram),
		cmocka_unit_test(reserved),
		cmocka_unit_test(overlap_between_fixed),
		cmocka_unit_test(no_room),
		cmocka_unit_test(error_texts),
	};
	return cmocka_run_group_tests_name("partition", tests, NULL, NULL);
}
