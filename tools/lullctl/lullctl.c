/* lullctl: drive Lull from the hardware domain's Linux, as Xen's `xl`
 * does from dom0. It maps the control channel (lib/include/lull/ctl_abi.h,
 * docs/control-channel.md) through /dev/mem: the node "lull-control" of
 * the device tree has no driver, so Debian's kernel lets root map it.
 * Both regions are mapped as device memory: every access is aligned and
 * of 4 or 8 bytes. Built static for the initramfs (tools/linux). */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include "lull/ctl_abi.h"   /* -iquote lib/include: not its libc headers */

#define NAME_MAX_LEN 15            /* the hypervisor's names are 15 chars */
#define PAUSE_WAIT_MS 5000

static volatile uint32_t *regs;
static volatile uint64_t *window;

static void usage(FILE *f)
{
	fprintf(f, "usage: lullctl list\n"
		   "       lullctl pause NAME\n"
		   "       lullctl unpause NAME\n"
		   "       lullctl suspend-log [FILE]   (trace-event JSON; tools/suspend-timeline)\n");
}

static uint32_t reg_read(unsigned off)
{
	return regs[off / 4];
}

static void reg_write(unsigned off, uint32_t val)
{
	regs[off / 4] = val;
}

static void open_channel(void)
{
	int fd = open("/dev/mem", O_RDWR | O_SYNC);
	void *r, *w;

	if (fd < 0) {
		fprintf(stderr, "lullctl: cannot open /dev/mem: %s (run as root, in the hardware "
			"domain)\n", strerror(errno));
		exit(1);
	}
	/* One command at a time: the window is shared by every caller. */
	if (flock(fd, LOCK_EX) < 0) {
		fprintf(stderr, "lullctl: cannot lock /dev/mem: %s\n", strerror(errno));
		exit(1);
	}
	r = mmap(NULL, LULL_CTL_REGS_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, LULL_CTL_REGS);
	w = mmap(NULL, LULL_CTL_WINDOW_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		 LULL_CTL_WINDOW);
	if (r == MAP_FAILED || w == MAP_FAILED) {
		fprintf(stderr, "lullctl: cannot map the control channel at 0x%lx: %s (is this "
			"the hardware domain of a Lull machine?)\n", LULL_CTL_REGS, strerror(errno));
		exit(1);
	}
	regs = r;
	window = w;
	if (reg_read(LULL_CTL_MAGIC) != LULL_CTL_MAGIC_VALUE) {
		fprintf(stderr, "lullctl: no Lull control channel at 0x%lx (magic 0x%x)\n",
			LULL_CTL_REGS, reg_read(LULL_CTL_MAGIC));
		exit(1);
	}
	if (reg_read(LULL_CTL_VERSION) != LULL_CTL_ABI_VERSION) {
		fprintf(stderr, "lullctl: the hypervisor speaks control ABI %u, this lullctl %u\n",
			reg_read(LULL_CTL_VERSION), LULL_CTL_ABI_VERSION);
		exit(1);
	}
}

/* Put a domain name in the window (whole 8-byte words: device memory). */
static void put_name(const char *name)
{
	uint64_t words[(NAME_MAX_LEN + 1 + 7) / 8] = { 0 };

	memcpy(words, name, strlen(name) + 1);
	for (unsigned i = 0; i < sizeof(words) / 8; i++)
		window[i] = words[i];
	reg_write(LULL_CTL_REQ_LEN, (uint32_t)strlen(name) + 1);
}

static int32_t run(uint32_t cmd, uint64_t arg)
{
	reg_write(LULL_CTL_ARG, (uint32_t)arg);
	reg_write(LULL_CTL_ARG + 4, (uint32_t)(arg >> 32));
	reg_write(LULL_CTL_CMD, cmd);
	return (int32_t)reg_read(LULL_CTL_STATUS);
}

/* The answer in the window, written to `out`. */
static void copy_answer(FILE *out)
{
	uint32_t len = reg_read(LULL_CTL_RESP_LEN);
	uint64_t word;

	if (len > LULL_CTL_WINDOW_SIZE)
		len = LULL_CTL_WINDOW_SIZE;
	for (uint32_t off = 0; off < len; off += 8) {
		word = window[off / 8];
		fwrite(&word, 1, len - off < 8 ? len - off : 8, out);
	}
}

