-- Indexes of the editors' inbox (newest first, per country) and of the live moments feed.
-- CreateIndex
CREATE INDEX "moment_peak_at_idx" ON "moment"("peak_at" DESC);

-- CreateIndex
CREATE INDEX "moment_countries_idx" ON "moment" USING GIN ("countries");

-- CreateIndex
CREATE INDEX "moment_event_moment_id_id_idx" ON "moment_event"("moment_id", "id");
