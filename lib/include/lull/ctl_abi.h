/* The control channel between the hardware domain and Lull (ABI 1):
 * shared by the hypervisor (vdev/vctl.c) and `lullctl` (tools/lullctl).
 * docs/control-channel.md describes it.
 *
 * Two regions, only in the hardware domain's device tree (node
 * "lull-control@90e0000", compatible "lull,control-1"):
 *   registers at LULL_CTL_REGS, 4 KiB, trapped: 32-bit accesses, ARG
 *   also 64-bit;
 *   a window of LULL_CTL_WINDOW_SIZE bytes at LULL_CTL_WINDOW, ordinary
 *   memory the hypervisor reads requests from and writes answers to.
 * A request: its arguments (a domain name, NUL-terminated) in the window,
 * their length in REQ_LEN, a number in ARG; then the command's code
 * written to CMD, which runs it before the write returns. STATUS then
 * holds the result (LULL_CTL_OK or an error below), RESP_LEN the length
 * of the answer at the window's start and TOTAL the length of the whole
 * answer (an answer longer than the window is read in pieces: ARG = the
 * offset to start at). Commands are taken one at a time. */
#ifndef LULL_CTL_ABI_H
#define LULL_CTL_ABI_H

#define LULL_CTL_REGS          0x090e0000UL
#define LULL_CTL_REGS_SIZE     0x1000UL
#define LULL_CTL_WINDOW        0x09100000UL
#define LULL_CTL_WINDOW_SIZE   0x10000UL

/* Registers (byte offsets). */
#define LULL_CTL_MAGIC         0x00    /* RO: LULL_CTL_MAGIC_VALUE */
#define LULL_CTL_VERSION       0x04    /* RO: LULL_CTL_ABI_VERSION */
#define LULL_CTL_WINDOW_LEN    0x08    /* RO: the window's size */
#define LULL_CTL_CMD           0x10    /* WO: run a command */
#define LULL_CTL_STATUS        0x14    /* RO: the last command's result (signed) */
#define LULL_CTL_REQ_LEN       0x18    /* RW: bytes of request in the window */
#define LULL_CTL_RESP_LEN      0x1c    /* RO: bytes of answer in the window */
#define LULL_CTL_TOTAL         0x20    /* RO: bytes of the whole answer */
#define LULL_CTL_ARG           0x28    /* RW, 64-bit: the command's number */

#define LULL_CTL_MAGIC_VALUE   0x4c554c43U   /* "LULC" */
#define LULL_CTL_ABI_VERSION   1U

/* Commands. */
#define LULL_CTL_CMD_LIST        1   /* answer: a line per domain (docs) */
#define LULL_CTL_CMD_PAUSE       2   /* window: name; IN_PROGRESS until stopped */
#define LULL_CTL_CMD_UNPAUSE     3   /* window: name */
#define LULL_CTL_CMD_SUSPEND_LOG 4   /* answer: the phase log as trace JSON; ARG: offset */

/* Results. */
#define LULL_CTL_OK             0
#define LULL_CTL_IN_PROGRESS    1    /* asked again, it answers OK when done */
#define LULL_CTL_EUNKNOWN      (-1)  /* no such command */
#define LULL_CTL_EREQUEST      (-2)  /* malformed request (length, name) */
#define LULL_CTL_ENODOMAIN     (-3)  /* no domain of that name */
#define LULL_CTL_ESTATE        (-4)  /* the domain's state does not allow it */
#define LULL_CTL_EDENIED       (-5)  /* never allowed (e.g. the caller itself) */
#define LULL_CTL_EBUSY         (-6)  /* the machine is suspending or resuming */
#define LULL_CTL_ERANGE        (-7)  /* ARG out of range */
#endif
