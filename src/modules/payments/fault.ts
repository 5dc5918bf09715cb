/**
 * Fault injection for tests only: `PLAZA_FAULT_INJECT=after_capture` makes the process kill itself
 * (SIGKILL, no cleanup) right after a payment provider confirmed a capture and before Plaza recorded
 * it, the worst moment for a crash. Never set it in production; unset, a fault point does nothing.
 */
export type FaultPoint = 'after_capture';

export const faultPoint = (name: FaultPoint): void => {
  if (process.env.PLAZA_FAULT_INJECT === name) process.kill(process.pid, 'SIGKILL');
};
