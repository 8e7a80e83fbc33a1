#ifndef HYP_SHELL_H
#define HYP_SHELL_H
#include <stdbool.h>
/* The hypervisor console's command shell. Runs on the boot CPU. */
void shell_prompt(void);
void shell_poll(void);       /* consume pending input, run complete lines */
bool shell_has_input(void);  /* input the shell or the focused domain can take */
int shell_execute(char *line);
#endif
