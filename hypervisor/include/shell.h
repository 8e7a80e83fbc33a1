#ifndef HYP_SHELL_H
#define HYP_SHELL_H
/* The hypervisor console's command shell. Runs on the boot CPU. */
void shell_prompt(void);
void shell_poll(void);       /* consume pending input, run complete lines */
int shell_execute(char *line);
#endif
