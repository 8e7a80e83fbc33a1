/* The hypervisor console on the Non-secure PL011: locked output with the
 * CPU number on each line, interrupt-driven input handed to the shell on
 * the boot CPU. */
#ifndef HYP_CONSOLE_H
#define HYP_CONSOLE_H
#include <stdbool.h>
#include <stdint.h>

void console_init(uintptr_t base);
void console_enable_input(unsigned intid);
int console_getc(void);                /* -1 when no input is waiting */
bool console_input_pending(void);
int console_peekc(void);               /* the next input, left in place */
bool console_input_contains(char c);
void console_write_raw(const char *s);  /* no prefix: prompt, echo */
/* A line that may be written in pieces by `owner` (a domain's output):
 * `rest` continues the piece it wrote last, `whole` is the line from its
 * start, written instead (on a fresh line) when someone else wrote in
 * between; `ends`: the line is complete. Lines are never mixed. */
void console_write_owned(const void *owner, const char *whole, const char *rest, bool ends);
/* The domain whose virtual UART has the input focus, -1 for the shell. */
extern volatile int console_focus_domain;
#endif
