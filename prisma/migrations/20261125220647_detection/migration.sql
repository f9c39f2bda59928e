-- Peak detection in the live path. Expected value and band per judged bucket (nullable columns added on the
-- partitioned parent propagate to every day partition), per-series detector state so another worker can resume
-- a series, anomalies keyed by series, kind and first bucket, candidate moments that group markets, and the job
-- outbox written in the same transaction as the anomaly that needs scoring.

-- AlterTable
ALTER TABLE "traffic_bucket" ADD COLUMN     "expected" DOUBLE PRECISION,
ADD COLUMN     "expected_high" DOUBLE PRECISION,
ADD COLUMN     "expected_low" DOUBLE PRECISION;

-- CreateTable
CREATE TABLE "detector_state" (
    "country" VARCHAR(2) NOT NULL,
    "sport" VARCHAR(40) NOT NULL,
    "partition" INTEGER NOT NULL,
    "detector" TEXT NOT NULL,
    "state" JSONB NOT NULL,
    "last_bucket_start" TIMESTAMPTZ(3) NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "detector_state_pkey" PRIMARY KEY ("country","sport")
);

-- CreateTable
CREATE TABLE "anomaly" (
    "id" BIGSERIAL NOT NULL,
    "key" TEXT NOT NULL,
    "country" VARCHAR(2) NOT NULL,
    "sport" VARCHAR(40) NOT NULL,
    "kind" TEXT NOT NULL,
    "detector" TEXT NOT NULL,
    "window_start" TIMESTAMPTZ(3) NOT NULL,
    "window_end" TIMESTAMPTZ(3) NOT NULL,
    "detected_at" TIMESTAMPTZ(3) NOT NULL,
    "observed" INTEGER NOT NULL,
    "expected" DOUBLE PRECISION NOT NULL,
    "expected_low" DOUBLE PRECISION NOT NULL,
    "expected_high" DOUBLE PRECISION NOT NULL,
    "uplift_pct" DOUBLE PRECISION NOT NULL,
    "score" DOUBLE PRECISION NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'open',
    "ended_at" TIMESTAMPTZ(3),
    "extreme_uplift_pct" DOUBLE PRECISION,
    "candidate_id" BIGINT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "anomaly_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "candidate_moment" (
    "id" BIGSERIAL NOT NULL,
    "key" TEXT NOT NULL,
    "sport" VARCHAR(40) NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "last_peak_at" TIMESTAMPTZ(3),
    "status" TEXT NOT NULL,
    "markets" JSONB NOT NULL DEFAULT '[]',
    "score" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "extra_viewers" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "cause_games_id" TEXT,
    "cause_event_id" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "candidate_moment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "job" (
    "id" BIGSERIAL NOT NULL,
    "kind" TEXT NOT NULL,
    "dedupe_key" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "run_after" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "job_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "detector_state_partition_idx" ON "detector_state"("partition");

-- CreateIndex
CREATE UNIQUE INDEX "anomaly_key_key" ON "anomaly"("key");

-- CreateIndex
CREATE INDEX "anomaly_country_window_start_idx" ON "anomaly"("country", "window_start");

-- CreateIndex
CREATE INDEX "anomaly_sport_window_start_idx" ON "anomaly"("sport", "window_start");

-- CreateIndex
CREATE INDEX "anomaly_candidate_id_idx" ON "anomaly"("candidate_id");

-- CreateIndex
CREATE UNIQUE INDEX "candidate_moment_key_key" ON "candidate_moment"("key");

-- CreateIndex
CREATE INDEX "candidate_moment_sport_started_at_idx" ON "candidate_moment"("sport", "started_at");

-- CreateIndex
CREATE UNIQUE INDEX "job_dedupe_key_key" ON "job"("dedupe_key");

-- CreateIndex
CREATE INDEX "job_status_run_after_idx" ON "job"("status", "run_after");

-- AddForeignKey
ALTER TABLE "anomaly" ADD CONSTRAINT "anomaly_candidate_id_fkey" FOREIGN KEY ("candidate_id") REFERENCES "candidate_moment"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- CreateIndex
CREATE INDEX "play_by_play_occurred_at_idx" ON "play_by_play"("occurred_at");
