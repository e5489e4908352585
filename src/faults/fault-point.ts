/**
 * Named points in a crash window, where a test can make the process die as an OOM kill or a power cut
 * would: the process SIGKILLs itself when the environment variable `DA_FAULT_POINT` names the point
 * (tests set it on a worker process they spawn). A no-op otherwise; nothing in production sets it.
 */
export function faultPoint(name: string): void {
  if (process.env.DA_FAULT_POINT === name) process.kill(process.pid, 'SIGKILL');
}
