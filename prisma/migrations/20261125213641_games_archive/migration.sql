-- Games archive: generated games (schedule, play-by-play, stories, ground truth) loaded for replay and
-- agent search, plus country affinity to sports and sport format in reference data.

-- AlterTable
-- Existing rows get an empty object, the seed fills the real affinities on the next start.
ALTER TABLE "country" ADD COLUMN     "sport_affinity" JSONB NOT NULL DEFAULT '{}';
ALTER TABLE "country" ALTER COLUMN "sport_affinity" DROP DEFAULT;

-- AlterTable
ALTER TABLE "sport" ADD COLUMN     "format" TEXT NOT NULL DEFAULT 'timed_race';
ALTER TABLE "sport" ALTER COLUMN "format" DROP DEFAULT;

-- CreateTable
CREATE TABLE "games" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "seed" INTEGER NOT NULL,
    "size" TEXT NOT NULL,
    "host_country" VARCHAR(2) NOT NULL,
    "starts_at" TIMESTAMPTZ(3) NOT NULL,
    "ends_at" TIMESTAMPTZ(3) NOT NULL,
    "loaded_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "games_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "athlete" (
    "games_id" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "country" VARCHAR(2) NOT NULL,
    "sport" VARCHAR(40) NOT NULL,
    "born" INTEGER NOT NULL,
    "biography" TEXT NOT NULL,

    CONSTRAINT "athlete_pkey" PRIMARY KEY ("games_id","id")
);

-- CreateTable
CREATE TABLE "games_session" (
    "games_id" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "sport" VARCHAR(40) NOT NULL,
    "event" TEXT NOT NULL,
    "phase" TEXT NOT NULL,
    "starts_at" TIMESTAMPTZ(3) NOT NULL,
    "ends_at" TIMESTAMPTZ(3) NOT NULL,
    "countries" TEXT[],
    "athlete_ids" TEXT[],

    CONSTRAINT "games_session_pkey" PRIMARY KEY ("games_id","id")
);

-- CreateTable
CREATE TABLE "play_by_play" (
    "games_id" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "session_id" TEXT NOT NULL,
    "sport" VARCHAR(40) NOT NULL,
    "type" TEXT NOT NULL,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL,
    "timecode_seconds" INTEGER NOT NULL,
    "significance" DOUBLE PRECISION NOT NULL,
    "countries" TEXT[],
    "athlete_ids" TEXT[],
    "description" TEXT NOT NULL,
    "search" tsvector GENERATED ALWAYS AS (to_tsvector('english'::regconfig, description)) STORED,

    CONSTRAINT "play_by_play_pkey" PRIMARY KEY ("games_id","id")
);

-- CreateTable
CREATE TABLE "story" (
    "games_id" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "headline" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "published_at" TIMESTAMPTZ(3) NOT NULL,
    "sport" VARCHAR(40),
    "countries" TEXT[],
    "athlete_ids" TEXT[],
    "search" tsvector GENERATED ALWAYS AS (setweight(to_tsvector('english'::regconfig, headline), 'A'::"char") || setweight(to_tsvector('english'::regconfig, body), 'B'::"char")) STORED,

    CONSTRAINT "story_pkey" PRIMARY KEY ("games_id","id")
);

-- CreateTable
CREATE TABLE "ground_truth_moment" (
    "games_id" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "decoy" BOOLEAN NOT NULL,
    "start_at" TIMESTAMPTZ(3) NOT NULL,
    "peak_at" TIMESTAMPTZ(3) NOT NULL,
    "end_at" TIMESTAMPTZ(3) NOT NULL,
    "markets" JSONB NOT NULL,
    "significance" DOUBLE PRECISION,
    "cause_event_id" TEXT,

    CONSTRAINT "ground_truth_moment_pkey" PRIMARY KEY ("games_id","id")
);

-- CreateIndex
CREATE INDEX "athlete_games_id_country_sport_idx" ON "athlete"("games_id", "country", "sport");

-- CreateIndex
CREATE INDEX "games_session_games_id_sport_starts_at_idx" ON "games_session"("games_id", "sport", "starts_at");

-- CreateIndex
CREATE INDEX "play_by_play_games_id_sport_occurred_at_idx" ON "play_by_play"("games_id", "sport", "occurred_at");

-- CreateIndex
CREATE INDEX "play_by_play_search_idx" ON "play_by_play" USING GIN ("search");

-- CreateIndex
CREATE INDEX "story_games_id_published_at_idx" ON "story"("games_id", "published_at");

-- CreateIndex
CREATE INDEX "story_search_idx" ON "story" USING GIN ("search");

-- CreateIndex
CREATE INDEX "ground_truth_moment_games_id_start_at_idx" ON "ground_truth_moment"("games_id", "start_at");

-- AddForeignKey
ALTER TABLE "athlete" ADD CONSTRAINT "athlete_games_id_fkey" FOREIGN KEY ("games_id") REFERENCES "games"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "games_session" ADD CONSTRAINT "games_session_games_id_fkey" FOREIGN KEY ("games_id") REFERENCES "games"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "play_by_play" ADD CONSTRAINT "play_by_play_games_id_fkey" FOREIGN KEY ("games_id") REFERENCES "games"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "story" ADD CONSTRAINT "story_games_id_fkey" FOREIGN KEY ("games_id") REFERENCES "games"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ground_truth_moment" ADD CONSTRAINT "ground_truth_moment_games_id_fkey" FOREIGN KEY ("games_id") REFERENCES "games"("id") ON DELETE CASCADE ON UPDATE CASCADE;
