import { type JobStatus, TASK_ORDER, type TaskName } from '@vista/contracts';

const FINAL_ORDER = Math.max(...Object.values(TASK_ORDER));

/**
 * A run's (and its kit's) overall status from the job transition that came last: RUNNING while a
 * stage is pending, queued or running or a non-final stage has succeeded; SUCCESS only when the final
 * stage succeeded; FAILED / TIMEOUT / CANCELLED as the job ended.
 */
export function runStatusOf(status: JobStatus, task: TaskName): JobStatus {
  switch (status) {
    case 'PENDING':
    case 'QUEUED':
    case 'RUNNING':
      return 'RUNNING';
    case 'SUCCESS':
      return TASK_ORDER[task] === FINAL_ORDER ? 'SUCCESS' : 'RUNNING';
    default:
      return status;
  }
}
