-- AlterTable
ALTER TABLE "job" ADD COLUMN     "locked_until" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "moment" (
    "id" BIGSERIAL NOT NULL,
    "candidate_id" BIGINT NOT NULL,
    "key" TEXT NOT NULL,
    "games_id" TEXT,
    "sport" VARCHAR(40) NOT NULL,
    "country" VARCHAR(2) NOT NULL,
    "countries" TEXT[],
    "markets" JSONB NOT NULL,
    "peak_at" TIMESTAMPTZ(3) NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'new',
    "interesting" BOOLEAN,
    "interest_score" DOUBLE PRECISION,
    "interest_reason" TEXT,
    "cause_event_id" TEXT,
    "headline" TEXT,
    "description" TEXT,
    "story" TEXT,
    "story_citations" TEXT[],
    "tags" JSONB,
    "clip_session_id" TEXT,
    "clip_in" TEXT,
    "clip_out" TEXT,
    "clip_reason" TEXT,
    "generated_by" TEXT,
    "scored_at" TIMESTAMPTZ(3),
    "described_at" TIMESTAMPTZ(3),
    "routed_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "moment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "agent_run" (
    "id" BIGSERIAL NOT NULL,
    "moment_id" BIGINT NOT NULL,
    "stage" TEXT NOT NULL,
    "attempt" INTEGER NOT NULL,
    "agent" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "trace" JSONB,
    "output" JSONB,
    "generated_by" TEXT,
    "model_id" TEXT,
    "input_tokens" INTEGER NOT NULL DEFAULT 0,
    "output_tokens" INTEGER NOT NULL DEFAULT 0,
    "cost_usd" DOUBLE PRECISION,
    "latency_ms" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "agent_run_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "channel_decision" (
    "id" BIGSERIAL NOT NULL,
    "moment_id" BIGINT NOT NULL,
    "channel_id" TEXT NOT NULL,
    "decision" TEXT NOT NULL,
    "decided_by" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "priority" INTEGER NOT NULL,
    "markets" TEXT[],
    "generated_by" TEXT,
    "payload" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "channel_decision_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "memory_fact" (
    "id" BIGSERIAL NOT NULL,
    "games_id" TEXT,
    "subject" TEXT NOT NULL,
    "fact" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "source_moment_key" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "memory_fact_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "moment_candidate_id_key" ON "moment"("candidate_id");

-- CreateIndex
CREATE UNIQUE INDEX "moment_key_key" ON "moment"("key");

-- CreateIndex
CREATE INDEX "moment_status_peak_at_idx" ON "moment"("status", "peak_at");

-- CreateIndex
CREATE INDEX "moment_games_id_sport_peak_at_idx" ON "moment"("games_id", "sport", "peak_at");

-- CreateIndex
CREATE UNIQUE INDEX "agent_run_moment_id_stage_attempt_key" ON "agent_run"("moment_id", "stage", "attempt");

-- CreateIndex
CREATE INDEX "channel_decision_channel_id_decision_created_at_idx" ON "channel_decision"("channel_id", "decision", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "channel_decision_moment_id_channel_id_key" ON "channel_decision"("moment_id", "channel_id");

-- CreateIndex
CREATE INDEX "memory_fact_subject_at_idx" ON "memory_fact"("subject", "at");

-- CreateIndex
CREATE UNIQUE INDEX "memory_fact_subject_fact_source_moment_key_key" ON "memory_fact"("subject", "fact", "source_moment_key");

-- CreateIndex
CREATE INDEX "job_status_locked_until_idx" ON "job"("status", "locked_until");

-- AddForeignKey
ALTER TABLE "moment" ADD CONSTRAINT "moment_candidate_id_fkey" FOREIGN KEY ("candidate_id") REFERENCES "candidate_moment"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "agent_run" ADD CONSTRAINT "agent_run_moment_id_fkey" FOREIGN KEY ("moment_id") REFERENCES "moment"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "channel_decision" ADD CONSTRAINT "channel_decision_moment_id_fkey" FOREIGN KEY ("moment_id") REFERENCES "moment"("id") ON DELETE CASCADE ON UPDATE CASCADE;
