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
/* The domain whose virtual UART has the input focus, -1 for the shell. */
extern volatile int console_focus_domain;
#endif
