// The human task's server-only exports: the executor and the pure answering logic the API applies.
export { humanExecutor } from './execute.js';
export {
  type AnswerResult,
  answerProblems,
  answerTask,
  type TaskMember,
  TaskPayload,
  TaskRequest,
  TaskState,
  taskEligibility,
} from './task.js';
