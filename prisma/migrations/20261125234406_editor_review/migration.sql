-- Editor review (versions, audit trail, channel deliveries) and per-partition watermarks stored with offsets.
-- AlterTable
ALTER TABLE "moment" ADD COLUMN     "review_reason" TEXT,
ADD COLUMN     "reviewed_at" TIMESTAMPTZ(3),
ADD COLUMN     "reviewed_by" TEXT,
ADD COLUMN     "version" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "stream_offset" ADD COLUMN     "max_event_time" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "moment_version" (
    "id" BIGSERIAL NOT NULL,
    "moment_id" BIGINT NOT NULL,
    "version" INTEGER NOT NULL,
    "editor" TEXT NOT NULL,
    "headline" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "clip_in" TEXT,
    "clip_out" TEXT,
    "note" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "moment_version_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "moment_event" (
    "id" BIGSERIAL NOT NULL,
    "moment_id" BIGINT NOT NULL,
    "actor" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "reason" TEXT,
    "detail" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "moment_event_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "channel_delivery" (
    "id" BIGSERIAL NOT NULL,
    "moment_id" BIGINT NOT NULL,
    "channel_id" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "payload" JSONB NOT NULL,
    "response_status" INTEGER,
    "error" TEXT,
    "sent_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "channel_delivery_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "moment_version_moment_id_version_key" ON "moment_version"("moment_id", "version");

-- CreateIndex
CREATE INDEX "moment_event_moment_id_created_at_idx" ON "moment_event"("moment_id", "created_at");

-- CreateIndex
CREATE INDEX "channel_delivery_channel_id_status_created_at_idx" ON "channel_delivery"("channel_id", "status", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "channel_delivery_moment_id_channel_id_key" ON "channel_delivery"("moment_id", "channel_id");

-- AddForeignKey
ALTER TABLE "moment_version" ADD CONSTRAINT "moment_version_moment_id_fkey" FOREIGN KEY ("moment_id") REFERENCES "moment"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "moment_event" ADD CONSTRAINT "moment_event_moment_id_fkey" FOREIGN KEY ("moment_id") REFERENCES "moment"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "channel_delivery" ADD CONSTRAINT "channel_delivery_moment_id_fkey" FOREIGN KEY ("moment_id") REFERENCES "moment"("id") ON DELETE CASCADE ON UPDATE CASCADE;
