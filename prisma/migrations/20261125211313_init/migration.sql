-- CreateTable
CREATE TABLE "country" (
    "code" VARCHAR(2) NOT NULL,
    "name" TEXT NOT NULL,
    "market_size" INTEGER NOT NULL,
    "time_zone" TEXT NOT NULL,

    CONSTRAINT "country_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "sport" (
    "slug" VARCHAR(40) NOT NULL,
    "name" TEXT NOT NULL,

    CONSTRAINT "sport_pkey" PRIMARY KEY ("slug")
);

-- CreateTable
CREATE TABLE "traffic_bucket" (
    "country" VARCHAR(2) NOT NULL,
    "sport" VARCHAR(40) NOT NULL,
    "bucket_start" TIMESTAMPTZ(3) NOT NULL,
    "window_seconds" INTEGER NOT NULL,
    "actions" INTEGER NOT NULL,
    "page_views" INTEGER NOT NULL,
    "video_starts" INTEGER NOT NULL,
    "live_blog_opens" INTEGER NOT NULL,
    "shares" INTEGER NOT NULL,
    "seq" BIGSERIAL NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "traffic_bucket_pkey" PRIMARY KEY ("country","sport","bucket_start")
);

-- CreateTable
CREATE TABLE "stream_offset" (
    "consumer_group" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "partition" INTEGER NOT NULL,
    "next_offset" BIGINT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "stream_offset_pkey" PRIMARY KEY ("consumer_group","topic","partition")
);

-- CreateTable
CREATE TABLE "stream_dead_letter" (
    "id" BIGSERIAL NOT NULL,
    "topic" TEXT NOT NULL,
    "partition" INTEGER,
    "offset" BIGINT,
    "reason" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "stream_dead_letter_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "late_drop" (
    "country" VARCHAR(2) NOT NULL,
    "sport" VARCHAR(40) NOT NULL,
    "bucket_start" TIMESTAMPTZ(3) NOT NULL,
    "actions" INTEGER NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "late_drop_pkey" PRIMARY KEY ("country","sport","bucket_start")
);

-- CreateIndex
CREATE INDEX "traffic_bucket_country_bucket_start_idx" ON "traffic_bucket"("country", "bucket_start");

-- CreateIndex
CREATE INDEX "traffic_bucket_country_seq_idx" ON "traffic_bucket"("country", "seq");

-- CreateIndex
CREATE INDEX "stream_dead_letter_received_at_idx" ON "stream_dead_letter"("received_at");
