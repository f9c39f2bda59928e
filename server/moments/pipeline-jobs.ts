// The job catalog of the moment pipeline: each job kind's spec (server/queue/*-job.ts) bound to its stage.
// Kept here rather than in server/queue so detection, which enqueues score-moment, never imports the agents.
import type { AnyJobHandler } from "../queue/job-runner";
import { decideStage } from "./decide-stage";
import { describeStage } from "./describe-stage";
import { scoreStage } from "./score-stage";
import type { PipelineDeps } from "./stage-runtime";

export function pipelineJobs(deps: PipelineDeps): AnyJobHandler[] {
  return [scoreStage(deps), describeStage(deps), decideStage(deps)];
}