static int fail(int32_t rc, const char *cmd, const char *name)
{
	switch (rc) {
	case LULL_CTL_ENODOMAIN:
		fprintf(stderr, "lullctl: %s: no domain named '%s' (lullctl list shows them)\n",
			cmd, name);
		break;
	case LULL_CTL_ESTATE:
		if (!strcmp(cmd, "unpause"))
			fprintf(stderr, "lullctl: unpause: domain '%s' is not paused (or was paused "
				"by the machine's suspend, not by a user)\n", name);
		else
			fprintf(stderr, "lullctl: %s: domain '%s' is off\n", cmd, name);
		break;
	case LULL_CTL_EDENIED:
		fprintf(stderr, "lullctl: %s: '%s' is the hardware domain, which runs this "
			"command: it cannot pause itself\n", cmd, name);
		break;
	case LULL_CTL_EBUSY:
		fprintf(stderr, "lullctl: %s: the machine is suspending or resuming; try again\n",
			cmd);
		break;
	case LULL_CTL_EREQUEST:
		fprintf(stderr, "lullctl: %s: the hypervisor refused the request as malformed\n",
			cmd);
		break;
	case LULL_CTL_EUNKNOWN:
		fprintf(stderr, "lullctl: %s: the hypervisor does not know this command\n", cmd);
		break;
	default:
		fprintf(stderr, "lullctl: %s: failed with code %d\n", cmd, rc);
		break;
	}
	return 1;
}

static int valid_name(const char *name)
{
	size_t n = strlen(name);

	if (n == 0 || n > NAME_MAX_LEN) {
		fprintf(stderr, "lullctl: a domain name has 1 to %d characters: '%s'\n",
			NAME_MAX_LEN, name);
		return 0;
	}
	return 1;
}

static void sleep_ms(unsigned ms)
{
	struct timespec t = { ms / 1000, (long)(ms % 1000) * 1000000L };

	nanosleep(&t, NULL);
}

static int do_pause(const char *cmd, const char *name)
{
	int pause = !strcmp(cmd, "pause");
	int32_t rc;

	if (!valid_name(name))
		return 1;
	put_name(name);
	rc = run(pause ? LULL_CTL_CMD_PAUSE : LULL_CTL_CMD_UNPAUSE, 0);
	/* A pause answers IN_PROGRESS until every vCPU has stopped. */
	for (unsigned waited = 0; rc == LULL_CTL_IN_PROGRESS; waited++) {
		if (waited == PAUSE_WAIT_MS) {
			fprintf(stderr, "lullctl: pause: '%s' has not stopped after %u ms\n", name,
				PAUSE_WAIT_MS);
			return 1;
		}
		sleep_ms(1);
		put_name(name);
		rc = run(LULL_CTL_CMD_PAUSE, 0);
	}
	if (rc != LULL_CTL_OK)
		return fail(rc, cmd, name);
	printf("lullctl: %s %sd\n", name, cmd);
	return 0;
}

static int do_list(void)
{
	int32_t rc = run(LULL_CTL_CMD_LIST, 0);

	if (rc != LULL_CTL_OK)
		return fail(rc, "list", "");
	copy_answer(stdout);
	return 0;
}

static int do_suspend_log(const char *file)
{
	FILE *out = file ? fopen(file, "w") : stdout;
	uint64_t off = 0, total;
	int32_t rc;

	if (!out) {
		fprintf(stderr, "lullctl: suspend-log: cannot write %s: %s\n", file,
			strerror(errno));
		return 1;
	}
	/* An answer longer than the window comes in pieces. */
	do {
		rc = run(LULL_CTL_CMD_SUSPEND_LOG, off);
		if (rc != LULL_CTL_OK)
			return fail(rc, "suspend-log", "");
		total = reg_read(LULL_CTL_TOTAL);
		copy_answer(out);
		off += reg_read(LULL_CTL_RESP_LEN);
	} while (off < total && reg_read(LULL_CTL_RESP_LEN));
	if (file && fclose(out)) {
		fprintf(stderr, "lullctl: suspend-log: %s: %s\n", file, strerror(errno));
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	if (!strcmp(argv[1], "list") && argc == 2) {
		open_channel();
		return do_list();
	}
	if ((!strcmp(argv[1], "pause") || !strcmp(argv[1], "unpause")) && argc == 3) {
		open_channel();
		return do_pause(argv[1], argv[2]);
	}
	if (!strcmp(argv[1], "suspend-log") && argc <= 3) {
		open_channel();
		return do_suspend_log(argc == 3 ? argv[2] : NULL);
	}
	fprintf(stderr, "lullctl: unknown command or arguments: %s\n", argv[1]);
	usage(stderr);
	return 2;
}
